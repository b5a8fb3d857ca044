/*
 * test_util_mono.c - the monotonic clock: it never goes back, its two
 * units agree, and a sleep shows up in both.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <cmocka.h>

#include "util/mono.h"

/* test_forward - successive readings never decrease */
static void
test_forward(void **state)
{
	uint64_t ns = mono_ns(), ms = mono_ms();

	for (int i = 0; i < 100000; i++) {
		uint64_t ns2 = mono_ns(), ms2 = mono_ms();

		if (ns2 < ns || ms2 < ms)
			fail_msg("reading %d: got %llu ns %llu ms, after %llu ns %llu ms", i,
			    (unsigned long long)ns2, (unsigned long long)ms2,
			    (unsigned long long)ns, (unsigned long long)ms);
		ns = ns2;
		ms = ms2;
	}
}

/* test_units - ms is ns / 1e6, read around it; a 20 ms sleep adds at least 20 ms */
static void
test_units(void **state)
{
	struct timespec nap = { 0, 20 * 1000000 };
	uint64_t before = mono_ns(), ms = mono_ms(), after = mono_ns();
	uint64_t ns0, ms0;

	assert_true(before / 1000000 <= ms && ms <= after / 1000000);
	ns0 = mono_ns();
	ms0 = mono_ms();
	nanosleep(&nap, NULL);
	if (mono_ns() - ns0 < 20 * 1000000ull || mono_ms() - ms0 < 19)
		fail_msg("a 20 ms sleep: got %llu ns, %llu ms", (unsigned long long)(mono_ns() - ns0),
		    (unsigned long long)(mono_ms() - ms0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forward),
		cmocka_unit_test(test_units),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
