/*
 * test_pop3_parse.c - the POP3 command parser, table-driven: every verb,
 * case, spacing, argument counts and bounds, numbers, binary bytes; each
 * line is also parsed from a fresh copy of exactly its length, so a read
 * past the end shows under ASan.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pop3/pop3_parse.h"

struct pcase {
	const char *line;
	size_t len;		/* 0: strlen(line) */
	int want_rc;
	enum pop3_verb verb;
	unsigned nargs;
	uint32_t n, lines;
	const char *arg;	/* NULL: none expected */
	const char *initial;
};

static const struct pcase cases[] = {
	{ "CAPA", 0, POP3_PARSE_OK, POP3_CAPA, 0, 0, 0, NULL, NULL },
	{ "capa", 0, POP3_PARSE_OK, POP3_CAPA, 0, 0, 0, NULL, NULL },
	{ "CAPA ", 0, POP3_PARSE_OK, POP3_CAPA, 0, 0, 0, NULL, NULL },
	{ "CAPA x", 0, POP3_PARSE_ESYNTAX, POP3_CAPA, 0, 0, 0, NULL, NULL },
	{ "STLS", 0, POP3_PARSE_OK, POP3_STLS, 0, 0, 0, NULL, NULL },
	{ "QUIT", 0, POP3_PARSE_OK, POP3_QUIT, 0, 0, 0, NULL, NULL },
	{ "Quit", 0, POP3_PARSE_OK, POP3_QUIT, 0, 0, 0, NULL, NULL },
	{ "NOOP", 0, POP3_PARSE_OK, POP3_NOOP, 0, 0, 0, NULL, NULL },
	{ "RSET", 0, POP3_PARSE_OK, POP3_RSET, 0, 0, 0, NULL, NULL },
	{ "STAT", 0, POP3_PARSE_OK, POP3_STAT, 0, 0, 0, NULL, NULL },
	{ "USER tomo@sample.com", 0, POP3_PARSE_OK, POP3_USER, 0, 0, 0, "tomo@sample.com", NULL },
	{ "user  tomo", 0, POP3_PARSE_OK, POP3_USER, 0, 0, 0, "tomo", NULL },
	{ "USER", 0, POP3_PARSE_ESYNTAX, POP3_USER, 0, 0, 0, NULL, NULL },
	{ "USER a b", 0, POP3_PARSE_ESYNTAX, POP3_USER, 0, 0, 0, NULL, NULL },
	{ "PASS secret", 0, POP3_PARSE_OK, POP3_PASS, 0, 0, 0, "secret", NULL },
	{ "PASS  two  spaces ", 0, POP3_PARSE_OK, POP3_PASS, 0, 0, 0, " two  spaces ", NULL },
	{ "PASS tab\there", 0, POP3_PARSE_OK, POP3_PASS, 0, 0, 0, "tab\there", NULL },
	{ "PASS", 0, POP3_PARSE_ESYNTAX, POP3_PASS, 0, 0, 0, NULL, NULL },
	{ "PASS ", 0, POP3_PARSE_ESYNTAX, POP3_PASS, 0, 0, 0, NULL, NULL },
	{ "AUTH", 0, POP3_PARSE_OK, POP3_AUTH, 0, 0, 0, NULL, NULL },
	{ "AUTH PLAIN", 0, POP3_PARSE_OK, POP3_AUTH, 0, 0, 0, "PLAIN", NULL },
	{ "AUTH PLAIN AHRpbQB0YW5zdGFhZg==", 0, POP3_PARSE_OK, POP3_AUTH, 0, 0, 0, "PLAIN",
	  "AHRpbQB0YW5zdGFhZg==" },
	{ "AUTH PLAIN =", 0, POP3_PARSE_OK, POP3_AUTH, 0, 0, 0, "PLAIN", "=" },
	{ "AUTH PLAIN a b", 0, POP3_PARSE_ESYNTAX, POP3_AUTH, 0, 0, 0, NULL, NULL },
	{ "AUTH ABCDEFGHIJKLMNOPQRSTU", 0, POP3_PARSE_ESYNTAX, POP3_AUTH, 0, 0, 0, NULL, NULL },
	{ "LIST", 0, POP3_PARSE_OK, POP3_LIST, 0, 0, 0, NULL, NULL },
	{ "LIST 1", 0, POP3_PARSE_OK, POP3_LIST, 1, 1, 0, NULL, NULL },
	{ "LIST 4294967295", 0, POP3_PARSE_OK, POP3_LIST, 1, 4294967295u, 0, NULL, NULL },
	{ "LIST 4294967296", 0, POP3_PARSE_ESYNTAX, POP3_LIST, 0, 0, 0, NULL, NULL },
	{ "LIST 00000000001", 0, POP3_PARSE_ESYNTAX, POP3_LIST, 0, 0, 0, NULL, NULL },
	{ "LIST 1 2", 0, POP3_PARSE_ESYNTAX, POP3_LIST, 0, 0, 0, NULL, NULL },
	{ "LIST -1", 0, POP3_PARSE_ESYNTAX, POP3_LIST, 0, 0, 0, NULL, NULL },
	{ "LIST +1", 0, POP3_PARSE_ESYNTAX, POP3_LIST, 0, 0, 0, NULL, NULL },
	{ "LIST 1x", 0, POP3_PARSE_ESYNTAX, POP3_LIST, 0, 0, 0, NULL, NULL },
	{ "UIDL", 0, POP3_PARSE_OK, POP3_UIDL, 0, 0, 0, NULL, NULL },
	{ "uidl 7", 0, POP3_PARSE_OK, POP3_UIDL, 1, 7, 0, NULL, NULL },
	{ "RETR 3", 0, POP3_PARSE_OK, POP3_RETR, 1, 3, 0, NULL, NULL },
	{ "RETR 0", 0, POP3_PARSE_OK, POP3_RETR, 1, 0, 0, NULL, NULL },
	{ "RETR", 0, POP3_PARSE_ESYNTAX, POP3_RETR, 0, 0, 0, NULL, NULL },
	{ "RETR a", 0, POP3_PARSE_ESYNTAX, POP3_RETR, 0, 0, 0, NULL, NULL },
	{ "DELE 12", 0, POP3_PARSE_OK, POP3_DELE, 1, 12, 0, NULL, NULL },
	{ "DELE 1 2", 0, POP3_PARSE_ESYNTAX, POP3_DELE, 0, 0, 0, NULL, NULL },
	{ "TOP 1 0", 0, POP3_PARSE_OK, POP3_TOP, 2, 1, 0, NULL, NULL },
	{ "TOP 2 10", 0, POP3_PARSE_OK, POP3_TOP, 2, 2, 10, NULL, NULL },
	{ "TOP 2", 0, POP3_PARSE_ESYNTAX, POP3_TOP, 0, 0, 0, NULL, NULL },
	{ "TOP 2 3 4", 0, POP3_PARSE_ESYNTAX, POP3_TOP, 0, 0, 0, NULL, NULL },
	{ "RETR\t1", 0, POP3_PARSE_EUNKNOWN, POP3_NONE, 0, 0, 0, NULL, NULL },
	{ "RETR 1\t", 0, POP3_PARSE_ESYNTAX, POP3_RETR, 0, 0, 0, NULL, NULL },
	{ "", 0, POP3_PARSE_EEMPTY, POP3_NONE, 0, 0, 0, NULL, NULL },
	{ " ", 0, POP3_PARSE_EUNKNOWN, POP3_NONE, 0, 0, 0, NULL, NULL },
	{ "APOP tomo c4c9334bac560ecc979e58001b3e22fb", 0, POP3_PARSE_EUNKNOWN, POP3_NONE, 0, 0, 0,
	  NULL, NULL },
	{ "RETRX 1", 0, POP3_PARSE_EUNKNOWN, POP3_NONE, 0, 0, 0, NULL, NULL },
	{ "RET 1", 0, POP3_PARSE_EUNKNOWN, POP3_NONE, 0, 0, 0, NULL, NULL },
	{ "STAT\0", 5, POP3_PARSE_EBINARY, POP3_NONE, 0, 0, 0, NULL, NULL },
	{ "PASS a\0b", 8, POP3_PARSE_EBINARY, POP3_NONE, 0, 0, 0, NULL, NULL },
	{ "NOOP\r", 0, POP3_PARSE_EBINARY, POP3_NONE, 0, 0, 0, NULL, NULL },
	{ "\x80\xff", 0, POP3_PARSE_EUNKNOWN, POP3_NONE, 0, 0, 0, NULL, NULL },
	{ "NOOP\x7f", 0, POP3_PARSE_EBINARY, POP3_NONE, 0, 0, 0, NULL, NULL },
};

