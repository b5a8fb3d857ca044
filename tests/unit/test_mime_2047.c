/*
 * test_mime_2047.c - what SEARCH decodes: RFC 2047 encoded words (B and
 * Q, charsets, joined and broken words), the charset conversion under
 * them, and input built to be slow or to grow: each decode stays within
 * MIME_CHARSET_GROWTH times its input. Decoders are also fed every prefix
 * of each case, so a word cut anywhere degrades to raw text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "mime/mime.h"
#include "util/buf.h"

static const struct {
	const char *in;
	const char *want;
} words[] = {
	/* B and Q, either case */
	{ "=?UTF-8?B?R3LDvMOfZQ==?=", "Gr\xc3\xbc\xc3\x9f" "e" },
	{ "=?utf-8?b?R3LDvMOfZQ?=", "Gr\xc3\xbc\xc3\x9f" "e" },		/* padding left out */
	{ "=?utf-8?q?Gr=C3=BC=c3=9Fe?=", "Gr\xc3\xbc\xc3\x9f" "e" },
	{ "=?ISO-8859-1?Q?J=F6rg_M=FCller?=", "J\xc3\xb6rg M\xc3\xbcller" },
	{ "=?windows-1252?q?=80uro?=", "\xe2\x82\xacuro" },
	{ "=?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e" },
	{ "=?utf-8*de?q?Stra=C3=9Fe?=", "Stra\xc3\x9f" "e" },		/* RFC 2231 language */
	{ "=?us-ascii?q?" "?=", "" },
	/* around and between words */
	{ "Re: =?utf-8?q?caf=C3=A9?= ok", "Re: caf\xc3\xa9 ok" },
	{ "=?utf-8?q?a?= =?utf-8?q?b?=", "ab" },				/* RFC 2047 6.2 */
	{ "=?utf-8?q?a?=  \t =?utf-8?q?b?=   =?utf-8?q?c?=", "abc" },
	{ "=?utf-8?q?a?=\r\n =?utf-8?q?b?=", "ab" },			/* a fold left in */
	{ "=?utf-8?q?a?= x =?utf-8?q?b?=", "a x b" },
	{ "=?iso-8859-1?q?=E9?= =?utf-8?q?=C3=A9?=", "\xc3\xa9\xc3\xa9" },	/* two charsets */
	{ "=?UTF-8?B?R3LDvMOfZSBhdXMg?= =?UTF-8?B?S8O2bG4=?=", "Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln" },
	{ "=?utf-8?q?Gr=C3?= =?UTF-8?q?=BC=C3=9Fe?=", "Gr\xc3\xbc\xc3\x9f" "e" },	/* a split character */
	{ "\"=?utf-8?q?M=C3=BCller?=\" <m@x>", "\"M\xc3\xbcller\" <m@x>" },	/* in quotes */
	{ "x=?utf-8?q?y?=z", "xyz" },						/* glued to text */
	{ "=?utf-8?q?two words?=", "two words" },				/* a space in Q */
	/* broken: kept as written */
	{ "=?utf-8?q?caf=E?=", "=?utf-8?q?caf=E?=" },
	{ "=?utf-8?q?caf=ZZ?=", "=?utf-8?q?caf=ZZ?=" },
	{ "=?utf-8?b?###?=", "=?utf-8?b?###?=" },
	{ "=?utf-8?x?abc?=", "=?utf-8?x?abc?=" },
	{ "=?utf-8?q?abc", "=?utf-8?q?abc" },
	{ "=?utf-8?q?abc?", "=?utf-8?q?abc?" },
	{ "=??q?abc?=", "=??q?abc?=" },
	{ "=?*de?q?abc?=", "=?*de?q?abc?=" },
	{ "=?utf 8?q?abc?=", "=?utf 8?q?abc?=" },
	{ "=?x-no-such-charset?q?abc?=", "=?x-no-such-charset?q?abc?=" },
	{ "=?utf-8//IGNORE?q?abc?=", "=?utf-8//IGNORE?q?abc?=" },
	{ "=?../../etc/x?q?abc?=", "=?../../etc/x?q?abc?=" },
	{ "=?ISO-8859-1-AND-A-NAME-FAR-TOO-LONG-TO-BE-REAL?q?abc?=",
	    "=?ISO-8859-1-AND-A-NAME-FAR-TOO-LONG-TO-BE-REAL?q?abc?=" },
	{ "=?utf-8?q?a?=\r\nb", "a\r\nb" },
	{ "=?utf-8?q?a\r\nb?=", "=?utf-8?q?a\r\nb?=" },
	/* a run that does not convert stays raw as a whole, its space kept */
	{ "=?utf-8?q?a?= =?bogus?q?b?= =?bogus?q?c?=", "a =?bogus?q?b?= =?bogus?q?c?=" },
	{ "=?bogus?q?b?= =?utf-8?q?a?=", "=?bogus?q?b?= a" },
	{ "=?shift_jis?q?a=82?=", "=?shift_jis?q?a=82?=" },			/* cut short */
	{ "=?windows-1252?q?a=81b?=", "=?windows-1252?q?a=81b?=" },		/* undefined byte */
	/* not words at all */
	{ "", "" }, { "=", "=" }, { "=?", "=?" }, { "?=", "?=" }, { "a=?b", "a=?b" },
	{ "=?=?=?=?", "=?=?=?=?" }, { "1+1=2? yes?=", "1+1=2? yes?=" },
};

/* decode - in through mime_2047_decode, checked against the output bound */
static void
decode(const char *in, size_t len, struct buf *out)
{
	buf_reset(out);
	mime_2047_decode(in, len, out);
	if (out->len > MIME_CHARSET_GROWTH * len)
		fail_msg("\"%.*s\": %zu bytes out of %zu in", (int)len, in, out->len, len);
}

