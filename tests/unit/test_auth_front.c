/*
 * test_auth_front.c - the SASL steps of auth's front door up to the
 * login: mechanism names, the challenges, "=" and "*", and the responses
 * that do not decode. The steps that complete the credentials start a
 * login job on a connection; the protocol tests drive those.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "auth/auth_front.h"
#include "util/base64.h"

static const struct auth_front front = { .proto = "test" };

/* start - a fresh exchange of mech with ir (NULL: none) */
static int
start(struct auth_sasl *x, enum auth_mech mech, const char *ir, const char **challenge_r)
{
	auth_sasl_init(x, &front, NULL, NULL);
	return auth_sasl_start(x, mech, ir, ir != NULL ? strlen(ir) : 0, challenge_r);
}

static void
test_mech_find(void **state)
{
	(void)state;
	assert_int_equal(auth_mech_find("PLAIN", 5), AUTH_MECH_PLAIN);
	assert_int_equal(auth_mech_find("plain", 5), AUTH_MECH_PLAIN);
	assert_int_equal(auth_mech_find("Login", 5), AUTH_MECH_LOGIN);
	assert_int_equal(auth_mech_find("PLAINX", 6), AUTH_MECH_NONE);
	assert_int_equal(auth_mech_find("PLAIN", 4), AUTH_MECH_NONE);
	assert_int_equal(auth_mech_find("CRAM-MD5", 8), AUTH_MECH_NONE);
}

static void
test_challenges(void **state)
{
	struct auth_sasl x;
	const char *ch = NULL;

	(void)state;
	assert_int_equal(start(&x, AUTH_MECH_PLAIN, NULL, &ch), AUTH_SASL_MORE);
	assert_string_equal(ch, "");
	assert_true(x.more);
	assert_int_equal(start(&x, AUTH_MECH_LOGIN, NULL, &ch), AUTH_SASL_MORE);
	assert_string_equal(ch, "VXNlcm5hbWU6");
	/* the user name on a line, then in an initial response */
	assert_int_equal(auth_sasl_line(&x, "dGlt", 4, &ch), AUTH_SASL_MORE);
	assert_string_equal(ch, AUTH_SASL_PASSWORD);
	assert_true(x.have_user);
	assert_string_equal(x.user, "tim");
	assert_int_equal(start(&x, AUTH_MECH_LOGIN, "dGlt", &ch), AUTH_SASL_MORE);
	assert_string_equal(ch, AUTH_SASL_PASSWORD);
	assert_true(x.more);
}

static void
test_cancel_and_errors(void **state)
{
	struct auth_sasl x;
	const char *ch = NULL;

	(void)state;
	start(&x, AUTH_MECH_LOGIN, "dGlt", &ch);
	assert_int_equal(auth_sasl_line(&x, "*", 1, &ch), AUTH_SASL_CANCEL);
	assert_false(x.more);
	assert_false(x.have_user);
	assert_string_equal(x.user, "");
	/* "*" is a cancel only on a line; as an initial response it is bad base64 */
	assert_int_equal(start(&x, AUTH_MECH_PLAIN, "*", &ch), SASL_EBASE64);
	assert_false(x.more);
	assert_int_equal(x.mech, AUTH_MECH_PLAIN);
	/* "=" is an empty response: no PLAIN message, no LOGIN user name */
	assert_int_equal(start(&x, AUTH_MECH_PLAIN, "=", &ch), SASL_ESYNTAX);
	assert_int_equal(start(&x, AUTH_MECH_LOGIN, "=", &ch), SASL_ESYNTAX);
	start(&x, AUTH_MECH_PLAIN, NULL, &ch);
	assert_int_equal(auth_sasl_line(&x, "AHRpbQ==", 8, &ch), SASL_ESYNTAX);	/* \0tim */
	assert_int_equal(start(&x, AUTH_MECH_PLAIN, "YQB0aW0AcHc=", &ch), SASL_EAUTHZ);
}

static void
test_user_too_long(void **state)
{
	char raw[SASL_ID_MAX + 1], b64[4 * (SASL_ID_MAX + 3) / 3 + 1];
	struct auth_sasl x;
	const char *ch = NULL;

	(void)state;
	/* a user name over SASL_ID_MAX is a decoding error, not a login */
	memset(raw, 'u', sizeof(raw));
	base64_encode(raw, sizeof(raw), b64);
	assert_int_equal(start(&x, AUTH_MECH_LOGIN, b64, &ch), SASL_ETOOLONG);
	assert_false(x.have_user);
	base64_encode(raw, sizeof(raw) - 1, b64);
	assert_int_equal(start(&x, AUTH_MECH_LOGIN, b64, &ch), AUTH_SASL_MORE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mech_find),
		cmocka_unit_test(test_challenges),
		cmocka_unit_test(test_cancel_and_errors),
		cmocka_unit_test(test_user_too_long),
	};

	return cmocka_run_group_tests_name("auth_front", tests, NULL, NULL);
}
