/*
 * test_net_loop.c - worker loops without sockets: net_loop_post() from
 * another thread runs on the loop, timers fire in deadline order and a
 * cancelled one never fires, a timer never fires before its time even when
 * the loop is woken often, and a stopped loop refuses posts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "net/net.h"
#include "net/net_int.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static char fired[64];
static pthread_t loop_thread;
static struct net_timer *doomed;

/* record - note that a timer or post ran, on which thread, and wake the test */
static void
record(void *arg)
{
	pthread_mutex_lock(&mu);
	strcat(fired, arg);
	if (!pthread_equal(pthread_self(), loop_thread))
		strcat(fired, "(wrong thread)");
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
}

/* arm - on the loop: timers out of order, one of them cancelled */
static void
arm(void *arg)
{
	struct net_loop *l = arg;

	loop_thread = pthread_self();
	net_timer_add(l, 60, record, "c");
	net_timer_add(l, 10, record, "a");
	doomed = net_timer_add(l, 20, record, "X");
	net_timer_add(l, 30, record, "b");
	net_timer_cancel(&doomed);
	record("p");
}

/* wait_for - until fired holds want, at most a few seconds */
static void
wait_for(const char *want)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 5;
	pthread_mutex_lock(&mu);
	while (strcmp(fired, want) != 0 && strlen(fired) < strlen(want) &&
	    pthread_cond_timedwait(&cv, &mu, &ts) == 0)
		;
	pthread_mutex_unlock(&mu);
	assert_string_equal(fired, want);
}

static void
test_post_and_timers(void **state)
{
	struct net_config cfg = { .threads = 2 };
	struct net *n = net_new(&cfg);
	struct net_loop *l;

	assert_int_equal(net_start(n), 0);
	l = &n->loops[1];
	assert_int_equal(net_loop_post(l, arm, l), 0);
	wait_for("pabc");
	assert_null(doomed);
	assert_int_equal(net_loop_post(l, record, "q"), 0);
	wait_for("pabcq");
	net_stop(n);
	assert_int_equal(net_loop_post(l, record, "late"), NET_ESTOPPED);
	net_free(&n);
	assert_null(n);
}

/* one timer's run: armed at, fired after, in nanoseconds */
#define EARLY_MS	5
static uint64_t armed_ns, waited_ns;
static bool poking;

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
early_fired(void *arg)
{
	pthread_mutex_lock(&mu);
	waited_ns = mono_ns() - armed_ns;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
}

static void
early_arm(void *arg)
{
	armed_ns = mono_ns();
	net_timer_add(arg, EARLY_MS, early_fired, NULL);
}

static void
nothing(void *arg)
{
}

/* poke - wake the loop every 100 us, so it looks at its timers between milliseconds */
static void *
poke(void *arg)
{
	while (__atomic_load_n(&poking, __ATOMIC_ACQUIRE)) {
		net_loop_post(arg, nothing, NULL);
		usleep(100);
	}
	return NULL;
}

static void
test_timer_never_early(void **state)
{
	struct net_config cfg = { .threads = 1 };
	struct net *n = net_new(&cfg);
	struct net_loop *l;
	pthread_t poker;

	assert_int_equal(net_start(n), 0);
	l = &n->loops[0];
	poking = true;
	assert_int_equal(pthread_create(&poker, NULL, poke, l), 0);
	for (int i = 0; i < 20; i++) {
		pthread_mutex_lock(&mu);
		waited_ns = 0;
		pthread_mutex_unlock(&mu);
		assert_int_equal(net_loop_post(l, early_arm, l), 0);
		pthread_mutex_lock(&mu);
		while (waited_ns == 0)
			pthread_cond_wait(&cv, &mu);
		pthread_mutex_unlock(&mu);
		assert_true(waited_ns >= EARLY_MS * 1000000u);
	}
	__atomic_store_n(&poking, false, __ATOMIC_RELEASE);
	pthread_join(poker, NULL);
	net_stop(n);
	net_free(&n);
}

static void
test_strerror(void **state)
{
	assert_string_equal(net_strerror(NET_ETOOLONG), "line too long");
	assert_string_equal(net_strerror(NET_WANT_WRITE), "want write");
	assert_string_equal(net_strerror(-99), "unknown error");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_post_and_timers),
		cmocka_unit_test(test_timer_never_early),
		cmocka_unit_test(test_strerror),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
