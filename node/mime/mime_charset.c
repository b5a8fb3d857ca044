/*
 * mime_charset.c - text in a MIME charset converted to UTF-8 with glibc's
 * iconv, for SEARCH (mime_2047.c for header words, mime_text.c for text
 * parts).
 *
 * Never fails on bad input: a byte the charset does not define is copied
 * as it is and conversion goes on after it, and an input ending inside a
 * multibyte sequence keeps that tail as it is. The caller is told (1) so
 * a header word can stay raw instead. UTF-8 and US-ASCII are not
 * converted at all: their bytes are what a UTF-8 search string compares
 * against.
 *
 * Limits: a charset name is at most MIME_CHARSET_NAME_MAX bytes of
 * letters, digits and "-_.:+" (so no iconv "//" suffix or path reaches
 * iconv_open); anything else is an unknown charset. The output is at most
 * MIME_CHARSET_GROWTH bytes per input byte; a conversion that would write
 * more stops there.
 *
 * Hazard: one iconv descriptor per call, opened and closed here, so calls
 * from several threads share nothing.
 */
#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <strings.h>

#include "mime/mime.h"

/* name_ok - a charset name we hand to iconv_open */
static bool
name_ok(const char *cs, size_t n)
{
	if (n == 0 || n > MIME_CHARSET_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = cs[i];

		if (c == '\0' || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-_.:+", c) != NULL))
			return false;
	}
	return true;
}

/* name_is - the name equals want, ignoring case */
static bool
name_is(const char *cs, size_t n, const char *want)
{
	return n == strlen(want) && strncasecmp(cs, want, n) == 0;
}

/*
 * convert - the iconv loop over in into out, within cap output bytes; 0,
 * or 1 if a byte was copied unconverted or the bound cut the output
 */
static int
convert(iconv_t cd, const char *in, size_t len, size_t cap, struct buf *out)
{
	char *ip = (char *)in, *op;
	size_t il = len, ol, start = out->len, room = len + 16 < cap ? len + 16 : cap;
	int rc = 0;

	buf_reserve(out, room);
	op = out->data + start;
	ol = room;
	for (;;) {
		size_t r = il > 0 ? iconv(cd, &ip, &il, &op, &ol) : iconv(cd, NULL, NULL, &op, &ol);

		if (r != (size_t)-1 && il == 0 && ip != NULL) {
			ip = NULL;		/* all read: flush what the converter holds */
			continue;
		}
		if (r != (size_t)-1)
			break;
		if (errno == E2BIG || ol == 0) {
			size_t used = (size_t)(op - (out->data + start));

			if (room >= cap) {
				rc = 1;		/* the bound: the rest is left out */
				break;
			}
			room = room * 2 < cap ? room * 2 : cap;
			out->len = start + used;
			buf_reserve(out, room - used);
			op = out->data + out->len;
			ol = room - used;
			continue;
		}
		rc = 1;		/* EILSEQ, or EINVAL: an input tail cut short */
		if (ip == NULL || il == 0)
			break;
		*op++ = *ip++;	/* ol > 0: E2BIG was handled above */
		ol--;
		il--;
	}
	out->len = (size_t)(op - out->data);
	out->data[out->len] = '\0';
	return rc;
}

/* mime_charset_utf8 - text parts and encoded words in any charset meet a UTF-8 search string */
int
mime_charset_utf8(const char *cs, size_t cslen, const char *in, size_t len, struct buf *out)
{
	iconv_t cd;
	char name[MIME_CHARSET_NAME_MAX + 1];
	int rc;

	if (!name_ok(cs, cslen))
		return -1;
	if (name_is(cs, cslen, "utf-8") || name_is(cs, cslen, "us-ascii") ||
	    name_is(cs, cslen, "utf8") || name_is(cs, cslen, "ascii")) {
		buf_append(out, in, len);
		return 0;
	}
	memcpy(name, cs, cslen);
	name[cslen] = '\0';
	if ((cd = iconv_open("UTF-8", name)) == (iconv_t)-1)
		return -1;
	rc = len > 0 ? convert(cd, in, len, len * MIME_CHARSET_GROWTH, out) : 0;
	iconv_close(cd);
	return rc;
}
