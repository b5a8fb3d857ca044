/*
 * test_mime.c - ENVELOPE, BODY, BODYSTRUCTURE and part locations for a
 * corpus of real-world-shaped messages, each checked by hand.
 *
 * Messages are written with LF line ends and go through mime_to_crlf
 * first, as delivery does. A part's expected header and body are the
 * bytes mime_cache_part must locate, with LF written for CRLF. The limit
 * tests (depth, part count) build their messages in code. Address lists
 * are also checked in their displayed form, as SEARCH compares them, and
 * every field of a name and the leaves with their types as Sieve reads them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mime/mime.h"

#define MAX_LOCS 8

struct loc_want {
	const char *section;	/* NULL ends the list */
	const char *body;	/* LF line ends; NULL: the section must not exist */
	bool is_message;
};

struct mime_case {
	const char *name;
	const char *msg;	/* LF line ends */
	const char *envelope;
	const char *body;
	const char *bodystructure;
	struct loc_want locs[MAX_LOCS];
};

#define PLAIN_ASCII "(\"charset\" \"us-ascii\")"
#define ALICE "((\"Alice\" NIL \"alice\" \"example.com\"))"

static const struct mime_case cases[] = {
	{ "plain text",
	  "From: Alice <alice@example.com>\n"
	  "To: bob@example.org\n"
	  "Subject: Hello\n"
	  "Date: Tue, 2 Jan 2024 10:00:00 +0100\n"
	  "Message-ID: <1@example.com>\n"
	  "Content-Type: text/plain; charset=UTF-8\n"
	  "\n"
	  "Hi Bob,\n"
	  "bye\n",
	  "(\"Tue, 2 Jan 2024 10:00:00 +0100\" \"Hello\" " ALICE " " ALICE " " ALICE
	  " ((NIL NIL \"bob\" \"example.org\")) NIL NIL NIL \"<1@example.com>\")",
	  "(\"text\" \"plain\" (\"charset\" \"UTF-8\") NIL NIL \"7BIT\" 14 2)",
	  "(\"text\" \"plain\" (\"charset\" \"UTF-8\") NIL NIL \"7BIT\" 14 2 NIL NIL NIL NIL)",
	  { { "1", "Hi Bob,\nbye\n", false }, { "2", NULL, false }, { "1.1", NULL, false } } },

	{ "no content-type",
	  "Subject: x\n\nbody\n",
	  "(NIL \"x\" NIL NIL NIL NIL NIL NIL NIL NIL)",
	  "(\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 6 1)",
	  "(\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 6 1 NIL NIL NIL NIL)",
	  { { "1", "body\n", false } } },

	{ "multipart/alternative",
	  "From: a@example.com\n"
	  "Subject: alt\n"
	  "MIME-Version: 1.0\n"
	  "Content-Type: multipart/alternative; boundary=\"b1\"\n"
	  "\n"
	  "This is a multi-part message in MIME format.\n"
	  "--b1\n"
	  "Content-Type: text/plain; charset=\"utf-8\"\n"
	  "Content-Transfer-Encoding: quoted-printable\n"
	  "\n"
	  "Hello =E2=9C=93\n"
	  "--b1\n"
	  "Content-Type: text/html; charset=\"utf-8\"\n"
	  "Content-Transfer-Encoding: quoted-printable\n"
	  "\n"
	  "<p>Hello</p>\n"
	  "--b1--\n",
	  "(NIL \"alt\" ((NIL NIL \"a\" \"example.com\")) ((NIL NIL \"a\" \"example.com\")) "
	  "((NIL NIL \"a\" \"example.com\")) NIL NIL NIL NIL NIL)",
	  "((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 15 0)"
	  "(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 12 0) "
	  "\"alternative\")",
	  "((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 15 0 NIL NIL "
	  "NIL NIL)(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 12 0 "
	  "NIL NIL NIL NIL) \"alternative\" (\"boundary\" \"b1\") NIL NIL NIL)",
	  { { "1", "Hello =E2=9C=93", false }, { "2", "<p>Hello</p>", false },
	    { "3", NULL, false } } },

	{ "multipart/mixed with attachment",
	  "From: \"Smith, Ann\" <ann@example.com>\n"
	  "To: Bob <bob@example.org>, carol@example.org\n"
	  "Subject: report\n"
	  "Content-Type: multipart/mixed; boundary=XyZ\n"
	  "\n"
	  "--XyZ\n"
	  "Content-Type: text/plain\n"
	  "\n"
	  "See attached.\n"
	  "--XyZ\n"
	  "Content-Type: application/pdf; name=\"report.pdf\"\n"
	  "Content-Transfer-Encoding: base64\n"
	  "Content-Disposition: attachment; filename=\"report.pdf\"; size=6\n"
	  "Content-Description: Q1 report\n"
	  "\n"
	  "SGVsbG8K\n"
	  "--XyZ--\n",
	  "(NIL \"report\" ((\"Smith, Ann\" NIL \"ann\" \"example.com\")) ((\"Smith, Ann\" NIL "
	  "\"ann\" \"example.com\")) ((\"Smith, Ann\" NIL \"ann\" \"example.com\")) ((\"Bob\" NIL "
	  "\"bob\" \"example.org\")(NIL NIL \"carol\" \"example.org\")) NIL NIL NIL NIL)",
	  "((\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 13 0)(\"application\" \"pdf\" "
	  "(\"name\" \"report.pdf\") NIL \"Q1 report\" \"base64\" 8) \"mixed\")",
	  "((\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 13 0 NIL NIL NIL NIL)"
	  "(\"application\" \"pdf\" (\"name\" \"report.pdf\") NIL \"Q1 report\" \"base64\" 8 NIL "
	  "(\"attachment\" (\"filename\" \"report.pdf\" \"size\" \"6\")) NIL NIL) \"mixed\" "
	  "(\"boundary\" \"XyZ\") NIL NIL NIL)",
	  { { "1", "See attached.", false }, { "2", "SGVsbG8K", false } } },

	{ "nested mixed > alternative > related",
	  "Subject: nested\n"
	  "Content-Type: multipart/mixed; boundary=\"outer\"\n"
	  "\n"
	  "--outer\n"
	  "Content-Type: multipart/alternative; boundary=\"inner\"\n"
	  "\n"
	  "--inner\n"
	  "Content-Type: text/plain\n"
	  "\n"
	  "plain\n"
	  "--inner\n"
	  "Content-Type: multipart/related; boundary=\"rel\"\n"
	  "\n"
	  "--rel\n"
	  "Content-Type: text/html\n"
	  "\n"
	  "<img src=\"cid:i1\">\n"
	  "--rel\n"
	  "Content-Type: image/png\n"
	  "Content-ID: <i1>\n"
	  "Content-Disposition: inline\n"
	  "Content-Transfer-Encoding: base64\n"
	  "\n"
	  "iVBORw0K\n"
	  "--rel--\n"
	  "--inner--\n"
	  "--outer\n"
	  "Content-Type: text/plain; charset=us-ascii\n"
	  "Content-Language: en, de\n"
	  "Content-Location: http://example.com/x\n"
	  "\n"
	  "tail\n"
	  "--outer--\n",
	  "(NIL \"nested\" NIL NIL NIL NIL NIL NIL NIL NIL)",
	  "(((\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 5 0)((\"text\" \"html\" "
	  PLAIN_ASCII " NIL NIL \"7BIT\" 18 0)(\"image\" \"png\" NIL \"<i1>\" NIL \"base64\" 8) "
	  "\"related\") \"alternative\")(\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 4 0) "
	  "\"mixed\")",
	  "(((\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 5 0 NIL NIL NIL NIL)"
	  "((\"text\" \"html\" " PLAIN_ASCII " NIL NIL \"7BIT\" 18 0 NIL NIL NIL NIL)"
	  "(\"image\" \"png\" NIL \"<i1>\" NIL \"base64\" 8 NIL (\"inline\" NIL) NIL NIL) "
	  "\"related\" (\"boundary\" \"rel\") NIL NIL NIL) \"alternative\" (\"boundary\" \"inner\") "
	  "NIL NIL NIL)(\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 4 0 NIL NIL "
	  "(\"en\" \"de\") \"http://example.com/x\") \"mixed\" (\"boundary\" \"outer\") NIL NIL NIL)",
	  { { "1.1", "plain", false }, { "1.2.1", "<img src=\"cid:i1\">", false },
	    { "1.2.2", "iVBORw0K", false }, { "2", "tail", false },
	    { "1.2", "--rel\nContent-Type: text/html\n\n<img src=\"cid:i1\">\n--rel\n"
		"Content-Type: image/png\nContent-ID: <i1>\nContent-Disposition: inline\n"
		"Content-Transfer-Encoding: base64\n\niVBORw0K\n--rel--", false },
	    { "1.3", NULL, false }, { "1.2.2.1", NULL, false } } },

	{ "message/rfc822 holding a multipart",
	  "From: fwd@example.com\n"
	  "Subject: Fwd: hi\n"
	  "Content-Type: multipart/mixed; boundary=\"m\"\n"
	  "\n"
	  "--m\n"
	  "Content-Type: text/plain\n"
	  "\n"
	  "see below\n"
	  "--m\n"
	  "Content-Type: message/rfc822\n"
	  "Content-Disposition: attachment\n"
	  "\n"
	  "From: Orig <orig@example.net>\n"
	  "Subject: hi\n"
	  "Date: Wed, 3 Jan 2024 08:00:00 +0000\n"
	  "Content-Type: multipart/alternative; boundary=\"a\"\n"
	  "\n"
	  "--a\n"
	  "Content-Type: text/plain\n"
	  "\n"
	  "one\n"
	  "--a\n"
	  "Content-Type: text/html\n"
	  "\n"
	  "<b>one</b>\n"
	  "--a--\n"
	  "--m--\n",
	  "(NIL \"Fwd: hi\" ((NIL NIL \"fwd\" \"example.com\")) ((NIL NIL \"fwd\" \"example.com\")) "
	  "((NIL NIL \"fwd\" \"example.com\")) NIL NIL NIL NIL NIL)",
	  "((\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 9 0)(\"message\" \"rfc822\" NIL "
	  "NIL NIL \"7BIT\" 222 (\"Wed, 3 Jan 2024 08:00:00 +0000\" \"hi\" ((\"Orig\" NIL \"orig\" "
	  "\"example.net\")) ((\"Orig\" NIL \"orig\" \"example.net\")) ((\"Orig\" NIL \"orig\" "
	  "\"example.net\")) NIL NIL NIL NIL NIL) ((\"text\" \"plain\" " PLAIN_ASCII " NIL NIL "
	  "\"7BIT\" 3 0)(\"text\" \"html\" " PLAIN_ASCII " NIL NIL \"7BIT\" 10 0) \"alternative\") "
	  "13) \"mixed\")",
	  "((\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 9 0 NIL NIL NIL NIL)(\"message\" "
	  "\"rfc822\" NIL NIL NIL \"7BIT\" 222 (\"Wed, 3 Jan 2024 08:00:00 +0000\" \"hi\" "
	  "((\"Orig\" NIL \"orig\" \"example.net\")) ((\"Orig\" NIL \"orig\" \"example.net\")) "
	  "((\"Orig\" NIL \"orig\" \"example.net\")) NIL NIL NIL NIL NIL) ((\"text\" \"plain\" "
	  PLAIN_ASCII " NIL NIL \"7BIT\" 3 0 NIL NIL NIL NIL)(\"text\" \"html\" " PLAIN_ASCII
	  " NIL NIL \"7BIT\" 10 0 NIL NIL NIL NIL) \"alternative\" (\"boundary\" \"a\") NIL NIL "
	  "NIL) 13 NIL (\"attachment\" NIL) NIL NIL) \"mixed\" (\"boundary\" \"m\") NIL NIL NIL)",
	  { { "1", "see below", false },
	    { "2", "From: Orig <orig@example.net>\nSubject: hi\nDate: Wed, 3 Jan 2024 08:00:00 "
		"+0000\nContent-Type: multipart/alternative; boundary=\"a\"\n\n--a\n"
		"Content-Type: text/plain\n\none\n--a\nContent-Type: text/html\n\n<b>one</b>\n"
		"--a--", true },
	    { "2.1", "one", false }, { "2.2", "<b>one</b>", false }, { "2.3", NULL, false } } },

	{ "groups and odd addresses",
	  "From: \"Last, First\" <first.last@example.com> (work)\n"
	  "Sender: (just a comment)\n"
	  "Reply-To: Group: a@x.org, \"B b\" <b@y.org>;, solo@z.org\n"
	  "To: undisclosed-recipients:;\n"
	  "Cc: root, <@route1,@route2:user@host.example>, \"odd\\\"quote\" <q@e.com>,\n"
	  " =?utf-8?q?J=C3=B6rg?= <j@e.de>, jane@example.com (Jane Doe)\n"
	  "Bcc: garbage <<<>>> ,, @nolocal.example, \n"
	  "Subject: addresses\n"
	  "\n",
	  "(NIL \"addresses\" ((\"Last, First\" NIL \"first.last\" \"example.com\")) "
	  "((\"Last, First\" NIL \"first.last\" \"example.com\")) ((NIL NIL \"Group\" NIL)"
	  "(NIL NIL \"a\" \"x.org\")(\"B b\" NIL \"b\" \"y.org\")(NIL NIL NIL NIL)"
	  "(NIL NIL \"solo\" \"z.org\")) ((NIL NIL \"undisclosed-recipients\" NIL)"
	  "(NIL NIL NIL NIL)) ((NIL NIL \"root\" \"MISSING_DOMAIN\")(NIL \"@route1,@route2\" "
	  "\"user\" \"host.example\")(\"odd\\\"quote\" NIL \"q\" \"e.com\")"
	  "(\"=?utf-8?q?J=C3=B6rg?=\" NIL \"j\" \"e.de\")(\"Jane Doe\" NIL \"jane\" "
	  "\"example.com\")) ((\"garbage\" NIL \"MISSING_MAILBOX\" \"MISSING_DOMAIN\")"
	  "(NIL NIL \"MISSING_MAILBOX\" \"nolocal.example\")) NIL NIL)",
	  "(\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 0 0)",
	  "(\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 0 0 NIL NIL NIL NIL)",
	  { { "1", "", false } } },

	{ "8-bit headers and quoting",
	  "Subject: Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln\n"
	  "From: J\xc3\xb6rg <joerg@example.de>\n"
	  "In-Reply-To: say \"hi\" \\o/\n"
	  "\n"
	  "x\n",
	  "(NIL {17}\r\nGr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln (({5}\r\nJ\xc3\xb6rg NIL \"joerg\" "
	  "\"example.de\")) (({5}\r\nJ\xc3\xb6rg NIL \"joerg\" \"example.de\")) "
	  "(({5}\r\nJ\xc3\xb6rg NIL \"joerg\" \"example.de\")) NIL NIL NIL "
	  "\"say \\\"hi\\\" \\\\o/\" NIL)",
	  "(\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 3 1)",
	  "(\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 3 1 NIL NIL NIL NIL)",
	  { { "1", "x\n", false } } },

	{ "folded header, comments in content-type",
	  "Subject: folded\n"
	  " subject line\n"
	  "Content-Type: text/plain (a comment) ; format=flowed;\n"
	  "\tcharset=\"iso-8859-1\" (latin)\n"
	  "Content-ID: <x@y>\n"
	  "Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==\n"
	  "\n"
	  "body\n",
	  "(NIL \"folded subject line\" NIL NIL NIL NIL NIL NIL NIL NIL)",
	  "(\"text\" \"plain\" (\"format\" \"flowed\" \"charset\" \"iso-8859-1\") \"<x@y>\" NIL "
	  "\"7BIT\" 6 1)",
	  "(\"text\" \"plain\" (\"format\" \"flowed\" \"charset\" \"iso-8859-1\") \"<x@y>\" NIL "
	  "\"7BIT\" 6 1 \"Q2hlY2sgSW50ZWdyaXR5IQ==\" NIL NIL NIL)",
	  { { "1", "body\n", false } } },

	{ "missing final boundary",
	  "Content-Type: multipart/mixed; boundary=zz\n"
	  "\n"
	  "--zz\n"
	  "Content-Type: text/plain\n"
	  "\n"
	  "first\n"
	  "--zz\n"
	  "\n"
	  "second\n",
	  "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)",
	  "((\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 5 0)(\"text\" \"plain\" "
	  PLAIN_ASCII " NIL NIL \"7BIT\" 8 1) \"mixed\")",
	  "((\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 5 0 NIL NIL NIL NIL)(\"text\" "
	  "\"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 8 1 NIL NIL NIL NIL) \"mixed\" "
	  "(\"boundary\" \"zz\") NIL NIL NIL)",
	  { { "1", "first", false }, { "2", "second\n", false }, { "3", NULL, false } } },

	{ "boundary never found",
	  "Content-Type: multipart/mixed; boundary=\"nope\"\n"
	  "\n"
	  "just text\n"
	  "--other\n",
	  "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)",
	  "((\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 0 0) \"mixed\")",
	  "((\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 0 0) \"mixed\" "
	  "(\"boundary\" \"nope\") NIL NIL NIL)",
	  { { "", "just text\n--other\n", false }, { "1", NULL, false } } },

	{ "multipart without boundary is text/plain",
	  "Content-Type: multipart/mixed\n\n--x\nbody\n",
	  "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)",
	  "(\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 11 2)",
	  "(\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 11 2 NIL NIL NIL NIL)",
	  { { "1", "--x\nbody\n", false }, { "1.1", NULL, false } } },

	{ "boundary that prefixes the inner one",
	  "Content-Type: multipart/mixed; boundary=\"abc\"\n"
	  "\n"
	  "--abc\n"
	  "Content-Type: multipart/alternative; boundary=\"abcdef\"\n"
	  "\n"
	  "--abcdef\n"
	  "Content-Type: text/plain\n"
	  "\n"
	  "inner\n"
	  "--abcdef--\n"
	  "--abc \n"
	  "Content-Type: text/plain\n"
	  "\n"
	  "second\n"
	  "--abc--\n",
	  "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)",
	  "(((\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 5 0) \"alternative\")"
	  "(\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 6 0) \"mixed\")",
	  "(((\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 5 0 NIL NIL NIL NIL) "
	  "\"alternative\" (\"boundary\" \"abcdef\") NIL NIL NIL)(\"text\" \"plain\" " PLAIN_ASCII
	  " NIL NIL \"7BIT\" 6 0 NIL NIL NIL NIL) \"mixed\" (\"boundary\" \"abc\") NIL NIL NIL)",
	  { { "1.1", "inner", false }, { "2", "second", false }, { "1.2", NULL, false } } },

	{ "multipart/digest defaults to message/rfc822",
	  "Content-Type: multipart/digest; boundary=\"d\"\n"
	  "\n"
	  "--d\n"
	  "\n"
	  "Subject: one\n"
	  "\n"
	  "1\n"
	  "--d--\n",
	  "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)",
	  "((\"message\" \"rfc822\" NIL NIL NIL \"7BIT\" 17 (NIL \"one\" NIL NIL NIL NIL NIL NIL "
	  "NIL NIL) (\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 1 0) 2) \"digest\")",
	  "((\"message\" \"rfc822\" NIL NIL NIL \"7BIT\" 17 (NIL \"one\" NIL NIL NIL NIL NIL NIL "
	  "NIL NIL) (\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 1 0 NIL NIL NIL NIL) 2 "
	  "NIL NIL NIL NIL) \"digest\" (\"boundary\" \"d\") NIL NIL NIL)",
	  { { "1", "Subject: one\n\n1", true }, { "1.1", "1", false } } },

	{ "encoded message/rfc822 is opaque, message/global is a message",
	  "Content-Type: multipart/mixed; boundary=\"g\"\n"
	  "\n"
	  "--g\n"
	  "Content-Type: message/rfc822\n"
	  "Content-Transfer-Encoding: base64\n"
	  "\n"
	  "U3ViamVjdDogeA==\n"
	  "--g\n"
	  "Content-Type: message/global\n"
	  "\n"
	  "Subject: caf\xc3\xa9\n"
	  "\n"
	  "x\n"
	  "--g--\n",
	  "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)",
	  "((\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"base64\" 16 0)(\"message\" \"global\" "
	  "NIL NIL NIL \"7BIT\" 19 (NIL {5}\r\ncaf\xc3\xa9 NIL NIL NIL NIL NIL NIL NIL NIL) "
	  "(\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 1 0) 2) \"mixed\")",
	  "((\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"base64\" 16 0 NIL NIL NIL NIL)"
	  "(\"message\" \"global\" NIL NIL NIL \"7BIT\" 19 (NIL {5}\r\ncaf\xc3\xa9 NIL NIL NIL "
	  "NIL NIL NIL NIL NIL) (\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 1 0 NIL NIL "
	  "NIL NIL) 2 NIL NIL NIL NIL) \"mixed\" (\"boundary\" \"g\") NIL NIL NIL)",
	  { { "1", "U3ViamVjdDogeA==", false }, { "1.1", NULL, false },
	    { "2", "Subject: caf\xc3\xa9\n\nx", true }, { "2.1", "x", false } } },

	{ "empty message",
	  "",
	  "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)",
	  "(\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 0 0)",
	  "(\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 0 0 NIL NIL NIL NIL)",
	  { { "", "", false }, { "1", "", false }, { "2", NULL, false } } },

	{ "header only, no blank line",
	  "Subject: only header\n"
	  "From: a@b.c",
	  "(NIL \"only header\" ((NIL NIL \"a\" \"b.c\")) ((NIL NIL \"a\" \"b.c\")) "
	  "((NIL NIL \"a\" \"b.c\")) NIL NIL NIL NIL NIL)",
	  "(\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 0 0)",
	  "(\"text\" \"plain\" " PLAIN_ASCII " NIL NIL \"7BIT\" 0 0 NIL NIL NIL NIL)",
	  { { "", "", false }, { "1", "", false } } },

	/* RFC 3501 7.4.2: its ENVELOPE example, and its BODYSTRUCTURE example's shape */
	{ "RFC 3501 examples",
	  "Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\n"
	  "From: Terry Gray <gray@cac.washington.edu>\n"
	  "Subject: IMAP4rev1 WG mtg summary and minutes\n"
	  "To: imap@cac.washington.edu\n"
	  "cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>\n"
	  "Message-Id: <B27397-0100000@cac.washington.edu>\n"
	  "MIME-Version: 1.0\n"
	  "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\n"
	  "\n"
	  "body\n",
	  "(\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"IMAP4rev1 WG mtg summary and minutes\" "
	  "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((\"Terry Gray\" NIL \"gray\" "
	  "\"cac.washington.edu\")) ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
	  "((NIL NIL \"imap\" \"cac.washington.edu\")) ((NIL NIL \"minutes\" "
	  "\"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL "
	  "\"<B27397-0100000@cac.washington.edu>\")",
	  "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 6 1)",
	  "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 6 1 NIL NIL NIL NIL)",
	  { { "1", "body\n", false } } },
};

