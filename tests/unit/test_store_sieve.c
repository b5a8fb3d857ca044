/*
 * test_store_sieve.c - Sieve scripts in the store: both forms kept side by
 * side, at most one script active (activation moves it, "" clears it),
 * rename carrying the flag, the active script refusing deletion, the
 * per-user limits (scripts and source bytes, a replacement counted once),
 * names RFC 5804 forbids, the per-domain script, the user's and the
 * domain's deletion removing theirs, store_verify finding a stray record,
 * and a schema-6 store upgraded with empty sieve databases.
 */
#include "test_store_fixture.h"
#include "test_store_raw.h"

#define TOMO "tomo@sample.com"

static const struct store_sieve_limits lim = { 3, 100 };

/* put - a script whose compiled form is its source upper-cased by the caller's convention: "B" + src */
static int
put(struct fx *f, const char *name, const char *src, enum store_sieve_over *over_r)
{
	char bin[256];

	snprintf(bin, sizeof(bin), "B%s", src);
	return store_sieve_put(f->st, TOMO, name, src, strlen(src), bin, strlen(bin), &lim, over_r);
}

/* list_one - "name" or "name*" (the active one), space-separated */
static int
list_one(const struct store_sieve_script *s, void *arg)
{
	char *out = arg;
	size_t n = strlen(out);

	snprintf(out + n, 256 - n, "%s%s%s", n ? " " : "", s->name, s->active ? "*" : "");
	return 0;
}

/* listing - the user's scripts as list_one writes them */
static const char *
listing(struct fx *f)
{
	static char out[256];
	struct store_rtxn *r;

	out[0] = '\0';
	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_sieve_list(r, TOMO, list_one, out), 0);
	store_rtxn_end(&r);
	return out;
}

/* both forms are stored and read back; a replacement keeps the active flag */
static void
test_put_get(void **state)
{
	struct fx *f = *state;
	struct store_sieve_script s;
	struct store_rtxn *r;

	assert_int_equal(put(f, "main", "keep;", NULL), 0);
	assert_int_equal(store_sieve_activate(f->st, TOMO, "main"), 0);
	assert_int_equal(put(f, "main", "discard;", NULL), 0);
	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_sieve_get(r, TOMO, "main", &s), 0);
	assert_string_equal(s.name, "main");
	assert_true(s.active);
	assert_int_equal(s.srclen, 8);
	assert_memory_equal(s.src, "discard;", 8);
	assert_int_equal(s.binlen, 9);
	assert_memory_equal(s.bin, "Bdiscard;", 9);
	assert_int_equal(store_sieve_get(r, TOMO, "other", &s), STORE_ENOTFOUND);
	assert_int_equal(store_sieve_get(r, "nobody@sample.com", "main", &s), STORE_ENOTFOUND);
	assert_int_equal(store_sieve_get_active(r, TOMO, &s), 0);
	assert_string_equal(s.name, "main");
	store_rtxn_end(&r);
}

/* one active at most: activating another moves the flag, "" clears it; rename carries it */
static void
test_activate(void **state)
{
	struct fx *f = *state;
	struct store_sieve_script s;
	struct store_rtxn *r;

	assert_int_equal(put(f, "a", "keep;", NULL), 0);
	assert_int_equal(put(f, "b", "keep;", NULL), 0);
	assert_string_equal(listing(f), "a b");
	assert_int_equal(store_sieve_activate(f->st, TOMO, "b"), 0);
	assert_string_equal(listing(f), "a b*");
	assert_int_equal(store_sieve_activate(f->st, TOMO, "a"), 0);
	assert_string_equal(listing(f), "a* b");
	assert_int_equal(store_sieve_activate(f->st, TOMO, "a"), 0);
	assert_string_equal(listing(f), "a* b");
	assert_int_equal(store_sieve_activate(f->st, TOMO, "zz"), STORE_ENOTFOUND);
	assert_string_equal(listing(f), "a* b");
	assert_int_equal(store_sieve_rename(f->st, TOMO, "a", "c"), 0);
	assert_string_equal(listing(f), "b c*");
	assert_int_equal(store_sieve_rename(f->st, TOMO, "c", "b"), STORE_EEXISTS);
	assert_int_equal(store_sieve_rename(f->st, TOMO, "zz", "y"), STORE_ENOTFOUND);
	assert_int_equal(store_sieve_delete(f->st, TOMO, "c"), STORE_EINUSE);
	assert_int_equal(store_sieve_activate(f->st, TOMO, ""), 0);
	assert_string_equal(listing(f), "b c");
	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_sieve_get_active(r, TOMO, &s), STORE_ENOTFOUND);
	store_rtxn_end(&r);
	assert_int_equal(store_sieve_delete(f->st, TOMO, "c"), 0);
	assert_int_equal(store_sieve_delete(f->st, TOMO, "c"), STORE_ENOTFOUND);
	assert_string_equal(listing(f), "b");
}

