/*
 * test_store_account.c - domains, users, address validation, default
 * folders, aliases and forwards.
 */
#include "test_store_fixture.h"

struct addr_case {
	const char *in;
	int want;
	const char *out;
};

static void
test_addr_normalize(void **state)
{
	static const struct addr_case cases[] = {
		{ "Tomo@Sample.COM", 0, "tomo@sample.com" },
		{ "first.last+tag@mail.test.org", 0, "first.last+tag@mail.test.org" },
		{ "a@b", 0, "a@b" },
		{ "", STORE_EINVAL, NULL },
		{ "tomo", STORE_EINVAL, NULL },
		{ "@sample.com", STORE_EINVAL, NULL },
		{ "tomo@", STORE_EINVAL, NULL },
		{ "to mo@sample.com", STORE_EINVAL, NULL },
		{ "tomo@sam ple.com", STORE_EINVAL, NULL },
		{ "a@b@c", STORE_EINVAL, NULL },
		{ "tomo\n@sample.com", STORE_EINVAL, NULL },
		{ "tomo@sample..com", STORE_EINVAL, NULL },
		{ ".tomo@sample.com", STORE_EINVAL, NULL },
		{ "to..mo@sample.com", STORE_EINVAL, NULL },
		{ "tomo@-sample.com", STORE_EINVAL, NULL },
		{ "\"tomo\"@sample.com", STORE_EINVAL, NULL },
		{ "tomo@sample.com.", STORE_EINVAL, NULL },
	};
	char out[STORE_ADDR_MAX + 1], longl[80], longa[300];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = store_addr_normalize(cases[i].in, out);

		if (got != cases[i].want)
			fail_msg("normalize(\"%s\"): got %d, want %d", cases[i].in, got, cases[i].want);
		if (got == 0 && strcmp(out, cases[i].out) != 0)
			fail_msg("normalize(\"%s\"): got \"%s\", want \"%s\"", cases[i].in, out,
			    cases[i].out);
	}
	memset(longl, 'a', 65);
	strcpy(longl + 65, "@x.org");
	assert_int_equal(store_addr_normalize(longl, out), STORE_EINVAL);
	memset(longa, 'b', sizeof(longa));
	memcpy(longa, "a@", 2);
	for (size_t i = 50; i < 290; i += 50)
		longa[i] = '.';
	longa[299] = '\0';
	assert_int_equal(store_addr_normalize(longa, out), STORE_EINVAL);
}

static int
count_domain(const struct store_domain *d, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static void
test_domains(void **state)
{
	struct fx *f = *state;
	struct store_rtxn *r;
	struct store_domain d;
	int n = 0;

	assert_int_equal(store_domain_add(f->st, "SAMPLE.com"), STORE_EEXISTS);
	assert_int_equal(store_domain_add(f->st, "bad domain"), STORE_EINVAL);
	assert_int_equal(store_domain_set_policy(f->st, "test.org", STORE_QUOTA_PURGE_OLDEST), 0);
	assert_int_equal(store_domain_set_policy(f->st, "none.org", STORE_QUOTA_REJECT),
	    STORE_ENOTFOUND);
	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_domain_get(r, "Sample.com", &d), 0);
	assert_string_equal(d.name, "sample.com");
	assert_int_equal(d.users, 1);
	assert_int_equal(store_domain_get(r, "test.org", &d), 0);
	assert_int_equal(d.policy, STORE_QUOTA_PURGE_OLDEST);
	assert_int_equal(store_domain_list(r, count_domain, &n), 0);
	assert_int_equal(n, 2);
	store_rtxn_end(&r);
	assert_int_equal(store_domain_del(f->st, "sample.com"), STORE_ENOTEMPTY);
	assert_int_equal(store_domain_del(f->st, "test.org"), 0);
	assert_int_equal(store_domain_del(f->st, "test.org"), STORE_ENOTFOUND);
}

static void
test_policy_names(void **state)
{
	for (int p = STORE_QUOTA_INHERIT; p <= STORE_QUOTA_PURGE_OLDEST; p++)
		assert_int_equal(store_quota_policy_parse(store_quota_policy_name(p)), p);
	assert_int_equal(store_quota_policy_parse("drop"), -1);
	assert_true(store_err_is_temporary(STORE_ENOQUOTA));
	assert_false(store_err_is_temporary(STORE_ENOTFOUND));
	assert_string_equal(store_strerror(STORE_ETOOBIG), "message too big");
}

