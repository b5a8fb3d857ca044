/*
 * test_store_metadata.c - annotations (RFC 5464) in the store: server and
 * mailbox entries apart, binary values, removal, depth, the limits on a
 * user's entries (all or nothing), RENAME keeping a mailbox's entries,
 * DELETE and user deletion removing them, a schema-4 store upgraded
 * with an empty metadata database, and verify finding stray entries.
 */
#include "test_store_fixture.h"
#include "test_store_raw.h"

#include <limits.h>

#define TOMO "tomo@sample.com"

static const struct store_meta_limits lim = { 100, 4 };

/* the entries found, as "name=value name=value" */
struct found {
	char s[1024];
	size_t bytes;		/* of the values together */
};

static int
found_one(const char *name, const void *value, size_t len, void *arg)
{
	struct found *l = arg;
	size_t n = strlen(l->s);

	l->bytes += len;
	snprintf(l->s + n, sizeof(l->s) - n, "%s%s=%.*s", n ? " " : "", name, (int)len,
	    (const char *)value);
	return 0;
}

/* get - the entries of name to depth on mailbox of TOMO, or the error */
static struct found
get(struct fx *f, const char *mailbox, const char *name, unsigned depth, int want_rc)
{
	struct found l = { "", 0 };
	struct store_rtxn *r;

	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_metadata_get(r, TOMO, mailbox, name, depth, found_one, &l), want_rc);
	store_rtxn_end(&r);
	return l;
}

/* set1 - one entry (value NULL: removed) */
static int
set1(struct fx *f, const char *mailbox, const char *name, const char *value, uint64_t *room_r)
{
	struct store_meta_entry e = { name, value, value ? strlen(value) : 0 };

	return store_metadata_set(f->st, TOMO, mailbox, &e, 1, &lim, room_r);
}

/* server and mailbox entries are apart; values are bytes; NIL removes */
static void
test_set_get(void **state)
{
	struct fx *f = *state;
	struct store_meta_entry bin = { "/private/bin", "a\0b", 3 };

	assert_int_equal(set1(f, "", "/shared/comment", "server", NULL), 0);
	assert_int_equal(set1(f, "INBOX", "/shared/comment", "inbox", NULL), 0);
	assert_int_equal(set1(f, "Nope", "/shared/comment", "x", NULL), STORE_ENOTFOUND);
	assert_int_equal(set1(f, "", "comment", "x", NULL), STORE_EINVAL);
	assert_string_equal(get(f, "", "/shared/comment", 0, 0).s, "/shared/comment=server");
	assert_string_equal(get(f, "inbox", "/shared/comment", 0, 0).s, "/shared/comment=inbox");
	assert_string_equal(get(f, "Sent", "/shared/comment", 0, 0).s, "");
	get(f, "Nope", "/shared/comment", 0, STORE_ENOTFOUND);
	assert_int_equal(store_metadata_set(f->st, TOMO, "", &bin, 1, &lim, NULL), 0);
	assert_int_equal(get(f, "", "/private/bin", 0, 0).bytes, 3);
	assert_int_equal(set1(f, "", "/shared/comment", NULL, NULL), 0);
	assert_int_equal(set1(f, "", "/shared/comment", NULL, NULL), 0);
	assert_string_equal(get(f, "", "/shared/comment", 0, 0).s, "");
}

/* DEPTH 0, 1 and infinity below an entry, never a sibling that shares its prefix */
static void
test_depth(void **state)
{
	struct fx *f = *state;
	struct store_meta_entry e[] = {
		{ "/private/a", "1", 1 }, { "/private/a/b", "2", 1 }, { "/private/a/b/c", "3", 1 },
		{ "/private/ab", "4", 1 },
	};

	assert_int_equal(store_metadata_set(f->st, TOMO, "", e, 4, &lim, NULL), 0);
	assert_string_equal(get(f, "", "/private/a", 0, 0).s, "/private/a=1");
	assert_string_equal(get(f, "", "/private/a", 1, 0).s, "/private/a=1 /private/a/b=2");
	assert_string_equal(get(f, "", "/private/a", UINT_MAX, 0).s,
	    "/private/a=1 /private/a/b=2 /private/a/b/c=3");
	assert_string_equal(get(f, "", "/private", 1, 0).s, "/private/a=1 /private/ab=4");
}