static void
test_words(void **state)
{
	struct buf out = BUF_INIT;

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		decode(words[i].in, strlen(words[i].in), &out);
		if (strcmp(buf_cstr(&out), words[i].want) != 0)
			fail_msg("\"%s\": got \"%s\", want \"%s\"", words[i].in, buf_cstr(&out),
			    words[i].want);
		/* every prefix: no overread (ASan), and the bound holds */
		for (size_t n = 0; n < strlen(words[i].in); n++) {
			char *cut = malloc(n + 1);

			memcpy(cut, words[i].in, n);
			decode(cut, n, &out);
			free(cut);
		}
	}
	buf_free(&out);
}

/* test_count - the result says whether anything was decoded */
static void
test_count(void **state)
{
	struct buf out = BUF_INIT;

	assert_int_equal(mime_2047_decode("plain", 5, &out), 0);
	assert_int_equal(mime_2047_decode("=?utf-8?q?a?= =?utf-8?q?b?=", 27, &out), 2);
	assert_int_equal(mime_2047_decode("=?bogus?q?b?=", 13, &out), 1);
	assert_int_equal(mime_2047_decode("=?utf-8?q?=E?=", 14, &out), 0);
	buf_free(&out);
}

static const struct {
	const char *cs;
	const char *in;
	size_t inlen;
	int rc;
	const char *want;
} convs[] = {
	{ "ISO-8859-1", "caf\xe9", 4, 0, "caf\xc3\xa9" },
	{ "latin1", "\xdf", 1, 0, "\xc3\x9f" },
	{ "Windows-1252", "\x80 5", 3, 0, "\xe2\x82\xac 5" },
	{ "windows-1252", "a\x81" "b", 3, 1, "a\x81" "b" },		/* undefined: copied */
	{ "ISO-2022-JP", "\x1b$BF|K\\8l\x1b(B", 12, 0, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e" },
	{ "Shift_JIS", "a\x82", 2, 1, "a\x82" },				/* cut short: copied */
	{ "utf-8", "\xff\xfe", 2, 0, "\xff\xfe" },				/* never converted */
	{ "US-ASCII", "K\xe4se", 4, 0, "K\xe4se" },
	{ "UTF-16LE", "a\0b\0", 4, 0, "ab" },
	{ "TSCII", "\x82\x82\x82", 3, 1, NULL },				/* 12 bytes each: cut */
	{ "x-unknown", "abc", 3, -1, "" },
	{ "utf-8//IGNORE", "abc", 3, -1, "" },
	{ "", "abc", 3, -1, "" },
	{ "iso-8859-1 ", "abc", 3, -1, "" },
	{ "ISO-8859-1-AND-A-NAME-FAR-TOO-LONG-TO-BE-REAL", "abc", 3, -1, "" },
};

static void
test_charset(void **state)
{
	for (size_t i = 0; i < sizeof(convs) / sizeof(convs[0]); i++) {
		struct buf out = BUF_INIT;
		int rc;

		buf_puts(&out, ">");
		rc = mime_charset_utf8(convs[i].cs, strlen(convs[i].cs), convs[i].in, convs[i].inlen,
		    &out);
		if (rc != convs[i].rc)
			fail_msg("%s: got rc %d, want %d", convs[i].cs, rc, convs[i].rc);
		if (out.len - 1 > MIME_CHARSET_GROWTH * convs[i].inlen)
			fail_msg("%s: %zu bytes out of %zu", convs[i].cs, out.len - 1, convs[i].inlen);
		if (convs[i].want != NULL && strcmp(buf_cstr(&out) + 1, convs[i].want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", convs[i].cs, buf_cstr(&out) + 1,
			    convs[i].want);
		buf_free(&out);
	}
}

/* elapsed - seconds since t0 */
static double
elapsed(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* repeat - n bytes of pattern over and over */
static char *
repeat(const char *pattern, size_t n)
{
	char *s = malloc(n);
	size_t pl = strlen(pattern);

	for (size_t i = 0; i < n; i++)
		s[i] = pattern[i % pl];
	return s;
}

/*
 * test_long - a 10 MB value of near-words, a long run of words and
 * words switching charset all the time: linear, bounded, and right
 */
static void
test_long(void **state)
{
	static const struct { const char *pattern; size_t n; } rows[] = {
		{ "=?", 10 << 20 },
		{ "=?a?q?", 10 << 20 },
		{ "=?utf-8?q?=", 10 << 20 },
		{ "=?utf-8?q?", 1 << 20 },
		{ "x=?utf-8?q?a?==", 4 << 20 },
		{ "=?utf-8?q?a?= ", 4 << 20 },
		{ "=?iso-8859-1?q?=E9?= =?utf-8?q?x?= =?bogus?q?y?= ", 1 << 20 },
		{ "=?utf-8?b?R3LDvMOfZQ==?=", 4 << 20 },
	};
	struct buf out = BUF_INIT;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char *s = repeat(rows[i].pattern, rows[i].n);
		struct timespec t0;
		double secs;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		decode(s, rows[i].n, &out);
		secs = elapsed(&t0);
		printf("  %zu bytes of \"%s\": %zu out, %.2fs\n", rows[i].n, rows[i].pattern, out.len,
		    secs);
		if (secs > 20)
			fail_msg("\"%s\": %.1fs, want linear time", rows[i].pattern, secs);
		free(s);
	}
	/* the joined run: one "a" per word, no space left between them */
	{
		char *s = repeat("=?utf-8?q?a?= ", 14 * 100000);

		decode(s, 14 * 100000, &out);
		assert_int_equal(out.len, 100000 + 1);	/* the last word's trailing space */
		assert_null(memchr(out.data, '=', out.len));
		free(s);
	}
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_charset),
		cmocka_unit_test(test_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
