/*
 * test_auth_delay.c - the per-address failure delay: doubling to the cap,
 * reset on success of only that (address, account), expiry, LRU eviction
 * when full, and many threads at once (run under TSan/ASan by hand, under
 * ASan by make asan).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "auth/auth_delay.h"
#include "util/mono.h"

static void
test_doubling(void **state)
{
	struct auth_delay *d = auth_delay_new(16, 500, 15000, 900);
	static const unsigned want[] = { 500, 1000, 2000, 4000, 8000, 15000, 15000, 15000 };

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		unsigned got = auth_delay_fail(d, "192.0.2.1", "u@example.org", 1000 + i);

		if (got != want[i])
			fail_msg("failure %zu: got %u ms, want %u", i + 1, got, want[i]);
	}
	assert_int_equal(auth_delay_failures(d, "192.0.2.1", 2000), 8);
	/* another address starts from the base */
	assert_int_equal(auth_delay_fail(d, "2001:db8::1", "u@example.org", 2000), 500);
	/* success resets only its own address */
	auth_delay_ok(d, "192.0.2.1", "u@example.org");
	assert_int_equal(auth_delay_failures(d, "192.0.2.1", 2000), 0);
	assert_int_equal(auth_delay_fail(d, "192.0.2.1", "u@example.org", 2000), 500);
	assert_int_equal(auth_delay_failures(d, "2001:db8::1", 2000), 1);
	auth_delay_free(&d);
	assert_null(d);
}

static void
test_reset_per_account(void **state)
{
	struct auth_delay *d = auth_delay_new(16, 500, 15000, 900);

	/* guesses at the victim, then at an unknown name, from one address */
	assert_int_equal(auth_delay_fail(d, "192.0.2.1", "victim@example.org", 1000), 500);
	assert_int_equal(auth_delay_fail(d, "192.0.2.1", "victim@example.org", 1001), 1000);
	assert_int_equal(auth_delay_fail(d, "192.0.2.1", "", 1002), 2000);
	/* the guesser logs in to its own account: the penalty stays */
	auth_delay_ok(d, "192.0.2.1", "own@example.org");
	assert_int_equal(auth_delay_failures(d, "192.0.2.1", 1003), 3);
	assert_int_equal(auth_delay_fail(d, "192.0.2.1", "victim@example.org", 1004), 4000);
	/* its own typos are forgiven by its own success, and only those */
	assert_int_equal(auth_delay_fail(d, "192.0.2.1", "own@example.org", 1005), 8000);
	auth_delay_ok(d, "192.0.2.1", "own@example.org");
	assert_int_equal(auth_delay_failures(d, "192.0.2.1", 1006), 4);
	/* the same account from another address is another pair */
	auth_delay_ok(d, "198.51.100.7", "victim@example.org");
	assert_int_equal(auth_delay_failures(d, "192.0.2.1", 1007), 4);
	/* a success at the victim itself clears its failures, not the unknown name's */
	auth_delay_ok(d, "192.0.2.1", "victim@example.org");
	assert_int_equal(auth_delay_failures(d, "192.0.2.1", 1008), 1);
	assert_int_equal(auth_delay_count(d), 1);
	auth_delay_free(&d);
}

static void
test_expiry(void **state)
{
	struct auth_delay *d = auth_delay_new(16, 500, 15000, 60);

	assert_int_equal(auth_delay_fail(d, "192.0.2.1", "u@example.org", 1000), 500);
	assert_int_equal(auth_delay_fail(d, "192.0.2.1", "u@example.org", 2000), 1000);
	/* quiet for exactly the expiry: still counted; longer: forgotten */
	assert_int_equal(auth_delay_failures(d, "192.0.2.1", 62000), 2);
	assert_int_equal(auth_delay_failures(d, "192.0.2.1", 62001), 0);
	assert_int_equal(auth_delay_fail(d, "192.0.2.1", "u@example.org", 62002), 500);
	auth_delay_free(&d);
}

static void
test_lru_bound(void **state)
{
	struct auth_delay *d = auth_delay_new(4, 100, 1000, 900);
	char addr[32];

	for (int i = 0; i < 4; i++) {
		snprintf(addr, sizeof(addr), "10.0.0.%d", i);
		auth_delay_fail(d, addr, "u@example.org", 1000 + (uint64_t)i);
	}
	auth_delay_fail(d, "10.0.0.0", "u@example.org", 2000);	/* .0 is now the most recent */
	assert_int_equal(auth_delay_count(d), 4);
	auth_delay_fail(d, "10.0.0.9", "u@example.org", 3000);	/* full: .1, the oldest, goes */
	assert_int_equal(auth_delay_count(d), 4);
	assert_int_equal(auth_delay_failures(d, "10.0.0.1", 3000), 0);
	assert_int_equal(auth_delay_failures(d, "10.0.0.0", 3000), 2);
	assert_int_equal(auth_delay_failures(d, "10.0.0.9", 3000), 1);
	/* an over-long or empty address is still bounded and counted */
	{
		char longaddr[200];

		memset(longaddr, 'x', sizeof(longaddr) - 1);
		longaddr[sizeof(longaddr) - 1] = '\0';
		assert_int_equal(auth_delay_fail(d, longaddr, "u@example.org", 4000), 100);
		assert_int_equal(auth_delay_fail(d, "", "u@example.org", 4000), 100);
	}
	auth_delay_free(&d);
}

struct worker {
	struct auth_delay *d;
	int n;
};

/* hammer - failures and successes from many addresses at once */
static void *
hammer(void *arg)
{
	struct worker *w = arg;
	char addr[32];

	for (int i = 0; i < 2000; i++) {
		snprintf(addr, sizeof(addr), "198.51.100.%d", (i + w->n) % 50);
		if (i % 7 == 0)
			auth_delay_ok(w->d, addr, "u@example.org");
		else
			auth_delay_fail(w->d, addr, "u@example.org", mono_ms());
	}
	return NULL;
}

static void
test_threads(void **state)
{
	struct auth_delay *d = auth_delay_new(32, 500, 15000, 900);
	pthread_t t[8];
	struct worker w[8];

	for (int i = 0; i < 8; i++) {
		w[i] = (struct worker){ d, i };
		assert_int_equal(pthread_create(&t[i], NULL, hammer, &w[i]), 0);
	}
	for (int i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	assert_true(auth_delay_count(d) <= 32);
	auth_delay_free(&d);
	/* the process table exists once */
	assert_ptr_equal(auth_delay_global(), auth_delay_global());
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doubling),
		cmocka_unit_test(test_reset_per_account),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_lru_bound),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests_name("auth_delay", tests, NULL, NULL);
}