/* want_eq - compare a result string with a hand-checked one, saying both on mismatch */
static void
want_eq(const char *what, const char *got, size_t got_len, const char *want)
{
	if (got_len != strlen(want) || memcmp(got, want, got_len) != 0)
		fail_msg("%s:\n got  %.*s\n want %s", what, (int)got_len, got, want);
}

/* crlf - the test's LF text as the CRLF bytes the store keeps */
static void
crlf(const char *s, struct buf *out)
{
	mime_to_crlf(s, strlen(s), out);
}

/* check_loc - one section: its body bytes, or that it is absent */
static void
check_loc(const struct mime_case *c, const struct buf *msg, const struct buf *blob,
    const struct loc_want *w)
{
	struct mime_part_loc loc;
	struct buf want = BUF_INIT;
	char what[128];
	int r = mime_cache_part(blob->data, blob->len, w->section, &loc);

	snprintf(what, sizeof(what), "%s: section \"%s\"", c->name, w->section);
	if (w->body == NULL) {
		if (r != -1)
			fail_msg("%s: got a part, want none", what);
		return;
	}
	if (r != 0)
		fail_msg("%s: got none, want a part", what);
	assert_true(loc.header_off + loc.header_len <= loc.body_off);
	assert_true(loc.body_off + loc.body_len <= msg->len);
	crlf(w->body, &want);
	want_eq(what, (msg->data != NULL ? msg->data : "") + loc.body_off, loc.body_len,
	    buf_cstr(&want));
	if (loc.is_message != w->is_message)
		fail_msg("%s: got is_message %d, want %d", what, loc.is_message, w->is_message);
	buf_free(&want);
}

