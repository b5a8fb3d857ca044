/*
 * test_imap_parser.c - the IMAP command parser, table-driven. Every case is
 * fed whole, one byte at a time, and split in two at every position; all
 * must give the same transcript of results. The transcript shows a command
 * as "tag NAME args|" re-serialized (atoms raw, strings quoted, literals as
 * {n}data or ~{n}data, NUL bytes as \0), "+n|" for a continuation request,
 * "LINE:text|" in line mode and "!tag:message[flags]|" for an error.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "imapsyn/imap_parser.h"
#include "util/buf.h"

enum preset { P_DEFAULT, P_SMALL, P_PLUS, P_MINUS };

static const struct imap_parser_opts presets[] = {
	[P_DEFAULT] = { 0 },
	[P_SMALL] = { .max_line = 40, .max_literal = 10, .max_depth = 3, .max_args = 5,
		.max_command = 70 },
	[P_PLUS] = { .max_literal = 10, .literal_plus = IMAP_LITERAL_PLUS },
	[P_MINUS] = { .literal_plus = IMAP_LITERAL_MINUS },
};

/* S - a string constant with its length, so inputs may hold NUL */
#define S(s) s, sizeof(s) - 1

static const struct {
	enum preset opts;
	const char *in;
	size_t len;
	const char *want;
} cases[] = {
	/* RFC 3501 and RFC 9051 examples */
	{ P_DEFAULT, S("a001 LOGIN SMITH SESAME\r\n"), "a001 LOGIN SMITH SESAME|" },
	{ P_DEFAULT, S("A142 SELECT INBOX\r\n"), "A142 SELECT INBOX|" },
	{ P_DEFAULT, S("A101 LIST \"\" *\r\nA102 LIST ~/Mail/ %\r\n"),
	  "A101 LIST \"\" *|A102 LIST ~/Mail/ %|" },
	{ P_DEFAULT, S("A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])\r\n"),
	  "A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])|" },
	{ P_DEFAULT, S("a003 fetch 12 body[header]\r\n"), "a003 fetch 12 body[header]|" },
	{ P_DEFAULT, S("A3 FETCH 1 BODY.PEEK[HEADER.FIELDS (DATE FROM)]<0.2048>\r\n"),
	  "A3 FETCH 1 BODY.PEEK[HEADER.FIELDS (DATE FROM)]<0.2048>|" },
	{ P_DEFAULT, S("A3 FETCH 1 (BODY[HEADER.FIELDS (\"X]\" \"a\\\\\")] RFC822.SIZE)\r\n"),
	  "A3 FETCH 1 (BODY[HEADER.FIELDS (\"X]\" \"a\\\\\")] RFC822.SIZE)|" },
	{ P_DEFAULT, S("A5 UID FETCH 1:* (BODY.PEEK[1.MIME] BINARY[2]<0.10>)\r\n"),
	  "A5 UID FETCH 1:* (BODY.PEEK[1.MIME] BINARY[2]<0.10>)|" },
	{ P_DEFAULT, S("A003 STORE 2:4 +FLAGS.SILENT (\\Deleted)\r\n"),
	  "A003 STORE 2:4 +FLAGS.SILENT (\\Deleted)|" },
	{ P_DEFAULT, S("A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"\r\n"),
	  "A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"|" },
	{ P_DEFAULT, S("A284 SEARCH CHARSET UTF-8 TEXT {6}\r\n\xd0\x9a\xd0\xbe\xd0\xb5\r\n"),
	  "+6|A284 SEARCH CHARSET UTF-8 TEXT {6}\xd0\x9a\xd0\xbe\xd0\xb5|" },
	{ P_DEFAULT, S("A1 SEARCH OR (FROM \"a\" (TO b SUBJECT {3}\r\nxyz)) UNSEEN\r\n"),
	  "+3|A1 SEARCH OR (FROM \"a\" (TO b SUBJECT {3}xyz)) UNSEEN|" },
	{ P_DEFAULT, S("A003 APPEND saved-messages (\\Seen) \"17-Jul-1996 02:44:25 -0700\" {12}\r\n"
	    "Subject: x\r\n\r\n"),
	  "+12|A003 APPEND saved-messages (\\Seen) \"17-Jul-1996 02:44:25 -0700\" {12}Subject: x\r\n|" },
	{ P_PLUS, S("A1 APPEND INBOX {5+}\r\nhello\r\n"), "A1 APPEND INBOX {5}hello|" },
	{ P_MINUS, S("A1 APPEND INBOX {5+}\r\nhello\r\n"), "A1 APPEND INBOX {5}hello|" },
	{ P_DEFAULT, S("A004 UID COPY 2:4 MEETING\r\n"), "A004 UID COPY 2:4 MEETING|" },
	{ P_DEFAULT, S("a023 ID (\"name\" \"sodr\" \"version\" \"19.34\")\r\n"),
	  "a023 ID (\"name\" \"sodr\" \"version\" \"19.34\")|" },
	{ P_DEFAULT, S("a ID NIL\r\nb ID nil\r\nc ID \"NIL\"\r\n"),
	  "a ID NIL|b ID NIL|c ID \"NIL\"|" },
	{ P_DEFAULT, S("A1 ENABLE IMAP4rev2\r\nA2 NOOP\r\n"), "A1 ENABLE IMAP4rev2|A2 NOOP|" },
	/* strings, literals and lists */
	{ P_DEFAULT, S("a LOGIN \"fr\\\"ed\" \"a\\\\b\" \"\"\r\n"),
	  "a LOGIN \"fr\\\"ed\" \"a\\\\b\" \"\"|" },
	{ P_DEFAULT, S("a LOGIN {0}\r\n {0}\r\n\r\n"), "+0|+0|a LOGIN {0} {0}|" },
	{ P_DEFAULT, S("a APPEND INBOX ~{3}\r\na\0b\r\n"), "+3|a APPEND INBOX ~{3}a\\0b|" },
	{ P_DEFAULT, S("a X {3}\r\na\0b\r\n"), "+3|a X {3}a\\0b|" },
	{ P_DEFAULT, S("a STATUS INBOX ()\r\nb X ((a) () (b (c)))\r\n"),
	  "a STATUS INBOX ()|b X ((a) () (b (c)))|" },
	{ P_DEFAULT, S("a NOOP\nb CHECK\r\n"), "a NOOP|b CHECK|" },
	{ P_DEFAULT, S("a SELECT [Gmail]/Sent\r\nb CREATE foo]\r\n"),
	  "a SELECT [Gmail]/Sent|b CREATE foo]|" },
	{ P_DEFAULT, S("a STORE 1 FLAGS (\\Seen $Label1)\r\n"), "a STORE 1 FLAGS (\\Seen $Label1)|" },
	{ P_DEFAULT, S("a LOGIN \"\xc3\xa9\" x\r\n"), "a LOGIN \"\xc3\xa9\" x|" },
	/* line mode: AUTHENTICATE and IDLE */
	{ P_DEFAULT, S("a AUTHENTICATE PLAIN\r\ndGVzdAB0ZXN0AHRlc3Q=\r\nb NOOP\r\n"),
	  "a AUTHENTICATE PLAIN|LINE:dGVzdAB0ZXN0AHRlc3Q=|b NOOP|" },
	{ P_DEFAULT, S("a IDLE\r\nDONE\r\nb IDLE\r\n\n"), "a IDLE|LINE:DONE|b IDLE|LINE:|" },
	/* errors, each followed by a command that must parse after the resync */
	{ P_DEFAULT, S("a LOGIN \"abc\r\nb NOOP\r\n"), "!a:Unterminated quoted string|b NOOP|" },
	{ P_DEFAULT, S("a LOGIN \"abc\nb NOOP\r\n"), "!a:Unterminated quoted string|b NOOP|" },
	{ P_DEFAULT, S("a LOGIN \"a\\b\" x\r\nb NOOP\r\n"),
	  "!a:Invalid escape in quoted string|b NOOP|" },
	{ P_DEFAULT, S("a LOGIN \"a\0\"\r\nb NOOP\r\n"), "!a:NUL in quoted string|b NOOP|" },
	{ P_DEFAULT, S("a LOGIN {abc}\r\nb NOOP\r\n"), "!a:Invalid literal|b NOOP|" },
	{ P_DEFAULT, S("a LOGIN {}\r\nb NOOP\r\n"), "!a:Invalid literal|b NOOP|" },
	{ P_DEFAULT, S("a LOGIN {5x\r\nb NOOP\r\n"), "!a:Invalid literal|b NOOP|" },
	{ P_DEFAULT, S("a LOGIN {5}x\r\nb NOOP\r\n"), "!a:Invalid literal|b NOOP|" },
	{ P_DEFAULT, S("a LOGIN ~x ~\r\nb X ~\"\r\nc NOOP\r\n"),
	  "a LOGIN ~x ~|!b:Invalid characters in atom|c NOOP|" },
	{ P_DEFAULT, S("a LOGIN {99999999999999999999}\r\nb NOOP\r\n"),
	  "!a:Literal size too big|b NOOP|" },
	{ P_DEFAULT, S("a LOGIN \xc3\xa9\r\nb NOOP\r\n"), "!a:Invalid characters in atom|b NOOP|" },
	{ P_DEFAULT, S("a LOGIN ab\x01\r\nb NOOP\r\n"), "!a:Invalid characters in atom|b NOOP|" },
	{ P_DEFAULT, S("a LOGIN ab{1}\r\nb NOOP\r\n"), "!a:Invalid characters in atom|b NOOP|" },
	{ P_SMALL, S("a X ((((a))))\r\nb NOOP\r\n"), "!a:Too deep nesting|b NOOP|" },
	{ P_SMALL, S("a X (((a)))\r\n"), "a X (((a)))|" },
	{ P_SMALL, S("a X 0123456789012345678901234567890123456789\r\nb NOOP\r\n"),
	  "!a:Line too long[toobig]|b NOOP|" },
	{ P_SMALL, S("0123456789012345678901234567890123456789\r\nb NOOP\r\n"),
	  "!*:Line too long[toobig]|b NOOP|" },
	{ P_SMALL, S("a APPEND INBOX {11}\r\nb NOOP\r\n"), "!a:Literal too big[toobig]|b NOOP|" },
	{ P_SMALL, S("a APPEND INBOX {10}\r\n0123456789\r\n"), "+10|a APPEND INBOX {10}0123456789|" },
	{ P_SMALL, S("a X {10}\r\n0123456789 {10}\r\n0123456789 {10}\r\n0123456789\r\n"),
	  "+10|+10|+10|a X {10}0123456789 {10}0123456789 {10}0123456789|" },
	{ P_SMALL, S("a X {10}\r\n0123456789 {10}\r\n0123456789 {10}\r\n0123456789 {10}\r\n"
	    "b NOOP\r\n"), "+10|+10|+10|!a:Literal too big[toobig]|b NOOP|" },
	{ P_SMALL, S("a X {10}\r\n0123456789 {10}\r\n0123456789 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
	    "b NOOP\r\n"), "+10|+10|!a:Command too long[toobig]|b NOOP|" },
	{ P_PLUS, S("a APPEND INBOX {11+}\r\n01234567890\r\n"), "!a:Literal too big[toobig,fatal]|" },
	{ P_MINUS, S("a APPEND INBOX {4097+}\r\nb NOOP\r\n"), "!a:Literal too big[toobig,fatal]|" },
	{ P_DEFAULT, S("a APPEND INBOX {1+}\r\nx\r\nb NOOP\r\n"),
	  "!a:Non-synchronizing literals not allowed[fatal]|" },
	{ P_SMALL, S("a X 1 2 3 4 5\r\nb X 1 2 3 4 5 6\r\nc NOOP\r\n"),
	  "a X 1 2 3 4 5|!b:Too many arguments|c NOOP|" },
	{ P_SMALL, S("b X (1 2 (3 4)) 5\r\nc NOOP\r\n"), "!b:Too many arguments|c NOOP|" },
	{ P_DEFAULT, S("a X \r\nb NOOP\r\n"), "!a:Missing argument|b NOOP|" },
	{ P_DEFAULT, S("a X a)\r\nb NOOP\r\n"), "!a:Unexpected ')'|b NOOP|" },
	{ P_DEFAULT, S("a X (a )\r\nb NOOP\r\n"), "!a:Unexpected ')'|b NOOP|" },
	{ P_DEFAULT, S("a X (a\r\nb NOOP\r\n"), "!a:Missing ')'|b NOOP|" },
	{ P_DEFAULT, S("a X \"a\"b\r\nb NOOP\r\n"), "!a:Missing space after argument|b NOOP|" },
	{ P_DEFAULT, S("a X  b\r\nb NOOP\r\n"), "!a:Invalid characters in atom|b NOOP|" },
	{ P_DEFAULT, S("a X {2}\r\nab\"c\r\nb NOOP\r\n"), "+2|!a:Missing space after argument|b NOOP|" },
	{ P_DEFAULT, S("a X\rb\nb NOOP\r\n"), "!a:Expected LF after CR|b NOOP|" },
	{ P_DEFAULT, S("\r\nb NOOP\r\n\n"), "!*:Empty command line|b NOOP|!*:Empty command line|" },
	{ P_DEFAULT, S("+ X\r\n a\r\na \r\nb NOOP\r\n"),
	  "!*:Invalid tag|!*:Invalid tag|!a:Missing command|b NOOP|" },
	{ P_DEFAULT, S("a\r\nb NO[OP\r\n"), "!*:Missing command|!b:Invalid command name|" },
	{ P_DEFAULT, S("a FETCH 1 BODY[HEADER\r\nb NOOP\r\n"), "!a:Invalid section|b NOOP|" },
	{ P_DEFAULT, S("a FETCH 1 BODY[[]]\r\nb NOOP\r\n"), "!a:Invalid section|b NOOP|" },
	{ P_DEFAULT, S("a FETCH 1 BODY[\"a\\x\"]\r\nb NOOP\r\n"),
	  "!a:Invalid escape in section|b NOOP|" },
	{ P_DEFAULT, S("a COPY 1 a[b c]\r\nb NOOP\r\n"), "a COPY 1 a[b c]|b NOOP|" },
};

/* put_arg - one argument, re-serialized */
static void
put_arg(struct buf *out, const struct imap_arg *a)
{
	switch (a->type) {
	case IMAP_ARG_LIST:
		buf_putc(out, '(');
		for (size_t i = 0; i < a->count; i++) {
			if (i > 0)
				buf_putc(out, ' ');
			put_arg(out, &a->list[i]);
		}
		assert_int_equal(a->list[a->count].type, IMAP_ARG_EOL);
		buf_putc(out, ')');
		return;
	case IMAP_ARG_STRING:
		buf_putc(out, '"');
		for (size_t i = 0; i < a->len; i++) {
			if (a->str[i] == '"' || a->str[i] == '\\')
				buf_putc(out, '\\');
			buf_putc(out, a->str[i]);
		}
		buf_putc(out, '"');
		return;
	case IMAP_ARG_LITERAL:
		buf_printf(out, "%s{%zu}", a->literal8 ? "~" : "", a->len);
		for (size_t i = 0; i < a->len; i++) {
			if (a->str[i] == '\0')
				buf_puts(out, "\\0");
			else
				buf_putc(out, a->str[i]);
		}
		assert_int_equal(a->has_nul, memchr(a->str, 0, a->len) != NULL);
		return;
	case IMAP_ARG_NIL:
		buf_puts(out, "NIL");
		return;
	default:
		assert_int_equal(a->type, IMAP_ARG_ATOM);
		assert_int_equal(strlen(a->str), a->len);
		buf_append(out, a->str, a->len);
	}
}

/* record - append one result to the transcript; false when parsing must stop */
static bool
record(struct imap_parser *p, enum imap_parse_status st, struct buf *out)
{
	const struct imap_cmd *cmd;
	const struct imap_parse_error *err;
	const char *s;
	size_t len;

	switch (st) {
	case IMAP_PARSE_CONTINUATION:
		buf_printf(out, "+%llu|", (unsigned long long)imap_parser_literal_size(p));
		return true;
	case IMAP_PARSE_LINE:
		s = imap_parser_line(p, &len);
		buf_puts(out, "LINE:");
		buf_append(out, s, len);
		buf_putc(out, '|');
		return true;
	case IMAP_PARSE_ERROR:
		err = imap_parser_error(p);
		s = imap_parser_tag(p);
		buf_printf(out, "!%s:%s", s ? s : "*", err->msg);
		if (err->toobig || err->fatal)
			buf_printf(out, "[%s%s%s]", err->toobig ? "toobig" : "",
			    err->toobig && err->fatal ? "," : "", err->fatal ? "fatal" : "");
		buf_putc(out, '|');
		return !err->fatal;
	default:
		cmd = imap_parser_cmd(p);
		buf_printf(out, "%s %s", cmd->tag, cmd->name);
		for (size_t i = 0; i < cmd->count; i++) {
			buf_putc(out, ' ');
			put_arg(out, &cmd->args[i]);
		}
		assert_int_equal(cmd->args[cmd->count].type, IMAP_ARG_EOL);
		buf_putc(out, '|');
		if (strcmp(cmd->name, "AUTHENTICATE") == 0 || strcmp(cmd->name, "IDLE") == 0)
			imap_parser_line_mode(p);
		return true;
	}
}

/* run - feed in, cut at the given positions, into a fresh parser */
static void
run(enum preset opts, const char *in, size_t len, const size_t *cuts, size_t ncuts,
    struct buf *out)
{
	struct imap_parser *p = imap_parser_new(&presets[opts]);
	size_t start = 0;

	for (size_t k = 0; k <= ncuts; k++) {
		size_t end = k < ncuts ? cuts[k] : len;

		while (start < end) {
			size_t used;
			enum imap_parse_status st = imap_parser_feed(p, in + start, end - start, &used);

			assert_true(used <= end - start);
			start += used;
			if (st == IMAP_PARSE_NEED_MORE) {
				assert_int_equal(start, end);
				break;
			}
			if (!record(p, st, out)) {
				imap_parser_free(&p);
				assert_null(p);
				return;
			}
		}
	}
	imap_parser_free(&p);
}

/* check - one way of feeding a case must give its transcript */
static void
check(size_t i, const char *how, const size_t *cuts, size_t ncuts)
{
	struct buf got = BUF_INIT;

	run(cases[i].opts, cases[i].in, cases[i].len, cuts, ncuts, &got);
	if (strcmp(buf_cstr(&got), cases[i].want) != 0)
		fail_msg("case %zu (%s): got \"%s\", want \"%s\"", i, how, buf_cstr(&got),
		    cases[i].want);
	buf_free(&got);
}

/* test_cases - every case whole, byte by byte, and split at every position */
static void
test_cases(void **state)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = cases[i].len, *every = malloc(n * sizeof(*every));
		char how[32];

		check(i, "whole", NULL, 0);
		for (size_t k = 0; k < n; k++)
			every[k] = k + 1;
		check(i, "bytewise", every, n - 1);
		for (size_t k = 1; k < n; k++) {
			snprintf(how, sizeof(how), "split at %zu", k);
			check(i, how, &k, 1);
		}
		free(every);
	}
}

