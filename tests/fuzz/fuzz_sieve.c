/*
 * fuzz_sieve.c - libFuzzer target for the Sieve compiler and interpreter:
 * any bytes either compile or give an error with a position; whatever
 * compiles runs on a fixed message (with every callback answering, and
 * include handing back the script itself) to a result that holds at least
 * one action or a clean error. The bytes are also run as a compiled form,
 * which must be refused or run, never crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sieve/sieve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char MSG[] =
    "From: =?UTF-8?B?5bGx55Sw?= <a+b@example.org>\r\n"
    "To: me@example.com, \"x, y\" <y@example.net>\r\n"
    "Subject: =?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?= hello\r\n"
    "Date: Tue, 27 Feb 2007 14:20:01 +0100\r\n"
    "Message-ID: <f@example.org>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=b\r\n"
    "\r\n"
    "--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    "5pel5pys6Kqe\r\n--b\r\nContent-Type: application/octet-stream\r\n\r\nxyz\r\n--b--\r\n";

static const uint8_t *cur_data;
static size_t cur_size;

/* seen - every other id counts as seen */
static bool
seen(void *arg, const char *kind, const char *id, uint64_t seconds)
{
	return strlen(id) % 2 == 0;
}

/* exists - mailboxes with an even name length exist */
static bool
exists(void *arg, const char *mailbox)
{
	return strlen(mailbox) % 2 == 0;
}

/* include - the script being fuzzed, compiled again */
static int
include(void *arg, bool global, const char *name, unsigned char **bin, size_t *binlen)
{
	struct sieve_limits lim;
	struct sieve_error err;

	sieve_limits_default(&lim);
	return sieve_compile((const char *)cur_data, cur_size, &lim, bin, binlen, &err);
}

/* run - run bin on the message; check the result's shape */
static void
run(const unsigned char *bin, size_t len, const struct sieve_limits *lim)
{
	struct sieve_env env = { .msg = MSG, .msglen = sizeof(MSG) - 1, .env_from = "a+b@example.org",
		.env_to = "me@example.com", .now = 1700000000, .seen = seen, .mailbox_exists = exists,
		.include = include };
	struct sieve_result res;
	int rc = sieve_run(bin, len, lim, &env, &res);

	if (rc < 0 && (res.error == NULL || res.nact != 1 || res.act[0].type != SIEVE_KEEP))
		__builtin_trap();	/* an error leaves exactly the implicit keep */
	if (res.nact > lim->max_actions + 1)
		__builtin_trap();
	sieve_result_free(&res);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sieve_limits lim;
	struct sieve_error err;
	unsigned char *bin = NULL;
	size_t len;

	sieve_limits_default(&lim);
	lim.max_steps = 2000;
	cur_data = data;
	cur_size = size;
	if (sieve_compile((const char *)data, size, &lim, &bin, &len, &err) == 0) {
		run(bin, len, &lim);
	} else if (err.msg[0] == '\0' || err.line == 0 || err.col == 0) {
		__builtin_trap();	/* every refusal says where and why */
	}
	free(bin);
	run(data, size, &lim);
	return 0;
}
