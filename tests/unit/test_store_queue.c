/*
 * test_store_queue.c - the outbound queue in the store: put (ids from the
 * store's counter, never repeated, never replacing an entry), get, list in
 * id order, flush, update (never bringing back a deleted entry), delete,
 * survival across a close and reopen; the due index (the walk in time
 * order up to now and max, kept in step by update, delete and flush,
 * rebuilt at open for an index-less or schema-1 store, checked by verify);
 * and the sender rule's store_alias_owned_by().
 */
#include "test_store_fixture.h"
#include "test_store_raw.h"

static const char *const rcpts[] = { "carol@external.test" };

/* the ids the store's counter gives, in order */
#define Q1 "000000000001"
#define Q2 "000000000002"
#define Q3 "000000000003"
#define Q4 "000000000004"
#define Q5 "000000000005"

static struct store_queue_entry
entry(int64_t next)
{
	return (struct store_queue_entry){ .created = 1700000000, .next_attempt = next,
	    .from = "tomo@sample.com", .last_error = "", .rcpts = (const char **)rcpts, .nrcpt = 1,
	    .msg = "Subject: x\r\n\r\nbody\r\n", .msglen = 19 };
}

/* put - a new entry; its id must be want */
static struct store_queue_entry
put(struct fx *f, int64_t next, const char *want)
{
	struct store_queue_entry e = entry(next);

	assert_int_equal(store_queue_put(f->st, &e), 0);
	assert_string_equal(e.qid, want);
	return e;
}

struct seen {
	char ids[8][STORE_QUEUE_ID_LEN + 1];
	int64_t next[8];
	size_t n;
};

static int
seen_one(const struct store_queue_entry *e, void *arg)
{
	struct seen *s = arg;

	if (s->n < 8) {
		memcpy(s->ids[s->n], e->qid, sizeof(s->ids[0]));
		s->next[s->n] = e->next_attempt;
	}
	s->n++;
	return 0;
}

static struct seen
list(struct fx *f)
{
	struct seen s = { .n = 0 };
	struct store_rtxn *r;

	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_queue_list(r, seen_one, &s), 0);
	store_rtxn_end(&r);
	return s;
}

static void
test_put_list_flush_delete(void **state)
{
	struct fx *f = *state;
	struct store_queue_entry b = put(f, 500, Q1), a = put(f, 900, Q2), got;
	struct store_rtxn *r;
	struct seen s;
	size_t n;

	s = list(f);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.ids[0], Q1);	/* id order */
	assert_int_equal(s.next[0], 500);
	assert_int_equal(s.next[1], 900);

	assert_int_equal(store_queue_flush(f->st, &n), 0);
	assert_int_equal(n, 2);
	s = list(f);
	assert_int_equal(s.next[0], 0);
	assert_int_equal(s.next[1], 0);

	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_queue_get(r, Q1, &got), 0);
	assert_string_equal(got.from, "tomo@sample.com");
	assert_int_equal(got.msglen, 19);
	store_queue_entry_free(&got);
	assert_int_equal(store_queue_get(r, Q3, &got), STORE_ENOTFOUND);
	assert_int_equal(store_queue_get(r, "short", &got), STORE_EINVAL);
	store_rtxn_end(&r);

	assert_int_equal(store_queue_del(f->st, Q1), 0);
	assert_int_equal(store_queue_del(f->st, Q1), STORE_ENOTFOUND);
	/* the relay's write-back after an operator's delete must not resurrect it */
	b.attempts = 1;
	assert_int_equal(store_queue_update(f->st, &b), STORE_ENOTFOUND);
	a.attempts = 2;
	assert_int_equal(store_queue_update(f->st, &a), 0);
	s = list(f);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.ids[0], Q2);
}

/*
 * Queue ids never repeat: a put always makes a new entry, even of an entry
 * already put or deleted, and across a close and reopen; an entry already
 * at the next id (from an older program) is never replaced
 */
