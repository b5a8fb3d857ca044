/*
 * test_store_message.c - mailboxes (hierarchy, names, rename, delete) and
 * messages (append, UIDs, modseqs, flags, expunge, tombstones, sizes).
 */
#include "test_store_fixture.h"

#include "mime/mime.h"
#include "store/store_int.h"
#include "util/buf.h"

#define TOMO "tomo@sample.com"

struct name_case {
	const char *in;
	int want;
};

static void
test_mailbox_names(void **state)
{
	static const struct name_case cases[] = {
		{ "Work", 0 }, { "Work/2024/Q1", 0 }, { "Caf\xc3\xa9", 0 },
		{ "", STORE_EINVAL }, { "/Work", STORE_EINVAL }, { "Work/", STORE_EINVAL },
		{ "a//b", STORE_EINVAL }, { "bad\x01name", STORE_EINVAL }, { "bad\xc3", STORE_EINVAL },
		{ "\xed\xa0\x80surrogate", STORE_EINVAL }, { "star*", STORE_EINVAL },
	};
	struct fx *f = *state;
	char longname[600];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = store_mailbox_create(f->st, TOMO, cases[i].in, 0);

		if (got != cases[i].want)
			fail_msg("create \"%s\": got %d, want %d", cases[i].in, got, cases[i].want);
	}
	memset(longname, 'n', sizeof(longname));
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(store_mailbox_create(f->st, TOMO, longname, 0), STORE_ENAMETOOLONG);
	assert_int_equal(store_mailbox_create(f->st, TOMO, "Work", 0), STORE_EEXISTS);
	assert_int_equal(store_mailbox_create(f->st, TOMO, "inbox", 0), STORE_EEXISTS);
	assert_int_equal(store_mailbox_create(f->st, "nobody@sample.com", "X", 0), STORE_ENOTFOUND);
	assert_string_equal(fx_mailbox(f, TOMO, "iNbOx").name, "INBOX");
	fx_mailbox(f, TOMO, "Work/2024");	/* parent created */
}

static void
test_mailbox_rename_delete(void **state)
{
	struct fx *f = *state;
	struct store_mailbox a, b;
	char *msg = fx_text("in a", 50);

	assert_int_equal(store_mailbox_create(f->st, TOMO, "a/b/c", 0), 0);
	a = fx_mailbox(f, TOMO, "a");
	b = fx_mailbox(f, TOMO, "a/b/c");
	assert_int_equal(fx_deliver1(f, TOMO, "a/b/c", msg), 0);
	assert_int_equal(store_mailbox_delete(f->st, TOMO, "INBOX"), STORE_EINVAL);
	assert_int_equal(store_mailbox_delete(f->st, TOMO, "a"), STORE_ENOTEMPTY);
	assert_int_equal(store_mailbox_rename(f->st, TOMO, "a", "a/x"), STORE_EINVAL);
	assert_int_equal(store_mailbox_rename(f->st, TOMO, "a", "Trash"), STORE_EEXISTS);
	assert_int_equal(store_mailbox_rename(f->st, TOMO, "INBOX", "Old"), STORE_EINVAL);
	assert_int_equal(store_mailbox_rename(f->st, TOMO, "a", "z/y"), 0);
	assert_int_equal(fx_mailbox(f, TOMO, "z/y").id, a.id);
	assert_int_equal(fx_mailbox(f, TOMO, "z/y").uidvalidity, a.uidvalidity);
	assert_int_equal(fx_mailbox(f, TOMO, "z/y/b/c").id, b.id);
	assert_int_equal(fx_mailbox(f, TOMO, "z/y/b/c").messages, 1);
	fx_mailbox(f, TOMO, "z");
	assert_int_equal(store_mailbox_delete(f->st, TOMO, "a/b/c"), STORE_ENOTFOUND);
	assert_int_equal(store_mailbox_delete(f->st, TOMO, "z/y/b/c"), 0);
	assert_int_equal(fx_user(f, TOMO).used_messages, 0);
	assert_int_equal(store_mailbox_create(f->st, TOMO, "z/y/b/c", 0), 0);
	assert_int_not_equal(fx_mailbox(f, TOMO, "z/y/b/c").uidvalidity, b.uidvalidity);
	free(msg);
}

