/*
 * test_imap_search.c - the SEARCH key parser and evaluator, table-driven:
 * criteria parsed by the real command parser, evaluated against four
 * fixed messages (two of them \Recent in the session), the matches compared as a list; bad criteria; Date:
 * header days; HEADER on a corpus of tricky headers against a plain oracle.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "imap/imap_parser.h"
#include "imap/imap_search.h"
#include "imap/imap_write.h"
#include "store/store.h"

#define D94(day) ((int64_t)(8796 + (day)) * 86400)	/* day of February 1994, 00:00 UTC */

static const char m1[] = "From: Smith <smith@example.org>\r\nTo: tomo@sample.com\r\n"
    "Subject: Quarterly\r\n report\r\nDate: Thu, 3 Feb 1994 09:00:00 -0800\r\n\r\nBudget OK.\r\n";
static const char m2[] = "From: jones@example.org\r\nSubject: Lunch\r\n"
    "Date: 7 Feb 94 21:52:25 -0800\r\nX-Tag: blue\r\nX-Tag: green\r\n\r\nPizza at noon\r\n";
static const char m3[] = "Subject: no date\r\n\r\nsubject in the body\r\n";
static const char m4[] = "no header at all";

static const struct imap_search_msg msgs[] = {
	{ 1, 10, STORE_F_FLAGGED | IMAP_F_RECENT, "", 5, D94(3) + 36000, sizeof(m1) - 1, m1, sizeof(m1) - 1 },
	{ 2, 20, STORE_F_FLAGGED | STORE_F_SEEN | IMAP_F_RECENT, "$Work Later", 9, D94(7) + 80000, 5000,
	    m2, sizeof(m2) - 1 },
	{ 3, 30, STORE_F_ANSWERED | STORE_F_SEEN, "", 12, D94(10), sizeof(m3) - 1, m3,
	    sizeof(m3) - 1 },
	{ 4, 40, STORE_F_DELETED | STORE_F_DRAFT, "later", 2, D94(-31), sizeof(m4) - 1, m4,
	    sizeof(m4) - 1 },
};

static const struct {
	const char *crit;
	const char *want;	/* the matching seqs, "1 2" */
} cases[] = {
	{ "ALL", "1 2 3 4" }, { "OLD", "3 4" }, { "NEW", "1" }, { "RECENT", "1 2" },
	{ "NOT NEW", "2 3 4" }, { "OR NEW DELETED", "1 4" },
	{ "FLAGGED", "1 2" }, { "UNFLAGGED", "3 4" }, { "SEEN", "2 3" }, { "UNSEEN", "1 4" },
	{ "ANSWERED", "3" }, { "UNANSWERED", "1 2 4" }, { "DELETED", "4" },
	{ "UNDELETED", "1 2 3" }, { "DRAFT", "4" }, { "UNDRAFT", "1 2 3" },
	{ "KEYWORD later", "2 4" }, { "KEYWORD $WORK", "2" }, { "UNKEYWORD later", "1 3" },
	{ "FROM smith", "1" }, { "FROM EXAMPLE", "1 2" }, { "TO tomo", "1" }, { "CC x", "" },
	{ "SUBJECT \"quarterly report\"", "1" }, { "SUBJECT \"\"", "1 2 3" },
	{ "HEADER X-Tag green", "2" }, { "HEADER x-tag \"\"", "2" }, { "BCC a", "" },
	{ "BODY subject", "3" }, { "TEXT subject", "1 2 3" }, { "BODY budget", "1" },
	{ "TEXT \"no header\"", "4" }, { "BODY \"\"", "1 2 3 4" }, { "BODY header", "" },
	{ "BEFORE 3-Feb-1994", "4" }, { "ON 3-Feb-1994", "1" }, { "ON 03-feb-1994", "1" },
	{ "SINCE 7-Feb-1994", "2 3" }, { "SENTBEFORE 7-Feb-1994", "1" },
	{ "SENTON 7-Feb-1994", "2" }, { "SENTSINCE 1-Jan-1900", "1 2" },
	{ "LARGER 200", "2" }, { "SMALLER 20", "4" }, { "LARGER 5000", "" },
	{ "1", "1" }, { "2:*", "2 3 4" }, { "*", "4" }, { "1,3", "1 3" },
	{ "UID 20:30", "2 3" }, { "UID *", "4" }, { "UID 15", "" },
	{ "MODSEQ 9", "2 3" }, { "MODSEQ \"/flags/\\\\Seen\" all 10", "3" },
	{ "NOT SEEN", "1 4" }, { "OR SEEN DELETED", "2 3 4" }, { "(SEEN FLAGGED)", "2" },
	{ "OR (SEEN FLAGGED) DRAFT", "2 4" }, { "NOT (OR SEEN DELETED)", "1" },
	{ "SEEN NOT FLAGGED", "3" }, { "OR OR 1 2 3", "1 2 3" }, { "((((ALL))))", "1 2 3 4" },
	{ "flagged since 1-feb-1994 not from \"Smith\"", "2" },
};