/* test_corpus - every case: the three texts and the listed sections */
static void
test_corpus(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct mime_case *c = &cases[i];
		struct buf msg = BUF_INIT, blob = BUF_INIT;
		const char *s;
		size_t n;
		char what[128];

		crlf(c->msg, &msg);
		mime_cache_build(buf_cstr(&msg), msg.len, &blob);
		assert_int_equal(mime_cache_validate(blob.data, blob.len), 0);
		assert_int_equal(mime_cache_envelope(blob.data, blob.len, &s, &n), 0);
		snprintf(what, sizeof(what), "%s: ENVELOPE", c->name);
		want_eq(what, s, n, c->envelope);
		assert_int_equal(mime_cache_bodystructure(blob.data, blob.len, false, &s, &n), 0);
		snprintf(what, sizeof(what), "%s: BODY", c->name);
		want_eq(what, s, n, c->body);
		assert_int_equal(mime_cache_bodystructure(blob.data, blob.len, true, &s, &n), 0);
		snprintf(what, sizeof(what), "%s: BODYSTRUCTURE", c->name);
		want_eq(what, s, n, c->bodystructure);
		for (k = 0; k < MAX_LOCS && c->locs[k].section != NULL; k++)
			check_loc(c, &msg, &blob, &c->locs[k]);
		buf_free(&msg);
		buf_free(&blob);
	}
}

