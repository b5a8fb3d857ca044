/*
 * fuzz_imap_acl.c - RFC 4314 rights strings under libFuzzer.
 *
 * Whatever parses must write back to letters that parse to the same bits
 * (with all of "d"'s when it had any: "d" is written then), and applying
 * the change can never grant a right outside IMAP_ACL_ALL.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "imapsyn/imap_acl.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct buf out = BUF_INIT;
	enum imap_acl_mod mod;
	uint32_t bits, again, add, remove;

	if (imap_acl_parse(s, size, &bits, &mod) != 0)
		return 0;
	assert((bits & ~IMAP_ACL_ALL) == 0);
	imap_acl_change(mod, bits, &add, &remove);
	assert(((IMAP_ACL_ALL & ~remove) | add) == (mod == IMAP_ACL_REMOVE ? IMAP_ACL_ALL & ~bits :
	    mod == IMAP_ACL_ADD ? IMAP_ACL_ALL : bits));
	imap_acl_format(bits, &out);
	assert(imap_acl_parse(buf_cstr(&out), out.len, &again, NULL) == 0);
	assert(again == ((bits & IMAP_ACL_D) ? bits | IMAP_ACL_D : bits));
	buf_free(&out);
	return 0;
}