/* feed_all - feed a whole string, expecting one status and everything consumed */
static void
feed_all(struct imap_parser *p, const char *s, enum imap_parse_status want)
{
	size_t used;

	assert_int_equal(imap_parser_feed(p, s, strlen(s), &used), want);
	assert_int_equal(used, strlen(s));
}

/* test_refuse_literal - the server refuses a sync literal and resets */
static void
test_refuse_literal(void **state)
{
	struct imap_parser *p = imap_parser_new(NULL);

	feed_all(p, "a APPEND INBOX {5000}\r\n", IMAP_PARSE_CONTINUATION);
	assert_int_equal(imap_parser_literal_size(p), 5000);
	assert_string_equal(imap_parser_tag(p), "a");
	imap_parser_reset(p);
	assert_null(imap_parser_tag(p));
	feed_all(p, "b NOOP\r\n", IMAP_PARSE_DONE);
	assert_string_equal(imap_parser_cmd(p)->tag, "b");
	imap_parser_free(&p);
	imap_parser_free(&p);
}

/* test_big_literal - a 3 MiB literal in odd chunks arrives intact */
static void
test_big_literal(void **state)
{
	struct imap_parser_opts o = { .max_literal = 4 << 20, .literal_plus = IMAP_LITERAL_PLUS };
	struct imap_parser *p = imap_parser_new(&o);
	size_t n = 3 << 20, used, off = 0;
	char *data = malloc(n);
	const struct imap_cmd *cmd;
	enum imap_parse_status st = IMAP_PARSE_NEED_MORE;

	for (size_t i = 0; i < n; i++)
		data[i] = (char)(i * 7 + 1);
	feed_all(p, "a APPEND INBOX (\\Seen) {3145728+}\r\n", IMAP_PARSE_NEED_MORE);
	while (off < n) {
		size_t chunk = n - off < 4093 ? n - off : 4093;

		st = imap_parser_feed(p, data + off, chunk, &used);
		assert_int_equal(used, chunk);
		off += used;
	}
	assert_int_equal(st, IMAP_PARSE_NEED_MORE);
	feed_all(p, "\r\n", IMAP_PARSE_DONE);
	cmd = imap_parser_cmd(p);
	assert_int_equal(cmd->count, 3);
	assert_int_equal(cmd->args[1].type, IMAP_ARG_LIST);
	assert_string_equal(cmd->args[1].list[0].str, "\\Seen");
	assert_int_equal(cmd->args[2].len, n);
	assert_memory_equal(cmd->args[2].str, data, n);
	assert_true(cmd->args[2].has_nul);
	feed_all(p, "b NOOP\r\n", IMAP_PARSE_DONE);
	free(data);
	imap_parser_free(&p);
}

