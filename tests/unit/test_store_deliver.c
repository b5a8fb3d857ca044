/*
 * test_store_deliver.c - delivery: shared bodies and their counts, alias
 * and forward expansion, external targets, loops, both quota policies
 * with the near-full warning, and all-or-nothing delivery (SMTP and
 * submission) with a failed recipient and with a full map.
 */
#include "test_store_fixture.h"
#include "test_store_raw.h"

#define TOMO "tomo@sample.com"

/* deliver - one message to rcpts; the per-recipient errors into errs */
static void
deliver(struct fx *f, const char *msg, const char *const *rcpts, size_t n, int *errs)
{
	struct store_rcpt_result res[8];

	assert_int_equal(store_deliver(f->st, "Q1", msg, strlen(msg), rcpts, n, NULL, 1700000000,
	    res), 0);
	for (size_t i = 0; i < n; i++)
		errs[i] = res[i].err;
}

static size_t
inbox_count(struct fx *f, const char *addr)
{
	return fx_mailbox(f, addr, "INBOX").messages;
}

static void
test_shared_body(void **state)
{
	struct fx *f = *state;
	const char *rcpts[] = { TOMO, "ann@sample.com", "tomo@test.org" };
	const char *data;
	struct store_rtxn *r;
	struct fx_msgs l[3];
	int errs[3];
	size_t len;
	char *msg = fx_text("shared", 3000);

	assert_int_equal(store_user_add(f->st, "ann@sample.com", "h", 0, 0), 0);
	assert_int_equal(store_user_add(f->st, "tomo@test.org", "h", 0, 0), 0);
	deliver(f, msg, rcpts, 3, errs);
	for (size_t i = 0; i < 3; i++) {
		if (errs[i] != 0)
			fail_msg("rcpt %s: got %d, want 0", rcpts[i], errs[i]);
		l[i] = fx_msgs(f, fx_mailbox(f, rcpts[i], "INBOX").id);
		assert_int_equal(l[i].n, 1);
		assert_int_equal(l[i].m[0].body_id, l[0].m[0].body_id);
	}
	/* expunge each copy: the body lives until the last one goes */
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(store_expunge(f->st, fx_mailbox(f, rcpts[i], "INBOX").id,
		    &l[i].m[0].uid, 1), 0);
		assert_int_equal(store_verify(f->st, stderr), 0);
		assert_int_equal(store_rtxn_begin(f->st, &r), 0);
		assert_int_equal(store_msg_body(r, l[0].m[0].body_id, &data, &len),
		    i < 2 ? 0 : STORE_ENOTFOUND);
		store_rtxn_end(&r);
	}
	free(msg);
}

static void
test_alias_expansion(void **state)
{
	struct fx *f = *state;
	const char *local[] = { TOMO, "ann@sample.com" };
	const char *mixed[] = { "ann@sample.com", "someone@example.net" };
	const char *loop_a[] = { "loop-b@sample.com" };
	const char *loop_b[] = { "loop-a@sample.com", TOMO };
	const char *rcpts[] = { "team@sample.com", TOMO, "mixed@sample.com", "nobody@sample.com",
	    "ext@example.net", "loop-a@sample.com" };
	int errs[6];
	char *msg = fx_text("team", 100);

	assert_int_equal(store_user_add(f->st, "ann@sample.com", "h", 0, 0), 0);
	assert_int_equal(store_alias_add(f->st, "team@sample.com", local, 2), 0);
	assert_int_equal(store_alias_add(f->st, "mixed@sample.com", mixed, 2), 0);
	assert_int_equal(store_alias_add(f->st, "loop-a@sample.com", loop_a, 1), 0);
	assert_int_equal(store_alias_add(f->st, "loop-b@sample.com", loop_b, 2), 0);
	deliver(f, msg, rcpts, 6, errs);
	assert_int_equal(errs[0], 0);
	assert_int_equal(errs[1], 0);		/* already has its copy via team */
	assert_int_equal(errs[2], STORE_EEXTERNAL);
	assert_int_equal(errs[3], STORE_ENOTFOUND);
	assert_int_equal(errs[4], STORE_EEXTERNAL);
	assert_int_equal(errs[5], 0);		/* loop: tomo still reached, once */
	assert_int_equal(inbox_count(f, TOMO), 1);
	assert_int_equal(inbox_count(f, "ann@sample.com"), 1);	/* mixed stored nothing */
	free(msg);
}

