/*
 * fuzz_imap_search.c - the SEARCH key parser and evaluator under
 * libFuzzer.
 *
 * The input is split at its first NUL: before it, the criteria, parsed by
 * the real command parser as "t SEARCH <criteria>"; after it, a message
 * whose header and body the keys are evaluated against. Checked: a failed
 * parse gives a reason and no tree; a parsed tree evaluates without
 * reading past the message, and frees cleanly. With no structure blob,
 * BODY and TEXT parse the message themselves, so the decoding under them
 * (mime_text) runs too. A leading parenthesized list is also read as
 * RETURN options (PARTIAL's range included): refused with a reason, or a
 * PARTIAL window that stays inside its results.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "imap/imap_cmd.h"
#include "imap/imap_search.h"
#include "imapsyn/imap_parser.h"
#include "store/store.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz_return - a list as RETURN options; a PARTIAL's window of a few result counts */
static void
fuzz_return(const struct imap_arg *list)
{
	static const uint64_t counts[] = { 0, 1, 7, 4294967295ULL, 4294967296ULL };
	struct imap_partial p;
	const char *err = NULL;
	unsigned ret;

	if (imap_search_return(list, &ret, &p, &err) != 0) {
		assert(err != NULL);
		return;
	}
	assert(ret != 0 && !((ret & IMAP_RET_PARTIAL) && (ret & IMAP_RET_ALL)));
	if (!(ret & IMAP_RET_PARTIAL))
		return;
	assert(p.first >= 1 && p.first <= p.last);
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		uint64_t lo, hi;

		imap_partial_window(&p, counts[i], &lo, &hi);
		assert(lo <= hi && hi <= counts[i] && hi - lo <= (uint64_t)p.last - p.first + 1);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t clen = nul ? (size_t)(nul - data) : size;
	struct imap_parser *p = imap_parser_new(NULL);
	struct buf line = BUF_INIT;
	size_t used;

	buf_puts(&line, "t SEARCH ");
	buf_append(&line, data, clen);
	buf_puts(&line, "\r\n");
	if (imap_parser_feed(p, line.data, line.len, &used) == IMAP_PARSE_DONE) {
		const struct imap_cmd *cmd = imap_parser_cmd(p);
		struct imap_search *q = NULL;
		const char *err = NULL;
		/* the message gets its own allocation, so ASan sees any overread */
		size_t mlen = nul ? size - clen - 1 : 0;
		char *msg = malloc(mlen + 1);
		struct imap_search_msg m = { 3, 7, STORE_F_SEEN, "$Work later", 9, 760000000,
		    mlen, msg, mlen, NULL, 0, 11, 760086400 };

		memcpy(msg, nul ? (const char *)nul + 1 : "", mlen);
		if (cmd->count > 0 && cmd->args[0].type == IMAP_ARG_LIST)
			fuzz_return(&cmd->args[0]);
		if (imap_search_parse(cmd->args, cmd->count, 5, 9, NULL, &q, &err) == 0) {
			(void)imap_search_match(q, &m);
			(void)imap_search_needs_data(q);
			imap_search_free(&q);
		} else {
			assert(err != NULL && q == NULL);
		}
		free(msg);
	}
	buf_free(&line);
	imap_parser_free(&p);
	return 0;
}
