/*
 * test_imap_sort.c - SORT and THREAD without a server: base subjects
 * (RFC 5256 2.1) against a table, the i;unicode-casemap form (RFC 5051),
 * sort criteria parsed by the real command parser, the sort keys taken
 * from real structure cache blobs (mime_cache_build) and sorted, and the
 * ORDEREDSUBJECT, REFERENCES and REFS threads of small fixed mailboxes,
 * loops, missing parents and repeated Message-IDs included.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "imap/imap_sort.h"
#include "imapsyn/imap_parser.h"
#include "mime/mime.h"
#include "util/buf.h"

static const struct {
	const char *in, *want;
	bool reply;
} subjects[] = {
	{ "hello", "HELLO", false },
	{ "Re: hello", "HELLO", true },
	{ "RE: [list] Re: hello (fwd)", "HELLO", true },
	{ "[Fwd: Re: hello]", "HELLO", true },
	{ "[list] hello", "HELLO", false },
	{ "[list]", "[LIST]", false },
	{ "Fwd: Re:  hello \t world\t ", "HELLO WORLD", true },
	{ "Re[2]: hello", "HELLO", true },
	{ "re:re:RE: x", "X", true },
	{ "Refund: money", "REFUND: MONEY", false },
	{ "fw: x", "X", true },
	{ "Re: [list] [Fwd: Re: deep]  (fwd) (FWD)", "DEEP", true },
	{ "", "", false },
	{ "   ", "", false },
	{ "=?UTF-8?Q?Re:_=C3=A9t=C3=A9?=", "E\xcc\x81TE\xcc\x81", true },
	{ "=?ISO-8859-1?Q?Gr=FC=DFe?=", "GRU\xcc\x88\xc3\x9f" "E", false },
	{ "Re: \xcf\x83\xce\xbf\xcf\x86\xce\xaf\xce\xb1", "\xce\xa3\xce\x9f\xce\xa6\xce\x99\xcc\x81\xce\x91", true },
};

static void
test_base_subject(void **state)
{
	for (size_t i = 0; i < sizeof(subjects) / sizeof(subjects[0]); i++) {
		struct buf b = BUF_INIT;
		bool reply = imap_sort_base_subject(subjects[i].in, strlen(subjects[i].in), &b);

		if (strcmp(buf_cstr(&b), subjects[i].want) != 0 || reply != subjects[i].reply)
			fail_msg("\"%s\": got \"%s\" reply %d, want \"%s\" reply %d", subjects[i].in,
			    buf_cstr(&b), reply, subjects[i].want, subjects[i].reply);
		buf_free(&b);
	}
}

static void
test_casemap(void **state)
{
	static const struct { const char *in, *want; } cases[] = {
		{ "abcXYZ 09", "ABCXYZ 09" }, { "\xc3\x89lan", "E\xcc\x81LAN" },
		{ "stra\xc3\x9f" "e", "STRA\xc3\x9f" "E" }, { "\xef\xac\x81", "\xef\xac\x81" },
		{ "\xd0\xb4\xd0\xb0", "\xd0\x94\xd0\x90" }, { "\xc2\xa0x", " X" },
		{ "bad \xff\xc3", "BAD \xff\xc3" }, { "\xc7\x86", "Dz\xcc\x8c" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = BUF_INIT;

		imap_sort_casemap(cases[i].in, strlen(cases[i].in), &b);
		assert_string_equal(buf_cstr(&b), cases[i].want);
		buf_free(&b);
	}
}

/* parse_list - the first arg of "t SORT <text>" */
static const struct imap_arg *
parse_list(struct imap_parser *p, const char *text)
{
	char line[512];
	size_t used;

	snprintf(line, sizeof(line), "t SORT %s\r\n", text);
	if (imap_parser_feed(p, line, strlen(line), &used) != IMAP_PARSE_DONE)
		return NULL;
	return &imap_parser_cmd(p)->args[0];
}