static void
test_forwards(void **state)
{
	struct fx *f = *state;
	const char *to_ann[] = { "ann@sample.com" };
	const char *to_ext[] = { "me@example.net" };
	const char *rcpt[] = { TOMO };
	int errs[1];
	char *msg = fx_text("fwd", 100);

	assert_int_equal(store_user_add(f->st, "ann@sample.com", "h", 0, 0), 0);
	assert_int_equal(store_forward_set(f->st, TOMO, to_ann, 1, false), 0);
	deliver(f, msg, rcpt, 1, errs);
	assert_int_equal(errs[0], 0);
	assert_int_equal(inbox_count(f, TOMO), 0);
	assert_int_equal(inbox_count(f, "ann@sample.com"), 1);
	assert_int_equal(store_forward_set(f->st, TOMO, to_ann, 1, true), 0);
	deliver(f, msg, rcpt, 1, errs);
	assert_int_equal(errs[0], 0);
	assert_int_equal(inbox_count(f, TOMO), 1);
	assert_int_equal(inbox_count(f, "ann@sample.com"), 2);
	assert_int_equal(store_forward_set(f->st, TOMO, to_ext, 1, true), 0);
	deliver(f, msg, rcpt, 1, errs);
	assert_int_equal(errs[0], STORE_EEXTERNAL);
	assert_int_equal(inbox_count(f, TOMO), 1);
	free(msg);
}

struct queued {
	size_t n;
	char qid[STORE_QUEUE_ID_LEN + 1];
	char from[64];
	char rcpts[256];
	int has_body;
};

static int
queued_one(const struct store_queue_entry *e, void *arg)
{
	struct queued *q = arg;

	q->n++;
	memcpy(q->qid, e->qid, sizeof(q->qid));
	snprintf(q->from, sizeof(q->from), "%s", e->from);
	q->rcpts[0] = '\0';
	for (size_t i = 0; i < e->nrcpt; i++)
		snprintf(q->rcpts + strlen(q->rcpts), sizeof(q->rcpts) - strlen(q->rcpts), "%s%s",
		    i ? "," : "", e->rcpts[i]);
	q->has_body = memmem(e->msg, e->msglen, "Subject: relay", 14) != NULL;
	return 0;
}

static struct queued
queued(struct fx *f)
{
	struct queued q = { .n = 0 };
	struct store_rtxn *r;

	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_queue_list(r, queued_one, &q), 0);
	store_rtxn_end(&r);
	return q;
}

