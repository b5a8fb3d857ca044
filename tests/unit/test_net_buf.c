/*
 * test_net_buf.c - the bounded connection buffer: line extraction with a
 * maximum length, fed whole and one byte at a time, and the byte bound.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "net/net.h"
#include "net/net_buf.h"

/* feed - put n bytes into b the way a read would; returns bytes taken */
static size_t
feed(struct net_buf *b, const char *p, size_t n)
{
	size_t done = 0;

	while (done < n) {
		char *dst;
		size_t room = net_buf_space(b, &dst);

		if (room == 0)
			break;
		if (room > n - done)
			room = n - done;
		memcpy(dst, p + done, room);
		net_buf_commit(b, room);
		done += room;
	}
	return done;
}

/* drain - every result of getline until NET_EAGAIN, as "line|" or "!TOOLONG|" */
static void
drain(struct net_buf *b, size_t max_line, char *out, size_t outlen)
{
	char *line;
	size_t len;
	int rc;

	while ((rc = net_buf_getline(b, max_line, &line, &len)) != NET_EAGAIN) {
		size_t used = strlen(out);

		if (rc == NET_ETOOLONG)
			snprintf(out + used, outlen - used, "!TOOLONG|");
		else
			snprintf(out + used, outlen - used, "%.*s|", (int)len, line);
	}
}

static const struct {
	const char *in;
	size_t max_line;
	const char *want;
} line_cases[] = {
	{ "a\r\nb\nc\r\n", 10, "a|b|c|" },
	{ "", 10, "" },
	{ "partial", 10, "" },
	{ "\r\n\n", 10, "||" },
	{ "0123456789\r\n", 10, "0123456789|" },
	{ "0123456789A\r\nok\r\n", 10, "!TOOLONG|ok|" },
	{ "0123456789ABCDEFGHIJ\r\nok\r\n", 10, "!TOOLONG|ok|" },
	{ "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ\nz\n", 10, "!TOOLONG|z|" },
	{ "a\rb\r\n", 10, "a\rb|" },
	{ "x\r\n0123456789012345678901234567890123456789", 10, "x|!TOOLONG|" },
};

/* test_lines - table-driven, fed whole and then byte by byte */
static void
test_lines(void **state)
{
	for (size_t i = 0; i < sizeof(line_cases) / sizeof(line_cases[0]); i++) {
		for (int bytewise = 0; bytewise < 2; bytewise++) {
			struct net_buf b;
			char got[256] = "";
			const char *in = line_cases[i].in;

			net_buf_init(&b, 4096);
			if (bytewise) {
				for (size_t k = 0; in[k]; k++) {
					feed(&b, in + k, 1);
					drain(&b, line_cases[i].max_line, got, sizeof(got));
				}
			} else {
				feed(&b, in, strlen(in));
				drain(&b, line_cases[i].max_line, got, sizeof(got));
			}
			if (strcmp(got, line_cases[i].want) != 0)
				fail_msg("case %zu (%s): got \"%s\", want \"%s\"", i,
				    bytewise ? "bytewise" : "whole", got, line_cases[i].want);
			net_buf_free(&b);
		}
	}
}

/* test_nul_in_line - binary lines keep their length */
static void
test_nul_in_line(void **state)
{
	struct net_buf b;
	char *line;
	size_t len;

	net_buf_init(&b, 64);
	feed(&b, "a\0b\r\n", 5);
	assert_int_equal(net_buf_getline(&b, 10, &line, &len), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(line, "a\0b", 3);
	net_buf_free(&b);
}

/* test_input_bound - a full buffer takes no more, and an unterminated full one is too long */
static void
test_input_bound(void **state)
{
	struct net_buf b;
	char big[300], *line, *p;
	size_t len;

	memset(big, 'x', sizeof(big));
	net_buf_init(&b, 100);
	assert_int_equal(feed(&b, big, sizeof(big)), 100);
	assert_int_equal(net_buf_len(&b), 100);
	assert_int_equal(net_buf_space(&b, &p), 0);
	/* max_line above the bound: being full is what makes it too long */
	assert_int_equal(net_buf_getline(&b, 1000, &line, &len), NET_ETOOLONG);
	assert_int_equal(net_buf_len(&b), 0);
	feed(&b, "rest\nnext\n", 10);
	assert_int_equal(net_buf_getline(&b, 1000, &line, &len), 0);
	assert_string_equal(line, "next");
	net_buf_free(&b);
}

/* test_output_bound - append refuses past max and queues nothing then */
static void
test_output_bound(void **state)
{
	struct net_buf b;
	static char big[32000];

	memset(big, 'y', sizeof(big));
	net_buf_init(&b, 32000);
	assert_int_equal(net_buf_append(&b, big, 20000), 0);
	assert_int_equal(net_buf_append(&b, big, 12001), NET_EFULL);
	assert_int_equal(net_buf_len(&b), 20000);
	net_buf_consume(&b, 8000);
	assert_int_equal(net_buf_append(&b, big, 20000), 0);
	assert_int_equal(net_buf_len(&b), 32000);
	assert_memory_equal(net_buf_peek(&b), big, 32000);
	net_buf_consume(&b, 32000);
	assert_int_equal(net_buf_len(&b), 0);
	/* an empty large buffer gives its memory back */
	net_buf_trim(&b);
	assert_null(b.data);
	net_buf_free(&b);
}

/* test_trim_keeps_skipping - freeing an idle buffer must not forget an overlong line */
static void
test_trim_keeps_skipping(void **state)
{
	struct net_buf b;
	char big[40000], *line;
	size_t len;

	memset(big, 'z', sizeof(big));
	net_buf_init(&b, 65536);
	feed(&b, big, sizeof(big));
	assert_int_equal(net_buf_getline(&b, 100, &line, &len), NET_ETOOLONG);
	net_buf_trim(&b);
	feed(&b, "zzz\nok\n", 7);
	assert_int_equal(net_buf_getline(&b, 100, &line, &len), 0);
	assert_string_equal(line, "ok");
	net_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_nul_in_line),
		cmocka_unit_test(test_input_bound),
		cmocka_unit_test(test_output_bound),
		cmocka_unit_test(test_trim_keeps_skipping),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
