/*
 * test_store_acl.c - mailbox ACLs in the store: setting, adding and
 * taking rights, the owner's implicit rights, "anyone" and
 * "authenticated", identifiers refused, the mailboxes shared with a user,
 * entries following RENAME and going with DELETE and with the user they
 * name, a new mailbox inheriting its parent's, delivery to "+detail"
 * addresses needing "anyone"'s "p", verify finding a stray entry, and a
 * schema-4 store upgraded.
 */
#include "test_store_fixture.h"
#include "test_store_raw.h"

#define TOMO "tomo@sample.com"
#define AKI "aki@sample.com"
#define BOB "bob@test.org"

/* the bits these tests use; the store does not read them */
#define L 0x1u
#define R 0x2u
#define W 0x8u
#define P 0x20u		/* IMAP_ACL_POST, which delivery reads */

/* an ACL as one string: "ident=bits ..." in identifier order */
struct acl {
	char s[512];
};

static int
acl_one(const char *ident, uint32_t rights, void *arg)
{
	struct acl *l = arg;
	size_t n = strlen(l->s);

	snprintf(l->s + n, sizeof(l->s) - n, "%s%s=%x", n ? " " : "", ident, rights);
	return 0;
}

/* acl_of - the entries of owner's mailbox name */
static struct acl
acl_of(struct fx *f, const char *owner, const char *name)
{
	struct acl l = { "" };
	struct store_rtxn *r;

	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_acl_list(r, fx_mailbox(f, owner, name).id, acl_one, &l), 0);
	store_rtxn_end(&r);
	return l;
}

/* rights_of - what user may do on owner's mailbox name */
static uint32_t
rights_of(struct fx *f, const char *user, const char *owner, const char *name)
{
	uint64_t id = fx_mailbox(f, owner, name).id;
	struct store_rtxn *r;
	uint32_t rights = 0xdead;

	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_acl_rights(r, user, id, &rights), 0);
	store_rtxn_end(&r);
	return rights;
}

static int
acl_setup(void **state)
{
	struct fx *f;

	fx_setup(state);
	f = *state;
	assert_int_equal(store_user_add(f->st, AKI, "$6$x$y", 0, 0), 0);
	assert_int_equal(store_user_add(f->st, BOB, "$6$x$y", 0, 0), 0);
	return 0;
}

/* set replaces, add and remove change, the last right taken removes the entry */
static void
test_set_add_remove(void **state)
{
	struct fx *f = *state;
	uint32_t got = 0;

	assert_string_equal(acl_of(f, TOMO, "INBOX").s, "");
	assert_int_equal(store_acl_set(f->st, TOMO, "INBOX", "Aki@Sample.com", L | R, UINT32_MAX, &got), 0);
	assert_int_equal(got, L | R);
	assert_string_equal(acl_of(f, TOMO, "INBOX").s, "aki@sample.com=3");
	assert_int_equal(store_acl_set(f->st, TOMO, "inbox", AKI, W, 0, &got), 0);
	assert_int_equal(got, L | R | W);
	assert_int_equal(store_acl_set(f->st, TOMO, "INBOX", AKI, 0, R, NULL), 0);
	assert_int_equal(rights_of(f, AKI, TOMO, "INBOX"), L | W);
	assert_int_equal(store_acl_set(f->st, TOMO, "INBOX", AKI, 0, UINT32_MAX, &got), 0);
	assert_int_equal(got, 0);
	assert_string_equal(acl_of(f, TOMO, "INBOX").s, "");
	/* taking from an identifier without an entry is no error */
	assert_int_equal(store_acl_set(f->st, TOMO, "INBOX", AKI, 0, UINT32_MAX, NULL), 0);
}

/* the owner has everything; others the union of their, authenticated's and anyone's */
static void
test_rights(void **state)
{
	struct fx *f = *state;

	assert_int_equal(rights_of(f, TOMO, TOMO, "Sent"), STORE_ACL_OWNER);
	assert_int_equal(rights_of(f, AKI, TOMO, "Sent"), 0);
	assert_int_equal(store_acl_set(f->st, TOMO, "Sent", "ANYONE", L, 0, NULL), 0);
	assert_int_equal(store_acl_set(f->st, TOMO, "Sent", "authenticated", R, 0, NULL), 0);
	assert_int_equal(store_acl_set(f->st, TOMO, "Sent", AKI, W, 0, NULL), 0);
	assert_string_equal(acl_of(f, TOMO, "Sent").s, "aki@sample.com=8 anyone=1 authenticated=2");
	assert_int_equal(rights_of(f, AKI, TOMO, "Sent"), L | R | W);
	assert_int_equal(rights_of(f, NULL, TOMO, "Sent"), L);
	assert_int_equal(rights_of(f, BOB, TOMO, "Sent"), 0);
	assert_int_equal(rights_of(f, TOMO, TOMO, "Sent"), STORE_ACL_OWNER);
}