/* test_whole_message - section "" is the whole message, split at the blank line */
static void
test_whole_message(void **state)
{
	struct buf msg = BUF_INIT, blob = BUF_INIT;
	struct mime_part_loc loc;

	(void)state;
	crlf(cases[3].msg, &msg);
	mime_cache_build(msg.data, msg.len, &blob);
	assert_int_equal(mime_cache_part(blob.data, blob.len, "", &loc), 0);
	assert_int_equal(loc.header_off, 0);
	assert_int_equal(loc.body_off, loc.header_len);
	assert_int_equal(loc.body_off + loc.body_len, msg.len);
	assert_memory_equal(msg.data + loc.header_len - 4, "\r\n\r\n", 4);
	assert_int_equal(mime_cache_part(blob.data, blob.len, "2", &loc), 0);
	assert_memory_equal(msg.data + loc.header_off, "Content-Type: application/pdf", 29);
	assert_memory_equal(msg.data + loc.body_off - 4, "\r\n\r\nSGVs", 8);
	buf_free(&msg);
	buf_free(&blob);
}

/* nest - a message nested depth multiparts deep with a text at the bottom */
static void
nest(struct buf *msg, int depth)
{
	int i;

	for (i = 0; i < depth; i++)
		buf_printf(msg, "Content-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n--b%d\r\n",
		    i, i);
	buf_puts(msg, "Content-Type: text/plain\r\n\r\ndeep\r\n");
	for (i = depth - 1; i >= 0; i--)
		buf_printf(msg, "--b%d--\r\n", i);
}

