/*
 * test_sieve_compile.c - the Sieve compiler: the scripts of the RFCs'
 * examples compile, malformed ones fail with the right line and column,
 * the limits hold, and a corrupt compiled form is refused, not crashed on.
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
#include "sieve/sieve_int.h"

/* compile - compile s with the default limits; 0 or -1, err set */
static int
compile(const char *s, struct sieve_error *err)
{
	struct sieve_limits lim;
	unsigned char *bin;
	size_t len;
	int r;

	sieve_limits_default(&lim);
	r = sieve_compile(s, strlen(s), &lim, &bin, &len, err);
	free(bin);
	return r;
}

/* ok - s compiles */
static void
ok(const char *s)
{
	struct sieve_error err;

	if (compile(s, &err) != 0)
		fail_msg("%u:%u: %s\nin: %s", err.line, err.col, err.msg, s);
}

/* bad - s fails at line:col with a message containing what */
static void
bad(const char *s, unsigned line, unsigned col, const char *what)
{
	struct sieve_error err;

	if (compile(s, &err) == 0)
		fail_msg("compiled: %s", s);
	if (err.line != line || err.col != col || strstr(err.msg, what) == NULL)
		fail_msg("got %u:%u: %s, want %u:%u: ...%s...\nin: %s", err.line, err.col, err.msg,
		    line, col, what, s);
}

/* test_rfc5228 - the examples of RFC 5228 */
static void
test_rfc5228(void **state)
{
	ok("if size :over 500K { discard; }");
	ok("require \"fileinto\";\r\n"
	   "if header :is \"Sender\" \"owner-ietf-mta-filters@imc.org\"\r\n"
	   "        {\r\n"
	   "            fileinto \"filter\";  # move to \"filter\" mailbox\r\n"
	   "        }\r\n"
	   "    #\r\n"
	   "    # Keep all messages to or from people in my company\r\n"
	   "    #\r\n"
	   "    elsif address :DOMAIN :is [\"From\", \"To\"] \"example.com\"\r\n"
	   "        {\r\n"
	   "            keep;               # keep in \"In\" mailbox\r\n"
	   "        }\r\n"
	   "    elsif anyof (NOT address :all :contains\r\n"
	   "                    [\"To\", \"Cc\", \"Bcc\"] \"me@example.com\",\r\n"
	   "                 header :matches \"subject\"\r\n"
	   "                    [\"*make*money*fast*\", \"*university*dipl*mas*\"])\r\n"
	   "        {\r\n"
	   "            fileinto \"spam\";   # move to \"spam\" mailbox\r\n"
	   "        }\r\n"
	   "    else\r\n"
	   "        {\r\n"
	   "            fileinto \"personal\";\r\n"
	   "        }\r\n");
	ok("require \"fileinto\";\n"
	   "if header :contains \"from\" \"coyote\" {\n"
	   "   discard;\n"
	   "} elsif header :contains [\"subject\"] [\"$$$\"] {\n"
	   "   discard;\n"
	   "} else {\n"
	   "   fileinto \"INBOX\";\n"
	   "}\n");
	ok("if anyof (not exists [\"From\",\"Date\"], header :contains \"from\" \"fool@example.com\") { discard; }");
	ok("require \"envelope\";\nif envelope :all :is \"from\" \"tim@example.com\" { discard; }");
	ok("if header :is :comparator \"i;octet\" \"Subject\" \"MAKE MONEY FAST\" { discard; }");
	ok("/* a\ncomment */ if true { stop; } # x");
	ok("if header :is \"X-Caffeine\" \"\" { discard; }");
	ok("redirect text:\n..dot\nline\n.\n;");
	ok("require [\"comparator-i;ascii-numeric\"];\n"
	   "if header :is :comparator \"i;ascii-numeric\" \"X-N\" \"10\" { keep; }");
}

