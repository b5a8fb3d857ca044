/*
 * test_util_hostname.c - the node's own name: the configured one as
 * given, else the system's, always terminated even when cut.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "util/hostname.h"

/* test_configured - the configured name wins, cut to the buffer */
static void
test_configured(void **state)
{
	char out[16];

	hostname_pick("mx1.example.org", out, sizeof(out));
	assert_string_equal(out, "mx1.example.org");
	hostname_pick("a-rather-long-name.example.org", out, sizeof(out));
	assert_string_equal(out, "a-rather-long-n");
}

/* test_system - without one, gethostname()'s answer, or localhost when it has none */
static void
test_system(void **state)
{
	char out[256], sys[256] = "";

	hostname_pick(NULL, out, sizeof(out));
	if (gethostname(sys, sizeof(sys) - 1) != 0 || sys[0] == '\0')
		assert_string_equal(out, "localhost");
	else
		assert_string_equal(out, sys);
}

/* test_cut - a buffer smaller than the system's name still ends in a NUL */
static void
test_cut(void **state)
{
	char out[4];

	memset(out, 'x', sizeof(out));
	hostname_pick(NULL, out, sizeof(out));
	assert_true(memchr(out, '\0', sizeof(out)) != NULL);
	assert_true(out[0] != '\0');
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_configured),
		cmocka_unit_test(test_system),
		cmocka_unit_test(test_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