/* identifiers of another domain, the owner, unknown users and mailboxes are refused */
static void
test_refused(void **state)
{
	struct fx *f = *state;

	assert_int_equal(store_acl_set(f->st, TOMO, "INBOX", BOB, L, 0, NULL), STORE_EINVAL);
	assert_int_equal(store_acl_set(f->st, TOMO, "INBOX", TOMO, L, 0, NULL), STORE_EINVAL);
	assert_int_equal(store_acl_set(f->st, TOMO, "INBOX", "nobody", L, 0, NULL), STORE_EINVAL);
	assert_int_equal(store_acl_set(f->st, TOMO, "INBOX", "who@sample.com", L, 0, NULL),
	    STORE_ENOTFOUND);
	assert_int_equal(store_acl_set(f->st, TOMO, "Nope", AKI, L, 0, NULL), STORE_ENOTFOUND);
	assert_int_equal(store_acl_set(f->st, "who@sample.com", "INBOX", AKI, L, 0, NULL),
	    STORE_ENOTFOUND);
	assert_string_equal(acl_of(f, TOMO, "INBOX").s, "");
}

/* the mailboxes shared with a user, with their owners and rights */
struct shared {
	char s[512];
};

static int
shared_one(const char *owner, const struct store_mailbox *mb, uint32_t rights, void *arg)
{
	struct shared *l = arg;
	size_t n = strlen(l->s);

	snprintf(l->s + n, sizeof(l->s) - n, "%s%s/%s=%x", n ? " " : "", owner, mb->name, rights);
	return 0;
}

static struct shared
shared_with(struct fx *f, const char *user)
{
	struct shared l = { "" };
	struct store_rtxn *r;

	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_acl_shared(r, user, shared_one, &l), 0);
	store_rtxn_end(&r);
	return l;
}

/* shared mailboxes: another user's, never one's own, by any identifier */
static void
test_shared(void **state)
{
	struct fx *f = *state;

	assert_int_equal(store_mailbox_create(f->st, TOMO, "Team", 0), 0);
	assert_int_equal(store_acl_set(f->st, TOMO, "Team", AKI, L | R, 0, NULL), 0);
	assert_int_equal(store_acl_set(f->st, TOMO, "Team", "anyone", W, 0, NULL), 0);
	assert_int_equal(store_acl_set(f->st, AKI, "Sent", "authenticated", L, 0, NULL), 0);
	assert_string_equal(shared_with(f, AKI).s, "tomo@sample.com/Team=b");
	assert_string_equal(shared_with(f, TOMO).s, "aki@sample.com/Sent=1");
	/* another domain sees nothing, "anyone" notwithstanding */
	assert_string_equal(shared_with(f, BOB).s, "");
}

/* RENAME keeps the entries, DELETE and the deletion of the named user remove them */
static void
test_follow_and_go(void **state)
{
	struct fx *f = *state;

	assert_int_equal(store_mailbox_create(f->st, TOMO, "Team", 0), 0);
	assert_int_equal(store_mailbox_create(f->st, TOMO, "Other", 0), 0);
	assert_int_equal(store_acl_set(f->st, TOMO, "Team", AKI, L, 0, NULL), 0);
	assert_int_equal(store_acl_set(f->st, TOMO, "Team", "anyone", R, 0, NULL), 0);
	assert_int_equal(store_acl_set(f->st, TOMO, "Other", AKI, L, 0, NULL), 0);
	assert_int_equal(store_mailbox_rename(f->st, TOMO, "Team", "Crew"), 0);
	assert_string_equal(acl_of(f, TOMO, "Crew").s, "aki@sample.com=1 anyone=2");
	assert_int_equal(store_mailbox_delete(f->st, TOMO, "Other"), 0);
	assert_int_equal(store_mailbox_create(f->st, TOMO, "Other", 0), 0);
	assert_string_equal(acl_of(f, TOMO, "Other").s, "");
	assert_int_equal(store_user_del(f->st, AKI), 0);
	assert_string_equal(acl_of(f, TOMO, "Crew").s, "anyone=2");
	/* a new user of the same address starts with nothing */
	assert_int_equal(store_user_add(f->st, AKI, "$6$x$y", 0, 0), 0);
	assert_int_equal(rights_of(f, AKI, TOMO, "Crew"), R);
	/* the owner's deletion takes its mailboxes' entries along */
	assert_int_equal(store_user_del(f->st, TOMO), 0);
	assert_string_equal(shared_with(f, AKI).s, "");
}

