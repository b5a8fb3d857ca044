/*
 * imap_utf7.c - modified UTF-7 <-> UTF-8.
 *
 * Modified UTF-7 is base64 (with "," for "/") of UTF-16BE between "&" and
 * "-". Decoding checks that re-encoding would give the same bytes, which is
 * what makes a name round-trip and keeps two spellings of one mailbox from
 * existing. UTF-8 is decoded by hand with every RFC 3629 check.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "imapsyn/imap_utf7.h"

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

/* utf8_next - decode one code point at s[*ip]; -1 if invalid */
static int32_t
utf8_next(const unsigned char *s, size_t len, size_t *ip)
{
	static const uint32_t min[] = { 0, 0x80, 0x800, 0x10000 };
	size_t i = *ip, n;
	uint32_t c = s[i];

	if (c < 0x80)
		n = 0;
	else if (c >= 0xc2 && c <= 0xdf)
		n = 1, c &= 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 2, c &= 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 3, c &= 0x07;
	else
		return -1;
	if (len - i - 1 < n)
		return -1;
	for (size_t k = 1; k <= n; k++) {
		if ((s[i + k] & 0xc0) != 0x80)
			return -1;
		c = (c << 6) | (s[i + k] & 0x3f);
	}
	if (c < min[n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*ip = i + n + 1;
	return (int32_t)c;
}

/* utf8_put - append code point c as UTF-8 */
static void
utf8_put(struct buf *out, uint32_t c)
{
	if (c < 0x80) {
		buf_putc(out, (char)c);
	} else if (c < 0x800) {
		buf_putc(out, (char)(0xc0 | c >> 6));
		buf_putc(out, (char)(0x80 | (c & 0x3f)));
	} else if (c < 0x10000) {
		buf_putc(out, (char)(0xe0 | c >> 12));
		buf_putc(out, (char)(0x80 | (c >> 6 & 0x3f)));
		buf_putc(out, (char)(0x80 | (c & 0x3f)));
	} else {
		buf_putc(out, (char)(0xf0 | c >> 18));
		buf_putc(out, (char)(0x80 | (c >> 12 & 0x3f)));
		buf_putc(out, (char)(0x80 | (c >> 6 & 0x3f)));
		buf_putc(out, (char)(0x80 | (c & 0x3f)));
	}
}

int
imap_utf8_valid(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		if (utf8_next((const unsigned char *)s, len, &i) <= 0)
			return -1;
	}
	return 0;
}

/* is_direct - printable ASCII, which must stand for itself */
static bool
is_direct(uint32_t c)
{
	return c >= 0x20 && c <= 0x7e;
}

/* b64_units - the 16-bit units of one shift, appended as base64 */
static void
b64_units(struct buf *out, const uint16_t *u, size_t n)
{
	uint32_t acc = 0;
	unsigned bits = 0;

	for (size_t i = 0; i < n; i++) {
		acc = acc << 16 | u[i];
		bits += 16;
		while (bits >= 6) {
			bits -= 6;
			buf_putc(out, b64[acc >> bits & 0x3f]);
		}
	}
	if (bits > 0)
		buf_putc(out, b64[acc << (6 - bits) & 0x3f]);
}

int
imap_utf8_to_utf7(const char *name, size_t len, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)name;
	uint16_t u[64];		/* UTF-16 units of the open shift, not yet written */
	size_t i = 0, nu = 0;
	bool shift = false;

	while (i < len) {
		int32_t c = utf8_next(s, len, &i);

		if (c <= 0)
			return -1;
		if (!is_direct((uint32_t)c)) {
			if (!shift)
				buf_putc(out, '&');
			shift = true;
			if (nu + 2 > sizeof(u) / sizeof(u[0])) {
				size_t whole = nu - nu % 3;	/* 3 units are 8 chars, no padding */

				b64_units(out, u, whole);
				memmove(u, u + whole, (nu - whole) * sizeof(u[0]));
				nu -= whole;
			}
			if (c >= 0x10000) {
				c -= 0x10000;
				u[nu++] = (uint16_t)(0xd800 | c >> 10);
				u[nu++] = (uint16_t)(0xdc00 | (c & 0x3ff));
			} else {
				u[nu++] = (uint16_t)c;
			}
			continue;
		}
		if (shift) {
			b64_units(out, u, nu);
			buf_putc(out, '-');
			nu = 0;
			shift = false;
		}
		if (c == '&')
			buf_puts(out, "&-");
		else
			buf_putc(out, (char)c);
	}
	if (shift) {
		b64_units(out, u, nu);
		buf_putc(out, '-');
	}
	return 0;
}

/* unit - one decoded UTF-16 unit; *hs holds a pending high surrogate */
static int
unit(struct buf *out, uint32_t u, uint32_t *hs)
{
	if (*hs != 0) {
		if (u < 0xdc00 || u > 0xdfff)
			return -1;
		utf8_put(out, 0x10000 + ((*hs - 0xd800) << 10) + (u - 0xdc00));
		*hs = 0;
		return 0;
	}
	if (u >= 0xd800 && u <= 0xdbff) {
		*hs = u;
		return 0;
	}
	if ((u >= 0xdc00 && u <= 0xdfff) || u == 0 || is_direct(u))
		return -1;
	utf8_put(out, u);
	return 0;
}

/* shift - the base64 after "&" through its "-" */
static int
shift(const unsigned char *s, size_t len, size_t *ip, struct buf *out)
{
	uint32_t acc = 0, hs = 0;
	unsigned bits = 0;
	size_t i = *ip, units = 0;

	for (;;) {
		const char *v;

		if (i == len)
			return -1;
		if (s[i] == '-')
			break;
		if (s[i] == '\0' || (v = strchr(b64, s[i])) == NULL)
			return -1;
		acc = acc << 6 | (uint32_t)(v - b64);
		bits += 6;
		i++;
		if (bits >= 16) {
			bits -= 16;
			units++;
			if (unit(out, acc >> bits & 0xffff, &hs) < 0)
				return -1;
		}
	}
	if (units == 0 || hs != 0 || bits >= 6 || (acc & ((1u << bits) - 1)) != 0)
		return -1;
	*ip = i + 1;
	return 0;
}

int
imap_utf7_to_utf8(const char *name, size_t len, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t i = 0;
	bool after_shift = false;

	while (i < len) {
		if (!is_direct(s[i]))
			return -1;
		if (s[i] != '&') {
			buf_putc(out, (char)s[i++]);
			after_shift = false;
		} else if (i + 1 < len && s[i + 1] == '-') {
			buf_putc(out, '&');
			i += 2;
			after_shift = false;
		} else {
			i++;
			if (after_shift || shift(s, len, &i, out) < 0)
				return -1;
			after_shift = true;
		}
	}
	return 0;
}
