/*
 * test_sieve_run.c - the Sieve interpreter: the actions of the RFCs'
 * examples, the implicit keep, match variables, flags, vacation's policy
 * and memory, duplicate, include and mailboxexists through their
 * callbacks, and the run-time limits (each keeps the message and says why).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sieve/sieve.h"

static const char MSG[] =
    "From: Alice <alice@example.org>\r\n"
    "To: Bob <bob@example.com>, carol+work@example.net\r\n"
    "Subject: Make money fast\r\n"
    "Date: Tue, 27 Feb 2007 14:20:01 +0100\r\n"
    "Message-ID: <m1@example.org>\r\n"
    "X-Count: 12\r\n"
    "\r\n"
    "Hello there, this is urgent.\r\n";

struct fixture {
	const char *msg;
	const char *from, *to;
	bool seen_all;			/* the seen callback says yes */
	unsigned seen_calls;
	const char *include_src;	/* what include hands back, or NULL: none */
};

/* cb_seen - the store's answer to duplicate and vacation */
static bool
cb_seen(void *arg, const char *kind, const char *id, uint64_t seconds)
{
	struct fixture *f = arg;

	f->seen_calls++;
	return f->seen_all;
}

/* cb_mailbox - INBOX and Work exist */
static bool
cb_mailbox(void *arg, const char *mailbox)
{
	return strcmp(mailbox, "INBOX") == 0 || strcmp(mailbox, "Work") == 0;
}

/* cb_include - the fixture's one script, under any name but "missing" */
static int
cb_include(void *arg, bool global, const char *name, unsigned char **bin, size_t *binlen)
{
	struct fixture *f = arg;
	struct sieve_limits lim;
	struct sieve_error err;

	if (f->include_src == NULL || strcmp(name, "missing") == 0)
		return -1;
	sieve_limits_default(&lim);
	return sieve_compile(f->include_src, strlen(f->include_src), &lim, bin, binlen, &err);
}

/* run_lim - compile and run src with lim on the fixture; the actions as text lines */
static int
run_lim(const char *src, struct fixture *f, const struct sieve_limits *lim, char *out, size_t size,
    struct sieve_result *res)
{
	struct sieve_error err;
	struct sieve_env env = { 0 };
	unsigned char *bin;
	size_t len, used = 0;
	int rc;

	if (sieve_compile(src, strlen(src), lim, &bin, &len, &err) != 0)
		fail_msg("%u:%u: %s\nin: %s", err.line, err.col, err.msg, src);
	env.msg = f->msg != NULL ? f->msg : MSG;
	env.msglen = strlen(env.msg);
	env.env_from = f->from != NULL ? f->from : "alice@example.org";
	env.env_to = f->to != NULL ? f->to : "bob@example.com";
	env.now = 1700000000;
	env.seen = cb_seen;
	env.mailbox_exists = cb_mailbox;
	env.include = cb_include;
	env.arg = f;
	rc = sieve_run(bin, len, lim, &env, res);
	free(bin);
	out[0] = '\0';
	for (size_t i = 0; i < res->nact; i++) {
		const struct sieve_action *a = &res->act[i];
		const char *names[] = { "keep", "fileinto", "redirect", "reject", "ereject", "discard",
		    "vacation" };

		used += (size_t)snprintf(out + used, size - used, "%s%s", used ? "; " : "", names[a->type]);
		if (a->mailbox != NULL && a->type == SIEVE_FILEINTO)
			used += (size_t)snprintf(out + used, size - used, " %s", a->mailbox);
		if (a->address != NULL)
			used += (size_t)snprintf(out + used, size - used, " %s", a->address);
		if (a->type == SIEVE_REJECT || a->type == SIEVE_EREJECT)
			used += (size_t)snprintf(out + used, size - used, " %s", a->reason);
		for (char **fl = a->flags; fl != NULL && *fl != NULL; fl++)
			used += (size_t)snprintf(out + used, size - used, " +%s", *fl);
		if (a->copy)
			used += (size_t)snprintf(out + used, size - used, " :copy");
	}
	return rc;
}

/* expect - src on the fixture gives exactly the actions want */
static void
expect_f(const char *src, struct fixture *f, const char *want)
{
	struct sieve_limits lim;
	struct sieve_result res;
	char got[2048];

	sieve_limits_default(&lim);
	if (run_lim(src, f, &lim, got, sizeof(got), &res) != 0)
		fail_msg("run error: %s\nin: %s", res.error, src);
	if (strcmp(got, want) != 0)
		fail_msg("got:  %s\nwant: %s\nin: %s", got, want, src);
	sieve_result_free(&res);
}

