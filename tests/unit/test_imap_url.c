/*
 * test_imap_url.c - IMAP URLs naming a message or part (RFC 5092) and
 * CATENATE part lists (RFC 4469), table-driven.
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
#include "imapsyn/imap_url.h"

/* a message URL and what it must give */
static const struct {
	const char *in;
	enum imap_url_base base;
	const char *user, *mailbox;
	uint32_t uidvalidity, uid;
	const char *fetch;
	bool partial;
	uint32_t offset, length;
} cases[] = {
	{ "/INBOX;UIDVALIDITY=785799047/;UID=113330/;SECTION=1.5.9", IMAP_URL_PATH, "", "INBOX",
	    785799047, 113330, "BODY.PEEK[1.5.9]", false, 0, 0 },
	{ "/Drafts;uidvalidity=385759045/;uid=20/;section=HEADER", IMAP_URL_PATH, "", "Drafts",
	    385759045, 20, "BODY.PEEK[HEADER]", false, 0, 0 },
	{ "/INBOX/;UID=7", IMAP_URL_PATH, "", "INBOX", 0, 7, "BODY.PEEK[]", false, 0, 0 },
	{ "/Work/2024;UIDVALIDITY=3/;UID=1/;SECTION=2.MIME/;PARTIAL=10.20", IMAP_URL_PATH, "",
	    "Work/2024", 3, 1, "BODY.PEEK[2.MIME]", true, 10, 20 },
	{ "/INBOX/;UID=1/;PARTIAL=0", IMAP_URL_PATH, "", "INBOX", 0, 1, "BODY.PEEK[]", true, 0, 0 },
	{ "/Caf%C3%A9%20Bar/;UID=2/;SECTION=HEADER.FIELDS%20(TO%20FROM)", IMAP_URL_PATH, "",
	    "Caf\xc3\xa9 Bar", 0, 2, "BODY.PEEK[HEADER.FIELDS (TO FROM)]", false, 0, 0 },
	{ ";UID=20/;SECTION=1", IMAP_URL_RELATIVE, "", "", 0, 20, "BODY.PEEK[1]", false, 0, 0 },
	{ "imap://tomo@mail.sample.com/INBOX;UIDVALIDITY=9/;UID=4", IMAP_URL_SERVER, "tomo",
	    "INBOX", 9, 4, "BODY.PEEK[]", false, 0, 0 },
	{ "IMAP://fred%40sample.com;AUTH=*@[::1]:143/a/;UID=1/;SECTION=TEXT", IMAP_URL_SERVER,
	    "fred@sample.com", "a", 0, 1, "BODY.PEEK[TEXT]", false, 0, 0 },
	{ "imap://host/INBOX/;UID=1", IMAP_URL_SERVER, "", "INBOX", 0, 1, "BODY.PEEK[]", false,
	    0, 0 },
};

/* not message URLs */
static const char *const bad[] = {
	"", "/", "/INBOX", "/INBOX;UIDVALIDITY=1",
	"/INBOX;UIDVALIDITY=1/", "/INBOX?SUBJECT%20x",
	"/INBOX/;UID=0", "/INBOX/;UID=01", "/INBOX/;UID=4294967296",
	"/INBOX/;UID=1/", "/INBOX/;UID=1;SECTION=1", "/;UID=1",
	"/INBOX;UIDVALIDITY=0/;UID=1", "/INBOX/;UIDVALIDITY=1/;UID=1",
	"/INBOX/;UID=1/;SECTION=", "/INBOX/;UID=1/;SECTION=1.X",
	"/INBOX/;UID=1/;SECTION=0", "/INBOX/;UID=1/;SECTION=1]",
	"/INBOX/;UID=1/;PARTIAL=1.0", "/INBOX/;UID=1/;PARTIAL=",
	"/INBOX/;UID=1/;PARTIAL=1/;SECTION=1",
	"/INBOX/;UID=1/;URLAUTH=anonymous:internal:abc",
	"/INBOX/;UID=1;EXPIRE=2030-01-01T00:00:00Z",
	"/IN BOX/;UID=1", "/IN%00BOX/;UID=1", "/IN%0/;UID=1",
	"/IN%GGBOX/;UID=1", "/%C3/;UID=1", "/INB\xc3\xa9/;UID=1",
	";SECTION=1", "INBOX/;UID=1",
	"imap://", "imap://host", "imap:///INBOX/;UID=1",
	"imap://@host/INBOX/;UID=1", "imap://u;AUTH=@host/INBOX/;UID=1",
	"imap://h o/INBOX/;UID=1", "imap://host/",
};

