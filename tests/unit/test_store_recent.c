/*
 * test_store_recent.c - the \Recent mark: a claim takes the unclaimed UIDs
 * and moves the mark, a second claim gets nothing, delivery and APPEND
 * leave the mark alone, concurrent claims never share a UID, a rename
 * keeps the mark and a re-created mailbox starts unclaimed, verify checks
 * the marks, and a schema-2 store (no recent database) is upgraded at a
 * writer's open and refused read-only.
 */
#include "test_store_fixture.h"
#include "test_store_raw.h"

#include <pthread.h>

#define TOMO "tomo@sample.com"
#define MSG "Subject: x\r\n\r\nbody\r\n"

/* first - the mailbox's first unclaimed UID */
static uint32_t
first(struct fx *f, uint64_t mbox_id)
{
	struct store_rtxn *r;
	uint32_t uid = 0;

	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_recent_first(r, mbox_id, &uid), 0);
	store_rtxn_end(&r);
	return uid;
}

/* append - n messages to a mailbox of tomo */
static void
append(struct fx *f, const char *mailbox, int n)
{
	for (int i = 0; i < n; i++)
		assert_int_equal(store_append(f->st, TOMO, mailbox, MSG, strlen(MSG), 0, NULL,
		    1700000000, NULL, NULL), 0);
}

/* deliver - one message to tomo's INBOX through delivery */
static void
deliver(struct fx *f)
{
	static const char *const rcpt[] = { TOMO };
	struct store_rcpt_result res[1];

	assert_int_equal(store_deliver(f->st, "Q1", MSG, strlen(MSG), rcpt, 1, NULL, 1700000000,
	    res), 0);
	assert_int_equal(res[0].err, 0);
}

/* claim - store_recent_claim up to the mailbox's UIDNEXT; the first UID claimed */
static uint32_t
claim(struct fx *f, const char *mailbox, uint32_t *limit_r)
{
	struct store_mailbox mb = fx_mailbox(f, TOMO, mailbox);
	uint32_t from = 0;

	assert_int_equal(store_recent_claim(f->st, mb.id, mb.uidnext, &from), 0);
	*limit_r = mb.uidnext;
	return from;
}

static void
test_claim_once(void **state)
{
	struct fx *f = *state;
	uint64_t id = fx_mailbox(f, TOMO, "INBOX").id;
	uint32_t limit, from;

	assert_int_equal(first(f, id), 1);	/* no mark: everything unclaimed */
	deliver(f);
	deliver(f);
	append(f, "INBOX", 1);
	assert_int_equal(first(f, id), 1);	/* delivery and APPEND leave it alone */
	from = claim(f, "INBOX", &limit);
	if (from != 1 || limit != 4)
		fail_msg("first claim: got [%u, %u), want [1, 4)", from, limit);
	assert_int_equal(first(f, id), 4);
	from = claim(f, "INBOX", &limit);
	if (from != limit)
		fail_msg("second claim: got [%u, %u), want nothing", from, limit);
	assert_int_equal(first(f, id), 4);
	deliver(f);
	assert_int_equal(first(f, id), 4);
	from = claim(f, "INBOX", &limit);
	if (from != 4 || limit != 5)
		fail_msg("claim after a delivery: got [%u, %u), want [4, 5)", from, limit);
}

static void
test_claim_bad(void **state)
{
	struct fx *f = *state;
	struct store_mailbox mb = fx_mailbox(f, TOMO, "INBOX");
	uint32_t from;

	assert_int_equal(store_recent_claim(f->st, mb.id, mb.uidnext + 1, &from), STORE_EINVAL);
	assert_int_equal(first(f, mb.id), 1);
	assert_int_equal(store_recent_claim(f->st, 999999, 1, &from), STORE_ENOTFOUND);
}

static void
test_rename_delete(void **state)
{
	struct fx *f = *state;
	uint32_t limit;
	uint64_t id;

	assert_int_equal(store_mailbox_create(f->st, TOMO, "Work", 0), 0);
	append(f, "Work", 2);
	assert_int_equal(claim(f, "Work", &limit), 1);
	assert_int_equal(store_mailbox_rename(f->st, TOMO, "Work", "Jobs"), 0);
	id = fx_mailbox(f, TOMO, "Jobs").id;
	assert_int_equal(first(f, id), 3);
	assert_int_equal(store_mailbox_delete(f->st, TOMO, "Jobs"), 0);
	assert_int_equal(first(f, id), 1);	/* the mark went with the mailbox */
	assert_int_equal(store_mailbox_create(f->st, TOMO, "Jobs", 0), 0);
	append(f, "Jobs", 1);
	assert_int_equal(first(f, fx_mailbox(f, TOMO, "Jobs").id), 1);
}

#define RACE_CLAIMERS 4
#define RACE_MSGS 60

struct race {
	struct fx *f;
	uint64_t mbox_id;
	pthread_mutex_t mu;
	unsigned char owner[RACE_MSGS + 2];	/* claimer + 1 of each UID, 0: none */
	int overlaps, errors;
	bool done;
};