/* test_args_api - the helpers and a pipelined remainder left unconsumed */
static void
test_args_api(void **state)
{
	struct imap_parser *p = imap_parser_new(NULL);
	const char *in = "t1 X atom NIL \"q\" {1}\r\nl (a)\r\nt2 NOOP\r\n";
	const struct imap_cmd *cmd;
	bool nil;
	size_t used;

	assert_int_equal(imap_parser_feed(p, in, strlen(in), &used), IMAP_PARSE_CONTINUATION);
	assert_int_equal(imap_parser_feed(p, in + used, strlen(in + used), &used),
	    IMAP_PARSE_DONE);
	assert_string_equal(in + strlen(in) - 9, "t2 NOOP\r\n");
	assert_int_equal(used, strlen("l (a)\r\n"));
	cmd = imap_parser_cmd(p);
	assert_int_equal(cmd->count, 5);
	assert_true(imap_arg_atom_is(&cmd->args[0], "ATOM"));
	assert_false(imap_arg_atom_is(&cmd->args[2], "q"));
	assert_string_equal(imap_arg_astring(&cmd->args[1]), "NIL");
	assert_null(imap_arg_nstring(&cmd->args[1], &nil));
	assert_true(nil);
	assert_string_equal(imap_arg_nstring(&cmd->args[2], &nil), "q");
	assert_false(nil);
	assert_string_equal(imap_arg_astring(&cmd->args[3]), "l");
	assert_null(imap_arg_astring(&cmd->args[4]));
	assert_null(imap_arg_astring(&cmd->args[5]));
	imap_parser_free(&p);
}

