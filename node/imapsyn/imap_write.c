/*
 * imap_write.c - IMAP output syntax.
 *
 * One rule decides between quoted and literal (quotable()), so every string
 * the server sends is chosen the same way.
 */
#include <string.h>
#include <strings.h>

#include "imapsyn/imap_utf7.h"
#include "imapsyn/imap_write.h"

/* quotable - may s go in a quoted string; allow8 for UTF-8 sessions */
static bool
quotable(const char *s, size_t n, bool allow8)
{
	if (n > IMAP_WRITE_QUOTED_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && !allow8))
			return false;
	}
	return true;
}

/* quoted - s between quotes, with " and \ escaped */
static void
quoted(struct buf *out, const char *s, size_t n)
{
	buf_reserve(out, n + 2);
	buf_putc(out, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			buf_putc(out, '\\');
		buf_putc(out, s[i]);
	}
	buf_putc(out, '"');
}

/* is_atom - a non-empty run of ATOM-CHARs that is not NIL */
static bool
is_atom(const char *s, size_t n)
{
	if (n == 0 || (n == 3 && strncasecmp(s, "NIL", 3) == 0))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c >= 0x7f || strchr("(){%*\"\\]", c) != NULL)
			return false;
	}
	return true;
}

/* imap_write_literal - a plain literal may not hold NUL (RFC 3501 CHAR8): it becomes 0x80 */
void
imap_write_literal(struct buf *out, const char *s, size_t n, bool binary)
{
	const char *nul;

	buf_printf(out, "%s{%zu}\r\n", binary ? "~" : "", n);
	while (!binary && n > 0 && (nul = memchr(s, '\0', n)) != NULL) {
		buf_append(out, s, (size_t)(nul - s));
		buf_putc(out, (char)0x80);
		n -= (size_t)(nul - s) + 1;
		s = nul + 1;
	}
	buf_append(out, s, n);
}

void
imap_write_string(struct buf *out, const char *s, size_t n)
{
	if (quotable(s, n, false))
		quoted(out, s, n);
	else
		imap_write_literal(out, s, n, false);
}

void
imap_write_nstring(struct buf *out, const char *s, size_t n)
{
	if (s == NULL)
		buf_puts(out, "NIL");
	else
		imap_write_string(out, s, n);
}

void
imap_write_astring(struct buf *out, const char *s, size_t n)
{
	if (is_atom(s, n))
		buf_append(out, s, n);
	else
		imap_write_string(out, s, n);
}

int
imap_write_mailbox(struct buf *out, const char *name, size_t n, bool utf8)
{
	struct buf enc = BUF_INIT;

	if (imap_utf8_valid(name, n) < 0)
		return -1;
	if (utf8) {
		if (is_atom(name, n))
			buf_append(out, name, n);
		else if (quotable(name, n, true))
			quoted(out, name, n);
		else
			imap_write_literal(out, name, n, false);
		return 0;
	}
	imap_utf8_to_utf7(name, n, &enc);
	imap_write_astring(out, buf_cstr(&enc), enc.len);
	buf_free(&enc);
	return 0;
}