/* run_case - parse a heap copy of exactly the line's bytes, compare */
static void
run_case(size_t i, const struct pcase *c)
{
	size_t len = c->len ? c->len : strlen(c->line);
	char *copy = malloc(len ? len : 1);
	struct pop3_cmd cmd;
	int rc;

	memcpy(copy, c->line, len);
	rc = pop3_parse(copy, len, &cmd);
	if (rc != c->want_rc)
		fail_msg("case %zu \"%s\": got rc %d, want %d", i, c->line, rc, c->want_rc);
	if (rc == POP3_PARSE_OK || rc == POP3_PARSE_ESYNTAX)
		if (cmd.verb != c->verb)
			fail_msg("case %zu \"%s\": got verb %s, want %s", i, c->line,
			    pop3_verb_name(cmd.verb), pop3_verb_name(c->verb));
	if (rc == POP3_PARSE_OK) {
		if (cmd.nargs != c->nargs || cmd.n != c->n || cmd.lines != c->lines)
			fail_msg("case %zu \"%s\": got nargs %u n %u lines %u, want %u %u %u", i,
			    c->line, cmd.nargs, cmd.n, cmd.lines, c->nargs, c->n, c->lines);
		if ((c->arg == NULL) != (cmd.arg == NULL) || (c->arg && (cmd.arglen !=
		    strlen(c->arg) || memcmp(cmd.arg, c->arg, cmd.arglen) != 0)))
			fail_msg("case %zu \"%s\": got arg \"%.*s\", want \"%s\"", i, c->line,
			    cmd.arg ? (int)cmd.arglen : 6, cmd.arg ? cmd.arg : "(none)",
			    c->arg ? c->arg : "(none)");
		if ((c->initial == NULL) != (cmd.initial == NULL) || (c->initial &&
		    (cmd.initiallen != strlen(c->initial) ||
		    memcmp(cmd.initial, c->initial, cmd.initiallen) != 0)))
			fail_msg("case %zu \"%s\": initial response differs", i, c->line);
	}
	free(copy);
}

