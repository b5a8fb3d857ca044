/*
 * test_managesieve_parse.c - the ManageSieve command parser: every
 * command's arguments, quoted strings with their escapes, literals {n+}
 * and {n} (bytes kept as they are, a NUL included), numbers, case, and
 * the errors (unknown command, missing or extra arguments, bad escapes,
 * CR inside a quoted string, short literals, numbers over 32 bits); the
 * SASL response string; and the literal at a line's end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "managesieve/managesieve_parse.h"

/* parse - a copy of text (with room for the NUL) through ms_parse */
static int
parse(const char *text, size_t len, struct ms_cmd *cmd, char *copy)
{
	memcpy(copy, text, len);
	copy[len] = 'X';	/* the parser's NUL goes here, not past it */
	return ms_parse(copy, len, cmd);
}

#define P(t, cmd, copy) parse(t, sizeof(t) - 1, cmd, copy)

static void
test_commands(void **state)
{
	struct ms_cmd c;
	char b[256];

	assert_int_equal(P("capability\r\n", &c, b), 0);
	assert_int_equal(c.verb, MS_CAPABILITY);
	assert_int_equal(c.nargs, 0);
	assert_int_equal(P("LISTSCRIPTS", &c, b), 0);
	assert_int_equal(c.verb, MS_LISTSCRIPTS);
	assert_int_equal(P("AUTHENTICATE \"PLAIN\"\r\n", &c, b), 0);
	assert_int_equal(c.nargs, 1);
	assert_string_equal(c.arg[0].s, "PLAIN");
	assert_int_equal(P("Authenticate \"PLAIN\" \"AHQAcA==\"\r\n", &c, b), 0);
	assert_int_equal(c.nargs, 2);
	assert_string_equal(c.arg[1].s, "AHQAcA==");
	assert_int_equal(P("HAVESPACE \"a\" 4294967295\r\n", &c, b), 0);
	assert_int_equal(c.arg[1].num, 4294967295u);
	assert_int_equal(P("RENAMESCRIPT \"a\\\"b\" \"c\\\\d\"\r\n", &c, b), 0);
	assert_string_equal(c.arg[0].s, "a\"b");
	assert_string_equal(c.arg[1].s, "c\\d");
	assert_int_equal(P("NOOP\r\n", &c, b), 0);
	assert_int_equal(c.nargs, 0);
	assert_int_equal(P("NOOP \"tag\"\r\n", &c, b), 0);
	assert_int_equal(c.nargs, 1);
	assert_int_equal(P("SETACTIVE \"\"\r\n", &c, b), 0);
	assert_int_equal(c.arg[0].len, 0);
}

static void
test_literals(void **state)
{
	struct ms_cmd c;
	char b[256];

	assert_int_equal(P("PUTSCRIPT \"a\" {7+}\r\nkeep;\r\n\r\n", &c, b), 0);
	assert_int_equal(c.verb, MS_PUTSCRIPT);
	assert_int_equal(c.arg[1].len, 7);
	assert_memory_equal(c.arg[1].s, "keep;\r\n", 8);
	assert_int_equal(P("PUTSCRIPT {1}\r\na {3}\r\na\0b", &c, b), 0);
	assert_string_equal(c.arg[0].s, "a");
	assert_int_equal(c.arg[1].len, 3);
	assert_memory_equal(c.arg[1].s, "a\0b\0", 4);
	assert_int_equal(P("CHECKSCRIPT {0+}\r\n\r\n", &c, b), 0);
	assert_int_equal(c.arg[0].len, 0);
	assert_int_equal(P("CHECKSCRIPT {5+}\r\nabc", &c, b), MS_PARSE_ESYNTAX);
	assert_int_equal(P("CHECKSCRIPT {5+}abcde", &c, b), MS_PARSE_ESYNTAX);
	assert_int_equal(P("CHECKSCRIPT {99999999999+}\r\n", &c, b), MS_PARSE_ESYNTAX);
}

static void
test_errors(void **state)
{
	struct ms_cmd c;
	char b[4096];

	assert_int_equal(P("\r\n", &c, b), MS_PARSE_EEMPTY);
	assert_int_equal(P("FROB\r\n", &c, b), MS_PARSE_EUNKNOWN);
	assert_int_equal(P("LISTSCRIPTSX\r\n", &c, b), MS_PARSE_EUNKNOWN);
	assert_int_equal(P("GETSCRIPT\r\n", &c, b), MS_PARSE_ESYNTAX);
	assert_int_equal(P("GETSCRIPT a\r\n", &c, b), MS_PARSE_ESYNTAX);
	assert_int_equal(P("GETSCRIPT  \"a\"\r\n", &c, b), MS_PARSE_ESYNTAX);
	assert_int_equal(P("GETSCRIPT \"a\" \"b\"\r\n", &c, b), MS_PARSE_ESYNTAX);
	assert_int_equal(P("GETSCRIPT \"a\r\n", &c, b), MS_PARSE_ESYNTAX);
	assert_int_equal(P("GETSCRIPT \"a\rb\"\r\n", &c, b), MS_PARSE_ESYNTAX);
	assert_int_equal(P("GETSCRIPT \"a\\b\"\r\n", &c, b), MS_PARSE_ESYNTAX);
	assert_int_equal(P("LOGOUT \"x\"\r\n", &c, b), MS_PARSE_ESYNTAX);
	assert_int_equal(P("HAVESPACE \"a\" 4294967296\r\n", &c, b), MS_PARSE_ESYNTAX);
	assert_int_equal(P("HAVESPACE \"a\" x\r\n", &c, b), MS_PARSE_ESYNTAX);
	memset(b, 'a', sizeof(b));
	memcpy(b, "NOOP \"", 6);
	b[6 + MS_QUOTED_MAX + 1] = '"';
	assert_int_equal(ms_parse(b, 6 + MS_QUOTED_MAX + 2, &c), MS_PARSE_ESYNTAX);
}

static void
test_sasl_string(void **state)
{
	struct ms_arg a;
	char b[64];

	strcpy(b, "\"AHQAcA==\"\r\n");
	assert_int_equal(ms_parse_string(b, strlen(b), &a), 0);
	assert_string_equal(a.s, "AHQAcA==");
	strcpy(b, "{4+}\r\nabcd");
	assert_int_equal(ms_parse_string(b, strlen(b), &a), 0);
	assert_string_equal(a.s, "abcd");
	strcpy(b, "AHQAcA==");
	assert_int_equal(ms_parse_string(b, strlen(b), &a), MS_PARSE_ESYNTAX);
	strcpy(b, "\"a\" \"b\"");
	assert_int_equal(ms_parse_string(b, strlen(b), &a), MS_PARSE_ESYNTAX);
}

static void
test_literal_tail(void **state)
{
	uint64_t n = 0;

	assert_true(ms_literal_tail("PUTSCRIPT \"a\" {12+}", 19, &n));
	assert_int_equal(n, 12);
	assert_true(ms_literal_tail("{0}", 3, &n));
	assert_int_equal(n, 0);
	assert_false(ms_literal_tail("NOOP \"{1}\"", 10, &n));
	assert_false(ms_literal_tail("{}", 2, &n));
	assert_false(ms_literal_tail("{+}", 3, &n));
	assert_false(ms_literal_tail("x1}", 3, &n));
	assert_false(ms_literal_tail("{4294967296}", 12, &n));
	assert_true(ms_literal_tail("{4294967295}", 12, &n));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_literals),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_sasl_string),
		cmocka_unit_test(test_literal_tail),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