static const char *const bad[] = {
	"", "FOO", "OR SEEN", "NOT", "BEFORE", "BEFORE 30-Feb-1994", "BEFORE 3-Foo-1994",
	"LARGER", "LARGER -1", "LARGER 1x", "UID", "UID x", "HEADER Subject", "0", "1:0",
	"KEYWORD", "MODSEQ", "MODSEQ x", "()", "FROM (a)", "SUBJECT NIL",
};

/* parse_cmd - criteria through the real command parser */
static const struct imap_cmd *
parse_cmd(struct imap_parser *p, const char *crit)
{
	char line[1024];
	size_t used;

	snprintf(line, sizeof(line), "t SEARCH %s\r\n", crit);
	if (imap_parser_feed(p, line, strlen(line), &used) != IMAP_PARSE_DONE)
		return NULL;
	return imap_parser_cmd(p);
}

static void
test_cases(void **state)
{
	struct imap_parser *p = imap_parser_new(NULL);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct imap_cmd *cmd = parse_cmd(p, cases[i].crit);
		struct imap_search *q = NULL;
		const char *err = NULL;
		char got[64] = "";

		if (cmd == NULL || imap_search_parse(cmd->args, cmd->count, 4, 40, NULL, &q, &err) != 0)
			fail_msg("\"%s\": parse failed: %s", cases[i].crit, err ? err : "syntax");
		for (size_t m = 0; m < 4; m++)
			if (imap_search_match(q, &msgs[m]))
				snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%u",
				    *got ? " " : "", msgs[m].seq);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("\"%s\": got \"%s\", want \"%s\"", cases[i].crit, got, cases[i].want);
		imap_search_free(&q);
		assert_null(q);
	}
	imap_parser_free(&p);
}

static void
test_bad(void **state)
{
	struct imap_parser *p = imap_parser_new(NULL);
	char deep[600] = "";

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct imap_cmd *cmd = parse_cmd(p, bad[i]);
		struct imap_search *q = NULL;
		const char *err = NULL;

		if (cmd != NULL && imap_search_parse(cmd->args, cmd->count, 4, 40, NULL, &q, &err) == 0)
			fail_msg("\"%s\": parsed, want an error", bad[i]);
		if (cmd != NULL && err == NULL)
			fail_msg("\"%s\": no reason given", bad[i]);
		assert_null(q);
	}
	for (int i = 0; i < IMAP_SEARCH_DEPTH_MAX + 1; i++)
		strcat(deep, "NOT ");
	strcat(deep, "ALL");
	{
		const struct imap_cmd *cmd = parse_cmd(p, deep);
		struct imap_search *q = NULL;
		const char *err = NULL;

		assert_non_null(cmd);
		assert_int_equal(imap_search_parse(cmd->args, cmd->count, 4, 40, NULL, &q, &err), -1);
	}
	imap_parser_free(&p);
}

static void
test_needs(void **state)
{
	static const struct { const char *crit; bool data, modseq; } rows[] = {
		{ "FLAGGED UID 1:*", false, false }, { "NOT SUBJECT x", true, false },
		{ "OR SENTON 1-Feb-1994 1", true, false }, { "MODSEQ 5", false, true },
		{ "BEFORE 1-Feb-1994 LARGER 5", false, false }, { "HEADER a b MODSEQ 1", true, true },
	};
	struct imap_parser *p = imap_parser_new(NULL);

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct imap_cmd *cmd = parse_cmd(p, rows[i].crit);
		struct imap_search *q = NULL;
		const char *err;

		assert_int_equal(imap_search_parse(cmd->args, cmd->count, 4, 40, NULL, &q, &err), 0);
		if (imap_search_needs_data(q) != rows[i].data ||
		    imap_search_has_modseq(q) != rows[i].modseq)
			fail_msg("\"%s\": got data %d modseq %d, want %d %d", rows[i].crit,
			    imap_search_needs_data(q), imap_search_has_modseq(q), rows[i].data,
			    rows[i].modseq);
		imap_search_free(&q);
	}
	imap_parser_free(&p);
}

static void
test_sent_day(void **state)
{
	static const struct { const char *in; int64_t want; } rows[] = {
		{ "Thu, 3 Feb 1994 09:00:00 -0800", 8799 }, { "3 Feb 1994", 8799 },
		{ "Mon, 07 feb 94 23:59:59 +1400", 8803 }, { "1 Jan 1970 00:00 +0000", 0 },
		{ "31 Dec 1969 23:00 -0100", -1 }, { "Sat, 1 Jan 2000", 10957 },
		{ "1 Jan 05", 12784 }, { "", IMAP_SEARCH_NO_DAY }, { "garbage", IMAP_SEARCH_NO_DAY },
		{ "31 Feb 1994", IMAP_SEARCH_NO_DAY }, { "Thu, 3 Fox 1994", IMAP_SEARCH_NO_DAY },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int64_t got = imap_search_sent_day(rows[i].in, strlen(rows[i].in));

		if (got != rows[i].want)
			fail_msg("\"%s\": got %lld, want %lld", rows[i].in, (long long)got,
			    (long long)rows[i].want);
	}
}

