/*
 * test_store_flags.c - the store calls behind IMAP STORE, COPY and MOVE
 * and the change hook: flag and keyword operations in one request with
 * UNCHANGEDSINCE, EXPUNGE of what is \Deleted, copies that share bodies and keep their metadata, moves
 * that leave tombstones, quota on copy, and which mailboxes the hook is
 * told about after a commit (none for a failed request).
 */
#include "test_store_fixture.h"

#include <pthread.h>

#define TOMO "tomo@sample.com"

/* the hook's record of calls */
struct hook_log {
	pthread_mutex_t mu;
	uint64_t ids[32];
	size_t n;
};

static void
hook_record(uint64_t mailbox_id, void *arg)
{
	struct hook_log *h = arg;

	pthread_mutex_lock(&h->mu);
	if (h->n < 32)
		h->ids[h->n++] = mailbox_id;
	pthread_mutex_unlock(&h->mu);
}

/* one message's state, keywords copied out */
struct one {
	uint32_t uid, flags;
	uint64_t modseq;
	int64_t date;
	char kw[128];
};

static int
one_cb(const struct store_msg *m, void *arg)
{
	struct one *o = arg;

	if (m->uid != o->uid)
		return 0;
	o->flags = m->flags;
	o->modseq = m->modseq;
	o->date = m->internal_date;
	snprintf(o->kw, sizeof(o->kw), "%s", m->keywords);
	return 1;
}

/* msg_one - uid's state; flags UINT32_MAX if absent */
static struct one
msg_one(struct fx *f, uint64_t mbox_id, uint32_t uid)
{
	struct one o = { .uid = uid, .flags = UINT32_MAX };
	struct store_rtxn *r;

	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	store_msg_list(r, mbox_id, uid, one_cb, &o);
	store_rtxn_end(&r);
	return o;
}

static void
test_flags_ops(void **state)
{
	static const struct {
		enum store_flags_op op;
		uint32_t flags;
		const char *kw;
		uint32_t want_flags;
		const char *want_kw;
		enum store_flags_result want;
	} rows[] = {
		{ STORE_FLAGS_ADD, STORE_F_SEEN, "$Work", STORE_F_SEEN, "$Work", STORE_FLAGS_CHANGED },
		{ STORE_FLAGS_ADD, STORE_F_SEEN, "$work", STORE_F_SEEN, "$Work", STORE_FLAGS_SAME },
		{ STORE_FLAGS_ADD, STORE_F_FLAGGED, "b a b", STORE_F_SEEN | STORE_F_FLAGGED,
		    "$Work b a", STORE_FLAGS_CHANGED },
		{ STORE_FLAGS_REMOVE, STORE_F_SEEN, "B $WORK", STORE_F_FLAGGED, "a",
		    STORE_FLAGS_CHANGED },
		{ STORE_FLAGS_REMOVE, STORE_F_DRAFT, "zz", STORE_F_FLAGGED, "a", STORE_FLAGS_SAME },
		{ STORE_FLAGS_SET, STORE_F_DELETED, NULL, STORE_F_DELETED, "", STORE_FLAGS_CHANGED },
		{ STORE_FLAGS_SET, STORE_F_DELETED, "x y", STORE_F_DELETED, "x y",
		    STORE_FLAGS_CHANGED },
	};
	struct fx *f = *state;
	uint64_t id;
	uint32_t uid = 1;

	assert_int_equal(fx_deliver1(f, TOMO, NULL, "Subject: a\n\nx\n"), 0);
	id = fx_mailbox(f, TOMO, "INBOX").id;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct one before = msg_one(f, id, 1), after;
		enum store_flags_result res = 0;

		assert_int_equal(store_flags_apply(f->st, id, &uid, 1, rows[i].op, rows[i].flags,
		    rows[i].kw, UINT64_MAX, &res), 0);
		after = msg_one(f, id, 1);
		if (res != rows[i].want || after.flags != rows[i].want_flags ||
		    strcmp(after.kw, rows[i].want_kw) != 0)
			fail_msg("row %zu: got %d %#x \"%s\", want %d %#x \"%s\"", i, res,
			    after.flags, after.kw, rows[i].want, rows[i].want_flags, rows[i].want_kw);
		if ((res == STORE_FLAGS_CHANGED) != (after.modseq > before.modseq))
			fail_msg("row %zu: modseq %llu -> %llu", i, (unsigned long long)before.modseq,
			    (unsigned long long)after.modseq);
	}
	assert_int_equal(store_flags_apply(f->st, id, &uid, 1, STORE_FLAGS_ADD, 0, "bad\x01kw",
	    UINT64_MAX, NULL), STORE_EINVAL);
}