/* with an envelope sender, external targets are queued with the local copies */
static void
test_forwards_queued(void **state)
{
	struct fx *f = *state;
	const char *to_ext[] = { "me@example.net", "ann@sample.com" };
	const char *mixed[] = { "you@example.org", "me@example.net" };
	const char *rcpt[] = { TOMO, "mixed@sample.com" };
	struct store_rcpt_result res[2];
	char *msg = fx_text("relay", 100);
	struct queued q;

	assert_int_equal(store_user_add(f->st, "ann@sample.com", "h", 0, 0), 0);
	assert_int_equal(store_forward_set(f->st, TOMO, to_ext, 2, true), 0);
	assert_int_equal(store_alias_add(f->st, "mixed@sample.com", mixed, 2), 0);
	assert_int_equal(store_deliver_from(f->st, "q1", "sender@remote.test", msg, strlen(msg),
	    rcpt, 2, NULL, 1700000000, res), 0);
	assert_int_equal(res[0].err, 0);
	assert_int_equal(res[1].err, 0);
	assert_int_equal(inbox_count(f, TOMO), 1);		/* --keep */
	assert_int_equal(inbox_count(f, "ann@sample.com"), 1);
	q = queued(f);
	assert_int_equal(q.n, 1);				/* one entry for the delivery */
	assert_string_equal(q.from, "sender@remote.test");
	assert_string_equal(q.rcpts, "me@example.net,you@example.org");	/* each once */
	assert_true(q.has_body);
	/* without a sender nothing is queued: the old refusal */
	assert_int_equal(store_deliver(f->st, "q2", msg, strlen(msg), rcpt, 1, NULL, 1700000000,
	    res), 0);
	assert_int_equal(res[0].err, STORE_EEXTERNAL);
	assert_int_equal(queued(f).n, 1);
	free(msg);
}

/* entries - the records of one database */
static size_t
entries(struct fx *f, enum store_db db)
{
	struct store_rtxn *r;
	MDB_stat ms;

	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(mdb_stat(r->txn, f->st->dbi[db], &ms), 0);
	store_rtxn_end(&r);
	return ms.ms_entries;
}

/*
 * all or nothing: one recipient over quota refuses the message for all,
 * the local copy and the queue entry included, and says why for each
 */
static void
test_atomic_refused_whole(void **state)
{
	struct fx *f = *state;
	const char *rcpts[] = { TOMO, "carol@example.net", "ann@sample.com" };
	struct store_rcpt_result res[3];
	char relay[STORE_QUEUE_ID_LEN + 1] = "x";
	char *msg = fx_text("relay", 2000);

	assert_int_equal(store_user_add(f->st, "ann@sample.com", "h", 500, 0), 0);
	assert_int_equal(store_user_set_quota(f->st, "ann@sample.com", 500, 0, STORE_QUOTA_REJECT),
	    0);
	assert_int_equal(store_deliver_atomic(f->st, "a1", "tomo@sample.com", msg, strlen(msg),
	    rcpts, 3, 1700000000, res, relay), STORE_ENOQUOTA);
	assert_int_equal(res[0].err, STORE_ETEMP);
	assert_non_null(strstr(res[0].detail, "refused for another recipient"));
	assert_int_equal(res[1].err, STORE_ETEMP);
	assert_int_equal(res[2].err, STORE_ENOQUOTA);
	assert_string_equal(relay, "");
	assert_int_equal(inbox_count(f, TOMO), 0);
	assert_int_equal(queued(f).n, 0);
	assert_int_equal(entries(f, DB_BODIES), 0);
	/* the same for store_deliver_from: each recipient on its own */
	assert_int_equal(store_deliver_from(f->st, "a2", "tomo@sample.com", msg, strlen(msg),
	    rcpts, 3, NULL, 1700000000, res), 0);
	assert_int_equal(res[0].err, 0);
	assert_int_equal(res[1].err, 0);
	assert_int_equal(res[2].err, STORE_ENOQUOTA);
	assert_int_equal(inbox_count(f, TOMO), 1);
	assert_int_equal(queued(f).n, 1);
	free(msg);
}