/* test_append_crlf - store_append makes CRLF; an exact store_append_many keeps the bytes */
static void
test_append_crlf(void **state)
{
	static const char raw[] = "Subject: hi\nTo: tomo@sample.com\n\nline one\nline two\n";
	static const char want[] =
	    "Subject: hi\r\nTo: tomo@sample.com\r\n\r\nline one\r\nline two\r\n";
	static const char exact[] = "Subject: hi\n\nline\rone\0two\n";
	struct fx *f = *state;
	struct store_mailbox mb = fx_mailbox(f, TOMO, "Drafts");
	struct store_rtxn *r;
	struct fx_msgs l;
	const char *data;
	const void *blob;
	size_t len, blen;
	struct store_append_msg bin = { .exact = true };
	uint32_t uidv = 0, uid = 0;

	assert_int_equal(store_append(f->st, TOMO, "Drafts", raw, strlen(raw),
	    STORE_F_DRAFT | STORE_F_SEEN, "$Label1", 1600000000, &uidv, &uid), 0);
	assert_int_equal(uid, 1);
	assert_int_equal(uidv, mb.uidvalidity);
	assert_int_equal(store_append(f->st, TOMO, "NoSuch", raw, strlen(raw), 0, NULL, 0, NULL,
	    NULL), STORE_ENOTFOUND);
	l = fx_msgs(f, mb.id);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.m[0].size, strlen(want));
	assert_int_equal(l.m[0].internal_date, 1600000000);
	assert_int_equal(l.m[0].flags, STORE_F_DRAFT | STORE_F_SEEN);
	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_msg_body(r, l.m[0].body_id, &data, &len), 0);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(data, want, len);
	assert_int_equal(store_msg_cache(r, l.m[0].body_id, &blob, &blen), 0);
	assert_int_equal(mime_cache_validate(blob, blen), 0);
	store_rtxn_end(&r);
	mb = fx_mailbox(f, TOMO, "Drafts");
	if (mb.messages != 1 || mb.unseen != 0 || mb.bytes != strlen(want))
		fail_msg("counters: got %u/%u/%llu, want 1/0/%zu", mb.messages, mb.unseen,
		    (unsigned long long)mb.bytes, strlen(want));

	/* binary APPEND: bare LF, lone CR and NUL kept as sent */
	bin.msg = exact;
	bin.len = sizeof(exact) - 1;
	assert_int_equal(store_append_many(f->st, TOMO, "Drafts", &bin, 1, &uidv, &uid), 0);
	l = fx_msgs(f, mb.id);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.m[1].size, sizeof(exact) - 1);
	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_msg_body(r, l.m[1].body_id, &data, &len), 0);
	assert_int_equal(len, sizeof(exact) - 1);
	assert_memory_equal(data, exact, len);
	assert_int_equal(store_msg_cache(r, l.m[1].body_id, &blob, &blen), 0);
	assert_int_equal(mime_cache_validate(blob, blen), 0);
	store_rtxn_end(&r);
}

static int
vanished_one(uint32_t uid, uint64_t modseq, void *arg)
{
	uint32_t *v = arg;

	v[v[0] + 1] = uid;
	v[0]++;
	return 0;
}