/* expect - src on the default message */
static void
expect(const char *src, const char *want)
{
	struct fixture f = { 0 };

	expect_f(src, &f, want);
}

/* test_core - RFC 5228: the implicit keep, stop, discard, if chains, address parts */
static void
test_core(void **state)
{
	expect("", "keep");
	expect("discard;", "");
	expect("keep; discard;", "keep");
	expect("if header :contains \"subject\" \"MONEY\" { discard; }", "");
	expect("if header :is :comparator \"i;octet\" \"subject\" \"make money fast\" { discard; }", "keep");
	expect("require \"fileinto\"; if address :domain \"to\" \"example.net\" { fileinto \"Net\"; } "
	    "elsif true { fileinto \"No\"; } else { fileinto \"No2\"; }", "fileinto Net");
	expect("require \"fileinto\"; if false { } elsif exists \"x-count\" { fileinto \"B\"; stop; } "
	    "fileinto \"C\";", "fileinto B");
	expect("require \"fileinto\"; fileinto \"A\"; fileinto \"A\"; keep; keep;", "fileinto A; keep");
	expect("if address :localpart :is \"from\" \"alice\" { redirect \"x@example.com\"; }",
	    "redirect x@example.com");
	expect("if size :under 1K { discard; }", "");
	expect("if size :over 1K { discard; }", "keep");
	expect("if not anyof (false, header :matches \"to\" \"*bob*\") { discard; }", "keep");
	expect("if address :all :is \"to\" \"carol+work@example.net\" { discard; }", "");
}

/* test_extensions - one check of each extension's behaviour */
static void
test_extensions(void **state)
{
	struct fixture f = { 0 };

	expect("require [\"envelope\", \"subaddress\"]; if envelope :user \"to\" \"bob\" { discard; }", "");
	expect("require \"subaddress\"; if address :detail \"to\" \"work\" { discard; }", "");
	expect("require \"subaddress\"; if address :detail :is \"from\" \"\" { discard; }", "keep");
	expect("require [\"imap4flags\"]; addflag [\"\\\\Seen\", \"a b\"]; removeflag \"a\";",
	    "keep +\\Seen +b");
	expect("require [\"imap4flags\", \"fileinto\"]; setflag \"v\" \"x\"; "
	    "fileinto :flags \"y\" \"F\"; if hasflag \"v\" \"X\" { keep :flags \"z\"; }",
	    "fileinto F +y; keep +z");
	expect("require [\"copy\", \"fileinto\"]; fileinto :copy \"A\"; redirect :copy \"r@example.com\";",
	    "fileinto A :copy; redirect r@example.com :copy; keep");
	expect("require \"body\"; if body :text :contains \"URGENT\" { discard; }", "");
	expect("require \"body\"; if body :raw :contains \"From:\" { discard; }", "keep");
	expect("require [\"variables\", \"fileinto\"]; "
	    "if header :matches \"subject\" \"* *\" { fileinto \"${1}-${2}\"; }", "fileinto Make-money fast");
	expect("require [\"variables\", \"fileinto\"]; set :upper \"a\" \"x${unset}y\"; "
	    "set :length \"n\" \"${a}\"; fileinto \"${a}${n}\";", "fileinto XY2");
	expect("require [\"relational\", \"comparator-i;ascii-numeric\"]; "
	    "if header :value \"gt\" :comparator \"i;ascii-numeric\" \"x-count\" \"9\" { discard; }", "");
	expect("require [\"relational\"]; if header :value \"gt\" \"x-count\" \"9\" { discard; }", "keep");
	expect("require [\"relational\", \"comparator-i;ascii-numeric\"]; "
	    "if address :count \"eq\" :comparator \"i;ascii-numeric\" \"to\" \"2\" { discard; }", "");
	expect("require \"comparator-i;ascii-numeric\"; "
	    "if header :is :comparator \"i;ascii-numeric\" \"subject\" \"abc\" { discard; }", "");
	expect("require [\"date\", \"variables\", \"fileinto\"]; "
	    "if date :zone \"+0000\" :matches \"date\" \"std11\" \"*\" { fileinto \"${1}\"; }",
	    "fileinto Tue, 27 Feb 2007 13:20:01 +0000");
	expect("require [\"date\", \"fileinto\"]; "
	    "if currentdate :zone \"+0000\" :is \"date\" \"2023-11-14\" { fileinto \"Today\"; }",
	    "fileinto Today");
	expect("require [\"regex\", \"variables\", \"fileinto\"]; "
	    "if header :regex \"from\" \"<([a-z]+)@\" { fileinto \"${1}\"; }", "fileinto alice");
	expect("require \"encoded-character\"; if header :is \"subject\" \"${hex:4d}ake money fast\" "
	    "{ discard; }", "");
	expect("require \"reject\"; reject \"no\";", "reject no");
	expect("require \"ereject\"; ereject \"go\";", "ereject go");
	expect("require [\"fileinto\", \"mailbox\"]; if mailboxexists \"Work\" { fileinto \"Work\"; } "
	    "if mailboxexists [\"Work\", \"Nope\"] { fileinto :create \"Nope\"; }", "fileinto Work");
	expect("require \"comparator-i;unicode-casemap\"; "
	    "if header :contains :comparator \"i;unicode-casemap\" \"subject\" \"MONEY\" { discard; }", "");
	/* duplicate: the callback decides, and the id is recorded either way */
	f.seen_all = true;
	expect_f("require \"duplicate\"; if duplicate { discard; }", &f, "");
	f.seen_all = false;
	expect_f("require \"duplicate\"; if duplicate { discard; }", &f, "keep");
	assert_int_equal(f.seen_calls, 2);
}