static void
test_namespaces(void **state)
{
	struct fx *f = *state;
	struct store_user a, b;

	assert_int_equal(store_user_add(f->st, "tomo@test.org", "$6$other", 0, 0), 0);
	assert_int_equal(store_user_add(f->st, "TOMO@sample.com", "h", 0, 0), STORE_EEXISTS);
	assert_int_equal(store_user_add(f->st, "tomo@nowhere.org", "h", 0, 0), STORE_ENOTFOUND);
	assert_int_equal(store_user_add(f->st, "bad@@x", "h", 0, 0), STORE_EINVAL);
	a = fx_user(f, "tomo@sample.com");
	b = fx_user(f, "Tomo@Test.org");
	assert_string_equal(b.address, "tomo@test.org");
	assert_int_not_equal(a.id, b.id);
	assert_int_equal(store_mailbox_create(f->st, "tomo@test.org", "Only-here", 0), 0);
	fx_mailbox(f, "tomo@test.org", "Only-here");
	{
		struct store_rtxn *r;
		struct store_mailbox mb;

		assert_int_equal(store_rtxn_begin(f->st, &r), 0);
		assert_int_equal(store_mailbox_get(r, "tomo@sample.com", "Only-here", &mb),
		    STORE_ENOTFOUND);
		store_rtxn_end(&r);
	}
}

struct folder_want {
	const char *name;
	unsigned su;
};

static int
collect_mbox(const struct store_mailbox *mb, void *arg)
{
	struct store_mailbox *v = arg;

	for (; v->name[0]; v++)
		;
	*v = *mb;
	return 0;
}

static void
test_default_folders(void **state)
{
	static const struct folder_want want[] = {	/* name order */
		{ "Archive", STORE_SU_ARCHIVE }, { "Drafts", STORE_SU_DRAFTS }, { "INBOX", 0 },
		{ "Junk", STORE_SU_JUNK }, { "Sent", STORE_SU_SENT }, { "Trash", STORE_SU_TRASH },
	};
	struct fx *f = *state;
	struct store_mailbox got[8];
	struct store_rtxn *r;

	memset(got, 0, sizeof(got));
	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_mailbox_list(r, "tomo@sample.com", collect_mbox, got), 0);
	store_rtxn_end(&r);
	for (size_t i = 0; i < 6; i++) {
		if (strcmp(got[i].name, want[i].name) != 0 || got[i].special_use != want[i].su ||
		    got[i].uidnext != 1)
			fail_msg("folder %zu: got %s su=%u, want %s su=%u", i,
			    got[i].name, got[i].special_use, want[i].name, want[i].su);
		for (size_t j = 0; j < i; j++)
			assert_int_not_equal(got[i].uidvalidity, got[j].uidvalidity);
	}
	assert_string_equal(got[6].name, "");
}

static void
test_user_password_quota(void **state)
{
	struct fx *f = *state;
	struct store_rtxn *r;
	struct store_user u;
	const char *hash;

	assert_int_equal(store_user_set_password(f->st, "tomo@sample.com", "$6$new$hash"), 0);
	assert_int_equal(store_user_set_password(f->st, "nobody@sample.com", "x"), STORE_ENOTFOUND);
	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_user_password_hash(r, "tomo@sample.com", &hash), 0);
	assert_string_equal(hash, "$6$new$hash");
	store_rtxn_end(&r);

	u = fx_user(f, "tomo@sample.com");
	assert_int_equal(u.effective_policy, STORE_QUOTA_REJECT);
	assert_int_equal(store_domain_set_policy(f->st, "sample.com", STORE_QUOTA_PURGE_OLDEST), 0);
	u = fx_user(f, "tomo@sample.com");
	assert_int_equal(u.policy, STORE_QUOTA_INHERIT);
	assert_int_equal(u.effective_policy, STORE_QUOTA_PURGE_OLDEST);
	assert_int_equal(store_user_set_quota(f->st, "tomo@sample.com", 1000, 10, STORE_QUOTA_REJECT),
	    0);
	u = fx_user(f, "tomo@sample.com");
	assert_int_equal(u.quota_bytes, 1000);
	assert_int_equal(u.quota_messages, 10);
	assert_int_equal(u.effective_policy, STORE_QUOTA_REJECT);
	assert_true(u.created > 0);
}