/* race_claim - claim up to UIDNEXT as claimer who; record what it got */
static void
race_claim(struct race *x, int who)
{
	struct store_rtxn *r;
	struct store_mailbox mb;
	uint32_t from;

	if (store_rtxn_begin(x->f->st, &r) != 0 ||
	    store_mailbox_get(r, TOMO, "INBOX", &mb) != 0) {
		store_rtxn_end(&r);
		__atomic_add_fetch(&x->errors, 1, __ATOMIC_SEQ_CST);
		return;
	}
	store_rtxn_end(&r);
	if (store_recent_claim(x->f->st, x->mbox_id, mb.uidnext, &from) != 0) {
		__atomic_add_fetch(&x->errors, 1, __ATOMIC_SEQ_CST);
		return;
	}
	pthread_mutex_lock(&x->mu);
	for (uint32_t u = from; u < mb.uidnext && u < RACE_MSGS + 2; u++) {
		x->overlaps += x->owner[u] != 0;
		x->owner[u] = (unsigned char)(who + 1);
	}
	pthread_mutex_unlock(&x->mu);
}

static void *
race_claimer(void *arg)
{
	struct race *x = ((void **)arg)[0];
	int who = (int)(intptr_t)((void **)arg)[1];

	while (!__atomic_load_n(&x->done, __ATOMIC_SEQ_CST))
		race_claim(x, who);
	return NULL;
}

static void
test_concurrent_claims(void **state)
{
	struct fx *f = *state;
	struct race x = { .f = f, .mbox_id = fx_mailbox(f, TOMO, "INBOX").id };
	pthread_t t[RACE_CLAIMERS];
	void *args[RACE_CLAIMERS][2];
	int owners[RACE_CLAIMERS + 1] = { 0 };

	pthread_mutex_init(&x.mu, NULL);
	for (int i = 0; i < RACE_CLAIMERS; i++) {
		args[i][0] = &x;
		args[i][1] = (void *)(intptr_t)i;
		assert_int_equal(pthread_create(&t[i], NULL, race_claimer, args[i]), 0);
	}
	for (int i = 0; i < RACE_MSGS; i++)
		deliver(f);
	__atomic_store_n(&x.done, true, __ATOMIC_SEQ_CST);
	for (int i = 0; i < RACE_CLAIMERS; i++)
		pthread_join(t[i], NULL);
	race_claim(&x, 0);	/* whatever came after the last round */
	pthread_mutex_destroy(&x.mu);
	if (x.overlaps != 0 || x.errors != 0)
		fail_msg("concurrent claims: got %d UIDs claimed twice and %d errors, want 0",
		    x.overlaps, x.errors);
	for (uint32_t u = 1; u <= RACE_MSGS; u++) {
		if (x.owner[u] == 0)
			fail_msg("concurrent claims: UID %u claimed by nobody", u);
		owners[x.owner[u] - 1]++;
	}
	assert_int_equal(first(f, x.mbox_id), RACE_MSGS + 1);
	print_message("claims per claimer: %d %d %d %d\n", owners[0], owners[1], owners[2],
	    owners[3]);
}

/* put_mark - a raw mark for a mailbox id */
static void
put_mark(struct fx *f, uint64_t id, uint32_t mark)
{
	unsigned char b[4];
	struct raw x = { .db = DB_RECENT, .data = b, .len = 4 };

	store_put32(b, mark);
	store_key_id(&x.k, id);
	assert_int_equal(store_writer_run(f->st, raw_fn, &x), 0);
}

static void
test_verify_marks(void **state)
{
	struct fx *f = *state;
	struct store_mailbox mb = fx_mailbox(f, TOMO, "INBOX");
	struct raw x = { .db = DB_RECENT, .len = SIZE_MAX };

	append(f, "INBOX", 2);
	put_mark(f, mb.id, 3);
	assert_int_equal(store_verify(f->st, NULL), 0);	/* at UIDNEXT: fine */
	put_mark(f, mb.id, 4);
	assert_int_equal(store_verify(f->st, NULL), 1);	/* above UIDNEXT */
	put_mark(f, mb.id, 1);
	put_mark(f, 999999, 1);
	assert_int_equal(store_verify(f->st, NULL), 1);	/* no such mailbox */
	store_key_id(&x.k, 999999);
	assert_int_equal(store_writer_run(f->st, raw_fn, &x), 0);
}

/* a schema-2 store has no recent database: refused read-only, upgraded by a writer */
static void
test_upgrade_from_schema_2(void **state)
{
	struct fx *f = *state;
	uint32_t limit;
	uint64_t id;

	append(f, "INBOX", 2);
	id = fx_mailbox(f, TOMO, "INBOX").id;
	raw_upgrade_from(f, DB_RECENT, 2);
	assert_true(STORE_SCHEMA_VERSION >= 3);
	assert_int_equal(first(f, id), 1);	/* no mark: all of it unclaimed */
	assert_int_equal(claim(f, "INBOX", &limit), 1);
	assert_int_equal(limit, 3);
	assert_int_equal(first(f, id), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_claim_once, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_claim_bad, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rename_delete, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_claims, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_verify_marks, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_from_schema_2, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