/* test_include - include with global variables, :once, :optional and return */
static void
test_include(void **state)
{
	struct fixture f = { 0 };

	f.include_src = "require [\"include\", \"variables\", \"fileinto\"]; global \"box\"; "
	    "fileinto \"${box}\"; return; fileinto \"Never\";";
	expect_f("require [\"include\", \"variables\"]; global \"box\"; set \"box\" \"Inc\"; "
	    "include \"a\"; include :once \"b\"; include :once \"b\"; include :optional \"missing\";", &f,
	    "fileinto Inc");
	f.include_src = NULL;
	{
		struct sieve_limits lim;
		struct sieve_result res;
		char got[512];

		sieve_limits_default(&lim);
		assert_int_equal(run_lim("require \"include\"; discard; include \"x\";", &f, &lim, got,
		    sizeof(got), &res), -1);
		assert_string_equal(got, "keep");
		assert_non_null(strstr(res.error, "not found"));
		sieve_result_free(&res);
	}
}

/* vacation_case - run a vacation script with the envelope and message given */
static void
vacation_case(const char *msg, const char *from, bool seen, const char *want, const char *why)
{
	struct fixture f = { .msg = msg, .from = from, .seen_all = seen };
	struct sieve_limits lim;
	struct sieve_result res;
	char got[512];

	sieve_limits_default(&lim);
	assert_int_equal(run_lim("require \"vacation\"; vacation :days 3 \"away\";", &f, &lim, got,
	    sizeof(got), &res), 0);
	if (strcmp(got, want) != 0)
		fail_msg("got %s, want %s", got, want);
	if (why == NULL)
		assert_null(res.no_reply);
	else if (res.no_reply == NULL || strstr(res.no_reply, why) == NULL)
		fail_msg("no_reply %s, want ...%s...", res.no_reply ? res.no_reply : "(null)", why);
	sieve_result_free(&res);
}