/* test_fatal_sticks - after a fatal error nothing more is taken */
static void
test_fatal_sticks(void **state)
{
	struct imap_parser *p = imap_parser_new(NULL);
	size_t used;

	feed_all(p, "a X {1+}\r\n", IMAP_PARSE_ERROR);
	assert_true(imap_parser_error(p)->fatal);
	assert_int_equal(imap_parser_feed(p, "b NOOP\r\n", 8, &used), IMAP_PARSE_ERROR);
	assert_int_equal(used, 0);
	imap_parser_set_literal_plus(p, IMAP_LITERAL_PLUS);
	imap_parser_reset(p);
	feed_all(p, "a X {1+}\r\nz\r\n", IMAP_PARSE_DONE);
	imap_parser_free(&p);
}

/* under ASan, a failed allocation returns NULL as malloc does, for test_literal_nomem */
const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

/*
 * test_literal_nomem - literal data that memory cannot hold is a fatal
 * error for the command, not an abort; an announcement reserves nothing.
 * The data is never read: the room for it is refused first.
 */
static void
test_literal_nomem(void **state)
{
	struct imap_parser_opts o = { .max_literal = UINT64_MAX, .literal_plus = IMAP_LITERAL_PLUS };
	struct imap_parser *p = imap_parser_new(&o);
	size_t used, huge = (size_t)1 << 62;

	feed_all(p, "a APPEND INBOX {4611686018427387904+}\r\n", IMAP_PARSE_NEED_MORE);
	assert_int_equal(imap_parser_feed(p, "", huge, &used), IMAP_PARSE_ERROR);
	assert_true(imap_parser_error(p)->fatal);
	assert_string_equal(imap_parser_error(p)->msg, "Out of memory for this command");
	imap_parser_free(&p);
}