static void
test_table(void **state)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(i, &cases[i]);
}

static void
test_arg_bounds(void **state)
{
	char line[4096];
	struct pop3_cmd cmd;

	/* USER: 255 bytes fit, 256 do not */
	memcpy(line, "USER ", 5);
	memset(line + 5, 'u', POP3_USER_MAX + 1);
	assert_int_equal(pop3_parse(line, 5 + POP3_USER_MAX, &cmd), POP3_PARSE_OK);
	assert_int_equal(cmd.arglen, POP3_USER_MAX);
	assert_int_equal(pop3_parse(line, 5 + POP3_USER_MAX + 1, &cmd), POP3_PARSE_ESYNTAX);
	/* PASS: any length the line holds; the login refuses an overlong password */
	memcpy(line, "PASS ", 5);
	memset(line + 5, 'p', sizeof(line) - 5);
	assert_int_equal(pop3_parse(line, sizeof(line), &cmd), POP3_PARSE_OK);
	assert_int_equal(cmd.arglen, sizeof(line) - 5);
}

static void
test_verb_names(void **state)
{
	assert_string_equal(pop3_verb_name(POP3_RETR), "RETR");
	assert_string_equal(pop3_verb_name(POP3_TOP), "TOP");
	assert_string_equal(pop3_verb_name(POP3_NONE), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_arg_bounds),
		cmocka_unit_test(test_verb_names),
	};

	return cmocka_run_group_tests_name("pop3_parse", tests, NULL, NULL);
}