static void
test_uid_modseq_rules(void **state)
{
	struct fx *f = *state;
	uint64_t id = fx_mailbox(f, TOMO, "INBOX").id, hms, hms2;
	uint32_t uids[3], gone[8] = { 0 };
	struct store_rtxn *r;
	struct fx_msgs l;
	char *msg = fx_text("rules", 200);

	for (int i = 0; i < 3; i++) {
		hms = fx_mailbox(f, TOMO, "INBOX").highestmodseq;
		assert_int_equal(store_append(f->st, TOMO, "INBOX", msg, strlen(msg), 0, NULL, i,
		    NULL, &uids[i]), 0);
		assert_int_equal(uids[i], (uint32_t)i + 1);
		assert_true(fx_mailbox(f, TOMO, "INBOX").highestmodseq > hms);
	}
	assert_int_equal(fx_mailbox(f, TOMO, "INBOX").unseen, 3);
	/* flag change: new modseq, unseen follows */
	hms = fx_mailbox(f, TOMO, "INBOX").highestmodseq;
	assert_int_equal(store_msg_set_flags(f->st, id, &uids[1], 1, STORE_F_SEEN, "work"), 0);
	l = fx_msgs(f, id);
	assert_int_equal(l.m[1].modseq, hms + 1);
	assert_int_equal(fx_mailbox(f, TOMO, "INBOX").highestmodseq, hms + 1);
	assert_int_equal(fx_mailbox(f, TOMO, "INBOX").unseen, 2);
	/* expunge the newest: its UID is never reused */
	hms = fx_mailbox(f, TOMO, "INBOX").highestmodseq;
	assert_int_equal(store_expunge(f->st, id, &uids[2], 1), 0);
	hms2 = fx_mailbox(f, TOMO, "INBOX").highestmodseq;
	assert_true(hms2 > hms);
	assert_int_equal(store_append(f->st, TOMO, "INBOX", msg, strlen(msg), 0, NULL, 9, NULL,
	    &uids[2]), 0);
	assert_int_equal(uids[2], 4);
	assert_int_equal(fx_mailbox(f, TOMO, "INBOX").uidnext, 5);
	/* tombstone with the expunge's modseq */
	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_msg_vanished(r, id, hms, vanished_one, gone), 0);
	assert_int_equal(store_msg_vanished(r, id, hms2, vanished_one, gone + 4), 0);
	store_rtxn_end(&r);
	assert_int_equal(gone[0], 1);
	assert_int_equal(gone[1], 3);
	assert_int_equal(gone[4], 0);
	/* expunge of an absent uid is a no-op; a missing mailbox is not */
	assert_int_equal(store_expunge(f->st, id, &uids[0], 1), 0);
	assert_int_equal(store_expunge(f->st, id, &uids[0], 1), 0);
	assert_int_equal(store_expunge(f->st, 999999, &uids[0], 1), STORE_ENOTFOUND);
	l = fx_msgs(f, id);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.m[0].uid, 2);
	assert_int_equal(l.m[1].uid, 4);
	assert_int_equal(fx_user(f, TOMO).used_messages, 2);
	free(msg);
}

static void
test_too_big(void **state)
{
	struct fx *f = *state;
	size_t n = (1 << 20) + 1;
	char *big = fx_text("big", n);

	assert_int_equal(store_append(f->st, TOMO, "INBOX", big, strlen(big), 0, NULL, 0, NULL,
	    NULL), STORE_ETOOBIG);
	assert_int_equal(fx_deliver1(f, TOMO, NULL, big), STORE_ETOOBIG);
	assert_int_equal(fx_mailbox(f, TOMO, "INBOX").messages, 0);
	free(big);
}

