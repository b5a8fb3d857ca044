/*
 * fuzz_mime_2047.c - libFuzzer target for what SEARCH decodes: RFC 2047
 * encoded words, charset conversion and a message's searchable text.
 *
 * The whole input is a header value for mime_2047_decode and a message
 * for mime_text; split at its first NUL it is a charset name and the
 * bytes to convert. Checked: nothing faults or reads past its input, every
 * output stays within MIME_CHARSET_GROWTH times its input (plus the NUL
 * after each of mime_text's pieces), a value without encoded words comes
 * out unchanged, and an unknown charset appends nothing.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mime/mime.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* pieces of mime_text at most: two per part table row, rows at most two per part */
#define PIECES_MAX (4 * (MIME_MAX_PARTS + MIME_MAX_DEPTH + 1))

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of its own, so ASan sees any overread */
	char *in = malloc(size + 1);
	const char *nul;
	struct buf out = BUF_INIT;
	size_t n;
	int rc;

	memcpy(in, data, size);
	n = mime_2047_decode(in, size, &out);
	assert(out.len <= MIME_CHARSET_GROWTH * size);
	assert(n > 0 || (out.len == size && memcmp(buf_cstr(&out), in, size) == 0));

	buf_reset(&out);
	mime_text(in, size, NULL, 0, MIME_TEXT_HEADERS | MIME_TEXT_BODIES, &out);
	assert(out.len <= MIME_CHARSET_GROWTH * size + PIECES_MAX);

	if ((nul = memchr(in, '\0', size)) != NULL) {
		size_t cl = (size_t)(nul - in), bl = size - cl - 1;

		buf_reset(&out);
		rc = mime_charset_utf8(in, cl, nul + 1, bl, &out);
		assert(rc >= -1 && rc <= 1);
		assert(rc != -1 || out.len == 0);
		assert(out.len <= MIME_CHARSET_GROWTH * bl);
	}
	buf_free(&out);
	free(in);
	return 0;
}
