/*
 * test_imap_acl.c - RFC 4314 rights strings: parsing with the modifiers,
 * the obsolete "c" and "d", applying a change and writing rights back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "imapsyn/imap_acl.h"
#include "util/buf.h"

static const struct {
	const char *in;
	int mod;		/* enum imap_acl_mod, or -1: refused */
	const char *want;	/* the bits written back */
} cases[] = {
	{ "", IMAP_ACL_REPLACE, "" },
	{ "lr", IMAP_ACL_REPLACE, "lr" },
	{ "rl", IMAP_ACL_REPLACE, "lr" },
	{ "lrlr", IMAP_ACL_REPLACE, "lr" },
	{ "lrswipkxtea", IMAP_ACL_REPLACE, "lrswipkxteacd" },
	{ "+w", IMAP_ACL_ADD, "w" },
	{ "-lr", IMAP_ACL_REMOVE, "lr" },
	{ "+", IMAP_ACL_ADD, "" },
	{ "c", IMAP_ACL_REPLACE, "kc" },
	{ "d", IMAP_ACL_REPLACE, "xted" },
	{ "t", IMAP_ACL_REPLACE, "td" },
	{ "e", IMAP_ACL_REPLACE, "ed" },
	{ "x", IMAP_ACL_REPLACE, "xd" },
	{ "k", IMAP_ACL_REPLACE, "kc" },
	{ "lrcd", IMAP_ACL_REPLACE, "lrkxtecd" },
	{ "L", -1, "" },
	{ "lr ", -1, "" },
	{ "l+r", -1, "" },
	{ "++l", -1, "" },
	{ "lz", -1, "" },
	{ "0", -1, "" },
};

/* test_parse - the table */
static void
test_parse(void **state)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf got = BUF_INIT;
		enum imap_acl_mod mod;
		uint32_t bits = 0xdead;
		int rc;

		rc = imap_acl_parse(cases[i].in, strlen(cases[i].in), &bits, &mod);
		if (cases[i].mod < 0) {
			if (rc != -1)
				fail_msg("\"%s\" was accepted", cases[i].in);
			continue;
		}
		if (rc != 0)
			fail_msg("\"%s\" was refused", cases[i].in);
		if ((int)mod != cases[i].mod)
			fail_msg("\"%s\": modifier %d, want %d", cases[i].in, (int)mod, cases[i].mod);
		imap_acl_format(bits, &got);
		if (strcmp(buf_cstr(&got), cases[i].want) != 0)
			fail_msg("\"%s\": got \"%s\", want \"%s\"", cases[i].in, buf_cstr(&got),
			    cases[i].want);
		buf_free(&got);
	}
}

/* test_no_modifier - without mod_r, "+" and "-" are not letters */
static void
test_no_modifier(void **state)
{
	uint32_t bits;

	assert_int_equal(imap_acl_parse("+l", 2, &bits, NULL), -1);
	assert_int_equal(imap_acl_parse("-l", 2, &bits, NULL), -1);
	assert_int_equal(imap_acl_parse("lr", 2, &bits, NULL), 0);
	assert_int_equal(bits, IMAP_ACL_LOOKUP | IMAP_ACL_READ);
}

/* apply - old rights after a change */
static uint32_t
apply(uint32_t old, enum imap_acl_mod mod, uint32_t bits)
{
	uint32_t add, remove;

	imap_acl_change(mod, bits, &add, &remove);
	return (old & ~remove) | add;
}

/* test_change - replace, add, remove */
static void
test_change(void **state)
{
	uint32_t lr = IMAP_ACL_LOOKUP | IMAP_ACL_READ;

	assert_int_equal(apply(lr, IMAP_ACL_REPLACE, IMAP_ACL_WRITE), IMAP_ACL_WRITE);
	assert_int_equal(apply(lr, IMAP_ACL_REPLACE, 0), 0);
	assert_int_equal(apply(lr, IMAP_ACL_ADD, IMAP_ACL_WRITE), lr | IMAP_ACL_WRITE);
	assert_int_equal(apply(lr, IMAP_ACL_REMOVE, IMAP_ACL_READ), IMAP_ACL_LOOKUP);
	assert_int_equal(apply(lr, IMAP_ACL_REMOVE, IMAP_ACL_D), lr);
	assert_int_equal(apply(IMAP_ACL_ALL, IMAP_ACL_REMOVE, IMAP_ACL_D) & IMAP_ACL_D, 0);
}

/* test_listrights - every right on its own */
static void
test_listrights(void **state)
{
	struct buf got = BUF_INIT;

	imap_acl_listrights(&got);
	assert_string_equal(buf_cstr(&got), "\"\" l r s w i p k x t e a c d");
	buf_free(&got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_no_modifier),
		cmocka_unit_test(test_change),
		cmocka_unit_test(test_listrights),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