static void
test_ids_never_repeat(void **state)
{
	struct fx *f = *state;
	struct store_queue_entry e = put(f, 100, Q1), got;
	struct raw old = { .db = DB_QUEUE, .data = "\x7f", .len = 1 };
	struct store_rtxn *r;

	assert_int_equal(store_queue_put(f->st, &e), 0);
	assert_string_equal(e.qid, Q2);
	assert_int_equal(list(f).n, 2);
	assert_int_equal(store_queue_del(f->st, Q2), 0);
	store_close(&f->st);
	fx_open(f);
	put(f, 100, Q3);
	/* an envelope already at the next id: refused, and left as it was */
	store_key_str(&old.k, Q4);
	assert_int_equal(store_writer_run(f->st, raw_fn, &old), 0);
	e = entry(100);
	assert_int_equal(store_queue_put(f->st, &e), STORE_EEXISTS);
	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_queue_get(r, Q4, &got), STORE_ECORRUPT);
	store_rtxn_end(&r);
	old.len = SIZE_MAX;
	assert_int_equal(store_writer_run(f->st, raw_fn, &old), 0);
	assert_int_equal(list(f).n, 2);
}

static void
test_survives_reopen(void **state)
{
	struct fx *f = *state;
	MDB_envinfo before, after;

	put(f, 0, Q1);
	assert_int_equal(mdb_env_info(f->st->env, &before), 0);
	store_close(&f->st);
	fx_open(f);
	assert_int_equal(list(f).n, 1);
	/* opening a current store writes nothing */
	assert_int_equal(mdb_env_info(f->st->env, &after), 0);
	assert_int_equal(after.me_last_txnid, before.me_last_txnid);
}

static void
test_put_refuses_bad_entries(void **state)
{
	struct fx *f = *state;
	struct store_queue_entry e = entry(0);

	e.nrcpt = 0;
	assert_int_equal(store_queue_put(f->st, &e), STORE_EINVAL);
	e.nrcpt = STORE_QUEUE_RCPTS_MAX + 1;
	assert_int_equal(store_queue_put(f->st, &e), STORE_EINVAL);
	assert_int_equal(list(f).n, 0);
	e = entry(0);
	snprintf(e.qid, sizeof(e.qid), "TOO-SHORT");
	assert_int_equal(store_queue_update(f->st, &e), STORE_EINVAL);
}

/* due - the ids store_queue_due gives for now and max, in its order */
static struct seen
due(struct fx *f, int64_t now, size_t max)
{
	struct seen s = { .n = 0 };
	struct store_rtxn *r;
	size_t damaged = 99;

	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_queue_due(r, now, max, seen_one, &s, &damaged), 0);
	assert_int_equal(damaged, 0);
	store_rtxn_end(&r);
	return s;
}

/* assert_due - the walk gives exactly want (ids, in order) */
static void
assert_due(struct fx *f, int64_t now, size_t max, const char *const *want, size_t n)
{
	struct seen s = due(f, now, max);

	if (s.n != n)
		fail_msg("due(%lld, %zu): got %zu entries, want %zu", (long long)now, max, s.n, n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(s.ids[i], want[i]) != 0)
			fail_msg("due(%lld, %zu)[%zu]: got %s, want %s", (long long)now, max, i,
			    s.ids[i], want[i]);
}

static void
test_due_walk(void **state)
{
	struct fx *f = *state;
	static const int64_t next[] = { 300, 100, 900, 0, 100 };
	static const char *const order[] = { Q4, Q2, Q5, Q1, Q3 };
	static const struct { int64_t now; size_t max, n; } cases[] = {
		{ 0, 10, 1 }, { 99, 10, 1 }, { 100, 10, 3 }, { 299, 10, 3 },
		{ 300, 10, 4 }, { 5000, 10, 5 }, { 5000, 2, 2 }, { 5000, 0, 0 },
	};
	static const char *const ids[] = { Q1, Q2, Q3, Q4, Q5 };

	for (size_t i = 0; i < sizeof(next) / sizeof(next[0]); i++)
		put(f, next[i], ids[i]);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_due(f, cases[i].now, cases[i].max, order, cases[i].n);
}

/* the due walk hands over whole entries, message included */
static int
msg_len_one(const struct store_queue_entry *e, void *arg)
{
	*(size_t *)arg = e->msglen;
	return memcmp(e->msg, "Subject: x", 10) == 0 ? 0 : -1;
}