/* test_extensions - one script for each extension's examples */
static void
test_extensions(void **state)
{
	ok("require [\"reject\"];\nif header :contains \"subject\" \"x\" { reject text:\nno\n.\n; }");
	ok("require [\"ereject\"];\nereject \"no thanks\";");
	ok("require \"encoded-character\";\nif header :contains \"Subject\" \"$${hex:24 24}\" { discard; }");
	ok("require [\"imap4flags\", \"fileinto\"];\n"
	   "if header :contains \"from\" \"boss@frobnitzm.example.edu\" {\n"
	   "  setflag \"flagvar\" \"\\\\Flagged\";\n"
	   "  fileinto :flags \"\\\\Deleted\" \"INBOX.From Boss\";\n"
	   "}\n"
	   "addflag [\"\\\\Seen\", \"$MDNSent\"];\nremoveflag \"\\\\Seen\";\n"
	   "if hasflag :contains \"MyVar\" \"Junk\" { discard; }\n"
	   "if hasflag \"\\\\Seen\" { keep :flags \"\\\\Seen\"; }");
	ok("require [\"copy\", \"fileinto\"];\nfileinto :copy \"incoming\";\nredirect :copy \"a@example.com\";");
	ok("require \"body\";\n"
	   "if body :raw :contains \"MAKE MONEY FAST\" { discard; }\n"
	   "if body :content [\"text\", \"audio\"] :contains \"missile\" { discard; }\n"
	   "if body :text :contains \"x\" { discard; }");
	ok("require [\"variables\", \"fileinto\"];\n"
	   "if header :matches \"List-ID\" \"*<*@*\" {\n"
	   "  fileinto \"INBOX.lists.${2}\"; stop;\n}\n"
	   "set \"honorific\" \"Mr\";\nset :lower :upperfirst \"b\" \"${a}\";\n"
	   "set :length \"n\" \"${b}\";\nif string :is \"${n}\" \"3\" { discard; }");
	ok("require [\"vacation\", \"vacation-seconds\"];\n"
	   "vacation :seconds 1800 :subject \"Out\" :from \"me@example.com\"\n"
	   "  :addresses [\"me@example.com\", \"me2@example.com\"] :handle \"h\" \"I'm out\";");
	ok("require \"vacation\";\nvacation :days 7 :mime text:\nContent-Type: text/plain\n\nout\n.\n;");
	ok("require [\"relational\", \"comparator-i;ascii-numeric\"];\n"
	   "if header :value \"lt\" :comparator \"i;ascii-numeric\" [\"x-priority\"] [\"3\"] { keep; }\n"
	   "if address :count \"ge\" :comparator \"i;ascii-numeric\" [\"to\", \"cc\"] [\"3\"] { keep; }");
	ok("require [\"envelope\", \"subaddress\", \"fileinto\"];\n"
	   "if envelope :user \"to\" \"postmaster\" { fileinto \"a\"; }\n"
	   "if envelope :detail \"to\" \"mta-filters\" { fileinto \"b\"; }");
	ok("require [\"date\", \"relational\", \"index\", \"variables\"];\n"
	   "if date :value \"ge\" :originalzone \"date\" \"hour\" \"09\" { keep; }\n"
	   "if currentdate :zone \"+0100\" :is \"weekday\" \"0\" { keep; }\n"
	   "if date :index 1 :last :zone \"-0800\" \"received\" \"date\" \"2007-02-26\" { keep; }\n"
	   "if currentdate :matches \"date\" \"*\" { set \"date\" \"${1}\"; }");
	ok("require [\"regex\", \"variables\"];\n"
	   "if header :regex \"subject\" \"^(a|b)+[0-9]{2}$\" { set :quoteregex \"x\" \"${1}\"; }");
	ok("require [\"duplicate\", \"variables\"];\n"
	   "if duplicate { discard; }\n"
	   "if duplicate :header \"X-Event-ID\" :handle \"notifier\" :seconds 60 :last { discard; }\n"
	   "if duplicate :uniqueid \"${x}\" { discard; }");
	ok("require [\"include\", \"variables\"];\n"
	   "global [\"a\"];\ninclude :personal \"always_allow\";\ninclude :global :once :optional \"spam\";\n"
	   "return;");
	ok("require [\"fileinto\", \"mailbox\"];\n"
	   "if mailboxexists \"Partners\" { fileinto :create \"Partners\"; }");
	ok("require \"comparator-i;unicode-casemap\";\n"
	   "if header :contains :comparator \"i;unicode-casemap\" \"subject\" \"\xc3\xa9t\xc3\xa9\" { keep; }");
}

