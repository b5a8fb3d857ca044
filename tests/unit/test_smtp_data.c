/*
 * test_smtp_data.c - DATA dot-unstuffing, table-driven. Every input is fed
 * whole, one byte at a time, and split in two at every position; all must
 * give the same message bytes and stop at the same place.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "smtp/smtp_data.h"

static const struct {
	const char *in;
	const char *want;	/* the message bytes */
	long used;		/* input taken; -1: all of it, no end seen */
} cases[] = {
	{ ".\r\n", "", 3 },
	{ "a\r\n.\r\n", "a\r\n", 6 },
	{ "a\r\n.\r\nMAIL FROM:<>\r\n", "a\r\n", 6 },
	{ "..a\r\n.\r\n", ".a\r\n", 8 },
	{ "a\r\n..\r\n.\r\n", "a\r\n.\r\n", 10 },
	{ "a.\r\n.b\r\n.\r\n", "a.\r\nb\r\n", 11 },
	{ "a\n.\n", "a\n", 4 },
	{ "a\r\n.\rb\r\n.\r\n", "a\r\n\rb\r\n", 11 },
	{ "a\r\n.x", "a\r\nx", -1 },
	{ "a\r\n.", "a\r\n", -1 },
	{ "a\r\n.\r", "a\r\n", -1 },
	{ "a\r.\r\n.\r\n", "a\r.\r\n", 8 },
	{ "\r\n.\r\n", "\r\n", 5 },
	{ "no end", "no end", -1 },
	{ "x\r\n...\r\n.\r\n", "x\r\n..\r\n", 11 },
};

/* feed - run input through in pieces of at most step bytes (0: split at cut) */
static size_t
feed(const char *in, size_t len, size_t step, size_t cut, char *out, size_t *outlen, bool *done)
{
	struct smtp_dot d;
	size_t off = 0, o = 0;
	char tmp[256];

	smtp_dot_init(&d);
	*done = false;
	while (off < len && !*done) {
		size_t n = step ? step : (off < cut ? cut - off : len - off), got;

		if (n > len - off)
			n = len - off;
		n = smtp_dot_feed(&d, in + off, n, tmp, &got, done);
		memcpy(out + o, tmp, got);
		o += got;
		off += n;
	}
	*outlen = o;
	return off;
}

static void
check_case(size_t i, size_t step, size_t cut, int *bad)
{
	size_t len = strlen(cases[i].in), used, outlen;
	size_t want_used = cases[i].used < 0 ? len : (size_t)cases[i].used;
	char out[256];
	bool done;

	used = feed(cases[i].in, len, step, cut, out, &outlen, &done);
	if (used != want_used || done != (cases[i].used >= 0) || outlen != strlen(cases[i].want) ||
	    memcmp(out, cases[i].want, outlen) != 0) {
		printf("case %zu step %zu cut %zu: got %zu bytes taken, done %d, \"%.*s\"; "
		    "want %zu taken, \"%s\"\n", i, step, cut, used, done, (int)outlen, out, want_used,
		    cases[i].want);
		(*bad)++;
	}
}

static void
test_table(void **state)
{
	int bad = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = strlen(cases[i].in);

		check_case(i, len ? len : 1, 0, &bad);
		check_case(i, 1, 0, &bad);
		for (size_t cut = 1; cut < len; cut++)
			check_case(i, 0, cut, &bad);
	}
	assert_int_equal(bad, 0);
}

/* test_after_end - once done, nothing more is taken */
static void
test_after_end(void **state)
{
	struct smtp_dot d;
	char out[16];
	size_t n;
	bool done;

	smtp_dot_init(&d);
	assert_int_equal(smtp_dot_feed(&d, ".\r\n", 3, out, &n, &done), 3);
	assert_true(done);
	assert_int_equal(smtp_dot_feed(&d, "abc", 3, out, &n, &done), 0);
	assert_true(done);
	assert_int_equal(n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_after_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