/* test_vacation - the reply and RFC 3834 / RFC 5230's reasons not to send it */
static void
test_vacation(void **state)
{
	struct fixture f = { 0 };
	struct sieve_limits lim;
	struct sieve_result res;
	char got[512];

	vacation_case(NULL, NULL, false, "vacation alice@example.org; keep", NULL);
	vacation_case(NULL, "", false, "keep", "null");
	vacation_case(NULL, "MAILER-DAEMON@example.org", false, "keep", "system");
	vacation_case(NULL, "owner-list@example.org", false, "keep", "system");
	vacation_case(NULL, "bob@example.com", false, "keep", "own");
	vacation_case(NULL, NULL, true, "keep", "already answered");
	vacation_case("From: a@example.org\r\nTo: bob@example.com\r\nAuto-Submitted: auto-replied\r\n\r\nx",
	    NULL, false, "keep", "auto-submitted");
	vacation_case("From: a@example.org\r\nTo: bob@example.com\r\nAuto-Submitted: no\r\n\r\nx",
	    NULL, false, "vacation alice@example.org; keep", NULL);
	vacation_case("From: a@example.org\r\nTo: bob@example.com\r\nPrecedence: bulk\r\n\r\nx",
	    NULL, false, "keep", "Precedence");
	vacation_case("From: a@example.org\r\nTo: bob@example.com\r\nList-Id: <l.example.org>\r\n\r\nx",
	    NULL, false, "keep", "mailing list");
	vacation_case("From: a@example.org\r\nTo: someone@example.com\r\n\r\nx",
	    NULL, false, "keep", "not addressed");
	/* the reply: default subject, :days in seconds, a record to write */
	sieve_limits_default(&lim);
	assert_int_equal(run_lim("require \"vacation\"; vacation :days 2 :handle \"h\" \"away\";", &f, &lim,
	    got, sizeof(got), &res), 0);
	assert_int_equal(res.nact, 2);
	assert_string_equal(res.act[0].subject, "Auto: Make money fast");
	assert_int_equal(res.act[0].seconds, 2 * 86400);
	assert_string_equal(res.act[0].handle, "h");
	assert_int_equal(res.nrec, 1);
	assert_string_equal(res.rec[0].kind, "vacation");
	assert_string_equal(res.rec[0].id, "h\nalice@example.org");
	sieve_result_free(&res);
	assert_int_equal(run_lim("require [\"vacation\", \"vacation-seconds\"]; "
	    "vacation :seconds 0 :addresses \"carol+work@example.net\" :mime \"x\";",
	    &(struct fixture){ .to = "other@example.com" }, &lim, got, sizeof(got), &res), 0);
	assert_string_equal(got, "vacation alice@example.org; keep");
	assert_int_equal(res.act[0].seconds, 0);
	assert_true(res.act[0].mime);
	sieve_result_free(&res);
}

/* fails - src fails at run time with the implicit keep and an error containing why */
static void
fails(const char *src, const struct sieve_limits *lim, const char *why)
{
	struct fixture f = { 0 };
	struct sieve_result res;
	char got[512];

	assert_int_equal(run_lim(src, &f, lim, got, sizeof(got), &res), -1);
	assert_string_equal(got, "keep");
	assert_true(res.implicit_keep);
	if (res.error == NULL || strstr(res.error, why) == NULL)
		fail_msg("error %s, want ...%s...", res.error ? res.error : "(null)", why);
	sieve_result_free(&res);
}

/* test_limits - steps, actions, redirects; conflicts with reject; a corrupt form */
static void
test_limits(void **state)
{
	struct sieve_limits lim;
	struct sieve_env env = { .msg = MSG, .msglen = sizeof(MSG) - 1, .env_from = "", .env_to = "" };
	struct sieve_result res;
	char big[8192] = "require \"fileinto\";";
	static const unsigned char junk[] = "DSV\001\377\377\377\377\377";

	sieve_limits_default(&lim);
	lim.max_steps = 50;
	for (int i = 0; i < 60; i++)
		strcat(big, " if header :contains \"subject\" \"x\" { }");
	fails(big, &lim, "ran too long");
	{
		/* one comparison of a large body against a long key costs by their sizes */
		static char msg[256 * 1024], src[9000];
		struct fixture f = { .msg = msg };
		char got[512];
		size_t n = (size_t)snprintf(msg, sizeof(msg), "Subject: big\r\n\r\n");

		memset(msg + n, 'a', sizeof(msg) - n - 1);
		n = (size_t)snprintf(src, sizeof(src), "require \"body\"; if body :raw :contains \"");
		memset(src + n, 'b', 8192);
		strcpy(src + n + 8192, "\" { discard; }");
		lim.max_steps = 1000;
		assert_int_equal(run_lim(src, &f, &lim, got, sizeof(got), &res), -1);
		assert_non_null(strstr(res.error, "ran too long"));
		sieve_result_free(&res);
	}
	sieve_limits_default(&lim);
	lim.max_actions = 3;
	fails("require \"fileinto\"; fileinto \"a\"; fileinto \"b\"; fileinto \"c\"; fileinto \"d\";", &lim,
	    "too many actions");
	sieve_limits_default(&lim);
	lim.max_redirects = 1;
	fails("redirect \"a@example.com\"; redirect \"b@example.com\";", &lim, "too many redirects");
	sieve_limits_default(&lim);
	fails("require [\"reject\", \"fileinto\"]; fileinto \"a\"; reject \"no\";", &lim, "reject");
	fails("redirect \"not an address\";", &lim, "bad address");
	/* a corrupt compiled form: an error and the implicit keep, never a crash */
	assert_int_equal(sieve_run(junk, sizeof(junk) - 1, &lim, &env, &res), -1);
	assert_int_equal(res.nact, 1);
	assert_int_equal(res.act[0].type, SIEVE_KEEP);
	assert_non_null(strstr(res.error, "compiled script"));
	sieve_result_free(&res);
}

