/*
 * test_smtp_parse.c - the SMTP/LMTP command-line parser, table-driven.
 * Each case is one line and the transcript it must give: the verb, then
 * "path=<...>" for MAIL/RCPT, "arg=..." for text arguments, "K=V" per
 * ESMTP parameter, "bdat=N[ LAST]", or "!err" for a refusal.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "smtp/smtp_parse.h"

static const char *verb_names[] = {
	"NONE", "HELO", "EHLO", "LHLO", "MAIL", "RCPT", "DATA", "BDAT", "RSET", "NOOP", "QUIT",
	"VRFY", "HELP", "STARTTLS", "AUTH",
};

static const struct {
	const char *in;
	const char *want;
} cases[] = {
	/* verbs, case-insensitive */
	{ "LHLO relay.example.org", "LHLO arg=relay.example.org" },
	{ "ehlo [192.0.2.1]", "EHLO arg=[192.0.2.1]" },
	{ "HELO x", "HELO arg=x" },
	{ "HELO", "!-2" },
	{ "HELO a b", "!-2" },
	{ "DATA", "DATA" },
	{ "data extra", "!-2" },
	{ "RSET", "RSET" },
	{ "QUIT", "QUIT" },
	{ "NOOP", "NOOP arg=" },
	{ "NOOP anything goes", "NOOP arg=anything goes" },
	{ "VRFY", "!-2" },
	{ "VRFY alice", "VRFY arg=alice" },
	{ "HELP", "HELP arg=" },
	{ "STARTTLS", "STARTTLS" },
	{ "STARTTLS now", "!-2" },
	/* AUTH (RFC 4954): mechanism, then an optional initial response */
	{ "AUTH PLAIN", "AUTH arg=PLAIN" },
	{ "auth login dXNlcg==", "AUTH arg=login initial=dXNlcg==" },
	{ "AUTH PLAIN =", "AUTH arg=PLAIN initial==" },
	{ "AUTH", "!-2" },
	{ "AUTH PLAIN ", "!-2" },
	{ "AUTH PLAIN a b", "!-2" },
	{ "FOO bar", "!-1" },
	{ "", "!-1" },
	{ "MAILFROM:<a@b.c>", "!-1" },
	{ "DATA\tx", "!-1" },
	/* MAIL: paths */
	{ "MAIL FROM:<a@b.c>", "MAIL path=<a@b.c>" },
	{ "mail from:<A.B@Example.ORG>", "MAIL path=<A.B@Example.ORG>" },
	{ "MAIL FROM: <a@b.c>", "MAIL path=<a@b.c>" },
	{ "MAIL FROM:<>", "MAIL path=<> null" },
	{ "MAIL FROM:a@b.c", "!-3" },
	{ "MAIL FROM:<a@b.c", "!-3" },
	{ "MAIL FROM:<@b.c>", "!-3" },
	{ "MAIL FROM:<a@>", "!-3" },
	{ "MAIL FROM:<a>", "!-3" },
	{ "MAIL FROM:<a@-b.c>", "!-3" },
	{ "MAIL FROM:<a@b-.c>", "!-3" },
	{ "MAIL FROM:<a@b..c>", "!-3" },
	{ "MAIL FROM:<a..b@c>", "!-3" },
	{ "MAIL FROM:<.a@c>", "!-3" },
	{ "MAIL FROM:<a b@c>", "!-3" },
	{ "MAIL FROM:<a@[192.0.2.1]>", "MAIL path=<a@[192.0.2.1]>" },
	{ "MAIL FROM:<a@[IPv6:2001:db8::1]>", "MAIL path=<a@[IPv6:2001:db8::1]>" },
	{ "MAIL FROM:<a@[]>", "!-3" },
	{ "MAIL TO:<a@b.c>", "!-2" },
	{ "MAIL", "!-2" },
	/* quoted local parts */
	{ "RCPT TO:<\"john doe\"@b.c>", "RCPT path=<\"john doe\"@b.c>" },
	{ "RCPT TO:<\"a\\\"b\"@b.c>", "RCPT path=<\"a\\\"b\"@b.c>" },
	{ "RCPT TO:<\"unterminated@b.c>", "!-3" },
	{ "RCPT TO:<!#$%&'*+-/=?^_`{|}~@b.c>", "RCPT path=<!#$%&'*+-/=?^_`{|}~@b.c>" },
	/* source routes are accepted and dropped */
	{ "RCPT TO:<@hosta.int,@jkl.org:userc@d.bar.org>", "RCPT path=<userc@d.bar.org>" },
	{ "RCPT TO:<@hosta.int:u@d.org>", "RCPT path=<u@d.org>" },
	{ "RCPT TO:<@hosta.int,jkl.org:u@d.org>", "!-3" },
	{ "RCPT TO:<@:u@d.org>", "!-3" },
	/* null path and postmaster */
	{ "RCPT TO:<>", "!-3" },
	{ "RCPT TO:<Postmaster>", "RCPT path=<Postmaster>" },
	{ "MAIL FROM:<postmaster>", "!-3" },
	/* parameters */
	{ "MAIL FROM:<a@b.c> SIZE=1000", "MAIL path=<a@b.c> SIZE=1000" },
	{ "MAIL FROM:<a@b.c> size=1000 body=8BITMIME", "MAIL path=<a@b.c> SIZE=1000 BODY=8BITMIME" },
	{ "MAIL FROM:<a@b.c>  SIZE=1", "MAIL path=<a@b.c> SIZE=1" },
	{ "MAIL FROM:<a@b.c> SMTPUTF8", "MAIL path=<a@b.c> SMTPUTF8" },
	{ "MAIL FROM:<a@b.c> SIZE=", "!-4" },
	{ "MAIL FROM:<a@b.c> =1", "!-4" },
	{ "MAIL FROM:<a@b.c> SI_ZE=1", "!-4" },
	{ "MAIL FROM:<a@b.c>SIZE=1", "!-4" },
	{ "MAIL FROM:<a@b.c> A=1 B=2 C=3 D=4 E=5 F=6 G=7 H=8", "MAIL path=<a@b.c> A=1 B=2 C=3 D=4 E=5 F=6 G=7 H=8" },
	{ "MAIL FROM:<a@b.c> A=1 B=2 C=3 D=4 E=5 F=6 G=7 H=8 I=9", "!-4" },
	{ "RCPT TO:<a@b.c> NOTIFY=NEVER", "RCPT path=<a@b.c> NOTIFY=NEVER" },
	/* BDAT */
	{ "BDAT 100", "BDAT bdat=100" },
	{ "BDAT 0 LAST", "BDAT bdat=0 LAST" },
	{ "bdat 5 last", "BDAT bdat=5 LAST" },
	{ "BDAT", "!-2" },
	{ "BDAT x", "!-2" },
	{ "BDAT 5 FIRST", "!-2" },
	{ "BDAT -5", "!-2" },
	{ "BDAT 99999999999999999999999", "BDAT bdat=18446744073709551615" },
	/* control bytes */
	{ "NOOP \x01", "!-6" },
	{ "RSET\x7f", "!-6" },
};