static void
test_parse(void **state)
{
	static const char *good[] = {
		"(ARRIVAL)", "(reverse date subject)", "(DISPLAYFROM DISPLAYTO CC TO FROM SIZE)",
		"(REVERSE ARRIVAL REVERSE SIZE)",
	};
	static const char *bad[] = {
		"()", "(REVERSE)", "(DATE REVERSE)", "(REVERSE REVERSE DATE)", "(BOGUS)", "DATE",
		"(\"DATE\" (SIZE))",
		"(DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE DATE)",
	};
	struct imap_parser *p = imap_parser_new(NULL);
	struct imap_sort_crit c;
	const char *err;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		err = NULL;
		if (imap_sort_parse(parse_list(p, good[i]), &c, &err) != 0)
			fail_msg("%s: %s", good[i], err);
	}
	assert_int_equal(c.n, 2);
	assert_true(c.k[0].reverse && c.k[0].key == IMAP_SORT_ARRIVAL);
	assert_true(c.k[1].reverse && c.k[1].key == IMAP_SORT_SIZE);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = NULL;
		if (imap_sort_parse(parse_list(p, bad[i]), &c, &err) == 0)
			fail_msg("%s: parsed", bad[i]);
		assert_non_null(err);
	}
	imap_parser_free(&p);
}

/* five messages; seq i + 1 */
static const char *const sort_msgs[] = {
	"From: \"Zed\" <alice@example.org>\r\nTo: bob@example.org\r\nSubject: Re: beta\r\n"
	"Date: Mon, 7 Feb 1994 21:52:25 -0800\r\n\r\nx\r\n",
	"From: carol@example.org\r\nTo: =?UTF-8?Q?=C3=89mile?= <emile@example.org>\r\n"
	"Cc: dave@example.org\r\nSubject: alpha\r\nDate: Tue, 8 Feb 1994 05:00:00 +0000\r\n\r\nxx\r\n",
	"From: Bob <bob@example.org>\r\nSubject: [list] Beta\r\nDate: 8 Feb 94 06:30 +0100\r\n\r\n",
	"From: =?ISO-8859-1?Q?=C9ve?= <eve@example.org>\r\nTo: Zoe <zoe@example.org>\r\n"
	"Subject: Gamma\r\nDate: not a date\r\n\r\nxxxxxxxxxxxx\r\n",
	"To: undisclosed-recipients:;\r\nCc: grp: ann@example.org;\r\nSubject: (fwd)\r\n\r\n",
};

static const struct {
	const char *crit, *want;
} sort_cases[] = {
	{ "(ARRIVAL)", "5 4 3 2 1" }, { "(REVERSE ARRIVAL)", "1 2 3 4 5" },
	{ "(DATE)", "5 4 2 3 1" }, { "(REVERSE DATE)", "1 3 2 4 5" },
	{ "(SUBJECT)", "5 2 1 3 4" }, { "(SUBJECT DATE)", "5 2 3 1 4" },
	{ "(FROM)", "5 1 3 2 4" }, { "(TO)", "3 1 2 5 4" }, { "(CC)", "1 3 4 2 5" },
	{ "(SIZE)", "5 3 1 4 2" }, { "(DISPLAYFROM)", "5 3 2 4 1" },
	{ "(DISPLAYTO)", "3 1 2 5 4" },
};

static void
test_sort(void **state)
{
	struct imap_parser *p = imap_parser_new(NULL);
	size_t n = sizeof(sort_msgs) / sizeof(sort_msgs[0]);
	struct buf blobs[5];

	for (size_t i = 0; i < n; i++) {
		blobs[i] = (struct buf)BUF_INIT;
		mime_cache_build(sort_msgs[i], strlen(sort_msgs[i]), &blobs[i]);
	}
	for (size_t c = 0; c < sizeof(sort_cases) / sizeof(sort_cases[0]); c++) {
		struct imap_sort_crit crit;
		struct imap_sort_msg m[5];
		const char *err = NULL, *env;
		size_t el;
		char got[64] = "";

		assert_int_equal(imap_sort_parse(parse_list(p, sort_cases[c].crit), &crit, &err), 0);
		for (size_t i = 0; i < n; i++) {
			memset(&m[i], 0, sizeof(m[i]));
			m[i].seq = (uint32_t)i + 1;
			m[i].uid = (uint32_t)i + 10;
			m[i].arrival = 1000000 - (int64_t)i;	/* arrival order is reversed */
			m[i].size = strlen(sort_msgs[i]);
			assert_int_equal(mime_cache_envelope(blobs[i].data, blobs[i].len, &env, &el), 0);
			imap_sort_msg_fill(&m[i], env, el, imap_sort_needs(&crit));
		}
		imap_sort_run(&crit, m, n);
		for (size_t i = 0; i < n; i++) {
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%u", i ? " " : "", m[i].seq);
			imap_sort_msg_free(&m[i]);
		}
		if (strcmp(got, sort_cases[c].want) != 0)
			fail_msg("%s: got %s, want %s", sort_cases[c].crit, got, sort_cases[c].want);
	}
	for (size_t i = 0; i < n; i++)
		buf_free(&blobs[i]);
	imap_parser_free(&p);
}

