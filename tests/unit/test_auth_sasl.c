/*
 * test_auth_sasl.c - strict base64 and the SASL PLAIN and LOGIN decoders:
 * the RFC 4616 examples, authzid rules, field limits, NULs and bad base64,
 * table-driven, each failure reporting got and want.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "auth/sasl.h"
#include "util/base64.h"

struct b64_case {
	const char *in;
	int want_rc;
	const char *want;	/* decoded bytes */
	size_t want_len;
	size_t inlen;		/* 0: strlen(in) */
};

static const struct b64_case b64_cases[] = {
	/* RFC 4648 section 10 */
	{ "", SASL_OK, "", 0, 0 },
	{ "Zg==", SASL_OK, "f", 1, 0 },
	{ "Zm8=", SASL_OK, "fo", 2, 0 },
	{ "Zm9v", SASL_OK, "foo", 3, 0 },
	{ "Zm9vYg==", SASL_OK, "foob", 4, 0 },
	{ "Zm9vYmE=", SASL_OK, "fooba", 5, 0 },
	{ "Zm9vYmFy", SASL_OK, "foobar", 6, 0 },
	{ "AGEAYg==", SASL_OK, "\0a\0b", 4, 0 },
	{ "+/+/", SASL_OK, "\xfb\xff\xbf", 3, 0 },
	/* strictness */
	{ "Zg", SASL_EBASE64, NULL, 0, 0 },		/* no padding */
	{ "Zg=", SASL_EBASE64, NULL, 0, 0 },
	{ "Zh==", SASL_EBASE64, NULL, 0, 0 },		/* non-zero pad bits */
	{ "Zm9=", SASL_EBASE64, NULL, 0, 0 },
	{ "Z===", SASL_EBASE64, NULL, 0, 0 },
	{ "====", SASL_EBASE64, NULL, 0, 0 },
	{ "Zg==Zg==", SASL_EBASE64, NULL, 0, 0 },	/* padding mid-stream */
	{ "Zm 9v", SASL_EBASE64, NULL, 0, 0 },
	{ "Zm9v\r\n", SASL_EBASE64, NULL, 0, 0 },
	{ "Zm-_", SASL_EBASE64, NULL, 0, 0 },		/* base64url is not base64 */
	{ "Zm=v", SASL_EBASE64, NULL, 0, 0 },
	{ "Zm9v\0\0\0\0", SASL_EBASE64, NULL, 0, 8 },	/* NULs */
};

static void
test_b64_decode(void **state)
{
	for (size_t i = 0; i < sizeof(b64_cases) / sizeof(b64_cases[0]); i++) {
		const struct b64_case *c = &b64_cases[i];
		size_t inlen = c->inlen ? c->inlen : strlen(c->in);
		unsigned char out[64];
		size_t n;
		int rc = sasl_b64_decode(c->in, inlen, out, sizeof(out), &n);

		if (rc != c->want_rc)
			fail_msg("case %zu %s: got rc %d, want %d", i, c->in, rc, c->want_rc);
		if (rc == SASL_OK && (n != c->want_len || memcmp(out, c->want, n) != 0))
			fail_msg("case %zu %s: got %zu bytes, want %zu", i, c->in, n, c->want_len);
	}
}

static void
test_b64_roundtrip_and_bound(void **state)
{
	unsigned char in[256], out[256];
	char enc[400];
	size_t n;

	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i * 7 + 3);
	for (size_t len = 0; len <= sizeof(in); len++) {
		base64_encode(in, len, enc);
		assert_int_equal(strlen(enc), 4 * ((len + 2) / 3));
		if (sasl_b64_decode(enc, strlen(enc), out, sizeof(out), &n) != SASL_OK || n != len ||
		    memcmp(in, out, len) != 0)
			fail_msg("round trip of %zu bytes: got %zu", len, n);
	}
	/* the output bound is enforced, not overrun */
	assert_int_equal(sasl_b64_decode("Zm9vYmFy", 8, out, 5, &n), SASL_ETOOLONG);
	assert_int_equal(sasl_b64_decode("Zm9vYmFy", 8, out, 6, &n), SASL_OK);
}

struct plain_case {
	const char *msg;	/* raw PLAIN message, '|' standing for NUL */
	int want_rc;
	const char *authzid, *authcid, *passwd;
};

static const struct plain_case plain_cases[] = {
	/* RFC 4616 section 4 */
	{ "|tim|tanstaaftanstaaf", SASL_OK, "", "tim", "tanstaaftanstaaf" },
	{ "Ursel|Kurt|xipj3plmq", SASL_EAUTHZ, NULL, NULL, NULL },
	{ "tim|tim|pw", SASL_OK, "tim", "tim", "pw" },
	{ "|tomo@sample.com|pass word", SASL_OK, "", "tomo@sample.com", "pass word" },
	{ "|tim|", SASL_OK, "", "tim", "" },
	{ "||pw", SASL_ESYNTAX, NULL, NULL, NULL },		/* empty authcid */
	{ "tim|pw", SASL_ESYNTAX, NULL, NULL, NULL },		/* one NUL */
	{ "timpw", SASL_ESYNTAX, NULL, NULL, NULL },
	{ "|tim|pw|x", SASL_ESYNTAX, NULL, NULL, NULL },	/* three NULs */
	{ "", SASL_ESYNTAX, NULL, NULL, NULL },
};