/* past a limit nothing of the request is stored; shrinking is always allowed */
static void
test_limits(void **state)
{
	struct fx *f = *state;
	struct store_meta_entry e[] = {
		{ "/private/a", "1", 1 }, { "/private/b", "2", 1 }, { "/private/c", "3", 1 },
		{ "/private/d", "4", 1 }, { "/private/e", "5", 1 },
	};
	char big[101];
	uint64_t room = 0;

	assert_int_equal(store_metadata_set(f->st, TOMO, "", e, 5, &lim, NULL), STORE_ENOQUOTA);
	assert_string_equal(get(f, "", "/private", 1, 0).s, "");
	assert_int_equal(store_metadata_set(f->st, TOMO, "", e, 3, &lim, NULL), 0);
	assert_int_equal(set1(f, "INBOX", "/private/x", "y", NULL), 0);
	assert_int_equal(set1(f, "Sent", "/private/x", "y", NULL), STORE_ENOQUOTA);
	assert_int_equal(set1(f, "INBOX", "/private/x", "z", NULL), 0);	/* a replacement */
	memset(big, 'v', 100);
	big[100] = '\0';
	assert_int_equal(set1(f, "INBOX", "/private/x", big, &room), STORE_ETOOBIG);
	assert_int_equal(room, 97);	/* 100 less the three others */
	big[97] = '\0';
	assert_int_equal(set1(f, "INBOX", "/private/x", big, NULL), 0);
	assert_int_equal(set1(f, "INBOX", "/private/x", NULL, NULL), 0);
	assert_string_equal(get(f, "", "/private", 1, 0).s, "/private/a=1 /private/b=2 /private/c=3");
}

/* RENAME keeps a mailbox's entries; DELETE and the user's deletion remove them */
static void
test_rename_delete(void **state)
{
	struct fx *f = *state;

	assert_int_equal(store_mailbox_create(f->st, TOMO, "Work", 0), 0);
	assert_int_equal(set1(f, "Work", "/shared/comment", "w", NULL), 0);
	assert_int_equal(store_mailbox_rename(f->st, TOMO, "Work", "Play"), 0);
	assert_string_equal(get(f, "Play", "/shared/comment", 0, 0).s, "/shared/comment=w");
	assert_int_equal(store_mailbox_delete(f->st, TOMO, "Play"), 0);
	assert_int_equal(store_mailbox_create(f->st, TOMO, "Play", 0), 0);
	assert_string_equal(get(f, "Play", "/shared/comment", 0, 0).s, "");
	assert_int_equal(set1(f, "", "/shared/comment", "s", NULL), 0);
	assert_int_equal(set1(f, "INBOX", "/shared/comment", "i", NULL), 0);
	assert_int_equal(store_user_del(f->st, TOMO), 0);
	assert_int_equal(store_user_add(f->st, TOMO, "$6$x$y", 0, 0), 0);
	assert_string_equal(get(f, "", "/shared/comment", 0, 0).s, "");
	assert_string_equal(get(f, "INBOX", "/shared/comment", 0, 0).s, "");
}

/* a schema-4 store opens with an empty metadata database and is made current */
static void
test_upgrade_from_schema_4(void **state)
{
	struct fx *f = *state;
	enum store_db db = DB_METADATA;

	assert_int_equal(store_writer_run(f->st, raw_remove_db_fn, &db), 0);
	assert_int_equal(schema_set(f, 4), 0);
	store_close(&f->st);
	fx_open(f);
	assert_int_equal(schema_of(f), STORE_SCHEMA_VERSION);
	assert_string_equal(get(f, "", "/shared/comment", 0, 0).s, "");
	assert_int_equal(set1(f, "", "/shared/comment", "s", NULL), 0);
	assert_string_equal(get(f, "", "/shared/comment", 0, 0).s, "/shared/comment=s");
}

/* verify finds an entry of a user that is gone, and a key without an entry name */
static void
test_verify_stray(void **state)
{
	struct fx *f = *state;
	struct raw x = { .db = DB_METADATA, .data = "v", .len = 1 };

	store_put64(x.k.b, 999999);
	store_put64(x.k.b + 8, 0);
	memcpy(x.k.b + 16, "/private/x", 10);
	x.k.len = 26;
	raw_orphan_found(f, &x);
	x.k.len = 16;
	x.len = 1;
	raw_orphan_found(f, &x);
	assert_int_equal(store_verify(f->st, NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_set_get, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_depth, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_limits, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rename_delete, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_from_schema_4, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_verify_stray, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