/* all or nothing, all stored: the copy and the queue entry, whose id is returned */
static void
test_atomic_stored(void **state)
{
	struct fx *f = *state;
	const char *rcpts[] = { TOMO, "carol@example.net" };
	struct store_rcpt_result res[2];
	char relay[STORE_QUEUE_ID_LEN + 1];
	char *msg = fx_text("relay", 2000);
	struct queued q;

	assert_int_equal(store_deliver_atomic(f->st, "a1", "tomo@sample.com", msg, strlen(msg),
	    rcpts, 2, 1700000000, res, relay), 0);
	assert_int_equal(res[0].err, 0);
	assert_int_equal(res[1].err, 0);
	assert_int_equal(inbox_count(f, TOMO), 1);
	q = queued(f);
	assert_int_equal(q.n, 1);
	assert_string_equal(q.qid, relay);
	assert_string_equal(q.rcpts, "carol@example.net");
	assert_true(q.has_body);
	/* mail that only leaves never stores a body */
	assert_int_equal(entries(f, DB_BODIES), 1);
	assert_int_equal(store_deliver_atomic(f->st, "a2", "tomo@sample.com", msg, strlen(msg),
	    rcpts + 1, 1, 1700000000, res, NULL), 0);
	assert_int_equal(queued(f).n, 2);
	assert_int_equal(entries(f, DB_BODIES), 1);
	free(msg);
}

/* a full map: an error for every recipient and nothing stored, in both modes */
static void
test_full_map(void **state)
{
	struct fx *f = *state;
	const char *rcpts[] = { TOMO, "carol@example.net" };
	struct store_rcpt_result res[2];
	char *msg = fx_text("relay", 3 << 20);

	store_close(&f->st);
	f->opts.map_size = 2 << 20;
	f->opts.max_message_size = 8 << 20;
	fx_open(f);
	assert_int_equal(store_deliver_atomic(f->st, "a1", "tomo@sample.com", msg, strlen(msg),
	    rcpts, 2, 1700000000, res, NULL), STORE_EFULL);
	assert_int_equal(res[0].err, STORE_EFULL);
	assert_int_equal(res[1].err, STORE_ETEMP);	/* refused with the other */
	assert_int_equal(store_deliver_from(f->st, "a2", "tomo@sample.com", msg, strlen(msg),
	    rcpts, 2, NULL, 1700000000, res), STORE_EFULL);
	assert_int_equal(res[0].err, STORE_EFULL);
	assert_int_equal(res[1].err, STORE_EFULL);
	assert_int_equal(inbox_count(f, TOMO), 0);
	assert_int_equal(queued(f).n, 0);
	free(msg);
}

static void
test_deliver_mailbox(void **state)
{
	struct fx *f = *state;
	char *msg = fx_text("junk", 100);

	assert_int_equal(fx_deliver1(f, TOMO, "Junk", msg), 0);
	assert_int_equal(fx_deliver1(f, TOMO, "NoSuchFolder", msg), 0);
	assert_int_equal(fx_mailbox(f, TOMO, "Junk").messages, 1);
	assert_int_equal(inbox_count(f, TOMO), 1);
	assert_int_equal(fx_deliver1(f, "bad address", NULL, msg), STORE_EINVAL);
	free(msg);
}

static void
test_quota_reject(void **state)
{
	struct fx *f = *state;
	char *msg = fx_text("q", 1000);
	struct store_user u;

	assert_int_equal(store_user_set_quota(f->st, TOMO, 0, 2, STORE_QUOTA_REJECT), 0);
	assert_int_equal(fx_deliver1(f, TOMO, NULL, msg), 0);
	assert_int_equal(fx_deliver1(f, TOMO, NULL, msg), 0);
	assert_int_equal(fx_deliver1(f, TOMO, NULL, msg), STORE_ENOQUOTA);
	assert_int_equal(store_append(f->st, TOMO, "INBOX", msg, strlen(msg), 0, NULL, 0, NULL,
	    NULL), STORE_ENOQUOTA);
	u = fx_user(f, TOMO);
	/* 2 messages: 100% crossed, so the warning is the third message */
	assert_int_equal(u.used_messages, 3);
	assert_true(u.quota_warned);
	assert_int_equal(inbox_count(f, TOMO), 3);
	free(msg);
}

/* fill - n messages of size bytes into a folder, with append */
static void
fill(struct fx *f, const char *folder, int n, size_t size)
{
	char *msg = fx_text(folder, size);

	for (int i = 0; i < n; i++)
		assert_int_equal(store_append(f->st, TOMO, folder, msg, strlen(msg), STORE_F_SEEN,
		    NULL, i, NULL, NULL), 0);
	free(msg);
}

