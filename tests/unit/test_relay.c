/*
 * test_relay.c - the outbound queue's pure parts: the queue record codec
 * (round trip, and every truncation or lie refused), the retry schedule,
 * the SMTP client's reply parser, and the check of relay_tls_ca_file.
 * Table-driven, "got X, want Y".
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "conf/conf.h"
#include "relay/relay.h"
#include "relay/relay_reply.h"
#include "relay/relay_sched.h"
#include "store/store.h"
#include "util/buf.h"

static const char *const rcpts[] = { "carol@external.test", "dan@other.example" };
static const char msg[] = "Subject: hi\r\n\r\nbody with a \0 NUL\r\n";

static struct store_queue_entry
sample(void)
{
	struct store_queue_entry e = {
		.qid = "ABCDEFGHIJKL", .created = 1700000000, .next_attempt = 1700000060,
		.attempts = 3, .from = "alice@sample.com", .last_error = "421 4.7.0 try later",
		.rcpts = (const char **)rcpts, .nrcpt = 2, .msg = msg, .msglen = sizeof(msg) - 1,
	};

	return e;
}

static void
test_queue_roundtrip(void **state)
{
	struct store_queue_entry in = sample(), out;
	struct buf b = BUF_INIT;

	store_queue_rec_enc(&in, &b);
	assert_int_equal(store_queue_rec_dec(b.data, b.len, &out), 0);
	assert_int_equal(out.created, in.created);
	assert_int_equal(out.next_attempt, in.next_attempt);
	assert_int_equal(out.attempts, in.attempts);
	assert_string_equal(out.from, in.from);
	assert_string_equal(out.last_error, in.last_error);
	assert_int_equal(out.nrcpt, 2);
	assert_string_equal(out.rcpts[0], rcpts[0]);
	assert_string_equal(out.rcpts[1], rcpts[1]);
	assert_null(out.msg);		/* the message is kept apart from the envelope */
	assert_int_equal(out.msglen, 0);
	store_queue_entry_free(&out);
	assert_null(out.rcpts);
	buf_free(&b);
}

static void
test_queue_empty_strings(void **state)
{
	struct store_queue_entry in = sample(), out;
	struct buf b = BUF_INIT;

	in.from = "";
	in.last_error = "";
	store_queue_rec_enc(&in, &b);
	assert_int_equal(store_queue_rec_dec(b.data, b.len, &out), 0);
	assert_string_equal(out.from, "");
	assert_string_equal(out.last_error, "");
	store_queue_entry_free(&out);
	buf_free(&b);
}

/* every proper prefix and any trailing byte must be refused, never overread */
static void
test_queue_truncated(void **state)
{
	struct store_queue_entry in = sample(), out;
	struct buf b = BUF_INIT;

	store_queue_rec_enc(&in, &b);
	for (size_t n = 0; n < b.len; n++) {
		char *copy = malloc(n ? n : 1);

		memcpy(copy, b.data, n);
		if (store_queue_rec_dec(copy, n, &out) != STORE_ECORRUPT)
			fail_msg("prefix of %zu of %zu bytes: got accepted, want ECORRUPT", n, b.len);
		assert_null(out.rcpts);
		free(copy);
	}
	buf_putc(&b, 'x');
	assert_int_equal(store_queue_rec_dec(b.data, b.len, &out), STORE_ECORRUPT);
	buf_free(&b);
}

static void
test_queue_lies(void **state)
{
	struct store_queue_entry in = sample(), out;
	struct buf b = BUF_INIT;
	size_t count_at = 1 + 8 + 8 + 4 + strlen(in.from) + 1 + strlen(in.last_error) + 1;

	store_queue_rec_enc(&in, &b);
	/* a recipient count bigger than the record */
	b.data[count_at] = 0x7f;
	assert_int_equal(store_queue_rec_dec(b.data, b.len, &out), STORE_ECORRUPT);
	b.data[count_at] = 0;
	/* a schema-1 record, which held the message: only the upgrade reads it */
	b.data[0] = 1;
	assert_int_equal(store_queue_rec_dec(b.data, b.len, &out), STORE_ECORRUPT);
	/* an unknown version */
	b.data[0] = 9;
	assert_int_equal(store_queue_rec_dec(b.data, b.len, &out), STORE_ECORRUPT);
	buf_free(&b);
}

