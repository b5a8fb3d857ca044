/*
 * test_svc_line.c - reply-line formatting for POP3 and LMTP/SMTP: a short
 * reply gets CRLF, an over-long one is cut so that CRLF and the NUL still fit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "svc/svc.h"

/* fmt_line - the varargs front end the protocols' reply functions are */
static int __attribute__((format(printf, 3, 4)))
fmt_line(char *line, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = svc_line_vformat(line, size, fmt, ap);
	va_end(ap);
	return n;
}

static void
test_format(void **state)
{
	static const struct { size_t size; const char *text, *want; } cases[] = {
		{ 16, "+OK", "+OK\r\n" },
		{ 16, "", "\r\n" },
		{ 8, "12345", "12345\r\n" },
		{ 8, "123456", "12345\r\n" },
		{ 8, "1234567890", "12345\r\n" },
		{ 3, "abc", "\r\n" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char line[16];
		int n;

		memset(line, 'x', sizeof(line));
		n = fmt_line(line, cases[i].size, "%s", cases[i].text);
		if (n != (int)strlen(cases[i].want) || strcmp(line, cases[i].want) != 0)
			fail_msg("'%s' in %zu bytes: got %d '%s', want %zu '%s'", cases[i].text,
			    cases[i].size, n, line, strlen(cases[i].want), cases[i].want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests_name("svc_line", tests, NULL, NULL);
}