static void
test_broken_envelope(void **state)
{
	static const char *envs[] = {
		"", "(", "(NIL", "(\"x", "({5}\r\nab)", "({99999999999999999999}\r\n)", "((((((",
		"(NIL NIL ((NIL NIL NIL NIL) (\"a\" NIL \"b\" \"c\")) NIL",
	};

	for (size_t i = 0; i < sizeof(envs) / sizeof(envs[0]); i++) {
		struct imap_sort_msg m = { 1, 1, 42, 0, 0, NULL, false, NULL, NULL, NULL, NULL, NULL,
		    NULL, NULL, NULL };

		imap_sort_msg_fill(&m, envs[i], strlen(envs[i]), ~0u);
		assert_int_equal(m.sent, 42);
		assert_non_null(m.from);
		imap_sort_msg_free(&m);
	}
}

/* one message for the threading tests: subject is the raw Subject value */
struct tmsg {
	const char *subject, *msgid, *irt, *refs;
	int64_t sent;
};

/* thread - the THREAD answer for msgs (seqs 1..n, UIDs 101..) */
static void
thread(enum imap_thread_alg alg, const struct tmsg *t, size_t n, bool uid, const char *want)
{
	struct imap_sort_msg *m = calloc(n, sizeof(*m));
	struct buf out = BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		struct buf b = BUF_INIT;

		m[i].seq = (uint32_t)i + 1;
		m[i].uid = (uint32_t)i + 101;
		m[i].sent = t[i].sent;
		m[i].reply = imap_sort_base_subject(t[i].subject, strlen(t[i].subject), &b);
		m[i].subject = strdup(buf_cstr(&b));
		m[i].msgid = t[i].msgid ? strdup(t[i].msgid) : NULL;
		m[i].irt = t[i].irt ? strdup(t[i].irt) : NULL;
		m[i].refs = t[i].refs ? strdup(t[i].refs) : NULL;
		buf_free(&b);
	}
	imap_thread_run(alg, m, n, uid, &out);
	if (strcmp(buf_cstr(&out), want) != 0)
		fail_msg("got %s, want %s", buf_cstr(&out), want);
	for (size_t i = 0; i < n; i++)
		imap_sort_msg_free(&m[i]);
	free(m);
	buf_free(&out);
}

static void
test_orderedsubject(void **state)
{
	static const struct tmsg t[] = {
		{ "A", NULL, NULL, NULL, 3 }, { "B", NULL, NULL, NULL, 1 },
		{ "Re: a", NULL, NULL, NULL, 2 }, { "[x] A (fwd)", NULL, NULL, NULL, 4 },
		{ "C", NULL, NULL, NULL, 0 }, { "c", NULL, NULL, NULL, 9 },
	};

	thread(IMAP_THREAD_ORDEREDSUBJECT, t, 6, false, "(5 6)(2)(3 (1)(4))");
	thread(IMAP_THREAD_ORDEREDSUBJECT, t, 6, true, "(105 106)(102)(103 (101)(104))");
	thread(IMAP_THREAD_ORDEREDSUBJECT, t, 0, false, "");
}