static void
test_retry_schedule(void **state)
{
	static const struct { uint32_t attempts; int64_t want; } cases[] = {
		{ 1, 60 }, { 2, 120 }, { 3, 240 }, { 4, 480 }, { 5, 960 }, { 6, 1920 },
		{ 7, 3600 }, { 8, 3600 }, { 100, 3600 }, { UINT32_MAX, 3600 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t got = relay_sched_delay(cases[i].attempts);

		if (got != cases[i].want)
			fail_msg("after %u attempts: got %lld s, want %lld s", cases[i].attempts,
			    (long long)got, (long long)cases[i].want);
	}
}

static void
test_expiry(void **state)
{
	uint64_t five_days = 5 * 86400;

	assert_false(relay_sched_expired(1000, 1000, five_days));
	assert_false(relay_sched_expired(1000, 1000 + five_days - 1, five_days));
	assert_true(relay_sched_expired(1000, 1000 + five_days, five_days));
	assert_true(relay_sched_expired(1000, 1000 + five_days * 2, five_days));
	/* a clock that went backwards never expires a message */
	assert_false(relay_sched_expired(1000, 10, five_days));
}

/* feed - lines of one reply into r; the last return */
static int
feed(struct relay_reply *r, const char *const *lines)
{
	int rc = RELAY_REPLY_EBAD;

	relay_reply_init(r);
	for (size_t i = 0; lines[i] != NULL; i++) {
		rc = relay_reply_line(r, lines[i], strlen(lines[i]));
		if (rc != RELAY_REPLY_MORE)
			break;
	}
	return rc;
}

static void
test_reply_parser(void **state)
{
	static const struct {
		const char *lines[5];
		int rc, code;
		const char *text;
		int starttls;
	} cases[] = {
		{ { "220 smarthost ESMTP", NULL }, RELAY_REPLY_DONE, 220, "220 smarthost ESMTP", 0 },
		{ { "250", NULL }, RELAY_REPLY_DONE, 250, "250", 0 },
		{ { "250-smarthost", "250-PIPELINING", "250-starttls", "250 SIZE 1000", NULL },
		  RELAY_REPLY_DONE, 250, "250-smarthost", 1 },
		{ { "250-smarthost", "250 STARTTLS", NULL }, RELAY_REPLY_DONE, 250, NULL, 1 },
		{ { "250-STARTTLSX", "250 x", NULL }, RELAY_REPLY_DONE, 250, NULL, 0 },
		{ { "550 5.1.1 <x@y>: unknown", NULL }, RELAY_REPLY_DONE, 550, NULL, 0 },
		{ { "250-a", "251 b", NULL }, RELAY_REPLY_EBAD, 250, NULL, 0 },
		{ { "25", NULL }, RELAY_REPLY_EBAD, 0, NULL, 0 },
		{ { "hello", NULL }, RELAY_REPLY_EBAD, 0, NULL, 0 },
		{ { "199 too low", NULL }, RELAY_REPLY_EBAD, 0, NULL, 0 },
		{ { "600 too high", NULL }, RELAY_REPLY_EBAD, 0, NULL, 0 },
		{ { "250_x", NULL }, RELAY_REPLY_EBAD, 0, NULL, 0 },
		{ { "421-going", NULL }, RELAY_REPLY_MORE, 421, NULL, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct relay_reply r;
		int rc = feed(&r, cases[i].lines);

		if (rc != cases[i].rc)
			fail_msg("case %zu (%s): got rc %d, want %d", i, cases[i].lines[0], rc,
			    cases[i].rc);
		if (rc != RELAY_REPLY_EBAD && r.code != cases[i].code)
			fail_msg("case %zu: got code %d, want %d", i, r.code, cases[i].code);
		if (cases[i].text != NULL && strcmp(r.text, cases[i].text) != 0)
			fail_msg("case %zu: got text '%s', want '%s'", i, r.text, cases[i].text);
		if (rc == RELAY_REPLY_DONE && r.starttls != (cases[i].starttls != 0))
			fail_msg("case %zu: got starttls %d, want %d", i, r.starttls,
			    cases[i].starttls);
	}
}

static void
test_reply_limits(void **state)
{
	struct relay_reply r;
	char long_line[2000];

	/* a huge first line is cut, and its control bytes are blanked */
	memset(long_line, 'x', sizeof(long_line));
	memcpy(long_line, "554 \x01\x1b", 6);
	relay_reply_init(&r);
	assert_int_equal(relay_reply_line(&r, long_line, sizeof(long_line)), RELAY_REPLY_DONE);
	assert_int_equal(strlen(r.text), RELAY_REPLY_TEXT_MAX);
	assert_memory_equal(r.text, "554   xx", 8);
	/* an endless multi-line reply is refused */
	relay_reply_init(&r);
	for (int i = 0; i < RELAY_REPLY_LINES_MAX; i++)
		assert_int_equal(relay_reply_line(&r, "250-more", 8), RELAY_REPLY_MORE);
	assert_int_equal(relay_reply_line(&r, "250-more", 8), RELAY_REPLY_EBAD);
}

static void
test_relay_check(void **state)
{
	static const struct { const char *tls, *ca, *want; } cases[] = {
		{ "verify", "", NULL },
		{ "verify", "/nonexistent/ca.pem", "relay_tls_ca_file: /nonexistent/ca.pem: No such file" },
		{ "verify", "/dev/null", "relay_tls_ca_file: /dev/null: " },
		{ "starttls-required", "/nonexistent/ca.pem", NULL },
		{ "starttls", "/dev/null", NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct conf c;
		char err[512] = "";
		int rc;

		conf_defaults(&c);
		assert_int_equal(conf_set(&c, "relay_tls", cases[i].tls, err, sizeof(err)), 0);
		assert_int_equal(conf_set(&c, "relay_tls_ca_file", cases[i].ca, err, sizeof(err)), 0);
		rc = relay_check(&c, err, sizeof(err));
		if (cases[i].want == NULL ? rc != 0 :
		    rc != -1 || strncmp(err, cases[i].want, strlen(cases[i].want)) != 0)
			fail_msg("case %zu: got %d '%s', want %s", i, rc, err,
			    cases[i].want ? cases[i].want : "0");
		conf_free(&c);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queue_roundtrip),
		cmocka_unit_test(test_queue_empty_strings),
		cmocka_unit_test(test_queue_truncated),
		cmocka_unit_test(test_queue_lies),
		cmocka_unit_test(test_retry_schedule),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_reply_parser),
		cmocka_unit_test(test_reply_limits),
		cmocka_unit_test(test_relay_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