static void
test_due_update_delete_flush(void **state)
{
	struct fx *f = *state;
	struct store_queue_entry a = put(f, 100, Q1), b = put(f, 200, Q2);
	static const char *const ab[] = { Q1, Q2 };
	static const char *const ba[] = { Q2, Q1 };
	struct store_rtxn *r;
	size_t n = 0, damaged;

	assert_due(f, 200, 10, ab, 2);
	/* a retry moves the entry and keeps its message, whatever e->msg says */
	a.next_attempt = 500;
	a.msg = NULL;
	a.msglen = 0;
	assert_int_equal(store_queue_update(f->st, &a), 0);
	assert_due(f, 499, 10, ba, 1);
	assert_due(f, 500, 10, ba, 2);
	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_queue_due(r, 500, 10, msg_len_one, &n, &damaged), 0);
	store_rtxn_end(&r);
	assert_int_equal(n, 19);
	b.next_attempt = 700;
	assert_int_equal(store_queue_update(f->st, &b), 0);
	assert_due(f, 700, 10, ab, 2);
	assert_int_equal(store_queue_flush(f->st, &n), 0);
	assert_due(f, 0, 10, ab, 2);
	assert_int_equal(store_queue_del(f->st, Q1), 0);
	assert_due(f, 1000, 10, ba, 1);
}

/* legacy_rec - a schema-1 queue record: the envelope and then the message */
static size_t
legacy_rec(unsigned char *b, int64_t next, const char *msg)
{
	static const char strs[] = "old@sample.com\0\0";
	static const char rcpt[] = "carol@external.test";
	size_t n = 0, len = strlen(msg);

	b[n++] = 1;
	store_put64(b + n, 1600000000);
	store_put64(b + n + 8, (uint64_t)next);
	store_put32(b + n + 16, 0);
	n += 20;
	memcpy(b + n, strs, sizeof(strs) - 1);
	n += sizeof(strs) - 1;
	store_put32(b + n, 1);
	n += 4;
	memcpy(b + n, rcpt, sizeof(rcpt));
	n += sizeof(rcpt);
	store_put64(b + n, len);
	memcpy(b + n + 8, msg, len);
	return n + 8 + len;
}

/* an index-less store, one of its records still of schema 1, is reindexed at open */
static void
test_reindex_at_open(void **state)
{
	struct fx *f = *state;
	static const char *const want[] = { "OLDOLDOLDOLD", Q2, Q1 };
	enum store_db db = DB_QUEUE_DUE;
	unsigned char rec[256];
	struct raw old = { .db = DB_QUEUE, .data = rec };
	struct store_queue_entry got;
	struct store_rtxn *r;

	put(f, 300, Q1);
	put(f, 100, Q2);
	store_key_str(&old.k, "OLDOLDOLDOLD");
	old.len = legacy_rec(rec, 50, "Subject: old\r\n\r\nold\r\n");
	assert_int_equal(store_writer_run(f->st, raw_fn, &old), 0);
	assert_int_equal(store_writer_run(f->st, raw_drop_fn, &db), 0);
	assert_int_equal(schema_set(f, 1), 0);
	assert_int_equal(due(f, 1000, 10).n, 0);
	assert_true(store_verify(f->st, NULL) >= 3);	/* three index entries, one message missing */
	store_close(&f->st);
	fx_open(f);
	assert_int_equal(schema_of(f), STORE_SCHEMA_VERSION);
	assert_due(f, 1000, 10, want, 3);
	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_queue_get(r, "OLDOLDOLDOLD", &got), 0);
	assert_string_equal(got.from, "old@sample.com");
	assert_int_equal(got.next_attempt, 50);
	assert_int_equal(got.msglen, 21);
	assert_memory_equal(got.msg, "Subject: old\r\n", 14);
	store_queue_entry_free(&got);
	store_rtxn_end(&r);
}