/* count - occurrences of needle in s[0..n) */
static size_t
count(const char *s, size_t n, const char *needle)
{
	size_t k = 0, m = strlen(needle), i;

	for (i = 0; i + m <= n; i++)
		if (memcmp(s + i, needle, m) == 0)
			k++;
	return k;
}

/* test_depth_limit - containers below MIME_MAX_DEPTH are opaque text/plain leaves */
static void
test_depth_limit(void **state)
{
	struct buf msg = BUF_INIT, blob = BUF_INIT, sec = BUF_INIT;
	struct mime_part_loc loc;
	const char *s;
	size_t n;
	int i;

	(void)state;
	nest(&msg, MIME_MAX_DEPTH + 8);
	mime_cache_build(msg.data, msg.len, &blob);
	assert_int_equal(mime_cache_validate(blob.data, blob.len), 0);
	assert_int_equal(mime_cache_bodystructure(blob.data, blob.len, true, &s, &n), 0);
	assert_int_equal(count(s, n, "\"mixed\""), MIME_MAX_DEPTH);
	for (i = 0; i < MIME_MAX_DEPTH; i++)
		buf_puts(&sec, i ? ".1" : "1");
	assert_int_equal(mime_cache_part(blob.data, blob.len, buf_cstr(&sec), &loc), 0);
	assert_memory_equal(msg.data + loc.header_off, "Content-Type: multipart/mixed", 29);
	assert_memory_equal(msg.data + loc.body_off, "--b32\r\n", 7);
	buf_puts(&sec, ".1");
	assert_int_equal(mime_cache_part(blob.data, blob.len, buf_cstr(&sec), &loc), -1);
	buf_free(&msg);
	buf_free(&blob);
	buf_free(&sec);
}