/* test_set_opts - the limits change between commands (after login) */
static void
test_set_opts(void **state)
{
	struct imap_parser_opts small = { .max_literal = 4096, .literal_plus = IMAP_LITERAL_MINUS };
	struct imap_parser_opts big = { .max_literal = 1 << 20, .literal_plus = IMAP_LITERAL_PLUS };
	struct imap_parser *p = imap_parser_new(&small);

	feed_all(p, "a X {4097}\r\n", IMAP_PARSE_ERROR);
	assert_true(imap_parser_error(p)->toobig);
	assert_false(imap_parser_error(p)->fatal);
	imap_parser_set_opts(p, &big);
	feed_all(p, "b X {4097+}\r\n", IMAP_PARSE_NEED_MORE);
	imap_parser_free(&p);
}

static const struct {
	const char *in;
	const char *want;	/* item.peek parts text fields partial, or NULL for -1 */
} section_cases[] = {
	{ "BODY[]", "0.0 - 0 - -" },
	{ "body.peek[]<5.10>", "0.1 - 0 - 5.10" },
	{ "BODY[HEADER]", "0.0 - 1 - -" },
	{ "BODY.PEEK[HEADER.FIELDS (DATE FROM)]<0.2048>", "0.1 - 2 DATE,FROM, 0.2048" },
	{ "BODY[1.2.HEADER.FIELDS.NOT (\"X-A\" b)]", "0.0 1.2. 3 X-A,b, -" },
	{ "BODY[1.2.3]", "0.0 1.2.3. 0 - -" },
	{ "BODY[1.TEXT]", "0.0 1. 4 - -" },
	{ "BODY[1.MIME]", "0.0 1. 5 - -" },
	{ "BODY[TEXT]", "0.0 - 4 - -" },
	{ "BINARY[1]", "1.0 1. 0 - -" },
	{ "BINARY.PEEK[]<0.1>", "1.1 - 0 - 0.1" },
	{ "BINARY.SIZE[3]", "2.0 3. 0 - -" },
	{ "BODY[MIME]", NULL },
	{ "BINARY[HEADER]", NULL },
	{ "BINARY.SIZE[1]<0.1>", NULL },
	{ "BODY[0]", NULL },
	{ "BODY[01]", NULL },
	{ "BODY[1.]", NULL },
	{ "BODY[4294967296]", NULL },
	{ "BODY[HEADER.FIELDS]", NULL },
	{ "BODY[HEADER.FIELDS ()]", NULL },
	{ "BODY[HEADER.FIELDS (\"a\\\"\")]", NULL },
	{ "BODY[HEADER]<1.0>", NULL },
	{ "BODY[HEADER]<1>", NULL },
	{ "BODY[HEADER]x", NULL },
	{ "BODY[HEADER", NULL },
	{ "BODY[", NULL },
	{ "BODY", NULL },
	{ "RFC822.HEADER", NULL },
};

