/*
 * test_mime_cache.c - mime_to_crlf, mime_header_get, and the cache blob's
 * defences: every truncation rejected, random corruption never read out
 * of bounds (run under ASan), corrupted-but-resealed blobs checked field
 * by field.
 *
 * The random tests print their seed; set MIME_TEST_SEED to replay one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "mime/mime.h"

#define SAMPLE \
	"From: \"Smith, Ann\" <ann@example.com>\r\n" \
	"Subject: report\r\n" \
	"Content-Type: multipart/mixed; boundary=XyZ\r\n" \
	"\r\n" \
	"--XyZ\r\n" \
	"Content-Type: text/plain\r\n" \
	"\r\n" \
	"See attached.\r\n" \
	"--XyZ\r\n" \
	"Content-Type: message/rfc822\r\n" \
	"\r\n" \
	"Subject: inner\r\n" \
	"\r\n" \
	"inner body\r\n" \
	"--XyZ--\r\n"

struct crlf_case {
	const char *in, *want;
};

static const struct crlf_case crlf_cases[] = {
	{ "", "" },
	{ "a", "a" },
	{ "a\nb", "a\r\nb" },
	{ "a\rb", "a\r\nb" },
	{ "a\r\nb", "a\r\nb" },
	{ "\r", "\r\n" },
	{ "\n", "\r\n" },
	{ "\n\r", "\r\n\r\n" },
	{ "\r\r\n", "\r\n\r\n" },
	{ "x\r", "x\r\n" },
	{ "l1\nl2\r\nl3\rl4\n\n", "l1\r\nl2\r\nl3\r\nl4\r\n\r\n" },
};

/* want_bytes - compare with the expected bytes, reporting both */
static void
want_bytes(const char *what, const struct buf *got, const char *want)
{
	const char *g = got->data != NULL ? got->data : "";

	if (got->len != strlen(want) || memcmp(g, want, got->len) != 0)
		fail_msg("%s: got \"%s\" (%zu), want \"%s\"", what, g, got->len, want);
}

/*
 * test_crlf - the table, and the same output for the input split at every
 * position that does not separate a CR from its LF (the one-shot contract)
 */
static void
test_crlf(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(crlf_cases) / sizeof(crlf_cases[0]); i++) {
		const char *in = crlf_cases[i].in;
		size_t n = strlen(in);
		struct buf out = BUF_INIT;

		mime_to_crlf(in, n, &out);
		want_bytes(in, &out, crlf_cases[i].want);
		for (k = 1; k < n; k++) {
			struct buf split = BUF_INIT;

			if (in[k - 1] == '\r' && in[k] == '\n')
				continue;
			mime_to_crlf(in, k, &split);
			mime_to_crlf(in + k, n - k, &split);
			want_bytes(in, &split, crlf_cases[i].want);
			buf_free(&split);
		}
		buf_free(&out);
	}
}

struct header_case {
	const char *name;
	int ret;
	const char *want;
};

static const char header_msg[] =
	"Received: from a\r\n"
	"\tby b\r\n"
	"subject :  first  \r\n"
	"Subject: second\r\n"
	"X-Empty:\r\n"
	"X-Folded: one\r\n"
	" two\r\n"
	"no colon here\r\n"
	"\r\n"
	"Body-Field: not a header\r\n";

static const struct header_case header_cases[] = {
	{ "Received", 0, "from a\tby b" },
	{ "SUBJECT", 0, "first" },
	{ "x-empty", 0, "" },
	{ "X-Folded", 0, "one two" },
	{ "Body-Field", -1, "" },
	{ "Missing", -1, "" },
	{ "no colon here", -1, "" },
};

/* test_header_get - case-insensitive names, first occurrence, unfolding, header only */
static void
test_header_get(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(header_cases) / sizeof(header_cases[0]); i++) {
		struct buf out = BUF_INIT;
		int r = mime_header_get(header_msg, sizeof(header_msg) - 1, header_cases[i].name,
		    &out);

		if (r != header_cases[i].ret)
			fail_msg("%s: got %d, want %d", header_cases[i].name, r, header_cases[i].ret);
		want_bytes(header_cases[i].name, &out, header_cases[i].want);
		buf_free(&out);
	}
}

/* build - the sample's blob */
static void
build(struct buf *blob)
{
	mime_cache_build(SAMPLE, sizeof(SAMPLE) - 1, blob);
	assert_int_equal(mime_cache_validate(blob->data, blob->len), 0);
}

