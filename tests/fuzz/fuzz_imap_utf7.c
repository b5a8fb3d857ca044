/*
 * fuzz_imap_utf7.c - modified UTF-7 under libFuzzer.
 *
 * Whatever decodes must re-encode to exactly the input (the canonical
 * form), and whatever is valid UTF-8 must encode and decode back to itself.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "imapsyn/imap_utf7.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct buf a = BUF_INIT, b = BUF_INIT;

	if (imap_utf7_to_utf8(s, size, &a) == 0) {
		assert(imap_utf8_to_utf7(buf_cstr(&a), a.len, &b) == 0);
		assert(b.len == size && memcmp(buf_cstr(&b), s, size) == 0);
	}
	buf_reset(&a);
	buf_reset(&b);
	if (imap_utf8_to_utf7(s, size, &a) == 0) {
		assert(imap_utf8_valid(s, size) == 0);
		assert(imap_utf7_to_utf8(buf_cstr(&a), a.len, &b) == 0);
		assert(b.len == size && memcmp(buf_cstr(&b), s, size) == 0);
	} else {
		assert(imap_utf8_valid(s, size) == -1);
	}
	buf_free(&a);
	buf_free(&b);
	return 0;
}