static int
count_user(const struct store_user *u, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static void
test_user_del(void **state)
{
	struct fx *f = *state;
	struct store_rtxn *r;
	struct store_user u;
	int n = 0;
	char *msg = fx_text("bye", 100);

	assert_int_equal(store_user_add(f->st, "ann@sample.com", "h", 0, 0), 0);
	assert_int_equal(store_user_add(f->st, "bob@test.org", "h", 0, 0), 0);
	assert_int_equal(fx_deliver1(f, "ann@sample.com", NULL, msg), 0);
	assert_int_equal(store_user_del(f->st, "ann@sample.com"), 0);
	assert_int_equal(store_user_del(f->st, "ann@sample.com"), STORE_ENOTFOUND);
	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_user_get(r, "ann@sample.com", &u), STORE_ENOTFOUND);
	assert_int_equal(store_user_list(r, "sample.com", count_user, &n), 0);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(store_user_list(r, NULL, count_user, &n), 0);
	assert_int_equal(n, 2);
	store_rtxn_end(&r);
	free(msg);
}

struct alias_seen {
	char addr[64];
	size_t n;
	char first[64];
};

static int
alias_one(const char *addr, const char *const *t, size_t n, void *arg)
{
	struct alias_seen *s = arg;

	snprintf(s->addr, sizeof(s->addr), "%s", addr);
	snprintf(s->first, sizeof(s->first), "%s", t[0]);
	s->n = n;
	return 0;
}

static void
test_alias_forward(void **state)
{
	struct fx *f = *state;
	const char *t[] = { "Tomo@Sample.com", "someone@example.net" };
	const char **got;
	struct alias_seen s = { "", 0, "" };
	struct store_rtxn *r;
	size_t n;
	bool keep;

	assert_int_equal(store_alias_add(f->st, "info@sample.com", t, 2), 0);
	assert_int_equal(store_alias_add(f->st, "info@sample.com", t, 2), STORE_EEXISTS);
	assert_int_equal(store_alias_add(f->st, "tomo@sample.com", t, 1), STORE_EEXISTS);
	assert_int_equal(store_alias_add(f->st, "info@nowhere.org", t, 1), STORE_ENOTFOUND);
	assert_int_equal(store_alias_add(f->st, "x@sample.com", t, 0), STORE_EINVAL);
	assert_int_equal(store_user_add(f->st, "info@sample.com", "h", 0, 0), STORE_EEXISTS);
	assert_int_equal(store_forward_set(f->st, "tomo@sample.com", t + 1, 1, true), 0);
	assert_int_equal(store_forward_set(f->st, "nobody@sample.com", t, 1, true), STORE_ENOTFOUND);

	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_alias_list(r, alias_one, &s), 0);
	assert_string_equal(s.addr, "info@sample.com");
	assert_int_equal(s.n, 2);
	assert_string_equal(s.first, "tomo@sample.com");
	assert_int_equal(store_forward_get(r, "tomo@sample.com", &got, &n, &keep), 0);
	assert_int_equal(n, 1);
	assert_string_equal(got[0], "someone@example.net");
	assert_true(keep);
	store_rtxn_end(&r);

	assert_int_equal(store_forward_clear(f->st, "tomo@sample.com"), 0);
	assert_int_equal(store_forward_clear(f->st, "tomo@sample.com"), STORE_ENOTFOUND);
	assert_int_equal(store_alias_del(f->st, "info@sample.com"), 0);
	assert_int_equal(store_alias_del(f->st, "info@sample.com"), STORE_ENOTFOUND);
	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_forward_get(r, "tomo@sample.com", &got, &n, &keep), STORE_ENOTFOUND);
	store_rtxn_end(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr_normalize),
		cmocka_unit_test(test_policy_names),
		cmocka_unit_test_setup_teardown(test_domains, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_namespaces, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_default_folders, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_user_password_quota, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_user_del, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_alias_forward, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
