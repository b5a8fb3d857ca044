/*
 * test_imap_metadata.c - METADATA syntax: entry names (RFC 5464 3.2)
 * accepted lower-cased or refused with a reason, table-driven, and
 * GETMETADATA's MAXSIZE and DEPTH options.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "imapsyn/imap_metadata.h"

static const struct {
	const char *in;
	bool leaf;
	const char *want;	/* lower-cased, or NULL: refused */
} cases[] = {
	{ "/shared/comment", true, "/shared/comment" },
	{ "/Private/Comment", true, "/private/comment" },
	{ "/PRIVATE/vendor/Example.COM/x-y_z", true, "/private/vendor/example.com/x-y_z" },
	{ "/shared/a b~!", true, "/shared/a b~!" },
	{ "/private", false, "/private" },
	{ "/shared", false, "/shared" },
	{ "/private", true, NULL },
	{ "/shared/", false, NULL },
	{ "", false, NULL },
	{ "shared/comment", true, NULL },
	{ "/public/comment", true, NULL },
	{ "/privatex/comment", true, NULL },
	{ "/shared//comment", true, NULL },
	{ "//shared/comment", true, NULL },
	{ "/shared/comment/", true, NULL },
	{ "/shared/*", true, NULL },
	{ "/shared/com%", true, NULL },
	{ "/shared/\x01", true, NULL },
	{ "/shared/\x1f", true, NULL },
	{ "/shared/\x7f", true, NULL },
	{ "/shared/\xc3\xa9", true, NULL },
	{ "/shared/\tx", true, NULL },
};

static void
test_entries(void **state)
{
	char out[IMAP_META_ENTRY_MAX + 1];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why = NULL;
		int rc = imap_meta_entry(cases[i].in, strlen(cases[i].in), cases[i].leaf, out, &why);

		if (cases[i].want == NULL && (rc != -1 || why == NULL))
			fail_msg("%s: accepted", cases[i].in);
		if (cases[i].want != NULL && (rc != 0 || strcmp(out, cases[i].want) != 0))
			fail_msg("%s: %s", cases[i].in, rc ? why : out);
	}
}

/* a NUL inside the bytes and a name past the limit are refused */
static void
test_entry_bounds(void **state)
{
	char out[IMAP_META_ENTRY_MAX + 1], in[IMAP_META_ENTRY_MAX + 2];
	const char *why = NULL;

	assert_int_equal(imap_meta_entry("/shared/a\0b", 11, true, out, &why), -1);
	memset(in, 'a', sizeof(in));
	memcpy(in, "/shared/", 8);
	assert_int_equal(imap_meta_entry(in, IMAP_META_ENTRY_MAX, true, out, &why), 0);
	assert_int_equal(strlen(out), IMAP_META_ENTRY_MAX);
	assert_int_equal(imap_meta_entry(in, IMAP_META_ENTRY_MAX + 1, true, out, &why), -1);
}

/* parse_opts - imap_meta_options on the list of "t GETMETADATA <text>" */
static int
parse_opts(const char *text, struct imap_meta_opts *o)
{
	struct imap_parser *p = imap_parser_new(NULL);
	char line[256];
	const char *why = NULL;
	size_t used;
	int rc = -2;

	snprintf(line, sizeof(line), "t GETMETADATA %s\r\n", text);
	if (imap_parser_feed(p, line, strlen(line), &used) == IMAP_PARSE_DONE) {
		rc = imap_meta_options(&imap_parser_cmd(p)->args[0], o, &why);
		assert_true(rc == 0 || why != NULL);
	}
	imap_parser_free(&p);
	return rc;
}

static void
test_options(void **state)
{
	static const char *bad[] = {
		"()", "(MAXSIZE)", "(MAXSIZE -1)", "(MAXSIZE 1x)", "(MAXSIZE 99999999999999999999)",
		"(DEPTH 2)", "(DEPTH)", "(DEPTH 0 DEPTH 1)", "(MAXSIZE 1 MAXSIZE 1)", "(BOGUS 1)",
		"(\"MAXSIZE\" 1)", "MAXSIZE", "((DEPTH 1))",
	};
	struct imap_meta_opts o;

	assert_int_equal(parse_opts("(MAXSIZE 1024)", &o), 0);
	assert_true(o.maxsize == 1024 && o.depth == 0);
	assert_int_equal(parse_opts("(depth infinity maxsize 0)", &o), 0);
	assert_true(o.maxsize == 0 && o.depth == IMAP_META_DEPTH_INFINITY);
	assert_int_equal(parse_opts("(DEPTH 1)", &o), 0);
	assert_true(o.maxsize == UINT64_MAX && o.depth == 1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse_opts(bad[i], &o) != -1)
			fail_msg("%s: parsed", bad[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries),
		cmocka_unit_test(test_entry_bounds),
		cmocka_unit_test(test_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