/* test_section - FETCH section specs */
static void
test_section(void **state)
{
	for (size_t i = 0; i < sizeof(section_cases) / sizeof(section_cases[0]); i++) {
		struct imap_section sec;
		struct buf got = BUF_INIT;
		const char *in = section_cases[i].in;
		int rc = imap_parser_section(in, strlen(in), &sec);

		if (rc == 0) {
			buf_printf(&got, "%d.%d ", (int)sec.item, (int)sec.peek);
			for (unsigned k = 0; k < sec.nparts; k++)
				buf_printf(&got, "%u.", sec.part[k]);
			buf_printf(&got, "%s %d ", sec.nparts ? "" : "-", (int)sec.text);
			for (unsigned k = 0; k < sec.nfields; k++)
				buf_printf(&got, "%.*s,", (int)sec.field_len[k], sec.field[k]);
			buf_puts(&got, sec.nfields ? " " : "- ");
			if (sec.partial)
				buf_printf(&got, "%u.%u", sec.offset, sec.count);
			else
				buf_puts(&got, "-");
		}
		if (section_cases[i].want == NULL ? rc != -1 :
		    strcmp(buf_cstr(&got), section_cases[i].want) != 0)
			fail_msg("section %s: got \"%s\" (%d), want \"%s\"", in, buf_cstr(&got), rc,
			    section_cases[i].want ? section_cases[i].want : "-1");
		buf_free(&got);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_refuse_literal),
		cmocka_unit_test(test_big_literal),
		cmocka_unit_test(test_literal_nomem),
		cmocka_unit_test(test_set_opts),
		cmocka_unit_test(test_args_api),
		cmocka_unit_test(test_fatal_sticks),
		cmocka_unit_test(test_section),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
