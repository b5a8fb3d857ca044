/*
 * test_mime_decode.c - the Content-Transfer-Encoding decoders BINARY uses:
 * base64 and quoted-printable from RFC 2045's rules, lenient decoding of
 * broken input, every byte value round-tripping, and the CTE names.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "mime/mime.h"
#include "util/base64.h"
#include "util/buf.h"

struct dcase {
	const char *cte;
	const char *in;
	const char *want;
	size_t want_len;
};

#define S(x)	x, sizeof(x) - 1

static const struct dcase cases[] = {
	{ "base64", "", S("") },
	{ "base64", "TWFu", S("Man") },
	{ "base64", "TWE=", S("Ma") },
	{ "base64", "TQ==", S("M") },
	{ "base64", "TW\r\nFu\r\n", S("Man") },
	{ "base64", "T!W*F u", S("Man") },		/* invalid characters skipped */
	{ "base64", "TQ==TWFu", S("MMan") },		/* padding ends a quantum */
	{ "base64", "TWF", S("Ma") },			/* a short tail keeps whole bytes */
	{ "base64", "AAEC/w==", S("\x00\x01\x02\xff") },
	{ " Base64 ; x", "TWFu", S("Man") },
	{ "quoted-printable", "", S("") },
	{ "quoted-printable", "a=3Db", S("a=b") },
	{ "quoted-printable", "caf=C3=a9", S("caf\xc3\xa9") },
	{ "quoted-printable", "soft=\r\nbreak", S("softbreak") },
	{ "quoted-printable", "soft= \t\r\nbreak", S("softbreak") },
	{ "quoted-printable", "one  \r\ntwo\r\n", S("one\r\ntwo\r\n") },
	{ "quoted-printable", "bare\nlf", S("bare\nlf") },
	{ "quoted-printable", "a=ZZb=4", S("a=ZZb=4") },	/* a bad escape is kept */
	{ "quoted-printable", "end=", S("end") },
	{ "quoted-printable", "=00=FF", S("\x00\xff") },
	{ "QUOTED-PRINTABLE", "x=20", S("x ") },
	{ "7bit", "a=3D\r\n", S("a=3D\r\n") },
	{ "8bit", "\xc3\xa9", S("\xc3\xa9") },
	{ "binary", "TWFu", S("TWFu") },
	{ "", "TWFu", S("TWFu") },
	{ "7bit (comment)", "x", S("x") },
};

/* test_cases - each input decodes to exactly its expected bytes */
static void
test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct dcase *c = &cases[i];
		struct buf out = BUF_INIT;

		assert_int_equal(mime_decode(c->cte, strlen(c->cte), c->in, strlen(c->in), &out), 0);
		if (out.len != c->want_len || memcmp(out.data ? out.data : "", c->want, out.len) != 0)
			fail_msg("case %zu (%s \"%s\"): got %zu bytes \"%.*s\", want %zu bytes", i,
			    c->cte, c->in, out.len, (int)out.len, out.data ? out.data : "",
			    c->want_len);
		assert_true(out.len <= strlen(c->in));
		buf_free(&out);
	}
}

/* test_unknown - an encoding we cannot undo is refused and appends nothing */
static void
test_unknown(void **state)
{
	static const char *const names[] = { "x-uuencode", "base", "base64x", "7-bit", "gzip" };

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct buf out = BUF_INIT;

		if (mime_decode(names[i], strlen(names[i]), "abc", 3, &out) != -1)
			fail_msg("\"%s\": got 0, want -1", names[i]);
		assert_int_equal(out.len, 0);
		buf_free(&out);
	}
}

/* test_all_bytes - every byte value survives base64 and QP escapes */
static void
test_all_bytes(void **state)
{
	unsigned char raw[256];
	char enc[4 * 86 + 1];
	struct buf b64 = BUF_INIT, qp = BUF_INIT, out = BUF_INIT;

	(void)state;
	for (int i = 0; i < 256; i++)
		raw[i] = (unsigned char)i;
	base64_encode(raw, sizeof(raw), enc);
	for (size_t i = 0; enc[i]; i++)	/* with line breaks, as in mail */
		buf_printf(&b64, "%c%s", enc[i], i % 76 == 75 ? "\r\n" : "");
	for (int i = 0; i < 256; i++)
		buf_printf(&qp, "=%02X%s", i, i % 20 == 19 ? "=\r\n" : "");
	mime_decode_base64(b64.data, b64.len, &out);
	assert_int_equal(out.len, 256);
	assert_memory_equal(out.data, raw, 256);
	buf_reset(&out);
	mime_decode_qp(qp.data, qp.len, &out);
	assert_int_equal(out.len, 256);
	assert_memory_equal(out.data, raw, 256);
	buf_free(&b64);
	buf_free(&qp);
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_all_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
