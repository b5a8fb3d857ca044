/*
 * test_imap_seqset.c - sequence sets: parsing with "*" resolved, merging,
 * membership, counting, iteration and formatting, table-driven; PARTIAL
 * ranges (RFC 9394): parsing, the window they select and slicing a set.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "imapsyn/imap_seqset.h"
#include "util/buf.h"

static const struct {
	const char *in;
	uint32_t max;
	const char *want;	/* the set formatted, or "!" for -1, "$" for SAVED */
} cases[] = {
	{ "1", 10, "1" },
	{ "1:*", 10, "1:10" },
	{ "*:1", 10, "1:10" },
	{ "*", 10, "10" },
	{ "5:3", 10, "3:5" },
	{ "1:*,5,7:9", 10, "1:10" },
	{ "7:9,1,3", 100, "1,3,7:9" },
	{ "1,2,3,5,6,8", 100, "1:3,5:6,8" },
	{ "2:4,3:8,10:12,9", 100, "2:12" },
	{ "4294967295", 1, "4294967295" },
	{ "1:4294967295", 1, "1:4294967295" },
	{ "4294967294:*", 4294967295u, "4294967294:4294967295" },
	{ "*", 0, "" },
	{ "1:*", 0, "1" },
	{ "20:*", 5, "5:20" },
	{ "$", 10, "!" },
	{ "0", 10, "!" },
	{ "0:5", 10, "!" },
	{ "01", 10, "!" },
	{ "4294967296", 10, "!" },
	{ "99999999999999999999", 10, "!" },
	{ "", 10, "!" },
	{ "1,", 10, "!" },
	{ ",1", 10, "!" },
	{ "1,,2", 10, "!" },
	{ "1:", 10, "!" },
	{ ":1", 10, "!" },
	{ "1:2:3", 10, "!" },
	{ "1 2", 10, "!" },
	{ "a", 10, "!" },
	{ "**", 10, "!" },
	{ "1:*$", 10, "!" },
};

/* test_parse - the table, with the parse reused across cases */
static void
test_parse(void **state)
{
	struct imap_seqset set = IMAP_SEQSET_INIT;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf got = BUF_INIT;
		int rc = imap_seqset_parse(cases[i].in, strlen(cases[i].in), cases[i].max, 0, &set);

		if (rc < 0)
			buf_puts(&got, "!");
		else
			imap_seqset_format(&set, &got);
		if (strcmp(buf_cstr(&got), cases[i].want) != 0)
			fail_msg("\"%s\" max %u: got \"%s\", want \"%s\"", cases[i].in, cases[i].max,
			    buf_cstr(&got), cases[i].want);
		if (rc < 0)
			assert_int_equal(set.n, 0);
		buf_free(&got);
	}
	imap_seqset_free(&set);
	assert_null(set.r);
}

/* test_saved - "$" only when SEARCHRES is on */
static void
test_saved(void **state)
{
	struct imap_seqset set = IMAP_SEQSET_INIT;

	assert_int_equal(imap_seqset_parse("$", 1, 5, IMAP_SEQSET_ALLOW_SAVED, &set),
	    IMAP_SEQSET_SAVED);
	assert_int_equal(set.n, 0);
	assert_int_equal(imap_seqset_parse("$,1", 3, 5, IMAP_SEQSET_ALLOW_SAVED, &set), -1);
	imap_seqset_free(&set);
}

/* test_membership - contains, count and iteration agree with a brute check */
static void
test_membership(void **state)
{
	struct imap_seqset set = IMAP_SEQSET_INIT;
	struct imap_seqset_iter it = IMAP_SEQSET_ITER_INIT;
	const char *in = "3,5:7,10:12,20";
	const uint32_t want[] = { 3, 5, 6, 7, 10, 11, 12, 20 };
	uint32_t v;
	size_t k = 0;

	assert_int_equal(imap_seqset_parse(in, strlen(in), 50, 0, &set), 0);
	assert_int_equal(imap_seqset_count(&set), 8);
	for (uint32_t x = 0; x < 25; x++) {
		bool in_want = false;

		for (size_t j = 0; j < 8; j++)
			in_want |= want[j] == x;
		if (imap_seqset_contains(&set, x) != in_want)
			fail_msg("contains %u: got %d, want %d", x, !in_want, in_want);
	}
	while (imap_seqset_next(&set, &it, &v)) {
		assert_true(k < 8);
		assert_int_equal(v, want[k++]);
	}
	assert_int_equal(k, 8);
	imap_seqset_free(&set);
}

/* test_iter_top - iteration ends cleanly at 4294967295 */
static void
test_iter_top(void **state)
{
	struct imap_seqset set = IMAP_SEQSET_INIT;
	struct imap_seqset_iter it = IMAP_SEQSET_ITER_INIT;
	uint32_t v;
	unsigned n = 0;

	imap_seqset_add(&set, 4294967294u, 4294967295u);
	while (imap_seqset_next(&set, &it, &v))
		n++;
	assert_int_equal(n, 2);
	assert_true(imap_seqset_contains(&set, 4294967295u));
	assert_int_equal(imap_seqset_count(&set), 2);
	imap_seqset_free(&set);
}