/* the limits: scripts and source bytes; a replacement is counted without its old self */
static void
test_limits(void **state)
{
	struct fx *f = *state;
	enum store_sieve_over over;
	char big[101];
	struct store_rtxn *r;

	memset(big, 'x', 60);
	big[60] = '\0';
	assert_int_equal(put(f, "a", big, &over), 0);
	assert_int_equal(over, STORE_SIEVE_FITS);
	assert_int_equal(put(f, "a", big, &over), 0);
	assert_int_equal(put(f, "b", big, &over), STORE_ENOQUOTA);
	assert_int_equal(over, STORE_SIEVE_MAXSIZE);
	assert_int_equal(put(f, "b", "keep;", NULL), 0);
	assert_int_equal(put(f, "c", "keep;", NULL), 0);
	assert_int_equal(put(f, "d", "keep;", &over), STORE_ENOQUOTA);
	assert_int_equal(over, STORE_SIEVE_MAXSCRIPTS);
	assert_string_equal(listing(f), "a b c");
	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_sieve_room(r, TOMO, "c", 35, &lim, &over), 0);
	assert_int_equal(store_sieve_room(r, TOMO, "c", 36, &lim, &over), STORE_ENOQUOTA);
	assert_int_equal(over, STORE_SIEVE_MAXSIZE);
	assert_int_equal(store_sieve_room(r, TOMO, "d", 1, &lim, &over), STORE_ENOQUOTA);
	assert_int_equal(over, STORE_SIEVE_MAXSCRIPTS);
	store_rtxn_end(&r);
}

/* names RFC 5804 forbids: empty, control characters, bad UTF-8, too long */
static void
test_names(void **state)
{
	struct fx *f = *state;
	char lng[STORE_SIEVE_NAME_MAX + 2];

	memset(lng, 'n', sizeof(lng) - 1);
	lng[sizeof(lng) - 1] = '\0';
	assert_true(store_sieve_name_ok("休暇"));
	assert_false(store_sieve_name_ok(""));
	assert_false(store_sieve_name_ok("a\tb"));
	assert_false(store_sieve_name_ok("a\x7f"));
	assert_false(store_sieve_name_ok("a\xc2\x85"));
	assert_false(store_sieve_name_ok("a\xe2\x80\xa8"));
	assert_false(store_sieve_name_ok("\xff"));
	assert_false(store_sieve_name_ok(lng));
	assert_int_equal(put(f, "a\nb", "keep;", NULL), STORE_EINVAL);
	assert_int_equal(store_sieve_rename(f->st, TOMO, "x", ""), STORE_EINVAL);
	assert_int_equal(put(f, "休暇", "keep;", NULL), 0);
	assert_string_equal(listing(f), "休暇");
}

/* the domain's script: set, replaced, cleared; the domain's deletion removes it */
static void
test_domain(void **state)
{
	struct fx *f = *state;
	struct store_sieve_script s;
	struct store_rtxn *r;

	assert_int_equal(store_sieve_domain_set(f->st, "nowhere.net", "keep;", 5, "b", 1),
	    STORE_ENOTFOUND);
	assert_int_equal(store_sieve_domain_set(f->st, "TEST.org", "keep;", 5, "b", 1), 0);
	assert_int_equal(store_sieve_domain_set(f->st, "test.org", "stop;", 5, "c", 1), 0);
	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_sieve_domain_get(r, "test.org", &s), 0);
	assert_memory_equal(s.src, "stop;", 5);
	assert_int_equal(s.binlen, 1);
	assert_int_equal(store_sieve_domain_get(r, "sample.com", &s), STORE_ENOTFOUND);
	store_rtxn_end(&r);
	assert_int_equal(store_sieve_domain_set(f->st, "test.org", NULL, 0, NULL, 0), 0);
	assert_int_equal(store_sieve_domain_set(f->st, "test.org", NULL, 0, NULL, 0),
	    STORE_ENOTFOUND);
	assert_int_equal(store_sieve_domain_set(f->st, "test.org", "keep;", 5, "b", 1), 0);
	assert_int_equal(store_domain_del(f->st, "test.org"), 0);
	assert_int_equal(store_domain_add(f->st, "test.org"), 0);
	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_sieve_domain_get(r, "test.org", &s), STORE_ENOTFOUND);
	store_rtxn_end(&r);
}

/* deleting the user removes their scripts; a stray record is found by verify */
static void
test_user_del_verify(void **state)
{
	struct fx *f = *state;
	unsigned char rec[6] = { 1, 0, 0, 0, 0, 0 };
	struct raw x = { .db = DB_SIEVE, .data = rec, .len = sizeof(rec) };

	assert_int_equal(put(f, "a", "keep;", NULL), 0);
	assert_int_equal(store_sieve_activate(f->st, TOMO, "a"), 0);
	assert_int_equal(store_user_del(f->st, TOMO), 0);
	assert_int_equal(store_user_add(f->st, TOMO, "$6$x$y", 0, 0), 0);
	assert_string_equal(listing(f), "");
	store_key_id_name(&x.k, 999, "orphan");
	raw_orphan_found(f, &x);
	x.db = DB_SIEVE_DOMAIN;
	x.len = sizeof(rec);
	store_key_str(&x.k, "gone.example");
	raw_orphan_found(f, &x);
}

/* a schema-6 store opens with empty sieve databases and is made current */
static void
test_upgrade_from_schema_6(void **state)
{
	struct fx *f = *state;

	raw_upgrade_from(f, DB_SIEVE, 6);
	assert_string_equal(listing(f), "");
	assert_int_equal(put(f, "a", "keep;", NULL), 0);
	assert_string_equal(listing(f), "a");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_put_get, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_activate, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_limits, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_names, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_domain, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_user_del_verify, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_from_schema_6, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