static void
test_plain(void **state)
{
	for (size_t i = 0; i < sizeof(plain_cases) / sizeof(plain_cases[0]); i++) {
		const struct plain_case *c = &plain_cases[i];
		unsigned char raw[128];
		char b64[200];
		struct sasl_creds cr;
		size_t len = strlen(c->msg);
		int rc;

		memcpy(raw, c->msg, len);
		for (size_t j = 0; j < len; j++)
			if (raw[j] == '|')
				raw[j] = '\0';
		base64_encode(raw, len, b64);
		rc = sasl_plain_decode(b64, strlen(b64), &cr);
		if (rc != c->want_rc)
			fail_msg("case %zu \"%s\": got %d (%s), want %d", i, c->msg, rc,
			    sasl_strerror(rc), c->want_rc);
		if (rc != SASL_OK)
			continue;
		if (strcmp(cr.authzid, c->authzid) || strcmp(cr.authcid, c->authcid) ||
		    strcmp(cr.passwd, c->passwd))
			fail_msg("case %zu: got [%s][%s][%s], want [%s][%s][%s]", i, cr.authzid,
			    cr.authcid, cr.passwd, c->authzid, c->authcid, c->passwd);
		sasl_creds_clear(&cr);
		assert_int_equal(cr.passwd[0], 0);
	}
	/* base64 errors come through */
	{
		struct sasl_creds cr;

		assert_int_equal(sasl_plain_decode("AHRpbQB0YW5zdGFhZnRhbnN0YWFm=", 29, &cr),
		    SASL_EBASE64);
		assert_int_equal(sasl_plain_decode("!!!!", 4, &cr), SASL_EBASE64);
	}
}

static void
test_plain_limits(void **state)
{
	static unsigned char raw[4000];
	static char b64[6000];
	struct sasl_creds cr;
	size_t n;

	/* the longest password fits, one more byte does not */
	raw[0] = '\0';
	memcpy(raw + 1, "u", 1);
	raw[2] = '\0';
	memset(raw + 3, 'p', PASSWD_MAX);
	n = 3 + PASSWD_MAX;
	base64_encode(raw, n, b64);
	assert_int_equal(sasl_plain_decode(b64, strlen(b64), &cr), SASL_OK);
	assert_int_equal(strlen(cr.passwd), PASSWD_MAX);
	raw[n] = 'p';
	base64_encode(raw, n + 1, b64);
	assert_int_equal(sasl_plain_decode(b64, strlen(b64), &cr), SASL_ETOOLONG);
	/* an overlong user name */
	raw[0] = '\0';
	memset(raw + 1, 'u', SASL_ID_MAX + 1);
	raw[SASL_ID_MAX + 2] = '\0';
	raw[SASL_ID_MAX + 3] = 'p';
	base64_encode(raw, SASL_ID_MAX + 4, b64);
	assert_int_equal(sasl_plain_decode(b64, strlen(b64), &cr), SASL_ETOOLONG);
	/* far too long overall: refused before any copy */
	memset(raw, 'a', sizeof(raw));
	base64_encode(raw, sizeof(raw), b64);
	assert_int_equal(sasl_plain_decode(b64, strlen(b64), &cr), SASL_ETOOLONG);
}

static void
test_login(void **state)
{
	char out[16];

	assert_int_equal(sasl_login_decode("dGlt", 4, out, sizeof(out)), SASL_OK);
	assert_string_equal(out, "tim");
	assert_int_equal(sasl_login_decode("", 0, out, sizeof(out)), SASL_OK);
	assert_string_equal(out, "");
	assert_int_equal(sasl_login_decode("dABt", 4, out, sizeof(out)), SASL_ESYNTAX);	/* NUL */
	assert_int_equal(sasl_login_decode("dGlt=", 5, out, sizeof(out)), SASL_EBASE64);
	/* 15 bytes fit in 16 with the NUL; 16 do not */
	assert_int_equal(sasl_login_decode("YWFhYWFhYWFhYWFhYWFh", 20, out, sizeof(out)), SASL_OK);
	assert_int_equal(sasl_login_decode("YWFhYWFhYWFhYWFhYWFhYQ==", 24, out, sizeof(out)),
	    SASL_ETOOLONG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_b64_decode),
		cmocka_unit_test(test_b64_roundtrip_and_bound),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_plain_limits),
		cmocka_unit_test(test_login),
	};

	return cmocka_run_group_tests_name("auth_sasl", tests, NULL, NULL);
}
