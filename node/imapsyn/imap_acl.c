/*
 * imap_acl.c - RFC 4314 rights strings to bits and back (see imap_acl.h).
 */
#include "imapsyn/imap_acl.h"

/* the rights in the order they are written, bit i being letter i */
static const char acl_letters[] = "lrswipkxtea";

/* acl_letter - the bits one letter stands for; 0 if it is none */
static uint32_t
acl_letter(char c)
{
	size_t i;

	if (c == 'c')
		return IMAP_ACL_CREATE;
	if (c == 'd')
		return IMAP_ACL_D;
	for (i = 0; acl_letters[i] != '\0'; i++)
		if (acl_letters[i] == c)
			return 1u << i;
	return 0;
}

int
imap_acl_parse(const char *s, size_t len, uint32_t *rights_r, enum imap_acl_mod *mod_r)
{
	uint32_t bits = 0, b;
	size_t i = 0;

	if (mod_r != NULL) {
		*mod_r = IMAP_ACL_REPLACE;
		if (len > 0 && (s[0] == '+' || s[0] == '-')) {
			*mod_r = s[0] == '+' ? IMAP_ACL_ADD : IMAP_ACL_REMOVE;
			i = 1;
		}
	}
	for (; i < len; i++) {
		if ((b = acl_letter(s[i])) == 0)
			return -1;
		bits |= b;
	}
	*rights_r = bits;
	return 0;
}

void
imap_acl_change(enum imap_acl_mod mod, uint32_t bits, uint32_t *add_r, uint32_t *remove_r)
{
	*add_r = mod == IMAP_ACL_REMOVE ? 0 : bits;
	*remove_r = mod == IMAP_ACL_ADD ? 0 : mod == IMAP_ACL_REMOVE ? bits : IMAP_ACL_ALL;
}

void
imap_acl_format(uint32_t rights, struct buf *out)
{
	size_t i;

	for (i = 0; acl_letters[i] != '\0'; i++)
		if (rights & (1u << i))
			buf_putc(out, acl_letters[i]);
	if (rights & IMAP_ACL_CREATE)
		buf_putc(out, 'c');
	if (rights & IMAP_ACL_D)
		buf_putc(out, 'd');
}

void
imap_acl_listrights(struct buf *out)
{
	size_t i;

	buf_puts(out, "\"\"");
	for (i = 0; acl_letters[i] != '\0'; i++) {
		buf_putc(out, ' ');
		buf_putc(out, acl_letters[i]);
	}
	buf_puts(out, " c d");
}
