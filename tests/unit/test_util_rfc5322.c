/*
 * test_util_rfc5322.c - the Date: header's date-time, in UTC and in a
 * fixed local zone on either side of UTC.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "util/rfc5322.h"

/* test_dates - each (time, zone) with the text it gives */
static void
test_dates(void **state)
{
	static const struct { time_t t; const char *tz; bool utc; const char *want; } cases[] = {
		{ 0, "JST-9", true, "Thu, 01 Jan 1970 00:00:00 +0000" },
		{ 0, "JST-9", false, "Thu, 01 Jan 1970 09:00:00 +0900" },
		{ 1795000000, "UTC0", false, "Wed, 18 Nov 2026 11:06:40 +0000" },
		{ 1795000000, "EST5", false, "Wed, 18 Nov 2026 06:06:40 -0500" },
		{ 1795000000, "EST5", true, "Wed, 18 Nov 2026 11:06:40 +0000" },
		{ 951782400, "UTC0", true, "Tue, 29 Feb 2000 00:00:00 +0000" },
	};
	char out[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		setenv("TZ", cases[i].tz, 1);
		tzset();
		rfc5322_date(cases[i].t, cases[i].utc, out, sizeof(out));
		if (strcmp(out, cases[i].want) != 0)
			fail_msg("%lld in %s%s: got '%s', want '%s'", (long long)cases[i].t,
			    cases[i].tz, cases[i].utc ? " as UTC" : "", out, cases[i].want);
	}
}

/* test_small - a buffer too small for the date gives "", never a cut date */
static void
test_small(void **state)
{
	char out[32] = "junk";

	setenv("TZ", "UTC0", 1);
	tzset();
	rfc5322_date(0, true, out, 31);
	assert_string_equal(out, "");
	rfc5322_date(0, true, out, sizeof(out));
	assert_string_equal(out, "Thu, 01 Jan 1970 00:00:00 +0000");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
