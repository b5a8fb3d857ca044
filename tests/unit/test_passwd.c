/*
 * test_passwd.c - yescrypt hashing: hashes verify, differ per salt, never
 * contain the password; wrong, empty and disabled passwords fail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "auth/passwd.h"

static void
test_hash_verify(void **state)
{
	char h1[PASSWD_HASH_MAX], h2[PASSWD_HASH_MAX];

	assert_int_equal(passwd_hash("correct horse", h1), 0);
	assert_int_equal(passwd_hash("correct horse", h2), 0);
	assert_true(strncmp(h1, "$y$", 3) == 0);
	assert_string_not_equal(h1, h2);
	assert_null(strstr(h1, "correct"));
	assert_true(passwd_verify("correct horse", h1));
	assert_true(passwd_verify("correct horse", h2));
	assert_false(passwd_verify("correct horsE", h1));
	assert_false(passwd_verify("", h1));
	assert_false(passwd_verify("correct horse", PASSWD_DISABLED));
	assert_false(passwd_verify("correct horse", NULL));
	assert_false(passwd_verify("", NULL));
}

static void
test_too_long(void **state)
{
	char pw[PASSWD_MAX + 2], h[PASSWD_HASH_MAX];

	memset(pw, 'a', sizeof(pw) - 1);
	pw[sizeof(pw) - 1] = '\0';
	assert_int_equal(passwd_hash(pw, h), -1);
	assert_false(passwd_verify(pw, NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_verify),
		cmocka_unit_test(test_too_long),
	};

	return cmocka_run_group_tests_name("passwd", tests, NULL, NULL);
}