/* test_malformed - each error names the right place */
static void
test_malformed(void **state)
{
	bad("keep", 1, 5, "expected ';'");
	bad("if true {\n keep;\n", 3, 1, "missing '}'");
	bad("keep;\n}", 2, 1, "unexpected '}'");
	bad("frobnicate;", 1, 1, "unknown command \"frobnicate\"");
	bad("if frob { keep; }", 1, 4, "unknown test \"frob\"");
	bad("fileinto \"x\";", 1, 1, "require \"fileinto\"");
	bad("require \"fileinto\";\nfileinto;", 2, 1, "missing argument");
	bad("require \"fileinto\";\nfileinto 12;", 2, 10, "expects a string");
	bad("require \"fileinto\";\nfileinto [\"a\", \"b\"];", 2, 10, "expects a string");
	bad("require \"nope\";", 1, 9, "unknown extension \"nope\"");
	bad("keep;\nrequire \"fileinto\";", 2, 1, "require must come before");
	bad("if header :frob \"a\" \"b\" { keep; }", 1, 11, "unknown tag :frob");
	bad("if header :is :contains \"a\" \"b\" { keep; }", 1, 15, "conflicts");
	bad("if header :regex \"a\" \"b\" { keep; }", 1, 11, "require \"regex\"");
	bad("require \"regex\";\nif header :regex \"a\" \"(\" { keep; }", 2, 22, "bad regex");
	bad("if header :comparator \"i;foo\" \"a\" \"b\" { keep; }", 1, 23, "unknown comparator");
	bad("if header :comparator \"i;ascii-numeric\" \"a\" \"b\" { keep; }", 1, 23,
	    "require \"comparator-i;ascii-numeric\"");
	bad("require \"relational\";\nif header :value \"xx\" \"a\" \"b\" { keep; }", 2, 18,
	    "unknown relation");
	bad("else { keep; }", 1, 1, "else without if");
	bad("if true keep;", 1, 1, "needs a block");
	bad("if size 100 { }", 1, 9, "too many arguments");
	bad("if size :over { }", 1, 9, "needs an argument");
	bad("if true;", 1, 1, "needs a block");
	bad("keep { }", 1, 1, "takes no block");
	bad("if \"x\" { }", 1, 4, "too many arguments");
	bad("if { }", 1, 1, "needs one test");
	bad("discard \"x\";", 1, 9, "too many arguments");
	bad("\"x\";", 1, 1, "expected a command");
	bad("keep;\n  /* never ends", 2, 3, "unterminated comment");
	bad("redirect \"abc", 1, 10, "unterminated string");
	bad("redirect text: x\nabc\n.\n;", 1, 16, "line break");
	bad("redirect text:\nabc\n", 1, 10, "unterminated multi-line");
	bad("if size :over 99999999999999999 { }", 1, 15, "number too large");
	bad("if header :is [\"a\" \"b\"] \"c\" { }", 1, 20, "expected ',' or ']'");
	bad("if anyof (true false) { }", 1, 16, "true takes no test");
	bad("if anyof (true ;) { }", 1, 16, "expected ',' or ')'");
	bad("keep; @", 1, 7, "unexpected character");
	bad("require \"variables\";\nset \"1a\" \"x\";", 2, 5, "bad variable name");
	bad("require \"date\";\nif date \"date\" \"century\" \"x\" { }", 2, 16, "unknown date part");
	bad("require \"date\";\nif currentdate :zone \"EST\" \"year\" \"x\" { }", 2, 22, "bad zone");
	bad("require \"vacation\";\nvacation :days 1 :seconds 2 \"x\";", 2, 18, "require \"vacation-seconds\"");
	bad("require [\"vacation\", \"vacation-seconds\"];\nvacation :days 1 :seconds 2 \"x\";", 2, 18,
	    "conflicts");
	bad("require \"fileinto\";\nfileinto :create \"x\";", 2, 10, "require \"mailbox\"");
	bad("if header :contains :user \"to\" \"x\" { }", 1, 21, "unknown tag :user");
	bad("if exists \"a\" \"b\" { }", 1, 15, "too many arguments");
	bad("require \"comparator-i;ascii-numeric\";\n"
	    "if header :contains :comparator \"i;ascii-numeric\" \"a\" \"1\" { }", 2, 4,
	    "does not support :contains");
}

