/*
 * test_imap_utf7.c - modified UTF-7 both ways: the RFC examples, round
 * trips of awkward names, and every kind of invalid input refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "imapsyn/imap_utf7.h"
#include "util/buf.h"

static const struct {
	const char *utf8;
	const char *utf7;
} pairs[] = {
	{ "", "" },
	{ "INBOX", "INBOX" },
	{ "&", "&-" },
	{ "a&b&&", "a&-b&-&-" },
	{ "~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
	  "~peter/mail/&U,BTFw-/&ZeVnLIqe-" },
	{ "Entw\xc3\xbc" "rfe", "Entw&APw-rfe" },
	{ "\xc3\xa9", "&AOk-" },
	{ "\xc3\xa9\xc3\xa9", "&AOkA6Q-" },
	{ "\xc3\xa9\xc3\xa9\xc3\xa9", "&AOkA6QDp-" },
	{ "\xf0\x9f\x98\x80", "&2D3eAA-" },
	{ "a\tb", "a&AAk-b" },
	{ "\x7f", "&AH8-" },
	{ "\xef\xbf\xbd&", "&,,0-&-" },
	{ "x\xc3\xa9&\xc3\xa9", "x&AOk-&-&AOk-" },
};

static const char *const bad_utf7[] = {
	"&", "&AOk", "a&AOkx", "&A-", "&AO-", "&AOl-", "&AOkA-", "&AGE-", "&ACY-", "&AAA-",
	"&2D0-", "&3gA-", "&2D3YPQ-", "&AOk-&AOk-", "&*-", "&AO/-", "caf\xc3\xa9", "a\tb",
	"a\x7f", "&&-",
};

static const char *const bad_utf8[] = {
	"\xc3", "\xc3(", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
	"\xf8\x88\x80\x80\x80", "\x80", "\xff",
};

/* test_pairs - both directions, and each output decodes back */
static void
test_pairs(void **state)
{
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		struct buf a = BUF_INIT, b = BUF_INIT;

		assert_int_equal(imap_utf8_to_utf7(pairs[i].utf8, strlen(pairs[i].utf8), &a), 0);
		if (strcmp(buf_cstr(&a), pairs[i].utf7) != 0)
			fail_msg("encode %zu: got \"%s\", want \"%s\"", i, buf_cstr(&a), pairs[i].utf7);
		assert_int_equal(imap_utf7_to_utf8(pairs[i].utf7, strlen(pairs[i].utf7), &b), 0);
		if (strcmp(buf_cstr(&b), pairs[i].utf8) != 0)
			fail_msg("decode \"%s\": got \"%s\", want \"%s\"", pairs[i].utf7, buf_cstr(&b),
			    pairs[i].utf8);
		buf_free(&a);
		buf_free(&b);
	}
}

/* test_long_run - a long run of non-ASCII crosses the encoder's flush */
static void
test_long_run(void **state)
{
	struct buf in = BUF_INIT, enc = BUF_INIT, dec = BUF_INIT;

	for (int i = 0; i < 300; i++)
		buf_puts(&in, i % 7 ? "\xe6\x97\xa5" : "\xf0\x9f\x98\x80");
	assert_int_equal(imap_utf8_to_utf7(in.data, in.len, &enc), 0);
	assert_int_equal(enc.data[0], '&');
	assert_null(memchr(enc.data + 1, '&', enc.len - 1));
	assert_int_equal(imap_utf7_to_utf8(enc.data, enc.len, &dec), 0);
	assert_int_equal(dec.len, in.len);
	assert_memory_equal(dec.data, in.data, in.len);
	buf_free(&in);
	buf_free(&enc);
	buf_free(&dec);
}

/* test_bad - invalid input in either direction is refused */
static void
test_bad(void **state)
{
	for (size_t i = 0; i < sizeof(bad_utf7) / sizeof(bad_utf7[0]); i++) {
		struct buf out = BUF_INIT;

		if (imap_utf7_to_utf8(bad_utf7[i], strlen(bad_utf7[i]), &out) != -1)
			fail_msg("decode \"%s\": got \"%s\", want -1", bad_utf7[i], buf_cstr(&out));
		buf_free(&out);
	}
	for (size_t i = 0; i < sizeof(bad_utf8) / sizeof(bad_utf8[0]); i++) {
		struct buf out = BUF_INIT;

		if (imap_utf8_to_utf7(bad_utf8[i], strlen(bad_utf8[i]), &out) != -1)
			fail_msg("encode bad utf8 %zu: got \"%s\", want -1", i, buf_cstr(&out));
		assert_int_equal(imap_utf8_valid(bad_utf8[i], strlen(bad_utf8[i])), -1);
		buf_free(&out);
	}
	assert_int_equal(imap_utf8_valid("a\0b", 3), -1);
	assert_int_equal(imap_utf8_valid("\xe6\x97\xa5", 3), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pairs),
		cmocka_unit_test(test_long_run),
		cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
