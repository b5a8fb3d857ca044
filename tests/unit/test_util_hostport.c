/*
 * test_util_hostport.c - "host:port" splitting: names, IPv4, bracketed
 * IPv6, and the malformed forms the config refuses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util/hostport.h"

static void
test_hostport(void **state)
{
	char host[64];
	unsigned port;

	assert_int_equal(hostport_split("127.0.0.1:143", host, sizeof(host), &port), 0);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(port, 143);
	assert_int_equal(hostport_split("[::1]:993", host, sizeof(host), &port), 0);
	assert_string_equal(host, "::1");
	assert_int_equal(port, 993);
	assert_int_equal(hostport_split("::1:993", host, sizeof(host), &port), -1);
	assert_int_equal(hostport_split(":143", host, sizeof(host), &port), -1);
	assert_int_equal(hostport_split("h:0", host, sizeof(host), &port), -1);
	assert_int_equal(hostport_split("h:", host, sizeof(host), &port), -1);
}

/* test_table - more forms, each with its verdict, host and port */
static void
test_table(void **state)
{
	static const struct { const char *in; int rc; const char *host; unsigned port; } cases[] = {
		{ "mail.example.org:25", 0, "mail.example.org", 25 },
		{ "h:65535", 0, "h", 65535 },
		{ "[2001:db8::1]:587", 0, "2001:db8::1", 587 },
		{ "h:65536", -1, NULL, 0 },
		{ "h:25x", -1, NULL, 0 },
		{ "h", -1, NULL, 0 },
		{ "[::1]", -1, NULL, 0 },
		{ "[::1:25", -1, NULL, 0 },
		{ "[]:25", -1, NULL, 0 },
		{ "", -1, NULL, 0 },
	};
	char host[64];
	unsigned port;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = hostport_split(cases[i].in, host, sizeof(host), &port);

		if (rc != cases[i].rc)
			fail_msg("'%s': got %d, want %d", cases[i].in, rc, cases[i].rc);
		if (rc == 0 && (strcmp(host, cases[i].host) != 0 || port != cases[i].port))
			fail_msg("'%s': got %s port %u, want %s port %u", cases[i].in, host, port,
			    cases[i].host, cases[i].port);
	}
}

/* test_host_fits - a host that does not fit the buffer is refused, never cut */
static void
test_host_fits(void **state)
{
	char host[8];
	unsigned port;

	assert_int_equal(hostport_split("1234567:25", host, sizeof(host), &port), 0);
	assert_string_equal(host, "1234567");
	assert_int_equal(hostport_split("12345678:25", host, sizeof(host), &port), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hostport),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_host_fits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