/* test_part_limit - a multipart with more children than MIME_MAX_PARTS stops splitting */
static void
test_part_limit(void **state)
{
	struct buf msg = BUF_INIT, blob = BUF_INIT;
	struct mime_part_loc loc;
	const char *s;
	size_t n;
	int i;

	(void)state;
	buf_puts(&msg, "Content-Type: multipart/mixed; boundary=p\r\n\r\n");
	for (i = 0; i < 3 * MIME_MAX_PARTS; i++)
		buf_printf(&msg, "--p\r\nContent-Type: text/plain\r\n\r\npart %d\r\n", i + 1);
	buf_puts(&msg, "--p--\r\n");
	mime_cache_build(msg.data, msg.len, &blob);
	assert_int_equal(mime_cache_validate(blob.data, blob.len), 0);
	assert_int_equal(mime_cache_bodystructure(blob.data, blob.len, false, &s, &n), 0);
	assert_int_equal(count(s, n, "(\"text\""), MIME_MAX_PARTS - 1);
	assert_int_equal(mime_cache_part(blob.data, blob.len, "999", &loc), 0);
	assert_memory_equal(msg.data + loc.body_off, "part 999\r\n", 8);
	assert_int_equal(mime_cache_part(blob.data, blob.len, "1000", &loc), -1);
	buf_free(&msg);
	buf_free(&blob);
}

