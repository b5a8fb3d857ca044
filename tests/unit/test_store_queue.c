/*
 * test_store_queue.c - the outbound queue in the store: put, get, list in
 * id order, flush, update (never bringing back a deleted entry), delete,
 * survival across a close and reopen; and the sender rule's
 * store_alias_owned_by().
 */
#include "test_store_fixture.h"

static const char *const rcpts[] = { "carol@external.test" };

static struct store_queue_entry
entry(const char *qid, int64_t next)
{
	struct store_queue_entry e = { .created = 1700000000, .next_attempt = next,
	    .from = "tomo@sample.com", .last_error = "", .rcpts = (const char **)rcpts, .nrcpt = 1,
	    .msg = "Subject: x\r\n\r\nbody\r\n", .msglen = 19 };

	snprintf(e.qid, sizeof(e.qid), "%s", qid);
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
	struct store_queue_entry b = entry("BBBBBBBBBBBB", 500), a = entry("AAAAAAAAAAAA", 900), got;
	struct store_rtxn *r;
	struct seen s;
	size_t n;

	assert_int_equal(store_queue_put(f->st, &b), 0);
	assert_int_equal(store_queue_put(f->st, &a), 0);
	s = list(f);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.ids[0], "AAAAAAAAAAAA");	/* id order */
	assert_int_equal(s.next[1], 500);

	assert_int_equal(store_queue_flush(f->st, &n), 0);
	assert_int_equal(n, 2);
	s = list(f);
	assert_int_equal(s.next[0], 0);
	assert_int_equal(s.next[1], 0);

	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_queue_get(r, "BBBBBBBBBBBB", &got), 0);
	assert_string_equal(got.from, "tomo@sample.com");
	assert_int_equal(got.msglen, 19);
	store_queue_entry_free(&got);
	assert_int_equal(store_queue_get(r, "CCCCCCCCCCCC", &got), STORE_ENOTFOUND);
	assert_int_equal(store_queue_get(r, "short", &got), STORE_EINVAL);
	store_rtxn_end(&r);

	assert_int_equal(store_queue_del(f->st, "BBBBBBBBBBBB"), 0);
	assert_int_equal(store_queue_del(f->st, "BBBBBBBBBBBB"), STORE_ENOTFOUND);
	/* the relay's write-back after an operator's delete must not resurrect it */
	b.attempts = 1;
	assert_int_equal(store_queue_update(f->st, &b), STORE_ENOTFOUND);
	a.attempts = 2;
	assert_int_equal(store_queue_update(f->st, &a), 0);
	s = list(f);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.ids[0], "AAAAAAAAAAAA");
}

static void
test_survives_reopen(void **state)
{
	struct fx *f = *state;
	struct store_queue_entry a = entry("AAAAAAAAAAAA", 0);

	assert_int_equal(store_queue_put(f->st, &a), 0);
	store_close(&f->st);
	fx_open(f);
	assert_int_equal(list(f).n, 1);
}

static void
test_put_refuses_bad_entries(void **state)
{
	struct fx *f = *state;
	struct store_queue_entry e = entry("AAAAAAAAAAAA", 0);

	e.nrcpt = 0;
	assert_int_equal(store_queue_put(f->st, &e), STORE_EINVAL);
	e = entry("TOO-SHORT", 0);
	assert_int_equal(store_queue_put(f->st, &e), STORE_EINVAL);
	assert_int_equal(list(f).n, 0);
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
		cmocka_unit_test_setup_teardown(test_survives_reopen, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_put_refuses_bad_entries, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_alias_owned_by, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