/* a message record keeps its save date; one written before save dates has none */
static void
test_msg_record_save_date(void **state)
{
	struct store_msg_rec in = { .flags = STORE_F_SEEN, .modseq = 7, .internal_date = 760000000,
	    .size = 42, .body_id = 9, .keywords = "$Work", .save_date = 1700000000 }, out;
	struct buf b = BUF_INIT;
	MDB_val v;

	store_msg_enc(&in, &b);
	v.mv_data = b.data;
	v.mv_size = b.len;
	assert_int_equal(store_msg_dec(&v, &out), 0);
	assert_int_equal(out.save_date, 1700000000);
	assert_int_equal(out.body_id, 9);
	assert_string_equal(out.keywords, "$Work");
	/* the version 1 layout: the same fields without the trailing save date */
	b.data[0] = 1;
	v.mv_size = b.len - 8;
	assert_int_equal(store_msg_dec(&v, &out), 0);
	assert_int_equal(out.save_date, 0);
	assert_int_equal(out.internal_date, 760000000);
	assert_int_equal(out.size, 42);
	assert_string_equal(out.keywords, "$Work");
	/* version 2 cut short is corrupt */
	b.data[0] = 2;
	v.mv_size = b.len - 8;
	assert_int_equal(store_msg_dec(&v, &out), STORE_ECORRUPT);
	buf_free(&b);
}

/* a save date is set when a message is appended, and anew in a copy */
static void
test_save_date(void **state)
{
	struct fx *f = *state;
	char *msg = fx_text("saved", 100);
	struct fx_msgs l;
	int64_t before = (int64_t)time(NULL);
	uint64_t id;

	assert_int_equal(store_append(f->st, TOMO, "INBOX", msg, strlen(msg), 0, NULL, 5, NULL,
	    NULL), 0);
	id = fx_mailbox(f, TOMO, "INBOX").id;
	l = fx_msgs(f, id);
	assert_int_equal(l.n, 1);
	assert_true(l.m[0].save_date >= before && l.m[0].save_date <= (int64_t)time(NULL));
	assert_int_equal(l.m[0].internal_date, 5);
	free(msg);
}

/* MULTIAPPEND: one message over quota refuses them all; the rest get consecutive UIDs */
static void
test_append_many(void **state)
{
	struct fx *f = *state;
	char *msg = fx_text("many", 100);
	struct store_append_msg m[3] = {
		{ msg, strlen(msg), STORE_F_SEEN, "one", 10, false },
		{ msg, strlen(msg), 0, NULL, 20, false },
		{ msg, strlen(msg), 0, "three", 30, false },
	};
	uint32_t uidv = 0, uids[3] = { 0 };
	struct fx_msgs l;
	uint64_t id = fx_mailbox(f, TOMO, "INBOX").id;

	assert_int_equal(store_user_set_quota(f->st, TOMO, 0, 2, STORE_QUOTA_REJECT), 0);
	assert_int_equal(store_append_many(f->st, TOMO, "INBOX", m, 3, &uidv, uids),
	    STORE_ENOQUOTA);
	assert_int_equal(fx_mailbox(f, TOMO, "INBOX").messages, 0);
	assert_int_equal(fx_user(f, TOMO).used_messages, 0);
	assert_int_equal(store_user_set_quota(f->st, TOMO, 0, 0, STORE_QUOTA_REJECT), 0);
	m[1].keywords = "bad\x7f";
	assert_int_equal(store_append_many(f->st, TOMO, "INBOX", m, 2, &uidv, uids), STORE_EINVAL);
	m[1].keywords = NULL;
	assert_int_equal(store_append_many(f->st, TOMO, "INBOX", m, 2, &uidv, uids), 0);
	assert_int_equal(uidv, fx_mailbox(f, TOMO, "INBOX").uidvalidity);
	assert_int_equal(uids[0], 1);
	assert_int_equal(uids[1], 2);
	l = fx_msgs(f, id);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.m[0].flags, STORE_F_SEEN);
	assert_int_equal(l.m[0].internal_date, 10);
	assert_int_equal(l.m[1].internal_date, 20);
	free(msg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mailbox_names, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_mailbox_rename_delete, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_append_crlf, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_uid_modseq_rules, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_too_big, fx_setup, fx_teardown),
		cmocka_unit_test(test_msg_record_save_date),
		cmocka_unit_test_setup_teardown(test_save_date, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_append_many, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