/* verify reports an entry without its index entry and an index entry without its entry */
static void
test_verify_queue_index(void **state)
{
	struct fx *f = *state;
	struct store_queue_entry a = put(f, 300, Q1);
	struct raw x = { .db = DB_QUEUE_DUE, .data = "", .len = SIZE_MAX };

	assert_int_equal(store_verify(f->st, NULL), 0);
	store_queue_due_key(&x.k, 300, Q1);
	assert_int_equal(store_writer_run(f->st, raw_fn, &x), 0);
	assert_int_equal(store_verify(f->st, NULL), 1);
	assert_int_equal(due(f, 1000, 10).n, 0);
	store_queue_due_key(&x.k, 200, "ZZZZZZZZZZZZ");
	x.len = 0;
	assert_int_equal(store_writer_run(f->st, raw_fn, &x), 0);
	assert_int_equal(store_verify(f->st, NULL), 2);
	assert_int_equal(due(f, 1000, 10).n, 0);	/* a stale index entry is skipped */
	/* the next retry puts the index entry back; the stale one goes by hand */
	assert_int_equal(store_queue_update(f->st, &a), 0);
	x.len = SIZE_MAX;
	assert_int_equal(store_writer_run(f->st, raw_fn, &x), 0);
	assert_int_equal(store_verify(f->st, NULL), 0);
}

/* a due entry that does not decode is passed over and counted; the others still go */
static void
test_due_passes_over_damaged(void **state)
{
	struct fx *f = *state;
	static const char *const ac[] = { Q1, Q3 };
	static const char *const qids[] = { Q1, Q2, Q3 };
	static const enum store_db dbs[] = { DB_QUEUE, DB_QUEUE_DUE, DB_QUEUE_MSG };
	struct raw x = { .db = DB_QUEUE, .data = "\x7f", .len = 1 };
	struct seen s = { .n = 0 };
	struct store_rtxn *r;
	size_t damaged = 0;

	for (size_t i = 0; i < 3; i++)
		put(f, 100 * ((int64_t)i + 1), qids[i]);
	store_key_str(&x.k, Q2);
	assert_int_equal(store_writer_run(f->st, raw_fn, &x), 0);
	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_queue_due(r, 1000, 10, seen_one, &s, &damaged), 0);
	store_rtxn_end(&r);
	assert_int_equal(damaged, 1);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.ids[0], ac[0]);
	assert_string_equal(s.ids[1], ac[1]);
	assert_true(store_verify(f->st, NULL) >= 1);
	/* the damaged entry removed by hand leaves a clean store */
	x.len = SIZE_MAX;
	for (size_t i = 0; i < 3; i++) {
		x.db = dbs[i];
		if (dbs[i] == DB_QUEUE_DUE)
			store_queue_due_key(&x.k, 200, Q2);
		else
			store_key_str(&x.k, Q2);
		assert_int_equal(store_writer_run(f->st, raw_fn, &x), 0);
	}
	assert_int_equal(store_verify(f->st, NULL), 0);
}

static void
test_alias_owned_by(void **state)
{
	struct fx *f = *state;
	const char *team[] = { "other@sample.com", "tomo@sample.com" };
	const char *other[] = { "other@sample.com" };
	struct store_rtxn *r;

	assert_int_equal(store_alias_add(f->st, "team@sample.com", team, 2), 0);
	assert_int_equal(store_alias_add(f->st, "sales@sample.com", other, 1), 0);
	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_alias_owned_by(r, "Tomo@Sample.com", "tomo@sample.com"), 0);
	assert_int_equal(store_alias_owned_by(r, "team@sample.com", "tomo@sample.com"), 0);
	assert_int_equal(store_alias_owned_by(r, "sales@sample.com", "tomo@sample.com"),
	    STORE_ENOTFOUND);
	assert_int_equal(store_alias_owned_by(r, "nobody@sample.com", "tomo@sample.com"),
	    STORE_ENOTFOUND);
	assert_int_equal(store_alias_owned_by(r, "not an address", "tomo@sample.com"), STORE_EINVAL);
	store_rtxn_end(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_put_list_flush_delete, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_ids_never_repeat, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_survives_reopen, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_put_refuses_bad_entries, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_due_walk, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_due_update_delete_flush, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_reindex_at_open, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_due_passes_over_damaged, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_verify_queue_index, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_alias_owned_by, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