/* a new mailbox starts with its parent's entries, its parents too; a top-level one with none */
static void
test_inherit(void **state)
{
	struct fx *f = *state;

	assert_int_equal(store_mailbox_create(f->st, TOMO, "Team", 0), 0);
	assert_int_equal(store_acl_set(f->st, TOMO, "Team", AKI, L | R, 0, NULL), 0);
	assert_int_equal(store_acl_set(f->st, TOMO, "Team", "anyone", L, 0, NULL), 0);
	assert_int_equal(store_mailbox_create(f->st, TOMO, "Team/A/B", 0), 0);
	assert_string_equal(acl_of(f, TOMO, "Team/A").s, "aki@sample.com=3 anyone=1");
	assert_string_equal(acl_of(f, TOMO, "Team/A/B").s, "aki@sample.com=3 anyone=1");
	/* a copy: changing the parent's later leaves the child's alone */
	assert_int_equal(store_acl_set(f->st, TOMO, "Team", AKI, 0, UINT32_MAX, NULL), 0);
	assert_string_equal(acl_of(f, TOMO, "Team/A").s, "aki@sample.com=3 anyone=1");
	assert_int_equal(store_mailbox_create(f->st, TOMO, "Top", 0), 0);
	assert_string_equal(acl_of(f, TOMO, "Top").s, "");
}

/* deliver_to - deliver one message to rcpt; the error of its recipient */
static int
deliver_to(struct fx *f, const char *rcpt)
{
	const char *rcpts[1] = { rcpt };
	struct store_rcpt_result res[1];
	char *msg = fx_text("detail", 100);

	assert_int_equal(store_deliver(f->st, "Q", msg, strlen(msg), rcpts, 1, NULL, 1700000000,
	    res), 0);
	free(msg);
	return res[0].err;
}

/* rcpt_ok - store_rcpt_check of an address */
static int
rcpt_ok(struct fx *f, const char *rcpt)
{
	struct store_rtxn *r;
	int rc;

	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	rc = store_rcpt_check(r, rcpt, false, 0);
	store_rtxn_end(&r);
	return rc;
}

/* user+detail goes to the mailbox detail names only when anyone may post there */
static void
test_detail(void **state)
{
	struct fx *f = *state;

	assert_int_equal(store_mailbox_create(f->st, TOMO, "Team", 0), 0);
	assert_int_equal(deliver_to(f, "tomo+team@sample.com"), 0);
	assert_int_equal(fx_mailbox(f, TOMO, "INBOX").messages, 1);
	assert_int_equal(store_acl_set(f->st, TOMO, "Team", AKI, P, 0, NULL), 0);
	assert_int_equal(deliver_to(f, "tomo+team@sample.com"), 0);
	assert_int_equal(fx_mailbox(f, TOMO, "INBOX").messages, 2);
	assert_int_equal(store_acl_set(f->st, TOMO, "Team", "anyone", P, 0, NULL), 0);
	assert_int_equal(deliver_to(f, "Tomo+TEAM@sample.com"), 0);
	assert_int_equal(fx_mailbox(f, TOMO, "Team").messages, 1);
	assert_int_equal(deliver_to(f, "tomo+nothing@sample.com"), 0);
	assert_int_equal(fx_mailbox(f, TOMO, "INBOX").messages, 3);
	assert_int_equal(deliver_to(f, "nobody+team@sample.com"), STORE_ENOTFOUND);
	assert_int_equal(deliver_to(f, "tomo+@sample.com"), STORE_ENOTFOUND);
	assert_int_equal(rcpt_ok(f, "tomo+team@sample.com"), 0);
	assert_int_equal(rcpt_ok(f, "tomo+anything@sample.com"), 0);
	assert_int_equal(rcpt_ok(f, "nobody+team@sample.com"), STORE_ENOTFOUND);
}

/* verify finds an entry of a mailbox that is gone, and a key without an identifier */
static void
test_verify_orphan(void **state)
{
	struct fx *f = *state;
	struct raw x = { .db = DB_ACL, .data = "\x01\x00\x00\x00\x01", .len = 5 };

	store_key_id_name(&x.k, 999999, "anyone");
	raw_orphan_found(f, &x);
	store_key_id(&x.k, 999999);
	x.len = 5;
	raw_orphan_found(f, &x);
}

/* a schema-4 store has no acl database: refused read-only, upgraded by a writer */
static void
test_upgrade_from_schema_4(void **state)
{
	struct fx *f = *state;

	raw_upgrade_from(f, DB_ACL, 4);
	assert_int_equal(store_acl_set(f->st, TOMO, "INBOX", AKI, L, 0, NULL), 0);
	assert_int_equal(rights_of(f, AKI, TOMO, "INBOX"), L);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_set_add_remove, acl_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rights, acl_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_refused, acl_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_shared, acl_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_follow_and_go, acl_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_inherit, acl_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_detail, acl_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_verify_orphan, acl_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_from_schema_4, acl_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
