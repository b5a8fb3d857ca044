/*
 * test_imap_date.c - APPEND date-time and SEARCH date parsing, and the
 * INTERNALDATE format, against known unix times.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "imapsyn/imap_date.h"
#include "util/buf.h"

#define BAD INT64_MIN

static const struct {
	const char *in;
	int64_t want;		/* unix time, or BAD */
	int tz;
} datetimes[] = {
	{ "17-Jul-1996 02:44:25 -0700", 837596665, -420 },
	{ " 7-Feb-1994 21:52:25 -0800", 760686745, -480 },
	{ "07-Feb-1994 21:52:25 -0800", 760686745, -480 },
	{ "7-feb-1994 21:52:25 -0800", 760686745, -480 },
	{ "01-Jan-1970 00:00:00 +0000", 0, 0 },
	{ "01-Jan-1970 05:30:00 +0530", 0, 330 },
	{ "31-Dec-1969 23:59:59 +0000", -1, 0 },
	{ "29-Feb-2000 12:00:00 +0000", 951825600, 0 },
	{ "31-Dec-2099 23:59:60 +0000", 4102444799, 0 },
	{ "29-Feb-1900 12:00:00 +0000", BAD, 0 },
	{ "30-Feb-2000 12:00:00 +0000", BAD, 0 },
	{ "00-Jan-2000 12:00:00 +0000", BAD, 0 },
	{ "17-Jly-1996 02:44:25 -0700", BAD, 0 },
	{ "17-Jul-96 02:44:25 -0700", BAD, 0 },
	{ "17-Jul-1996 24:00:00 -0700", BAD, 0 },
	{ "17-Jul-1996 02:60:25 -0700", BAD, 0 },
	{ "17-Jul-1996 02:44:61 -0700", BAD, 0 },
	{ "17-Jul-1996 02:44:25 -0760", BAD, 0 },
	{ "17-Jul-1996 02:44:25 0700", BAD, 0 },
	{ "17-Jul-1996 02:44:25 -070", BAD, 0 },
	{ "17-Jul-1996 02:44:25 -0700 ", BAD, 0 },
	{ "17-Jul-1996 2:44:25 -0700", BAD, 0 },
	{ "17-Jul-1996  02:44:25 -0700", BAD, 0 },
	{ "117-Jul-1996 02:44:25 -0700", BAD, 0 },
	{ "  7-Jul-1996 02:44:25 -0700", BAD, 0 },
	{ " 17-Jul-1996 02:44:25 -0700", BAD, 0 },
	{ "17-Jul-1996", BAD, 0 },
	{ "", BAD, 0 },
};

static const struct {
	const char *in;
	int64_t want;
} dates[] = {
	{ "1-Feb-1994", 760060800 },
	{ "01-Feb-1994", 760060800 },
	{ "1-FEB-1994", 760060800 },
	{ "29-Feb-2024", 1709164800 },
	{ "1-Jan-1900", -2208988800 },
	{ "29-Feb-2023", BAD },
	{ "1-Feb-94", BAD },
	{ "001-Feb-1994", BAD },
	{ " 1-Feb-1994", BAD },
	{ "1-Feb-1994 ", BAD },
	{ "1-Febr-1994", BAD },
	{ "1 Feb 1994", BAD },
	{ "32-Jan-1994", BAD },
	{ "-Jan-1994", BAD },
};

/* test_datetime - APPEND date-time */
static void
test_datetime(void **state)
{
	for (size_t i = 0; i < sizeof(datetimes) / sizeof(datetimes[0]); i++) {
		int64_t t = BAD;
		int tz = 0;
		int rc = imap_date_parse_datetime(datetimes[i].in, strlen(datetimes[i].in), &t, &tz);

		if (rc < 0)
			t = BAD;
		if (t != datetimes[i].want || (rc == 0 && tz != datetimes[i].tz))
			fail_msg("\"%s\": got %lld tz %d, want %lld tz %d", datetimes[i].in,
			    (long long)t, tz, (long long)datetimes[i].want, datetimes[i].tz);
	}
}

/* test_date - SEARCH date */
static void
test_date(void **state)
{
	for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		int64_t t = BAD;

		if (imap_date_parse_date(dates[i].in, strlen(dates[i].in), &t) < 0)
			t = BAD;
		if (t != dates[i].want)
			fail_msg("\"%s\": got %lld, want %lld", dates[i].in, (long long)t,
			    (long long)dates[i].want);
	}
}

static const struct {
	int64_t t;
	int tz;
	const char *want;
} formats[] = {
	{ 837596665, -420, "\"17-Jul-1996 02:44:25 -0700\"" },
	{ 760686745, -480, "\" 7-Feb-1994 21:52:25 -0800\"" },
	{ 0, 0, "\" 1-Jan-1970 00:00:00 +0000\"" },
	{ 0, 330, "\" 1-Jan-1970 05:30:00 +0530\"" },
	{ -1, 0, "\"31-Dec-1969 23:59:59 +0000\"" },
	{ 951825600, 60, "\"29-Feb-2000 13:00:00 +0100\"" },
};

/* test_format - INTERNALDATE, and it parses back to the same instant */
static void
test_format(void **state)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		struct buf got = BUF_INIT;
		int64_t back;
		int tz;

		imap_date_format(formats[i].t, formats[i].tz, &got);
		if (strcmp(buf_cstr(&got), formats[i].want) != 0)
			fail_msg("%lld %d: got %s, want %s", (long long)formats[i].t, formats[i].tz,
			    buf_cstr(&got), formats[i].want);
		assert_int_equal(imap_date_parse_datetime(got.data + 1, got.len - 2, &back, &tz), 0);
		assert_true(back == formats[i].t);
		assert_int_equal(tz, formats[i].tz);
		buf_free(&got);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_datetime),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
