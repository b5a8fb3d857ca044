/*
 * test_store_subscribe.c - subscriptions are a set of names of their own:
 * a new user's default folders, names without a mailbox, CREATE, DELETE
 * and RENAME leaving the set alone, the set removed with the user, and a
 * schema-3 store (a flag in each mailbox record) upgraded at open with its
 * subscriptions kept.
 */
#include "test_store_fixture.h"
#include "test_store_raw.h"

#include "util/buf.h"

#define TOMO "tomo@sample.com"

/* a user's subscriptions as one space-separated string, in name order */
struct subs {
	char s[1024];
};

static int
subs_one(const char *name, void *arg)
{
	struct subs *l = arg;
	size_t n = strlen(l->s);

	snprintf(l->s + n, sizeof(l->s) - n, "%s%s", n ? " " : "", name);
	return 0;
}

/* subs_of - the subscriptions of addr, or the error */
static struct subs
subs_of(struct fx *f, const char *addr, int want_rc)
{
	struct subs l = { "" };
	struct store_rtxn *r;

	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_subscription_list(r, addr, subs_one, &l), want_rc);
	store_rtxn_end(&r);
	return l;
}

/* a new user is subscribed to its default folders */
static void
test_default_folders(void **state)
{
	struct fx *f = *state;

	assert_string_equal(subs_of(f, TOMO, 0).s, "Archive Drafts INBOX Junk Sent Trash");
	subs_of(f, "nobody@sample.com", STORE_ENOTFOUND);
}

/* names are subscribed with or without a mailbox; mailbox changes leave them alone */
static void
test_names_not_mailboxes(void **state)
{
	struct fx *f = *state;

	assert_int_equal(store_mailbox_subscribe(f->st, TOMO, "Gone/Box", true), 0);
	assert_int_equal(store_mailbox_subscribe(f->st, TOMO, "Gone/Box", true), 0);
	assert_int_equal(store_mailbox_subscribe(f->st, TOMO, "inbox", true), 0);
	assert_int_equal(store_mailbox_create(f->st, TOMO, "Work/2024", 0), 0);
	assert_string_equal(subs_of(f, TOMO, 0).s, "Archive Drafts Gone/Box INBOX Junk Sent Trash");
	assert_int_equal(store_mailbox_subscribe(f->st, TOMO, "Work/2024", true), 0);
	assert_int_equal(store_mailbox_rename(f->st, TOMO, "Work", "Play"), 0);
	assert_int_equal(store_mailbox_delete(f->st, TOMO, "Play/2024"), 0);
	assert_int_equal(store_mailbox_delete(f->st, TOMO, "Trash"), 0);
	assert_string_equal(subs_of(f, TOMO, 0).s,
	    "Archive Drafts Gone/Box INBOX Junk Sent Trash Work/2024");
	assert_int_equal(store_mailbox_subscribe(f->st, TOMO, "Gone/Box", false), 0);
	assert_int_equal(store_mailbox_subscribe(f->st, TOMO, "Gone/Box", false), 0);
	assert_int_equal(store_mailbox_subscribe(f->st, TOMO, "Never", false), 0);
	assert_int_equal(store_mailbox_subscribe(f->st, TOMO, "a//b", true), STORE_EINVAL);
	assert_int_equal(store_mailbox_subscribe(f->st, TOMO, "star*", true), STORE_EINVAL);
	assert_int_equal(store_mailbox_subscribe(f->st, "nobody@sample.com", "X", true),
	    STORE_ENOTFOUND);
	assert_string_equal(subs_of(f, TOMO, 0).s, "Archive Drafts INBOX Junk Sent Trash Work/2024");
}

/* deleting a user removes its subscriptions; the same address starts afresh */
static void
test_user_del(void **state)
{
	struct fx *f = *state;

	assert_int_equal(store_user_add(f->st, "kai@sample.com", "$6$x$y", 0, 0), 0);
	assert_int_equal(store_mailbox_subscribe(f->st, TOMO, "Gone", true), 0);
	assert_int_equal(store_mailbox_subscribe(f->st, "kai@sample.com", "Kept", true), 0);
	assert_int_equal(store_user_del(f->st, TOMO), 0);
	assert_int_equal(store_verify(f->st, NULL), 0);	/* no subscription left without its user */
	assert_int_equal(store_user_add(f->st, TOMO, "$6$x$y", 0, 0), 0);
	assert_string_equal(subs_of(f, TOMO, 0).s, "Archive Drafts INBOX Junk Sent Trash");
	assert_string_equal(subs_of(f, "kai@sample.com", 0).s,
	    "Archive Drafts INBOX Junk Kept Sent Trash");
}

/* a subscription whose user is gone is a problem store_verify reports */
static void
test_verify_orphan(void **state)
{
	struct fx *f = *state;
	struct raw x = { .db = DB_SUBSCRIPTIONS, .data = "\x01", .len = 1 };

	store_key_id_name(&x.k, 999999, "Orphan");
	raw_orphan_found(f, &x);
}

/* age_mbox - rewrite a mailbox record as schema 3 wrote it: version 1, the flag at the end */
static void
age_mbox(struct fx *f, uint64_t user_id, const char *name, bool subscribed)
{
	struct store_rtxn *r;
	struct buf b = BUF_INIT;
	struct raw x = { .db = DB_MAILBOXES };
	MDB_val v;

	store_key_id_name(&x.k, user_id, name);
	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_get(r->txn, r->st, DB_MAILBOXES, &x.k, &v), 0);
	assert_int_equal(((const unsigned char *)v.mv_data)[0], 2);
	buf_putc(&b, 1);
	buf_append(&b, (const char *)v.mv_data + 1, v.mv_size - 1);
	buf_putc(&b, subscribed ? 1 : 0);
	store_rtxn_end(&r);
	x.data = b.data;
	x.len = b.len;
	assert_int_equal(store_writer_run(f->st, raw_fn, &x), 0);
	buf_free(&b);
}

/* user_id_of - the id under which a user's keys are stored */
static uint64_t
user_id_of(struct fx *f, const char *addr)
{
	struct store_rtxn *r;
	struct store_user_rec u;

	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_user_load(r->txn, r->st, addr, &u), 0);
	store_rtxn_end(&r);
	return u.id;
}

/* a schema-3 store keeps every subscription its mailbox records held */
static void
test_upgrade_from_schema_3(void **state)
{
	static const char *const names[] = {
		"Archive", "Drafts", "INBOX", "Junk", "Sent", "Trash", "Work", "Work/2024",
	};
	struct fx *f = *state;
	uint64_t id = user_id_of(f, TOMO);

	assert_int_equal(store_mailbox_create(f->st, TOMO, "Work/2024", 0), 0);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		age_mbox(f, id, names[i], strcmp(names[i], "Junk") != 0 && strcmp(names[i], "Work") != 0);
	raw_upgrade_from(f, DB_SUBSCRIPTIONS, 3);
	assert_true(STORE_SCHEMA_VERSION >= 4);
	assert_string_equal(subs_of(f, TOMO, 0).s, "Archive Drafts INBOX Sent Trash Work/2024");
	assert_int_equal(fx_mailbox(f, TOMO, "Work/2024").uidnext, 1);	/* old records still read */
	/* the flag left in an old record means nothing once the store is current */
	assert_int_equal(store_mailbox_subscribe(f->st, TOMO, "Sent", false), 0);
	store_close(&f->st);
	fx_open(f);
	assert_string_equal(subs_of(f, TOMO, 0).s, "Archive Drafts INBOX Trash Work/2024");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_default_folders, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_names_not_mailboxes, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_user_del, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_verify_orphan, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_from_schema_3, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