/* accessors - call every accessor; if the blob is accepted, its answers must be in bounds */
static void
accessors(const unsigned char *b, size_t len)
{
	static const char *const sections[] = { "", "1", "2", "2.1", "3", "1.1", "0", "01" };
	struct mime_part_loc loc;
	const char *s;
	size_t n, i;
	int ok = mime_cache_validate(b, len) == 0;

	if (mime_cache_envelope(b, len, &s, &n) == 0)
		assert_true(ok && s >= (const char *)b && s + n <= (const char *)b + len);
	if (mime_cache_bodystructure(b, len, true, &s, &n) == 0)
		assert_true(ok && s >= (const char *)b && s + n <= (const char *)b + len);
	if (mime_cache_bodystructure(b, len, false, &s, &n) == 0)
		assert_true(ok && s >= (const char *)b && s + n <= (const char *)b + len);
	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (mime_cache_part(b, len, sections[i], &loc) == 0)
			assert_true(ok && loc.header_off + loc.header_len <= loc.body_off);
}

/* test_truncation - every proper prefix, and one byte too many, are rejected */
static void
test_truncation(void **state)
{
	struct buf blob = BUF_INIT;
	size_t k;
	unsigned char *copy;

	(void)state;
	build(&blob);
	for (k = 0; k < blob.len; k++) {
		copy = malloc(k ? k : 1);
		memcpy(copy, blob.data, k);
		if (mime_cache_validate(copy, k) != -1)
			fail_msg("prefix of %zu of %zu bytes: got accepted, want rejected", k, blob.len);
		accessors(copy, k);
		free(copy);
	}
	buf_putc(&blob, 0);
	assert_int_equal(mime_cache_validate(blob.data, blob.len), -1);
	assert_int_equal(mime_cache_validate(NULL, 0), -1);
	buf_free(&blob);
}

/* test_append - a blob built after other bytes in the buffer is the same blob */
static void
test_append(void **state)
{
	struct buf a = BUF_INIT, b = BUF_INIT;

	(void)state;
	build(&a);
	buf_puts(&b, "prefix");
	mime_cache_build(SAMPLE, sizeof(SAMPLE) - 1, &b);
	assert_int_equal(b.len, a.len + 6);
	assert_memory_equal(b.data + 6, a.data, a.len);
	buf_free(&a);
	buf_free(&b);
}

/* seed - from MIME_TEST_SEED or the clock, printed so a failure can be replayed */
static unsigned
seed(const char *test)
{
	const char *env = getenv("MIME_TEST_SEED");
	unsigned s = env != NULL ? (unsigned)strtoul(env, NULL, 0) : (unsigned)time(NULL);

	printf("%s: seed %u\n", test, s);
	srand(s);
	return s;
}

/* test_flips - random byte changes never crash and are rejected by the checksum */
static void
test_flips(void **state)
{
	struct buf blob = BUF_INIT;
	int round, j;

	(void)state;
	seed("test_flips");
	build(&blob);
	for (round = 0; round < 3000; round++) {
		unsigned char *copy = malloc(blob.len);
		int flips = 1 + rand() % 3;

		memcpy(copy, blob.data, blob.len);
		for (j = 0; j < flips; j++)
			copy[(size_t)rand() % blob.len] ^= (unsigned char)(1 + rand() % 255);
		if (memcmp(copy, blob.data, blob.len) != 0 && flips == 1)
			assert_int_equal(mime_cache_validate(copy, blob.len), -1);
		accessors(copy, blob.len);
		free(copy);
	}
	buf_free(&blob);
}

/* reseal - recompute the FNV-1a checksum (offset 8, over bytes 12..) after a change */
static void
reseal(unsigned char *b, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 12; i < len; i++)
		h = (h ^ b[i]) * 16777619u;
	for (i = 0; i < 4; i++)
		b[8 + i] = (unsigned char)(h >> (8 * i));
}

/*
 * test_resealed - corruption that passes the checksum must still be caught
 * by the structural checks, or at least yield in-bounds answers
 */
static void
test_resealed(void **state)
{
	struct buf blob = BUF_INIT;
	int round;
	size_t pos;

	(void)state;
	seed("test_resealed");
	build(&blob);
	for (pos = 12; pos < 48; pos++) {
		unsigned char *copy = malloc(blob.len);

		memcpy(copy, blob.data, blob.len);
		copy[pos] ^= 0x80;
		reseal(copy, blob.len);
		if (pos < 16 || pos >= 24)
			assert_int_equal(mime_cache_validate(copy, blob.len), -1);
		accessors(copy, blob.len);
		free(copy);
	}
	for (round = 0; round < 3000; round++) {
		unsigned char *copy = malloc(blob.len);

		memcpy(copy, blob.data, blob.len);
		copy[12 + (size_t)rand() % (blob.len - 12)] = (unsigned char)rand();
		reseal(copy, blob.len);
		accessors(copy, blob.len);
		free(copy);
	}
	buf_free(&blob);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_header_get),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_flips),
		cmocka_unit_test(test_resealed),
	};

	return cmocka_run_group_tests_name("mime_cache", tests, NULL, NULL);
}
