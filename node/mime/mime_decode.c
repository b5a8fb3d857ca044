/*
 * mime_decode.c - Content-Transfer-Encoding decoders (RFC 2045 6.7, 6.8)
 * for IMAP BINARY (RFC 3516): base64, quoted-printable, and the identity
 * encodings 7bit, 8bit and binary.
 *
 * Decoding is lenient, as Dovecot's is, because stored mail is whatever
 * was delivered: base64 skips every character outside its alphabet, and
 * "=" padding drops a partial quantum (so concatenated blocks decode);
 * quoted-printable keeps an "=" that starts no valid escape as itself and
 * drops trailing white space on each line. Nothing here fails.
 *
 * Limits: the output is never longer than the input, so decoding is
 * bounded by the message size.
 */
#include <string.h>
#include <strings.h>

#include "mime/mime_int.h"
#include "util/base64.h"
#include "util/hex.h"

/* mime_decode_base64 - each 6 bits in, a byte out as soon as 8 are there */
void
mime_decode_base64(const char *in, size_t len, struct buf *out)
{
	unsigned acc = 0, bits = 0;
	char *o;

	buf_reserve(out, len / 4 * 3 + 3);	/* 6 bits a byte in: room for all */
	o = out->data + out->len;
	for (size_t i = 0; i < len; i++) {
		int v = base64_value((unsigned char)in[i]);

		if (in[i] == '=') {
			acc = bits = 0;	/* padding ends the quantum */
			continue;
		}
		if (v < 0)
			continue;
		acc = (acc << 6 | (unsigned)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			*o++ = (char)(acc >> bits & 0xff);
		}
	}
	out->len = (size_t)(o - out->data);
	out->data[out->len] = '\0';
}

/* qp_line - one line's content with its escapes decoded; the caller ends the line */
static void
qp_line(const char *s, size_t n, struct buf *out)
{
	size_t i = 0;

	while (i < n) {
		const char *eq = memchr(s + i, '=', n - i);
		size_t run = eq != NULL ? (size_t)(eq - s) - i : n - i;
		int hi, lo;

		buf_append(out, s + i, run);	/* the bytes up to an escape, at once */
		if ((i += run) >= n)
			break;
		hi = i + 2 < n ? hex_value((unsigned char)s[i + 1]) : -1;
		lo = i + 2 < n ? hex_value((unsigned char)s[i + 2]) : -1;
		if (hi >= 0 && lo >= 0) {
			buf_putc(out, (char)(hi << 4 | lo));
			i += 3;
		} else {
			buf_putc(out, '=');
			i++;
		}
	}
}

/* mime_decode_qp - line by line: a trailing "=" joins lines, others keep their break */
void
mime_decode_qp(const char *in, size_t len, struct buf *out)
{
	size_t i = 0;

	buf_reserve(out, len);
	while (i < len) {
		const char *lf = memchr(in + i, '\n', len - i);
		size_t end = lf ? (size_t)(lf - in) : len, n = end - i;

		while (n > 0 && (in[i + n - 1] == '\r' || in[i + n - 1] == ' ' ||
		    in[i + n - 1] == '\t'))
			n--;	/* transport padding (RFC 2045 6.7 rule 3) */
		if (n > 0 && in[i + n - 1] == '=') {
			qp_line(in + i, n - 1, out);
		} else {
			qp_line(in + i, n, out);
			if (lf)
				buf_puts(out, end > i && in[end - 1] == '\r' ? "\r\n" : "\n");
		}
		i = lf ? end + 1 : len;
	}
}

/* cte_is - the Content-Transfer-Encoding token equals name, ignoring case */
static bool
cte_is(const char *cte, size_t n, const char *name)
{
	return n == strlen(name) && strncasecmp(cte, name, n) == 0;
}

/* mime_decode - BINARY needs the part's bytes without their encoding */
int
mime_decode(const char *cte, size_t ctelen, const char *in, size_t len, struct buf *out)
{
	size_t n;

	while (ctelen > 0 && (*cte == ' ' || *cte == '\t')) {
		cte++;
		ctelen--;
	}
	for (n = 0; n < ctelen && cte[n] != ' ' && cte[n] != '\t' && cte[n] != ';' &&
	    cte[n] != '('; n++)
		;
	if (n == 0 || cte_is(cte, n, "7bit") || cte_is(cte, n, "8bit") ||
	    cte_is(cte, n, "binary"))
		buf_append(out, in, len);
	else if (cte_is(cte, n, "base64"))
		mime_decode_base64(in, len, out);
	else if (cte_is(cte, n, "quoted-printable"))
		mime_decode_qp(in, len, out);
	else
		return -1;
	return 0;
}