/* test_address_display - comments and stray white space gone, groups and routes kept */
static void
test_address_display(void **state)
{
	static const struct { const char *in, *want; } acases[] = {
		{ "<user-from (comment)@ (comment) domain.org>", "user-from@domain.org" },
		{ "\"Jane Doe\" <jane (work) @ example . org>", "Jane Doe <jane@example.org>" },
		{ "a@x.org (Ann), b@y.org", "Ann <a@x.org>, b@y.org" },
		{ "Team: a@x.org, bee (the bee) @ y.org;, c@z.org",
		    "Team: a@x.org, the bee <bee@y.org>;, c@z.org" },
		{ "<@r.org:u@h.org>", "@r.org:u@h.org" },
		{ "", "" }, { "(only a comment)", "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(acases) / sizeof(acases[0]); i++) {
		struct buf out = BUF_INIT;

		buf_puts(&out, "x");	/* appended after what is there */
		mime_address_display(acases[i].in, strlen(acases[i].in), &out);
		if (strcmp(buf_cstr(&out) + 1, acases[i].want) != 0)
			fail_msg("\"%s\": got \"%s\", want \"%s\"", acases[i].in, buf_cstr(&out) + 1,
			    acases[i].want);
		buf_free(&out);
	}
}

/* leaf_collect - mime_leaf_each callback: "type=body;" for each leaf */
static bool
leaf_collect(void *arg, const char *type, const char *body, size_t n)
{
	struct buf *out = arg;

	buf_printf(out, "%s=%.*s;", type, (int)n, body);
	return true;
}

/* test_sieve_access - mime_header_all and mime_leaf_each */
static void
test_sieve_access(void **state)
{
	static const char msg[] =
	    "Received: a\r\nSubject: x\r\nreceived: b\r\n  folded\r\n"
	    "Content-Type: multipart/mixed; boundary=z\r\n\r\n"
	    "--z\r\nContent-Type: TEXT/Plain; charset=iso-8859-1\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\ncaf=E9\r\n"
	    "--z\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
	    "aGk=\r\n--z\r\n\r\nno type\r\n--z--\r\n";
	struct buf b = BUF_INIT;

	assert_int_equal(mime_header_all(msg, sizeof(msg) - 1, "RECEIVED", &b), 2);
	assert_int_equal(b.len, 2 + 9 + 1);
	assert_memory_equal(b.data, "a\0b  folded\0", b.len);
	buf_reset(&b);
	assert_int_equal(mime_header_all(msg, sizeof(msg) - 1, "X-None", &b), 0);
	mime_leaf_each(msg, sizeof(msg) - 1, leaf_collect, &b);
	assert_string_equal(buf_cstr(&b),
	    "text/plain=caf\xc3\xa9;application/pdf=hi;text/plain=no type;");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_whole_message),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_part_limit),
		cmocka_unit_test(test_address_display),
		cmocka_unit_test(test_sieve_access),
	};

	return cmocka_run_group_tests_name("mime", tests, NULL, NULL);
}
