/*
 * fuzz_imap_parser.c - the IMAP command parser under libFuzzer.
 *
 * The first byte picks the options (small or default limits, LITERAL+ or
 * LITERAL-) and seeds the split points; the rest is fed in random-sized
 * pieces. Checked: consumed never exceeds what was fed, NEED_MORE takes
 * everything, results are well-formed, and the same input fed whole gives
 * the same sequence of results.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "imapsyn/imap_parser.h"
#include "imapsyn/imap_seqset.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* walk - touch every byte of every argument; returns a checksum */
static size_t
walk(const struct imap_arg *a, size_t count)
{
	size_t sum = 0;

	for (size_t i = 0; i < count; i++) {
		if (a[i].type == IMAP_ARG_LIST) {
			sum += walk(a[i].list, a[i].count);
		} else {
			struct imap_section sec;
			struct imap_seqset set = IMAP_SEQSET_INIT;

			assert(a[i].str[a[i].len] == '\0');
			for (size_t k = 0; k < a[i].len; k++)
				sum += (unsigned char)a[i].str[k];
			if (a[i].type == IMAP_ARG_ATOM) {
				sum += imap_parser_section(a[i].str, a[i].len, &sec) == 0;
				sum += imap_seqset_parse(a[i].str, a[i].len, 1000, 0, &set) == 0;
				imap_seqset_free(&set);
			}
		}
	}
	assert(a[count].type == IMAP_ARG_EOL);
	return sum;
}

/* run - feed in pieces whose sizes come from seed; append a result log */
static void
run(const struct imap_parser_opts *o, const uint8_t *in, size_t len, uint32_t seed,
    struct buf *log)
{
	struct imap_parser *p = imap_parser_new(o);
	size_t off = 0;

	while (off < len) {
		size_t piece = seed ? 1 + seed % 7 : len - off, used;
		enum imap_parse_status st;

		seed = seed ? seed * 1103515245u + 12345u : 0;
		if (piece > len - off)
			piece = len - off;
		st = imap_parser_feed(p, in + off, piece, &used);
		assert(used <= piece);
		off += used;
		if (st == IMAP_PARSE_NEED_MORE) {
			assert(used == piece);
			continue;
		}
		buf_printf(log, "%d@%zu", (int)st, off);
		if (st == IMAP_PARSE_DONE) {
			const struct imap_cmd *cmd = imap_parser_cmd(p);

			buf_printf(log, ":%s:%s:%zu", cmd->tag, cmd->name, walk(cmd->args, cmd->count));
			if (cmd->name[0] == 'I' || cmd->name[0] == 'A')
				imap_parser_line_mode(p);
		} else if (st == IMAP_PARSE_ERROR) {
			buf_printf(log, ":%s", imap_parser_error(p)->msg);
			if (imap_parser_error(p)->fatal)
				break;
		}
	}
	imap_parser_free(&p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imap_parser_opts o = { 0 };
	struct buf split = BUF_INIT, whole = BUF_INIT;

	if (size < 1)
		return 0;
	if (data[0] & 1) {
		o.max_line = 64;
		o.max_literal = 32;
		o.max_depth = 4;
		o.max_args = 16;
		o.max_command = 200;
	}
	o.literal_plus = (enum imap_literal_plus)(data[0] >> 1 & 3) % 3;
	run(&o, data + 1, size - 1, data[0] | 1u << 8, &split);
	run(&o, data + 1, size - 1, 0, &whole);
	assert(split.len == whole.len && memcmp(buf_cstr(&split), buf_cstr(&whole), split.len) == 0);
	buf_free(&split);
	buf_free(&whole);
	return 0;
}