/* render - the transcript of one parse */
static void
render(int rc, const struct smtp_cmd *cmd, char *out, size_t outlen)
{
	size_t n;

	if (rc != 0) {
		snprintf(out, outlen, "!%d", rc);
		return;
	}
	n = (size_t)snprintf(out, outlen, "%s", verb_names[cmd->verb]);
	if (cmd->verb == SMTP_V_MAIL || cmd->verb == SMTP_V_RCPT)
		n += (size_t)snprintf(out + n, outlen - n, " path=<%s>%s", cmd->path,
		    cmd->null_path ? " null" : "");
	if (cmd->verb == SMTP_V_HELO || cmd->verb == SMTP_V_EHLO || cmd->verb == SMTP_V_LHLO ||
	    cmd->verb == SMTP_V_VRFY || cmd->verb == SMTP_V_HELP || cmd->verb == SMTP_V_NOOP)
		n += (size_t)snprintf(out + n, outlen - n, " arg=%s", cmd->arg);
	if (cmd->verb == SMTP_V_AUTH)
		n += (size_t)snprintf(out + n, outlen - n, " arg=%s%s%s", cmd->arg,
		    cmd->initial ? " initial=" : "", cmd->initial ? cmd->initial : "");
	if (cmd->verb == SMTP_V_BDAT)
		n += (size_t)snprintf(out + n, outlen - n, " bdat=%llu%s",
		    (unsigned long long)cmd->bdat_size, cmd->bdat_last ? " LAST" : "");
	for (size_t i = 0; i < cmd->nparams; i++)
		n += (size_t)snprintf(out + n, outlen - n, " %s%s%s", cmd->params[i].key,
		    cmd->params[i].value ? "=" : "", cmd->params[i].value ? cmd->params[i].value : "");
}

static void
test_table(void **state)
{
	int bad = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = strlen(cases[i].in);
		char *line = malloc(len + 1), got[1024];
		struct smtp_cmd cmd;
		int rc;

		memcpy(line, cases[i].in, len + 1);
		rc = smtp_parse_line(line, len, &cmd);
		render(rc, &cmd, got, sizeof(got));
		if (strcmp(got, cases[i].want) != 0) {
			printf("case %zu %s: got %s, want %s\n", i, cases[i].in, got, cases[i].want);
			bad++;
		}
		free(line);
	}
	assert_int_equal(bad, 0);
}

/* test_overlong_path - a path of 256 bytes passes, 257 is refused */
static void
test_overlong_path(void **state)
{
	char line[600], *p;
	struct smtp_cmd cmd;
	size_t local;

	for (local = 240; local < 260; local++) {
		p = line + sprintf(line, "RCPT TO:<");
		memset(p, 'a', local);
		p += local;
		p += sprintf(p, "@b.c>");
		assert_int_equal(smtp_parse_line(line, strlen(line), &cmd),
		    local + 4 <= SMTP_PATH_MAX ? 0 : SMTP_PE_TOOLONG);
	}
}

/* test_nul - a NUL inside the line is refused, not cut */
static void
test_nul(void **state)
{
	char line[] = "RCPT TO:<a@b.c>\0 junk";
	struct smtp_cmd cmd;

	assert_int_equal(smtp_parse_line(line, sizeof(line) - 1, &cmd), SMTP_PE_BINARY);
}

static void
test_helpers(void **state)
{
	char line[] = "MAIL FROM:<a@b.c> SIZE=12 BODY=7BIT";
	struct smtp_cmd cmd;
	uint64_t n;

	assert_int_equal(smtp_parse_line(line, strlen(line), &cmd), 0);
	assert_string_equal(smtp_param_get(&cmd, "SIZE")->value, "12");
	assert_null(smtp_param_get(&cmd, "NOTIFY"));
	assert_int_equal(smtp_parse_size("42", &n), 0);
	assert_int_equal(n, 42);
	assert_int_equal(smtp_parse_size("4x", &n), -1);
	assert_int_equal(smtp_parse_size("", &n), -1);
	for (int e = 0; e >= SMTP_PE_BINARY; e--)
		assert_non_null(smtp_parse_reply(e));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_overlong_path),
		cmocka_unit_test(test_nul),
		cmocka_unit_test(test_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
