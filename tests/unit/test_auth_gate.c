/*
 * test_auth_gate.c - the bounds on login attempts in flight: per client
 * address and in all, a slot given back on leave, and many threads at
 * once (run under ASan by make asan).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "auth/auth_gate.h"

static void
test_per_address(void **state)
{
	struct auth_gate *g = auth_gate_new(10, 3);

	for (int i = 0; i < 3; i++)
		assert_int_equal(auth_gate_enter(g, "192.0.2.1"), AUTH_GATE_OK);
	/* the fourth at once from the same address waits for none: refused */
	assert_int_equal(auth_gate_enter(g, "192.0.2.1"), AUTH_GATE_EADDR);
	assert_int_equal(auth_gate_inflight(g, "192.0.2.1"), 3);
	/* another address is not held back by it */
	assert_int_equal(auth_gate_enter(g, "2001:db8::1"), AUTH_GATE_OK);
	assert_int_equal(auth_gate_inflight(g, NULL), 4);
	/* one done: one more may start */
	auth_gate_leave(g, "192.0.2.1");
	assert_int_equal(auth_gate_inflight(g, "192.0.2.1"), 2);
	assert_int_equal(auth_gate_enter(g, "192.0.2.1"), AUTH_GATE_OK);
	assert_int_equal(auth_gate_enter(g, "192.0.2.1"), AUTH_GATE_EADDR);
	assert_string_equal(auth_gate_strerror(AUTH_GATE_EADDR),
	    "too many login attempts in progress from this address");
	auth_gate_free(&g);
	assert_null(g);
}

static void
test_total(void **state)
{
	struct auth_gate *g = auth_gate_new(4, 2);
	char addr[32];

	for (int i = 0; i < 4; i++) {
		snprintf(addr, sizeof(addr), "10.0.0.%d", i);
		assert_int_equal(auth_gate_enter(g, addr), AUTH_GATE_OK);
	}
	/* full: a fresh address is refused too, and nothing is counted for it */
	assert_int_equal(auth_gate_enter(g, "10.0.0.9"), AUTH_GATE_EFULL);
	assert_int_equal(auth_gate_inflight(g, "10.0.0.9"), 0);
	assert_int_equal(auth_gate_inflight(g, NULL), 4);
	/* every slot given back: the table takes four new addresses */
	for (int i = 0; i < 4; i++) {
		snprintf(addr, sizeof(addr), "10.0.0.%d", i);
		auth_gate_leave(g, addr);
	}
	assert_int_equal(auth_gate_inflight(g, NULL), 0);
	for (int i = 0; i < 4; i++) {
		snprintf(addr, sizeof(addr), "10.0.1.%d", i);
		assert_int_equal(auth_gate_enter(g, addr), AUTH_GATE_OK);
	}
	/* an over-long or empty address is still bounded and counted */
	auth_gate_free(&g);
	g = auth_gate_new(4, 1);
	{
		char longaddr[200];

		memset(longaddr, 'x', sizeof(longaddr) - 1);
		longaddr[sizeof(longaddr) - 1] = '\0';
		assert_int_equal(auth_gate_enter(g, longaddr), AUTH_GATE_OK);
		assert_int_equal(auth_gate_enter(g, longaddr), AUTH_GATE_EADDR);
		assert_int_equal(auth_gate_enter(g, ""), AUTH_GATE_OK);
		assert_int_equal(auth_gate_enter(g, ""), AUTH_GATE_EADDR);
		auth_gate_leave(g, longaddr);
		auth_gate_leave(g, "");
	}
	assert_int_equal(auth_gate_inflight(g, NULL), 0);
	auth_gate_free(&g);
}

/* hammer - enter and leave from a few addresses at once */
static void *
hammer(void *arg)
{
	struct auth_gate *g = arg;
	char addr[32];

	for (int i = 0; i < 5000; i++) {
		snprintf(addr, sizeof(addr), "198.51.100.%d", i % 5);
		if (auth_gate_enter(g, addr) == AUTH_GATE_OK)
			auth_gate_leave(g, addr);
	}
	return NULL;
}

static void
test_threads(void **state)
{
	struct auth_gate *g = auth_gate_new(8, 2);
	pthread_t t[8];

	for (int i = 0; i < 8; i++)
		assert_int_equal(pthread_create(&t[i], NULL, hammer, g), 0);
	for (int i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(auth_gate_inflight(g, NULL), 0);
	auth_gate_free(&g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_per_address),
		cmocka_unit_test(test_total),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests_name("auth_gate", tests, NULL, NULL);
}
