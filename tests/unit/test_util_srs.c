/*
 * test_util_srs.c - SRS0 rewriting and its reversal: a known answer
 * (computed independently with Python's hmac), the round trip, a reversal
 * of the lower-cased form, and the refusals: a wrong hash, another secret,
 * an address too old, a day from the future, malformed addresses, and a
 * result that does not fit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "util/srs.h"

#define NOW ((time_t)1764720000)	/* day 20425: 969 modulo 1024, "6J" */
#define DAY 86400

/* test_known - the form and the hash match an independent computation */
static void
test_known(void **state)
{
	char out[256];

	assert_int_equal(srs_forward("k3y", "Orig.Sender@remote.test", "sample.com", NOW, out,
	    sizeof(out)), 0);
	assert_string_equal(out, "SRS0=avlY=6J=remote.test=Orig.Sender@sample.com");
}

/* test_round_trip - the rewritten sender reverses to the original, also lower-cased */
static void
test_round_trip(void **state)
{
	char fwd[256], back[256];

	assert_int_equal(srs_forward("k3y", "a=b@remote.test", "sample.com", NOW, fwd, sizeof(fwd)),
	    0);
	assert_int_equal(srs_reverse("k3y", fwd, NOW + 3 * DAY, back, sizeof(back)), 0);
	assert_string_equal(back, "a=b@remote.test");
	assert_int_equal(srs_reverse("k3y", "srs0=avly=6j=remote.test=orig.sender@sample.com", NOW,
	    back, sizeof(back)), 0);
	assert_string_equal(back, "orig.sender@remote.test");
	assert_int_equal(srs_reverse("k3y", fwd, NOW + SRS_MAX_AGE_DAYS * DAY, back, sizeof(back)),
	    0);
}

/* test_refused - what must not reverse */
static void
test_refused(void **state)
{
	const char *good = "SRS0=avlY=6J=remote.test=Orig.Sender@sample.com";
	const char *bad[] = {
		"SRS0=avlZ=6J=remote.test=Orig.Sender@sample.com",	/* hash */
		"SRS0=avlY=6K=remote.test=Orig.Sender@sample.com",	/* day under the hash */
		"SRS0=avlY=6J=remote.test=Other@sample.com",		/* local part */
		"SRS0=avlY=6J=remote.test@sample.com",			/* no local part */
		"SRS0=avl=6J=remote.test=Orig.Sender@sample.com",	/* short hash */
		"SRS0=avlY=6=remote.test=Orig.Sender@sample.com",	/* short day */
		"SRS0=avlY=6!=remote.test=Orig.Sender@sample.com",	/* not base32 */
		"SRS1=avlY=6J=remote.test=Orig.Sender@sample.com",
		"SRS0=avlY=6J=remote.test=Orig.Sender",			/* no domain of ours */
		"orig.sender@remote.test",
		"",
	};
	char out[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(srs_reverse("k3y", bad[i], NOW, out, sizeof(out)), -1);
	assert_int_equal(srs_reverse("other", good, NOW, out, sizeof(out)), -1);
	assert_int_equal(srs_reverse("k3y", good, NOW + (SRS_MAX_AGE_DAYS + 1) * DAY, out,
	    sizeof(out)), -1);
	assert_int_equal(srs_reverse("k3y", good, NOW - 2 * DAY, out, sizeof(out)), -1);
	assert_int_equal(srs_reverse("k3y", good, NOW, out, 10), -1);
	assert_int_equal(srs_forward("k3y", "no-at-sign", "sample.com", NOW, out, sizeof(out)), -1);
	assert_int_equal(srs_forward("k3y", "@remote.test", "sample.com", NOW, out, sizeof(out)), -1);
	assert_int_equal(srs_forward("k3y", "a@remote.test", "sample.com", NOW, out, 20), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