static void
test_quota_purge_oldest(void **state)
{
	struct fx *f = *state;
	char *msg = fx_text("new", 2000);
	struct store_user u;
	struct fx_msgs l;

	fill(f, "Trash", 1, 1000);
	fill(f, "Junk", 2, 1000);
	fill(f, "INBOX", 2, 1000);
	u = fx_user(f, TOMO);
	assert_int_equal(store_user_set_quota(f->st, TOMO, u.used_bytes + 1000, 0,
	    STORE_QUOTA_PURGE_OLDEST), 0);
	/* needs 2000 more than... frees Trash (1) then the oldest Junk (1) */
	assert_int_equal(fx_deliver1(f, TOMO, NULL, msg), 0);
	assert_int_equal(fx_mailbox(f, TOMO, "Trash").messages, 0);
	l = fx_msgs(f, fx_mailbox(f, TOMO, "Junk").id);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.m[0].uid, 2);	/* the oldest went */
	assert_int_equal(inbox_count(f, TOMO), 3);
	u = fx_user(f, TOMO);
	assert_true(u.used_bytes <= u.quota_bytes);
	/* bigger than the whole quota: refused, nothing purged */
	free(msg);
	msg = fx_text("huge", (size_t)u.quota_bytes + 10);
	assert_int_equal(fx_deliver1(f, TOMO, NULL, msg), STORE_ENOQUOTA);
	assert_int_equal(fx_user(f, TOMO).used_messages, u.used_messages);
	free(msg);
}

/* the log of what runs between capture_start and capture_end */
struct capture {
	int saved;
	FILE *f;
};

static struct capture
capture_start(void)
{
	struct capture c = { dup(2), tmpfile() };

	assert_non_null(c.f);
	fflush(stderr);
	assert_int_equal(dup2(fileno(c.f), 2), 2);
	log_set_level(LOG_LEVEL_INFO);
	return c;
}

/* capture_end - the text logged, to free */
static char *
capture_end(struct capture *c)
{
	long n;
	char *text;

	fflush(stderr);
	log_set_level(LOG_LEVEL_WARN);
	dup2(c->saved, 2);
	close(c->saved);
	n = ftell(c->f);
	text = calloc(1, (size_t)n + 1);
	rewind(c->f);
	assert_int_equal(fread(text, 1, (size_t)n, c->f), (size_t)n);
	fclose(c->f);
	return text;
}

/*
 * The log claims only what committed: a purge rolled back with its
 * recipient (the message still did not fit) and a warning rolled back with
 * its recipient (an alias whose other user is over quota) are not logged;
 * a purge and a warning that committed are, after the commit.
 */
static void
test_quota_logs_only_committed(void **state)
{
	struct fx *f = *state;
	const char *pair[] = { TOMO, "ann@sample.com" };
	char *big = fx_text("big", 1200), *small = fx_text("small", 300), *text;
	struct capture c;

	fill(f, "Sent", 2, 1000);	/* not a purge folder */
	fill(f, "Trash", 1, 400);
	assert_int_equal(store_user_set_quota(f->st, TOMO, fx_user(f, TOMO).used_bytes + 500, 0,
	    STORE_QUOTA_PURGE_OLDEST), 0);
	assert_int_equal(store_user_add(f->st, "ann@sample.com", "h", 100, 0), 0);
	assert_int_equal(store_user_set_quota(f->st, "ann@sample.com", 100, 0, STORE_QUOTA_REJECT),
	    0);
	assert_int_equal(store_alias_add(f->st, "pair@sample.com", pair, 2), 0);
	c = capture_start();
	assert_int_equal(fx_deliver1(f, TOMO, NULL, big), STORE_ENOQUOTA);
	assert_int_equal(fx_deliver1(f, "pair@sample.com", NULL, small), STORE_ENOQUOTA);
	text = capture_end(&c);
	assert_int_equal(fx_mailbox(f, TOMO, "Trash").messages, 1);	/* rolled back */
	assert_false(fx_user(f, TOMO).quota_warned);
	if (strstr(text, "expunged") != NULL || strstr(text, "warning sent") != NULL)
		fail_msg("a rolled-back purge or warning was logged:\n%s", text);
	free(text);
	/* committed: a small message crosses the mark, the next one purges Trash */
	c = capture_start();
	assert_int_equal(fx_deliver1(f, TOMO, NULL, small), 0);
	assert_int_equal(fx_deliver1(f, TOMO, NULL, small), 0);
	text = capture_end(&c);
	assert_true(fx_user(f, TOMO).quota_warned);
	assert_int_equal(fx_mailbox(f, TOMO, "Trash").messages, 0);
	assert_non_null(strstr(text, "warning sent"));
	assert_non_null(strstr(text, "quota purge-oldest: expunged Trash uid 1"));
	free(text);
	free(big);
	free(small);
}