/* test_limits - nesting and size limits */
static void
test_limits(void **state)
{
	struct sieve_limits lim;
	struct sieve_error err;
	unsigned char *bin = NULL;
	size_t len;
	char s[4096] = "";

	sieve_limits_default(&lim);
	lim.max_nesting = 3;
	assert_int_equal(sieve_compile("if true { if true { if true { keep; } } }", 41, &lim, &bin,
	    &len, &err), 0);
	free(bin);
	assert_int_equal(sieve_compile("if true { if true { if true { if true { keep; } } } }", 52, &lim,
	    &bin, &len, &err), -1);
	assert_int_equal(err.line, 1);
	assert_int_equal(err.col, 34);
	assert_non_null(strstr(err.msg, "nested too deeply"));
	for (int i = 0; i < 40; i++)
		strcat(s, "not ");
	strcat(s, "true");
	char script[4200];
	snprintf(script, sizeof(script), "if %s { keep; }", s);
	assert_int_equal(sieve_compile(script, strlen(script), &lim, &bin, &len, &err), -1);
	assert_non_null(strstr(err.msg, "nested too deeply"));
	assert_int_equal(sieve_compile("keep;\n\0", 7, &lim, &bin, &len, &err), -1);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 1);
	assert_non_null(strstr(err.msg, "NUL byte"));
	lim.max_script_size = 10;
	assert_int_equal(sieve_compile("keep; keep; keep;", 17, &lim, &bin, &len, &err), -1);
	assert_non_null(strstr(err.msg, "too large"));
}

/* test_corrupt - every truncation and byte flip of a compiled form is refused or runs cleanly */
static void
test_corrupt(void **state)
{
	static const char script[] =
	    "require [\"fileinto\", \"variables\", \"regex\"];\n"
	    "if header :regex \"subject\" \"^a(b)\" { fileinto \"x${1}\"; } else { keep; }";
	struct sieve_limits lim;
	struct sieve_error err;
	unsigned char *bin;
	size_t len;
	struct sv_node *top;
	size_t ntop;
	uint32_t exts;

	sieve_limits_default(&lim);
	assert_int_equal(sieve_compile(script, strlen(script), &lim, &bin, &len, &err), 0);
	assert_int_equal(sv_decode(bin, len, &top, &ntop, &exts, &err), 0);
	sv_nodes_free(top, ntop);
	for (size_t cut = 0; cut < len; cut++)
		assert_int_equal(sv_decode(bin, cut, &top, &ntop, &exts, &err), -1);
	for (size_t i = 0; i < len; i++)
		for (int bit = 0; bit < 8; bit++) {
			bin[i] ^= (unsigned char)(1 << bit);
			if (sv_decode(bin, len, &top, &ntop, &exts, &err) == 0)
				sv_nodes_free(top, ntop);
			bin[i] ^= (unsigned char)(1 << bit);
		}
	free(bin);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc5228),
		cmocka_unit_test(test_extensions),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_corrupt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
