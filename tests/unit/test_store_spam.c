/*
 * test_store_spam.c - spam filing: the domain's spam header as set, shown
 * and stored (old domain records still decode), and where delivery files
 * a message that carries it: Junk for copies bound for INBOX, INBOX when
 * there is no Junk, the asked-for mailbox otherwise.
 */
#include "test_store_fixture.h"

#include "store/store_int.h"
#include "util/buf.h"

#define TOMO "tomo@sample.com"
#define SPAM "From: a@b.example\nX-Spam-Flag: YES\nSubject: buy\n\nnow\n"

static void
test_set_spam(void **state)
{
	static const struct {
		const char *in;
		int rc;
		const char *name, *value;
	} cases[] = {
		{ "X-Spam-Flag: YES", 0, "X-Spam-Flag", "YES" },
		{ "  X-Spam-Flag :\t yes  ", 0, "X-Spam-Flag", "yes" },
		{ "X-Spam: score high", 0, "X-Spam", "score high" },
		{ "", 0, "", "" },
		{ "X-Spam-Flag", STORE_EINVAL, "", "" },
		{ "X-Spam-Flag:", STORE_EINVAL, "", "" },
		{ ": YES", STORE_EINVAL, "", "" },
		{ "X Spam: YES", STORE_EINVAL, "", "" },
		{ "X-Spam: YES\r\nBcc: x", STORE_EINVAL, "", "" },
		{ "X-Spam-Flag: \xc3\xa9", STORE_EINVAL, "", "" },
	};
	struct fx *f = *state;
	char longname[STORE_SPAM_NAME_MAX + 8];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct store_domain d;
		int rc;

		assert_int_equal(store_domain_set_spam(f->st, "sample.com", "Old: one"), 0);
		rc = store_domain_set_spam(f->st, "sample.com", cases[i].in);
		d = fx_domain(f, "sample.com");
		if (rc != cases[i].rc)
			fail_msg("'%s': got rc %d, want %d", cases[i].in, rc, cases[i].rc);
		if (rc == 0 && (strcmp(d.spam_name, cases[i].name) != 0 ||
		    strcmp(d.spam_value, cases[i].value) != 0))
			fail_msg("'%s': got '%s' '%s', want '%s' '%s'", cases[i].in, d.spam_name,
			    d.spam_value, cases[i].name, cases[i].value);
		if (rc != 0 && strcmp(d.spam_name, "Old") != 0)
			fail_msg("'%s': refused, but the setting became '%s'", cases[i].in, d.spam_name);
	}
	memset(longname, 'X', sizeof(longname) - 4);
	memcpy(longname + sizeof(longname) - 4, ": y", 4);
	assert_int_equal(store_domain_set_spam(f->st, "sample.com", longname), STORE_EINVAL);
	assert_int_equal(store_domain_set_spam(f->st, "nowhere.example", "X: y"), STORE_ENOTFOUND);
	assert_int_equal(store_domain_set_spam(f->st, "sample.com", NULL), STORE_EINVAL);
	/* the rest of the record survives a change of the spam header */
	assert_int_equal(store_domain_set_policy(f->st, "sample.com", STORE_QUOTA_PURGE_OLDEST), 0);
	assert_int_equal(store_domain_set_spam(f->st, "sample.com", "X-Spam-Flag: YES"), 0);
	assert_int_equal(fx_domain(f, "sample.com").policy, STORE_QUOTA_PURGE_OLDEST);
	assert_int_equal(fx_domain(f, "sample.com").users, 1);
}

static void
test_codec(void **state)
{
	static const unsigned char v1[] = { 1, 2, 0, 0, 0, 7 };
	static const unsigned char v2[] = { 2, 1, 0, 0, 0, 3, 'X', '-', 'S', 0, 'y', 'e', 's', 0 };
	static const unsigned char bad[][8] = {
		{ 3, 1, 0, 0, 0, 3 }, { 2, 1, 0, 0, 0, 3, 'X', 0 }, { 1, 1, 0 },
	};
	static const size_t badlen[] = { 6, 8, 3 };
	struct store_domain d = { .spam_name = "stale" };
	struct store_domain e = { .policy = STORE_QUOTA_REJECT, .users = 9 };
	struct buf b = BUF_INIT;
	MDB_val v = { sizeof(v1), (void *)v1 };

	/* a record written before spam filing */
	assert_int_equal(store_domain_dec(&v, &d), 0);
	assert_int_equal(d.policy, STORE_QUOTA_PURGE_OLDEST);
	assert_int_equal(d.users, 7);
	assert_string_equal(d.spam_name, "");
	v = (MDB_val){ sizeof(v2), (void *)v2 };
	assert_int_equal(store_domain_dec(&v, &d), 0);
	assert_string_equal(d.spam_name, "X-S");
	assert_string_equal(d.spam_value, "yes");
	for (size_t i = 0; i < sizeof(badlen) / sizeof(badlen[0]); i++) {
		v = (MDB_val){ badlen[i], (void *)bad[i] };
		if (store_domain_dec(&v, &d) != STORE_ECORRUPT)
			fail_msg("bad record %zu: got accepted, want STORE_ECORRUPT", i);
	}
	/* no spam header: still written as version 1, which older builds read */
	store_domain_enc(&e, &b);
	assert_int_equal(b.len, sizeof(v1));
	assert_int_equal((unsigned char)b.data[0], 1);
	buf_reset(&b);
	snprintf(e.spam_name, sizeof(e.spam_name), "X-S");
	snprintf(e.spam_value, sizeof(e.spam_value), "yes");
	store_domain_enc(&e, &b);
	assert_int_equal((unsigned char)b.data[0], 2);
	v = (MDB_val){ b.len, b.data };
	assert_int_equal(store_domain_dec(&v, &d), 0);
	assert_string_equal(d.spam_value, "yes");
	assert_int_equal(d.users, 9);
	buf_free(&b);
}

