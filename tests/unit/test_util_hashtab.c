/*
 * test_util_hashtab.c - the string-keyed hash table: adding, finding and
 * deleting, zeroed and aligned values, sets (value size 0), long chains
 * in one bucket, and random operations checked against a plain array.
 * The random test prints its seed; set HASHTAB_TEST_SEED to replay one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "util/hashtab.h"

/* test_put_get_del - a key's value outlives other keys' changes and goes with its key */
static void
test_put_get_del(void **state)
{
	struct hashtab *t = hashtab_new(16, sizeof(unsigned));
	unsigned *a, *b;
	bool added;

	assert_null(hashtab_get(t, "192.0.2.1"));
	a = hashtab_put(t, "192.0.2.1", &added);
	assert_true(added);
	assert_int_equal(*a, 0);
	*a = 7;
	b = hashtab_put(t, "2001:db8::1", NULL);
	*b = 9;
	assert_ptr_equal(hashtab_put(t, "192.0.2.1", &added), a);
	assert_false(added);
	assert_ptr_equal(hashtab_get(t, "192.0.2.1"), a);
	assert_int_equal(*(unsigned *)hashtab_get(t, "2001:db8::1"), 9);
	assert_int_equal(hashtab_count(t), 2);
	assert_true(hashtab_del(t, "192.0.2.1"));
	assert_false(hashtab_del(t, "192.0.2.1"));
	assert_null(hashtab_get(t, "192.0.2.1"));
	assert_int_equal(*(unsigned *)hashtab_get(t, "2001:db8::1"), 9);
	assert_int_equal(hashtab_count(t), 1);
	/* a key added again starts from zero */
	assert_int_equal(*(unsigned *)hashtab_put(t, "192.0.2.1", NULL), 0);
	hashtab_free(&t);
	assert_null(t);
	hashtab_free(&t);
}

/* test_set - value size 0: a set of strings, "" included */
static void
test_set(void **state)
{
	struct hashtab *t = hashtab_new(4, 0);
	bool added;

	assert_non_null(hashtab_put(t, "tomo@sample.com", &added));
	assert_true(added);
	hashtab_put(t, "tomo@sample.com", &added);
	assert_false(added);
	assert_non_null(hashtab_put(t, "", &added));
	assert_true(added);
	assert_non_null(hashtab_get(t, ""));
	assert_null(hashtab_get(t, "tomo@test.org"));
	assert_int_equal(hashtab_count(t), 2);
	hashtab_free(&t);
}

/* test_aligned - values of any size are aligned for any type, and stay zeroed apart */
static void
test_aligned(void **state)
{
	static const size_t sizes[] = { 1, 3, sizeof(uint64_t), sizeof(long double), 33 };
	char key[16];

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct hashtab *t = hashtab_new(1, sizes[i]);

		for (int k = 0; k < 20; k++) {
			unsigned char *v;

			snprintf(key, sizeof(key), "k%d", k);
			v = hashtab_put(t, key, NULL);
			if ((uintptr_t)v % _Alignof(max_align_t) != 0)
				fail_msg("size %zu, %s: got address %p, want it aligned", sizes[i], key,
				    (void *)v);
			for (size_t j = 0; j < sizes[i]; j++)
				assert_int_equal(v[j], 0);
			memset(v, 0xff, sizes[i]);
		}
		for (int k = 0; k < 20; k++) {
			snprintf(key, sizeof(key), "k%d", k);
			assert_non_null(hashtab_get(t, key));
		}
		hashtab_free(&t);
	}
}

/* seed - from HASHTAB_TEST_SEED or the clock, printed so a failure can be replayed */
static unsigned
seed(const char *test)
{
	const char *env = getenv("HASHTAB_TEST_SEED");
	unsigned s = env != NULL ? (unsigned)strtoul(env, NULL, 0) : (unsigned)time(NULL);

	printf("%s: seed %u\n", test, s);
	srand(s);
	return s;
}

#define MODEL_KEYS 200

/* test_random - puts, deletes and gets against an array indexed by key number */
static void
test_random(void **state)
{
	static const size_t buckets[] = { 1, 7, 1024 };
	unsigned s = seed("test_random");

	for (size_t b = 0; b < sizeof(buckets) / sizeof(buckets[0]); b++) {
		struct hashtab *t = hashtab_new(buckets[b], sizeof(int));
		int model[MODEL_KEYS];	/* -1: absent, else the value */
		size_t present = 0;
		char key[32];

		memset(model, 0xff, sizeof(model));
		for (int op = 0; op < 20000; op++) {
			int k = rand() % MODEL_KEYS, *v;

			snprintf(key, sizeof(key), "10.0.%d.%d", k / 256, k % 256);
			switch (rand() % 3) {
			case 0:
				v = hashtab_put(t, key, NULL);
				if (model[k] < 0)
					present++;
				*v = model[k] = op;
				break;
			case 1:
				if (hashtab_del(t, key) != (model[k] >= 0))
					fail_msg("seed %u, %zu buckets, del %s: got %d, want %d", s,
					    buckets[b], key, model[k] < 0, model[k] >= 0);
				if (model[k] >= 0)
					present--;
				model[k] = -1;
				break;
			default:
				v = hashtab_get(t, key);
				if ((v == NULL) != (model[k] < 0) || (v != NULL && *v != model[k]))
					fail_msg("seed %u, %zu buckets, get %s: got %d, want %d", s,
					    buckets[b], key, v ? *v : -1, model[k]);
			}
			if (hashtab_count(t) != present)
				fail_msg("seed %u: got count %zu, want %zu", s, hashtab_count(t), present);
		}
		hashtab_free(&t);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_get_del),
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_aligned),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
