/*
 * test_imap_write.c - IMAP output syntax: quoted or literal strings, NIL,
 * atoms, flag lists and mailbox names in both session encodings.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "imap/imap_flags.h"
#include "imapsyn/imap_write.h"
#include "store/store.h"
#include "util/buf.h"

enum how { STRING, NSTRING, ASTRING, MBOX7, MBOX8 };

#define S(s) s, sizeof(s) - 1

static const struct {
	enum how how;
	const char *in;
	size_t len;
	const char *want;
	size_t want_len;
} cases[] = {
	{ STRING, S("hello"), S("\"hello\"") },
	{ STRING, S(""), S("\"\"") },
	{ STRING, S("a\"b\\c"), S("\"a\\\"b\\\\c\"") },
	{ STRING, S("tab\there"), S("\"tab\there\"") },
	{ STRING, S("two\r\nlines"), S("{10}\r\ntwo\r\nlines") },
	{ STRING, S("nul\0"), S("{4}\r\nnul\x80") },
	{ STRING, S("caf\xc3\xa9"), S("{5}\r\ncaf\xc3\xa9") },
	{ NSTRING, NULL, 0, S("NIL") },
	{ NSTRING, S("x"), S("\"x\"") },
	{ ASTRING, S("INBOX"), S("INBOX") },
	{ ASTRING, S("nil"), S("\"nil\"") },
	{ ASTRING, S(""), S("\"\"") },
	{ ASTRING, S("a b"), S("\"a b\"") },
	{ ASTRING, S("a*"), S("\"a*\"") },
	{ ASTRING, S("a]"), S("\"a]\"") },
	{ MBOX7, S("INBOX"), S("INBOX") },
	{ MBOX7, S("Entw\xc3\xbc" "rfe"), S("Entw&APw-rfe") },
	{ MBOX7, S("A & B"), S("\"A &- B\"") },
	{ MBOX7, S("bad\xc3"), S("!") },
	{ MBOX8, S("Entw\xc3\xbc" "rfe"), S("\"Entw\xc3\xbc" "rfe\"") },
	{ MBOX8, S("Sent"), S("Sent") },
	{ MBOX8, S("a\tb\x01"), S("{4}\r\na\tb\x01") },
	{ MBOX8, S("bad\xff"), S("!") },
};

/* test_strings - each writer against the table */
static void
test_strings(void **state)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf got = BUF_INIT;
		int rc = 0;

		switch (cases[i].how) {
		case STRING:
			imap_write_string(&got, cases[i].in, cases[i].len);
			break;
		case NSTRING:
			imap_write_nstring(&got, cases[i].in, cases[i].len);
			break;
		case ASTRING:
			imap_write_astring(&got, cases[i].in, cases[i].len);
			break;
		default:
			rc = imap_write_mailbox(&got, cases[i].in, cases[i].len,
			    cases[i].how == MBOX8);
			break;
		}
		if (rc < 0) {
			assert_int_equal(got.len, 0);
			buf_puts(&got, "!");
		}
		if (got.len != cases[i].want_len || memcmp(buf_cstr(&got), cases[i].want, got.len) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, buf_cstr(&got), cases[i].want);
		buf_free(&got);
	}
}

/* test_long - a string past the quoted maximum goes as a literal */
static void
test_long(void **state)
{
	char s[IMAP_WRITE_QUOTED_MAX + 1];
	struct buf got = BUF_INIT;

	memset(s, 'a', sizeof(s));
	imap_write_string(&got, s, sizeof(s) - 1);
	assert_int_equal(got.data[0], '"');
	buf_reset(&got);
	imap_write_string(&got, s, sizeof(s));
	assert_memory_equal(got.data, "{1025}\r\n", 8);
	assert_int_equal(got.len, sizeof(s) + 8);
	buf_reset(&got);
	imap_write_literal(&got, "ab", 2, true);
	assert_string_equal(buf_cstr(&got), "~{2}\r\nab");
	buf_free(&got);
}

static const struct {
	uint32_t flags;
	const char *keywords;
	const char *want;
} flag_cases[] = {
	{ 0, NULL, "()" },
	{ 0, "", "()" },
	{ STORE_F_SEEN, NULL, "(\\Seen)" },
	{ STORE_F_SEEN | STORE_F_ANSWERED | STORE_F_FLAGGED | STORE_F_DELETED | STORE_F_DRAFT,
	  NULL, "(\\Answered \\Flagged \\Deleted \\Seen \\Draft)" },
	{ STORE_F_DELETED, "$Forwarded Junk", "(\\Deleted $Forwarded Junk)" },
	{ 0, "$Label1", "($Label1)" },
	{ 0, " a  b ", "(a b)" },
	{ IMAP_F_RECENT, NULL, "(\\Recent)" },
	{ STORE_F_SEEN | IMAP_F_RECENT, "$Work", "(\\Seen \\Recent $Work)" },
};

/* test_flags - flag lists from store bits and keywords */
static void
test_flags(void **state)
{
	for (size_t i = 0; i < sizeof(flag_cases) / sizeof(flag_cases[0]); i++) {
		struct buf got = BUF_INIT;

		imap_write_flags(&got, flag_cases[i].flags, flag_cases[i].keywords);
		if (strcmp(buf_cstr(&got), flag_cases[i].want) != 0)
			fail_msg("flags %zu: got \"%s\", want \"%s\"", i, buf_cstr(&got),
			    flag_cases[i].want);
		buf_free(&got);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_flags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