static const char RFC_MSG[] =
    "Received: from a by b; Mon, 26 Feb 2007 10:00:00 -0500\r\n"
    "Received: from c by a; Mon, 26 Feb 2007 08:00:00 -0500\r\n"
    "From: boss@example.com\r\n"
    "To: coyote@ACME.Example.COM\r\n"
    "Subject: [acme-users] [fwd] version 1.0 is out\r\n"
    "List-ID: ACME users <acme-users@lists.example.com>\r\n"
    "Date: Mon, 26 Feb 2007 10:30:00 -0800\r\n"
    "X-Priority: 1\r\n"
    "Message-ID: <rfc@example.com>\r\n"
    "\r\n"
    "the missile coordinates\r\n";

/* rfc - src on RFC_MSG gives want */
static void
rfc(const char *src, const char *want)
{
	struct fixture f = { .msg = RFC_MSG, .to = "coyote@acme.example.com" };

	expect_f(src, &f, want);
}

/* test_rfc_examples - the RFCs' own examples, on a message made for them */
static void
test_rfc_examples(void **state)
{
	/* RFC 5229 3.2: match variables, leftmost wildcards shortest */
	rfc("require [\"fileinto\", \"variables\"];\n"
	    "if header :matches \"List-ID\" \"*<*@*\" { fileinto \"INBOX.lists.${2}\"; stop; }",
	    "fileinto INBOX.lists.acme-users");
	rfc("require [\"fileinto\", \"variables\"];\n"
	    "if header :matches \"Subject\" \"[*] *\" { fileinto \"INBOX.lists.${1}|${2}\"; stop; }",
	    "fileinto INBOX.lists.acme-users|[fwd] version 1.0 is out");
	rfc("require [\"fileinto\", \"variables\"];\n"
	    "if address :matches [\"To\", \"Cc\"] [\"coyote@**.com\", \"wile@**.com\"] {\n"
	    "  fileinto \"INBOX.business.${2}|${1}|${0}\"; stop; }",
	    "fileinto INBOX.business.ACME.Example||coyote@ACME.Example.COM");
	/* RFC 5229 4: set, names case-insensitive, and the modifiers */
	rfc("require [\"variables\", \"fileinto\"];\n"
	    "set \"honorific\" \"Mr\"; set \"last_name\" \"Coyote\";\n"
	    "set \"a\" \"juMBlEd lETteRS\";\n"
	    "set :length \"l\" \"${a}\"; set :lower \"lo\" \"${a}\"; set :upperfirst \"uf\" \"${a}\";\n"
	    "set :upperfirst :lower \"ufl\" \"${a}\"; set :quotewildcard \"q\" \"Rock*\";\n"
	    "fileinto \"${HONORIFIC} ${last_name}|${l}|${lo}|${uf}|${ufl}|${q}\";",
	    "fileinto Mr Coyote|15|jumbled letters|JuMBlEd lETteRS|Jumbled letters|Rock\\*");
	/* RFC 5230 4: vacation, with :subject from a match variable (no reply: List-ID) */
	rfc("require [\"vacation\", \"variables\"];\n"
	    "if header :matches \"subject\" \"*\" {\n"
	    "  vacation :subject \"Automatic response to: ${1}\" \"I'm away\"; }",
	    "keep");
	rfc("require [\"vacation\", \"fileinto\"];\n"
	    "if header :contains \"from\" \"boss@example.com\" { redirect \"pleeb@xanadu.example.com\"; }\n"
	    "else { vacation \"Sorry, I'm away, I'll read your message when I get around to it.\"; }",
	    "redirect pleeb@xanadu.example.com");
	/* RFC 5231 4: relational */
	rfc("require [\"relational\", \"comparator-i;ascii-numeric\", \"fileinto\"];\n"
	    "if header :value \"lt\" :comparator \"i;ascii-numeric\" [\"x-priority\"] [\"3\"] {\n"
	    "  fileinto \"Priority\"; }\n"
	    "elsif address :count \"gt\" :comparator \"i;ascii-numeric\" [\"to\"] [\"5\"] {\n"
	    "  fileinto \"Spam\"; }\n"
	    "elsif address :value \"gt\" :all :comparator \"i;ascii-casemap\" [\"from\"] [\"M\"] {\n"
	    "  fileinto \"From N-Z\"; } else { fileinto \"From A-M\"; }\n"
	    "if allof (address :count \"eq\" :comparator \"i;ascii-numeric\" [\"to\", \"cc\"] [\"1\"],\n"
	    "  address :all :comparator \"i;ascii-casemap\" [\"to\", \"cc\"] [\"coyote@acme.example.com\"])\n"
	    "  { fileinto \"Only me\"; }",
	    "fileinto Priority; fileinto Only me");
	/* RFC 5233: subaddress */
	rfc("require [\"envelope\", \"subaddress\", \"fileinto\"];\n"
	    "if envelope :user \"to\" \"coyote\" { fileinto \"coyote\"; }\n"
	    "if envelope :detail \"to\" \"mta-filters\" { fileinto \"mta-filters\"; }",
	    "fileinto coyote");
	/* RFC 5260 7 and 8: date and index */
	rfc("require [\"date\", \"relational\", \"fileinto\"];\n"
	    "if allof(header :is \"from\" \"boss@example.com\",\n"
	    "  date :value \"ge\" :originalzone \"date\" \"hour\" \"09\",\n"
	    "  date :value \"lt\" :originalzone \"date\" \"hour\" \"17\") { fileinto \"urgent\"; }",
	    "fileinto urgent");
	rfc("require [\"date\", \"relational\", \"index\"];\n"
	    "if date :value \"gt\" :index 2 :zone \"-0500\" \"received\"\n"
	    "  \"iso8601\" \"2007-02-26T09:00:00-05:00\" { redirect \"aftercutoff@example.org\"; }",
	    "keep");
	rfc("require [\"date\", \"relational\", \"index\"];\n"
	    "if date :value \"gt\" :index 1 :zone \"-0500\" \"received\"\n"
	    "  \"iso8601\" \"2007-02-26T09:00:00-05:00\" { redirect \"aftercutoff@example.org\"; }",
	    "redirect aftercutoff@example.org");
	/* RFC 5173: body */
	rfc("require [\"body\", \"fileinto\"];\n"
	    "if body :content \"text\" :contains [\"missile\", \"coordinates\"] { fileinto \"secrets\"; }\n"
	    "if body :content \"audio\" :contains \"\" { fileinto \"music\"; }",
	    "fileinto secrets");
	/* RFC 7352: duplicate with a unique id from a match variable */
	rfc("require [\"duplicate\", \"variables\", \"imap4flags\", \"fileinto\"];\n"
	    "if header :matches \"subject\" \"[*] *\" {\n"
	    "  if not duplicate :seconds 60 :uniqueid \"${1}\" { setflag \"\\\\seen\"; }\n"
	    "  fileinto \"Alerts\"; }",
	    "fileinto Alerts +\\seen");
	/* RFC 5228 2.4.2.4, RFC 3894, RFC 5490, RFC 5429 */
	rfc("require \"encoded-character\";\n"
	    "if header :contains \"subject\" \"$${hex:24 24}\" { discard; }", "keep");
	rfc("require [\"copy\"]; redirect :copy \"sales@example.com\";",
	    "redirect sales@example.com :copy; keep");
	rfc("require [\"mailbox\", \"fileinto\"]; fileinto :create \"INBOX.Folder\";",
	    "fileinto INBOX.Folder");
	rfc("require [\"reject\"];\nif size :over 100K { reject text:\nToo big\n.\n; }\n"
	    "if header :contains \"from\" \"boss\" { reject \"I am not here.\"; }",
	    "reject I am not here.");
}

/* test_matches - :matches wildcards and captures (RFC 5229 3.2: leftmost shortest) */
static void
test_matches(void **state)
{
	expect("require [\"variables\", \"fileinto\"]; "
	    "if string :matches \"a.b.c\" \"*.*\" { fileinto \"${1}|${2}\"; }", "fileinto a|b.c");
	expect("require [\"variables\", \"fileinto\"]; "
	    "if string :matches \"abcabc\" \"?b*c\" { fileinto \"${1}|${2}\"; }", "fileinto a|cab");
	expect("require [\"variables\"]; if string :matches \"a*b\" \"a\\\\*b\" { discard; }", "");
	expect("require [\"variables\"]; if string :matches \"axb\" \"a\\\\*b\" { discard; }", "keep");
	expect("if header :matches \"subject\" \"\" { discard; }", "keep");
	expect("if header :matches \"subject\" \"*\" { discard; }", "");
	expect("if header :matches \"subject\" \"make*FAST\" { discard; }", "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_core),
		cmocka_unit_test(test_extensions),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_vacation),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_matches),
		cmocka_unit_test(test_rfc_examples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
