/*
 * test_net_limit.c - per-address connection counting: the limit, release,
 * independence of addresses, the total limit, and counting from several
 * threads at once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <cmocka.h>

#include "net/net.h"
#include "net/net_limit.h"

static void
test_limit(void **state)
{
	struct net_limit *l = net_limit_new(3, 0);

	for (int i = 0; i < 3; i++)
		assert_int_equal(net_limit_take(l, "192.0.2.1"), 0);
	assert_int_equal(net_limit_take(l, "192.0.2.1"), NET_LIMIT_ADDR);
	assert_int_equal(net_limit_count(l, "192.0.2.1"), 3);
	assert_int_equal(net_limit_take(l, "2001:db8::1"), 0);
	assert_int_equal(net_limit_count(l, "2001:db8::1"), 1);
	net_limit_put(l, "192.0.2.1");
	assert_int_equal(net_limit_take(l, "192.0.2.1"), 0);
	for (int i = 0; i < 3; i++)
		net_limit_put(l, "192.0.2.1");
	assert_int_equal(net_limit_count(l, "192.0.2.1"), 0);
	assert_int_equal(net_limit_count(l, "192.0.2.99"), 0);
	net_limit_free(&l);
	assert_null(l);
}

static void
test_unlimited(void **state)
{
	struct net_limit *l = net_limit_new(0, 0);

	for (int i = 0; i < 1000; i++)
		assert_int_equal(net_limit_take(l, "198.51.100.7"), 0);
	assert_int_equal(net_limit_count(l, "198.51.100.7"), 1000);
	net_limit_free(&l);
}

/* test_total - max_all counts every address; a refusal is not counted */
static void
test_total(void **state)
{
	struct net_limit *l = net_limit_new(2, 3);

	assert_int_equal(net_limit_take(l, "192.0.2.1"), NET_LIMIT_OK);
	assert_int_equal(net_limit_take(l, "192.0.2.1"), NET_LIMIT_OK);
	assert_int_equal(net_limit_take(l, "192.0.2.1"), NET_LIMIT_ADDR);
	assert_int_equal(net_limit_take(l, "2001:db8::1"), NET_LIMIT_OK);
	assert_int_equal(net_limit_take(l, "198.51.100.9"), NET_LIMIT_ALL);
	assert_int_equal(net_limit_total(l), 3);
	assert_int_equal(net_limit_count(l, "198.51.100.9"), 0);
	net_limit_put(l, "192.0.2.1");
	assert_int_equal(net_limit_total(l), 2);
	assert_int_equal(net_limit_take(l, "198.51.100.9"), NET_LIMIT_OK);
	assert_int_equal(net_limit_take(l, "198.51.100.10"), NET_LIMIT_ALL);
	net_limit_free(&l);
}

static struct net_limit *shared;

/* churn - take and put many addresses, as the worker loops do */
static void *
churn(void *arg)
{
	char addr[32];

	for (int round = 0; round < 200; round++) {
		for (int i = 0; i < 50; i++) {
			snprintf(addr, sizeof(addr), "10.0.%d.%d", (int)(intptr_t)arg, i);
			if (net_limit_take(shared, addr) != 0)
				return (void *)1;
		}
		for (int i = 0; i < 50; i++) {
			snprintf(addr, sizeof(addr), "10.0.%d.%d", (int)(intptr_t)arg, i);
			net_limit_put(shared, addr);
		}
	}
	return NULL;
}

static void
test_threads(void **state)
{
	pthread_t t[4];
	void *rv;

	shared = net_limit_new(1, 0);
	for (intptr_t i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, churn, (void *)i), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], &rv);
		assert_null(rv);
	}
	assert_int_equal(net_limit_count(shared, "10.0.1.1"), 0);
	net_limit_free(&shared);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_unlimited),
		cmocka_unit_test(test_total),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