static void
test_flags_unchangedsince(void **state)
{
	struct fx *f = *state;
	uint32_t uids[] = { 1, 2, 3, 9 };
	enum store_flags_result res[4];
	struct store_mailbox mb;
	uint64_t id, ms2;

	for (int i = 0; i < 3; i++)
		assert_int_equal(fx_deliver1(f, TOMO, NULL, "Subject: u\n\nx\n"), 0);
	id = fx_mailbox(f, TOMO, "INBOX").id;
	ms2 = msg_one(f, id, 2).modseq;
	assert_int_equal(store_flags_apply(f->st, id, &uids[2], 1, STORE_FLAGS_ADD, STORE_F_SEEN,
	    NULL, UINT64_MAX, NULL), 0);
	/* 3 changed after ms2's time, 1 and 2 did not; 9 does not exist */
	assert_int_equal(store_flags_apply(f->st, id, uids, 4, STORE_FLAGS_ADD, STORE_F_FLAGGED,
	    NULL, ms2 + 1, res), 0);
	assert_int_equal(res[0], STORE_FLAGS_CHANGED);
	assert_int_equal(res[1], STORE_FLAGS_CHANGED);
	assert_int_equal(res[2], STORE_FLAGS_CONFLICT);
	assert_int_equal(res[3], STORE_FLAGS_ABSENT);
	assert_int_equal(msg_one(f, id, 3).flags, STORE_F_SEEN);
	/* UNCHANGEDSINCE 0 fails everything */
	assert_int_equal(store_flags_apply(f->st, id, uids, 3, STORE_FLAGS_SET, 0, NULL, 0, res), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(res[i], STORE_FLAGS_CONFLICT);
	mb = fx_mailbox(f, TOMO, "INBOX");
	assert_int_equal(mb.unseen, 2);
	/* expunge: only what is \Deleted at the time of the write */
	assert_int_equal(store_flags_apply(f->st, id, uids, 1, STORE_FLAGS_ADD, STORE_F_DELETED,
	    NULL, UINT64_MAX, NULL), 0);
	assert_int_equal(store_flags_expunge(f->st, id, uids, 4), 0);
	mb = fx_mailbox(f, TOMO, "INBOX");
	assert_int_equal(mb.messages, 2);
	assert_int_equal(msg_one(f, id, 1).flags, UINT32_MAX);
	assert_int_equal(msg_one(f, id, 2).flags, STORE_F_FLAGGED);
}

static void
test_copy_move(void **state)
{
	struct fx *f = *state;
	uint32_t uids[] = { 1, 2, 7 }, nu[3], uv;
	struct store_mailbox in, ar, tr;
	struct store_user u0, u1;
	struct one o;

	for (int i = 0; i < 2; i++)
		assert_int_equal(fx_deliver1(f, TOMO, NULL, "Subject: c\n\nbody\n"), 0);
	in = fx_mailbox(f, TOMO, "INBOX");
	assert_int_equal(store_flags_apply(f->st, in.id, uids, 1, STORE_FLAGS_SET,
	    STORE_F_FLAGGED, "$Work", UINT64_MAX, NULL), 0);
	u0 = fx_user(f, TOMO);
	assert_int_equal(store_copy_msgs(f->st, TOMO, in.id, uids, 3, "Archive", false, &uv, nu), 0);
	ar = fx_mailbox(f, TOMO, "Archive");
	assert_int_equal(uv, ar.uidvalidity);
	assert_int_equal(nu[0], 1);
	assert_int_equal(nu[1], 2);
	assert_int_equal(nu[2], 0);
	o = msg_one(f, ar.id, 1);
	assert_int_equal(o.flags, STORE_F_FLAGGED);
	assert_string_equal(o.kw, "$Work");
	assert_int_equal(o.date, 1700000000);
	u1 = fx_user(f, TOMO);
	assert_int_equal(u1.used_messages, u0.used_messages + 2);
	assert_int_equal(u1.used_bytes, 2 * u0.used_bytes);
	/* move: gone from the source with tombstones, usage unchanged */
	assert_int_equal(store_copy_msgs(f->st, TOMO, in.id, uids, 2, "Trash", true, &uv, nu), 0);
	tr = fx_mailbox(f, TOMO, "Trash");
	assert_int_equal(tr.messages, 2);
	assert_int_equal(fx_mailbox(f, TOMO, "INBOX").messages, 0);
	assert_int_equal(fx_user(f, TOMO).used_messages, u1.used_messages);
	/* move within one mailbox: new UIDs, same count */
	assert_int_equal(store_copy_msgs(f->st, TOMO, tr.id, uids, 2, "Trash", true, &uv, nu), 0);
	assert_int_equal(nu[0], 3);
	assert_int_equal(nu[1], 4);
	assert_int_equal(fx_mailbox(f, TOMO, "Trash").messages, 2);
	assert_int_equal(store_copy_msgs(f->st, TOMO, tr.id, uids, 1, "Nope", false, &uv, nu),
	    STORE_ENOTFOUND);
	assert_int_equal(store_copy_msgs(f->st, "ann@sample.com", tr.id, uids, 1, "INBOX", false,
	    &uv, nu), STORE_ENOTFOUND);
}

static void
test_copy_quota(void **state)
{
	struct fx *f = *state;
	uint32_t uid = 1, nu;
	uint64_t id;

	assert_int_equal(store_user_set_quota(f->st, TOMO, 0, 1, STORE_QUOTA_REJECT), 0);
	assert_int_equal(fx_deliver1(f, TOMO, NULL, "Subject: q\n\nx\n"), 0);
	id = fx_mailbox(f, TOMO, "INBOX").id;
	assert_int_equal(store_copy_msgs(f->st, TOMO, id, &uid, 1, "Archive", false, NULL, &nu),
	    STORE_ENOQUOTA);
	assert_int_equal(store_copy_msgs(f->st, TOMO, id, &uid, 1, "Archive", true, NULL, &nu), 0);
	assert_int_equal(fx_mailbox(f, TOMO, "Archive").messages, 1);
}

static void
test_hook(void **state)
{
	struct fx *f = *state;
	struct hook_log h = { PTHREAD_MUTEX_INITIALIZER, { 0 }, 0 };
	uint32_t uids[] = { 1 }, nu;
	uint64_t in, ar;

	store_set_change_hook(f->st, hook_record, &h);
	assert_int_equal(fx_deliver1(f, TOMO, NULL, "Subject: h\n\nx\n"), 0);
	in = fx_mailbox(f, TOMO, "INBOX").id;
	ar = fx_mailbox(f, TOMO, "Archive").id;
	assert_int_equal(h.n, 1);
	assert_int_equal(h.ids[0], in);
	h.n = 0;
	assert_int_equal(store_copy_msgs(f->st, TOMO, in, uids, 1, "Archive", true, NULL, &nu), 0);
	assert_int_equal(h.n, 2);
	assert_true((h.ids[0] == in && h.ids[1] == ar) || (h.ids[0] == ar && h.ids[1] == in));
	/* a failed request tells nothing; a no-op STORE neither */
	h.n = 0;
	assert_int_equal(store_copy_msgs(f->st, TOMO, ar, &nu, 1, "Nope", false, NULL, uids),
	    STORE_ENOTFOUND);
	assert_int_equal(store_flags_apply(f->st, ar, &nu, 1, STORE_FLAGS_REMOVE, STORE_F_SEEN,
	    NULL, UINT64_MAX, NULL), 0);
	assert_int_equal(store_user_set_quota(f->st, TOMO, 0, 1, STORE_QUOTA_REJECT), 0);
	assert_int_equal(store_copy_msgs(f->st, TOMO, ar, &nu, 1, "INBOX", false, NULL, uids),
	    STORE_ENOQUOTA);
	assert_int_equal(h.n, 0);
	assert_int_equal(store_flags_apply(f->st, ar, &nu, 1, STORE_FLAGS_ADD, STORE_F_SEEN,
	    NULL, UINT64_MAX, NULL), 0);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.ids[0], ar);
	store_set_change_hook(f->st, NULL, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_flags_ops, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_flags_unchangedsince, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_copy_move, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_copy_quota, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_hook, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