static void
test_quota_warning_once(void **state)
{
	struct fx *f = *state;
	char *msg = fx_text("w", 100);
	struct store_user u;
	struct fx_msgs l;
	uint64_t inbox = fx_mailbox(f, TOMO, "INBOX").id;

	assert_int_equal(store_user_set_quota(f->st, TOMO, 0, 10, STORE_QUOTA_REJECT), 0);
	for (int i = 0; i < 8; i++)
		assert_int_equal(fx_deliver1(f, TOMO, NULL, msg), 0);
	assert_false(fx_user(f, TOMO).quota_warned);
	assert_int_equal(fx_deliver1(f, TOMO, NULL, msg), 0);	/* 9 of 10: 90% */
	u = fx_user(f, TOMO);
	assert_true(u.quota_warned);
	assert_int_equal(u.used_messages, 10);		/* the ninth and the warning */
	assert_int_equal(fx_deliver1(f, TOMO, NULL, msg), STORE_ENOQUOTA);
	l = fx_msgs(f, inbox);
	assert_int_equal(l.n, 10);
	/* fall below, cross again: a second warning */
	assert_int_equal(store_expunge(f->st, inbox, &l.m[0].uid, 1), 0);
	assert_int_equal(store_expunge(f->st, inbox, &l.m[1].uid, 1), 0);
	assert_false(fx_user(f, TOMO).quota_warned);
	assert_int_equal(fx_deliver1(f, TOMO, NULL, msg), 0);
	u = fx_user(f, TOMO);
	assert_true(u.quota_warned);
	assert_int_equal(u.used_messages, 10);
	free(msg);
}

static void
test_quota_warning_text(void **state)
{
	struct fx *f = *state;
	char *msg = fx_text("w", 950);
	struct store_rtxn *r;
	struct fx_msgs l;
	const char *data;
	size_t len;

	assert_int_equal(store_user_set_quota(f->st, TOMO, 1000 + 64, 0, STORE_QUOTA_REJECT), 0);
	assert_int_equal(fx_deliver1(f, TOMO, NULL, msg), 0);
	l = fx_msgs(f, fx_mailbox(f, TOMO, "INBOX").id);
	assert_int_equal(l.n, 2);
	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_msg_body(r, l.m[1].body_id, &data, &len), 0);
	assert_non_null(memmem(data, len, "Subject: Your mailbox is almost full\r\n", 38));
	assert_non_null(memmem(data, len, "From: postmaster@sample.com\r\n", 29));
	store_rtxn_end(&r);
	free(msg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_shared_body, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_alias_expansion, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_forwards, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_forwards_queued, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_atomic_refused_whole, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_atomic_stored, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_full_map, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_deliver_mailbox, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_quota_reject, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_quota_purge_oldest, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_quota_warning_once, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_quota_logs_only_committed, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_quota_warning_text, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