/* tricky headers for the scan against the oracle; every one CRLF, as the store keeps them */
static const char *const corpus[] = {
	"Subject: Invoice\r\n 2024-77 for\r\n\tMarch\r\nFrom: \"Smith, J\" <j@x.org>\r\n\r\nbody\r\n",
	"Subject: first\r\nsubject: Second Invoice\r\nTo: Team: a@b.c, d@e.f;\r\n\r\n",
	"To: undisclosed-recipients:;\r\nCc: (comment) c@d.e\r\nBcc: b@c.d\r\n\r\nSubject: body\r\n",
	"From: a@b.c\r\n\r\n",
	"Subject: Caf\xc3\xa9 =?UTF-8?Q?Caf=C3=A9?=\r\nFrom: M\xfcller <m@x.de>\r\n\r\n",
	"Subject:\r\n  folded empty\r\nMessage-ID: <id@x>\r\nIn-Reply-To: <p@x>\r\n\r\n",
	"Subjectx: not it\r\nSubject : not it either\r\nSUBJECT: Upper\r\n\r\n",
	"Subject: no blank line\r\nTo: t@x",
	"\r\nSubject: all body\r\n",
	"Subject:\tinvoice\t\r\nDate: 7 Feb 94 21:52:25 -0800\r\nDate: 1 Jan 2000\r\n\r\n",
};

static const char *const needles[] = {
	"", "invoice", "2024-77 for\tmarch", "77 for march", "smith, j", "team:", "d@e.f;",
	"second", "first", "body", "caf\xc3\xa9", "=?utf-8?q?", "m\xfcller", "folded", " folded",
	"not it", "upper", "line", "t@x", "<id@x>", "<p@x>", "(comment)", "b@c.d", "invoice\t",
};

static const char *const fields[] = {
	"Subject", "From", "To", "Cc", "Bcc", "Message-ID", "In-Reply-To", "Date", "X-None",
};

/* oracle_header - the plain reading of HEADER: split, unfold, compare lowered copies */
static bool
oracle_header(const char *msg, const char *field, const char *needle)
{
	const char *end = strstr(msg, "\r\n\r\n"), *p = msg;
	size_t hl = strncmp(msg, "\r\n", 2) == 0 ? 0 : end ? (size_t)(end - msg) + 2 : strlen(msg);
	char val[512], low[512];

	while ((size_t)(p - msg) < hl) {
		const char *f = p, *v;
		size_t n = 0;

		do {	/* the field runs over its continuation lines */
			p = strstr(p, "\r\n");
			p = p != NULL && (size_t)(p + 2 - msg) <= hl ? p + 2 : msg + hl;
		} while ((size_t)(p - msg) < hl && (*p == ' ' || *p == '\t'));
		if (strncasecmp(f, field, strlen(field)) != 0 || f[strlen(field)] != ':')
			continue;
		for (v = f + strlen(field) + 1; v < p && (*v == ' ' || *v == '\t'); v++)
			;
		for (; v < p; v++)
			if (*v != '\r' && *v != '\n')
				val[n++] = *v;
		for (size_t i = 0; i < n; i++)
			low[i] = (char)(val[i] >= 'A' && val[i] <= 'Z' ? val[i] + 32 : val[i]);
		low[n] = '\0';
		if (strstr(low, needle) != NULL || *needle == '\0')
			return true;
	}
	return false;
}

static void
test_header_oracle(void **state)
{
	struct imap_parser *p = imap_parser_new(NULL);
	char crit[256];

	for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
		for (size_t n = 0; n < sizeof(needles) / sizeof(needles[0]); n++) {
			const struct imap_cmd *cmd;
			struct imap_search *q = NULL;
			const char *err = NULL;

			snprintf(crit, sizeof(crit), "HEADER %s \"%s\"", fields[f], needles[n]);
			cmd = parse_cmd(p, crit);
			if (cmd == NULL || imap_search_parse(cmd->args, cmd->count, 1, 1, NULL, &q, &err) != 0)
				fail_msg("\"%s\": parse failed", crit);
			for (size_t c = 0; c < sizeof(corpus) / sizeof(corpus[0]); c++) {
				struct imap_search_msg m = { 1, 1, 0, "", 1, 0, strlen(corpus[c]),
				    corpus[c], strlen(corpus[c]) };
				bool got = imap_search_match(q, &m);

				if (got != oracle_header(corpus[c], fields[f], needles[n]))
					fail_msg("HEADER %s \"%s\" on message %zu: got %d, want %d",
					    fields[f], needles[n], c, got, !got);
			}
			imap_search_free(&q);
		}
	imap_parser_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_needs),
		cmocka_unit_test(test_sent_day),
		cmocka_unit_test(test_header_oracle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