static void
test_references(void **state)
{
	static const struct tmsg chain[] = {
		{ "one", "<a@x>", NULL, NULL, 1 },
		{ "Re: one", "<b@x>", NULL, "<a@x>", 2 },
		{ "Re: one", "<c@x>", NULL, "<a@x> <b@x>", 3 },
		{ "Re: one", "<d@x>", "<a@x>", NULL, 4 },
		{ "Re: one", "<e@x>", NULL, "<a@x>\r\n\t<b@x> <c@x>", 5 },
	};
	static const struct tmsg missing[] = {
		{ "Re: lost", "<b@x>", NULL, "<a@x>", 2 },
		{ "Re: lost", "<c@x>", NULL, "<a@x>", 1 },
		{ "other", "<d@x>", NULL, "<zz@x> <d2@x>", 3 },
	};
	static const struct tmsg subj[] = {
		{ "Re: x", "<r@x>", NULL, NULL, 1 }, { "x", "<o@x>", NULL, NULL, 2 },
		{ "y", "<y1@x>", NULL, NULL, 3 }, { "y", "<y2@x>", NULL, NULL, 4 },
		{ "", "<e1@x>", NULL, NULL, 5 }, { "", "<e2@x>", NULL, NULL, 6 },
	};
	static const struct tmsg loop[] = {
		{ "p", "<a@x>", NULL, "<b@x>", 1 }, { "q", "<b@x>", NULL, "<a@x>", 2 },
		{ "s", "<s@x>", NULL, "<s@x>", 3 },
	};
	static const struct tmsg dup[] = {
		{ "p", "<a@x>", NULL, NULL, 2 }, { "q", "<a@x>", NULL, NULL, 1 },
		{ "Re: q", "<c@x>", NULL, "<a@x>", 3 }, { "r", NULL, NULL, NULL, 0 },
	};

	thread(IMAP_THREAD_REFERENCES, chain, 5, false, "(1 (2 3 5)(4))");
	thread(IMAP_THREAD_REFERENCES, missing, 3, false, "((2)(1))(3)");
	thread(IMAP_THREAD_REFERENCES, subj, 6, false, "(2 1)((3)(4))(5)(6)");
	thread(IMAP_THREAD_REFERENCES, loop, 3, false, "(2 1)(3)");
	thread(IMAP_THREAD_REFERENCES, dup, 4, true, "(104)(102)(101 103)");
	/* REFS: no subject merge, threads by their newest message */
	thread(IMAP_THREAD_REFS, subj, 6, false, "(1)(2)(3)(4)(5)(6)");
	thread(IMAP_THREAD_REFS, missing, 3, false, "((2)(1))(3)");
	thread(IMAP_THREAD_REFS, dup, 4, false, "(4)(2)(1 3)");
}

static void
test_refs_latest(void **state)
{
	static const struct tmsg t[] = {
		{ "a", "<a@x>", NULL, NULL, 1 }, { "b", "<b@x>", NULL, NULL, 2 },
		{ "c", "<c@x>", NULL, NULL, 3 }, { "Re: a", "<d@x>", NULL, "<a@x>", 9 },
		{ "Re: b", "<e@x>", NULL, "<b@x>", 5 },
	};

	thread(IMAP_THREAD_REFS, t, 5, false, "(3)(2 5)(1 4)");
	thread(IMAP_THREAD_REFERENCES, t, 5, false, "(1 4)(2 5)(3)");
}

/* a reply chain as long as a big mailbox's thread, and a wide fork: no deep recursion */
static void
test_long_chain(void **state)
{
	enum { N = 3000 };
	struct imap_sort_msg *m = calloc(N, sizeof(*m));
	struct buf out = BUF_INIT, want = BUF_INIT;
	char id[32];

	for (size_t i = 0; i < N; i++) {
		m[i].seq = m[i].uid = (uint32_t)i + 1;
		m[i].sent = (int64_t)i;
		m[i].subject = strdup("CHAIN");
		snprintf(id, sizeof(id), "<%zu@x>", i);
		m[i].msgid = strdup(id);
		snprintf(id, sizeof(id), "<%zu@x>", i > 0 ? i - 1 : 0);
		m[i].irt = i > 0 ? strdup(id) : NULL;
		buf_printf(&want, "%s%zu", i ? " " : "(", i + 1);
	}
	buf_putc(&want, ')');
	imap_thread_run(IMAP_THREAD_REFERENCES, m, N, false, &out);
	assert_string_equal(buf_cstr(&out), buf_cstr(&want));
	for (size_t i = 1; i < N; i++) {
		free(m[i].irt);
		m[i].irt = strdup("<0@x>");	/* every other message answers the first */
	}
	buf_reset(&out);
	imap_thread_run(IMAP_THREAD_REFS, m, N, false, &out);
	buf_reset(&want);
	buf_puts(&want, "(1 ");
	for (size_t i = 1; i < N; i++)
		buf_printf(&want, "(%zu)", i + 1);
	buf_putc(&want, ')');
	assert_string_equal(buf_cstr(&out), buf_cstr(&want));
	for (size_t i = 0; i < N; i++)
		imap_sort_msg_free(&m[i]);
	free(m);
	buf_free(&out);
	buf_free(&want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_subject),
		cmocka_unit_test(test_casemap),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_broken_envelope),
		cmocka_unit_test(test_orderedsubject),
		cmocka_unit_test(test_references),
		cmocka_unit_test(test_refs_latest),
		cmocka_unit_test(test_long_chain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
