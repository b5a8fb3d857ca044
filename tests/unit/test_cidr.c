/*
 * test_cidr.c - smtp_trusted_networks matching: IPv4, IPv6, mapped IPv4,
 * prefix edges, and malformed lists that refuse everybody.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/cidr.h"

static void
test_match(void **state)
{
	static const struct { const char *list, *ip; int want; } cases[] = {
		{ "127.0.0.0/8,::1/128", "127.1.2.3", 1 },
		{ "127.0.0.0/8,::1/128", "::1", 1 },
		{ "127.0.0.0/8,::1/128", "10.0.0.1", 0 },
		{ "127.0.0.0/8", "::ffff:127.0.0.9", 1 },
		{ " 192.0.2.0/25 , 198.51.100.7", "192.0.2.127", 1 },
		{ "192.0.2.0/25", "192.0.2.128", 0 },
		{ "198.51.100.7", "198.51.100.7", 1 },
		{ "0.0.0.0/0", "203.0.113.1", 1 },
		{ "0.0.0.0/0", "2001:db8::1", 0 },
		{ "2001:db8::/33", "2001:db8:7fff::1", 1 },
		{ "2001:db8::/33", "2001:db8:8000::1", 0 },
		{ "", "127.0.0.1", 0 },
		{ "10.0.0.0/33", "10.0.0.1", -1 },
		{ "10.0.0.0/", "10.0.0.1", -1 },
		{ "10.0.0.0/8,relay.example", "10.0.0.1", -1 },
		{ "::1/129", "::1", -1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = cidr_match(cases[i].list, cases[i].ip);

		if (got != cases[i].want)
			fail_msg("'%s' in '%s': got %d, want %d", cases[i].ip, cases[i].list, got,
			    cases[i].want);
		if (cidr_list_ok(cases[i].list) != (cases[i].want >= 0))
			fail_msg("cidr_list_ok '%s': got %d, want %d", cases[i].list,
			    cidr_list_ok(cases[i].list), cases[i].want >= 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match),
	};

	return cmocka_run_group_tests_name("cidr", tests, NULL, NULL);
}