static void
test_parse(void **state)
{
	struct imap_url u;
	struct imap_section sec;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (imap_url_parse(cases[i].in, strlen(cases[i].in), &u) != 0)
			fail_msg("\"%s\" refused", cases[i].in);
		assert_int_equal(u.base, cases[i].base);
		assert_string_equal(u.user, cases[i].user);
		assert_string_equal(u.mailbox, cases[i].mailbox);
		assert_int_equal(u.uidvalidity, cases[i].uidvalidity);
		assert_int_equal(u.uid, cases[i].uid);
		assert_string_equal(u.fetch, cases[i].fetch);
		assert_int_equal(u.partial, cases[i].partial);
		assert_int_equal(u.offset, cases[i].offset);
		assert_int_equal(u.length, cases[i].length);
		assert_int_equal(imap_url_section(&u, &sec), 0);
		assert_false(sec.partial);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (imap_url_parse(bad[i], strlen(bad[i]), &u) != -1)
			fail_msg("\"%s\" taken", bad[i]);
}

/* test_section - the section comes out as FETCH would read it */
static void
test_section(void **state)
{
	static const char url[] = "/INBOX/;UID=1/;SECTION=1.2.HEADER.FIELDS.NOT%20(Subject%20X)";
	struct imap_url u;
	struct imap_section sec;

	assert_int_equal(imap_url_parse(url, strlen(url), &u), 0);
	assert_int_equal(imap_url_section(&u, &sec), 0);
	assert_int_equal(sec.nparts, 2);
	assert_int_equal(sec.part[1], 2);
	assert_int_equal(sec.text, IMAP_SECTION_HEADER_FIELDS_NOT);
	assert_int_equal(sec.nfields, 2);
	assert_int_equal(sec.field_len[0], 7);
	assert_memory_equal(sec.field[0], "Subject", 7);
	/* a NUL inside, and a URL over the limit */
	assert_int_equal(imap_url_parse("/INBOX/;UID=1\0", 14, &u), -1);
	{
		size_t n = IMAP_URL_MAX + 1;
		char *big = malloc(n + 1);

		memset(big, 'a', n);
		memcpy(big, "/INBOX/;UID=1/;SECTION=", 23);
		assert_int_equal(imap_url_parse(big, n, &u), -1);
		free(big);
	}
}

/* parse_cmd - one command through the parser with LITERAL+ */
static const struct imap_cmd *
parse_cmd(struct imap_parser *p, const char *text, size_t len)
{
	size_t used;

	assert_int_equal(imap_parser_feed(p, text, len, &used), IMAP_PARSE_DONE);
	return imap_parser_cmd(p);
}

static void
test_catenate(void **state)
{
	struct imap_parser_opts o = { .literal_plus = IMAP_LITERAL_PLUS };
	struct imap_parser *p = imap_parser_new(&o);
	const struct imap_cmd *c;
	struct imap_cat_part *parts;
	size_t n;
	static const char *bad_lists[] = {
		"a APPEND x CATENATE ()\r\n",
		"a APPEND x CATENATE (TEXT)\r\n",
		"a APPEND x CATENATE (TEXT \"quoted\")\r\n",
		"a APPEND x CATENATE (URL NIL)\r\n",
		"a APPEND x CATENATE (URL (a))\r\n",
		"a APPEND x CATENATE (FOO {1+}\r\nx)\r\n",
		"a APPEND x CATENATE (TEXT {1+}\r\nx URL)\r\n",
		"a APPEND x CATENATE TEXT\r\n",
	};

	static const char good[] = "a APPEND x CATENATE (text {5+}\r\nab\r\nc url "
	    "\"/INBOX/;UID=1\" URL ;UID=2 TEXT ~{2+}\r\n\0z)\r\n";

	c = parse_cmd(p, good, sizeof(good) - 1);
	assert_int_equal(imap_catenate_parse(&c->args[2], &parts, &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(parts[0].kind, IMAP_CAT_TEXT);
	assert_int_equal(parts[0].len, 5);
	assert_memory_equal(parts[0].data, "ab\r\nc", 5);
	assert_int_equal(parts[1].kind, IMAP_CAT_URL);
	assert_string_equal(parts[1].data, "/INBOX/;UID=1");
	assert_int_equal(parts[2].kind, IMAP_CAT_URL);
	assert_string_equal(parts[2].data, ";UID=2");
	assert_int_equal(parts[3].kind, IMAP_CAT_TEXT);
	assert_int_equal(parts[3].len, 2);
	free(parts);
	for (size_t i = 0; i < sizeof(bad_lists) / sizeof(bad_lists[0]); i++) {
		c = parse_cmd(p, bad_lists[i], strlen(bad_lists[i]));
		if (imap_catenate_parse(&c->args[c->count - 1], &parts, &n) != -1)
			fail_msg("taken: %s", bad_lists[i]);
	}
	imap_parser_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_section),
		cmocka_unit_test(test_catenate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