static const struct {
	uint32_t lo, hi;
	const char *want;	/* the set after this add */
} adds[] = {
	{ 10, 12, "10:12" },
	{ 20, 20, "10:12,20" },
	{ 1, 2, "1:2,10:12,20" },
	{ 13, 13, "1:2,10:13,20" },
	{ 5, 5, "1:2,5,10:13,20" },
	{ 4, 3, "1:5,10:13,20" },
	{ 15, 18, "1:5,10:13,15:18,20" },
	{ 14, 19, "1:5,10:20" },
	{ 7, 30, "1:5,7:30" },
	{ 6, 6, "1:30" },
	{ 0, 4294967295u, "0:4294967295" },
};

/* test_add - inserting keeps the set sorted and merged */
static void
test_add(void **state)
{
	struct imap_seqset set = IMAP_SEQSET_INIT;

	for (size_t i = 0; i < sizeof(adds) / sizeof(adds[0]); i++) {
		struct buf got = BUF_INIT;

		imap_seqset_add(&set, adds[i].lo, adds[i].hi);
		imap_seqset_format(&set, &got);
		if (strcmp(buf_cstr(&got), adds[i].want) != 0)
			fail_msg("add %u:%u: got \"%s\", want \"%s\"", adds[i].lo, adds[i].hi,
			    buf_cstr(&got), adds[i].want);
		buf_free(&got);
	}
	imap_seqset_free(&set);
}

/* PARTIAL ranges: the text, then the window of 10 results, as "lo-hi" or "!" for a syntax error */
static const struct {
	const char *in;
	const char *echo;
	uint64_t lo, hi;
} partials[] = {
	{ "1:3", "1:3", 0, 3 }, { "3:1", "1:3", 0, 3 }, { "-1:-3", "-1:-3", 7, 10 },
	{ "-3:-1", "-1:-3", 7, 10 }, { "9:20", "9:20", 8, 10 }, { "-8:-20", "-8:-20", 0, 3 },
	{ "11:20", "11:20", 0, 0 }, { "-11:-20", "-11:-20", 0, 0 }, { "10:10", "10:10", 9, 10 },
	{ "-10:-10", "-10:-10", 0, 1 }, { "1:4294967295", "1:4294967295", 0, 10 },
	{ "0:3", "!", 0, 0 }, { "1:*", "!", 0, 0 }, { "*:1", "!", 0, 0 }, { "-1:3", "!", 0, 0 },
	{ "1:-3", "!", 0, 0 }, { "1", "!", 0, 0 }, { "-1", "!", 0, 0 }, { "", "!", 0, 0 },
	{ "1:2:3", "!", 0, 0 }, { "--1:-2", "!", 0, 0 }, { "1:4294967296", "!", 0, 0 },
	{ "1,2", "!", 0, 0 }, { "-0:-1", "!", 0, 0 }, { "01:2", "!", 0, 0 },
};

static void
test_partial(void **state)
{
	for (size_t i = 0; i < sizeof(partials) / sizeof(partials[0]); i++) {
		struct imap_partial p;
		struct buf got = BUF_INIT;
		uint64_t lo, hi;
		int rc = imap_partial_parse(partials[i].in, strlen(partials[i].in), &p);

		if (strcmp(partials[i].echo, "!") == 0) {
			if (rc != -1)
				fail_msg("\"%s\" parsed", partials[i].in);
			continue;
		}
		if (rc != 0)
			fail_msg("\"%s\" refused", partials[i].in);
		imap_partial_format(&p, &got);
		imap_partial_window(&p, 10, &lo, &hi);
		if (strcmp(buf_cstr(&got), partials[i].echo) != 0 || lo != partials[i].lo || hi != partials[i].hi)
			fail_msg("\"%s\": \"%s\" [%llu, %llu)", partials[i].in, buf_cstr(&got),
			    (unsigned long long)lo, (unsigned long long)hi);
		imap_partial_window(&p, 0, &lo, &hi);
		assert_true(lo == 0 && hi == 0);
		buf_free(&got);
	}
}

static void
test_slice(void **state)
{
	static const struct { uint64_t lo, hi; const char *want; } slices[] = {
		{ 0, 3, "1:2,5" }, { 2, 5, "5,7:8" }, { 4, 9, "8,20:23" }, { 6, 6, "" }, { 0, 9, "1:2,5,7:8,20:23" },
		{ 8, 100, "23" }, { 9, 100, "" },
	};
	struct imap_seqset set = IMAP_SEQSET_INIT;

	assert_int_equal(imap_seqset_parse("1:2,5,7:8,20:23", 15, 0, 0, &set), 0);
	for (size_t i = 0; i < sizeof(slices) / sizeof(slices[0]); i++) {
		struct imap_seqset out = IMAP_SEQSET_INIT;
		struct buf got = BUF_INIT;

		imap_seqset_slice(&set, slices[i].lo, slices[i].hi, &out);
		imap_seqset_format(&out, &got);
		if (strcmp(buf_cstr(&got), slices[i].want) != 0)
			fail_msg("[%llu, %llu): \"%s\"", (unsigned long long)slices[i].lo,
			    (unsigned long long)slices[i].hi, buf_cstr(&got));
		buf_free(&got);
		imap_seqset_free(&out);
	}
	imap_seqset_free(&set);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_saved),
		cmocka_unit_test(test_membership),
		cmocka_unit_test(test_iter_top),
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_partial),
		cmocka_unit_test(test_slice),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