/* count - the messages of a user's mailbox */
static uint32_t
count(struct fx *f, const char *addr, const char *mailbox)
{
	return fx_mailbox(f, addr, mailbox).messages;
}

static void
test_filing(void **state)
{
	static const struct {
		const char *what, *msg, *mailbox, *want;
	} cases[] = {
		{ "tagged", SPAM, NULL, "Junk" },
		{ "untagged", "Subject: hi\n\nx\n", NULL, "INBOX" },
		{ "value in another case, blanks around it",
		  "Subject: s\nx-spam-flag:   yes \n\nx\n", NULL, "Junk" },
		{ "folded value", "X-Spam-Flag:\n YES\nSubject: s\n\nx\n", NULL, "Junk" },
		{ "a second field of the name", "X-Spam-Flag: NO\nX-Spam-Flag: YES\n\nx\n", NULL, "Junk" },
		{ "another value", "X-Spam-Flag: NO\n\nx\n", NULL, "INBOX" },
		{ "only a prefix of the value", "X-Spam-Flag: YESS\n\nx\n", NULL, "INBOX" },
		{ "in the body, not the header", "Subject: s\n\nX-Spam-Flag: YES\n", NULL, "INBOX" },
		{ "-m INBOX", SPAM, "inbox", "Junk" },
		{ "-m Archive", SPAM, "Archive", "Archive" },
		{ "-m a missing mailbox: INBOX, so Junk", SPAM, "Nope", "Junk" },
	};
	struct fx *f = *state;

	assert_int_equal(store_domain_set_spam(f->st, "sample.com", "X-Spam-Flag: YES"), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t before = count(f, TOMO, cases[i].want);
		int rc = fx_deliver1(f, TOMO, cases[i].mailbox, cases[i].msg);

		if (rc != 0 || count(f, TOMO, cases[i].want) != before + 1)
			fail_msg("%s: got rc %d and %u messages in %s, want 0 and %u", cases[i].what,
			    rc, count(f, TOMO, cases[i].want), cases[i].want, before + 1);
	}
}

static void
test_filing_paths(void **state)
{
	struct fx *f = *state;
	const char *to_tomo[] = { TOMO };

	/* the receiving user's domain decides: test.org files nothing */
	assert_int_equal(store_user_add(f->st, "ann@test.org", "h", 0, 0), 0);
	assert_int_equal(store_domain_set_spam(f->st, "sample.com", "X-Spam-Flag: YES"), 0);
	assert_int_equal(store_alias_add(f->st, "team@sample.com", (const char *[]){ TOMO,
	    "ann@test.org" }, 2), 0);
	assert_int_equal(fx_deliver1(f, "team@sample.com", NULL, SPAM), 0);
	assert_int_equal(count(f, TOMO, "Junk"), 1);
	assert_int_equal(count(f, "ann@test.org", "INBOX"), 1);
	assert_int_equal(count(f, "ann@test.org", "Junk"), 0);

	/* a forward from test.org to sample.com: the copy lands in tomo's Junk */
	assert_int_equal(store_forward_set(f->st, "ann@test.org", to_tomo, 1, true), 0);
	assert_int_equal(fx_deliver1(f, "ann@test.org", NULL, SPAM), 0);
	assert_int_equal(count(f, TOMO, "Junk"), 2);
	assert_int_equal(count(f, "ann@test.org", "INBOX"), 2);
	assert_int_equal(store_forward_clear(f->st, "ann@test.org"), 0);

	/* no Junk: INBOX, never lost */
	assert_int_equal(store_mailbox_delete(f->st, TOMO, "Junk"), 0);
	assert_int_equal(fx_deliver1(f, TOMO, NULL, SPAM), 0);
	assert_int_equal(count(f, TOMO, "INBOX"), 1);

	/* cleared: INBOX again */
	assert_int_equal(store_domain_set_spam(f->st, "test.org", ""), 0);
	assert_int_equal(store_domain_set_spam(f->st, "sample.com", ""), 0);
	assert_int_equal(store_mailbox_create(f->st, TOMO, "Junk", STORE_SU_JUNK), 0);
	assert_int_equal(fx_deliver1(f, TOMO, NULL, SPAM), 0);
	assert_int_equal(count(f, TOMO, "INBOX"), 2);
	assert_int_equal(count(f, TOMO, "Junk"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_set_spam, fx_setup, fx_teardown),
		cmocka_unit_test(test_codec),
		cmocka_unit_test_setup_teardown(test_filing, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_filing_paths, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests_name("store_spam", tests, NULL, NULL);
}
