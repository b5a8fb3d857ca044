/*
 * fuzz_imap_metadata.c - METADATA entry names and GETMETADATA options
 * under libFuzzer.
 *
 * The input goes through the real command parser as "t GETMETADATA
 * <input>"; every list argument is read as options by
 * imap_meta_options(), and every string argument, at the top or inside a
 * list, as an entry name by imap_meta_entry() as parent and as leaf. The
 * raw input is also an entry name as it is. Checked: a refusal gives a
 * reason; an accepted name is as long as the input, lower-case, starts
 * with "/private" or "/shared" and has no '*', '%', "//" or control byte.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "imapsyn/imap_metadata.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* check_entry - the name both ways, and what an accepted one must be */
static void
check_entry(const char *s, size_t n)
{
	char out[IMAP_META_ENTRY_MAX + 1];

	for (int leaf = 0; leaf < 2; leaf++) {
		const char *why = NULL;

		if (imap_meta_entry(s, n, leaf, out, &why) != 0) {
			assert(why != NULL);
			continue;
		}
		assert(strlen(out) == n);
		assert(strncmp(out, "/private", 8) == 0 || strncmp(out, "/shared", 7) == 0);
		assert(strpbrk(out, "*%ABCDEFGHIJKLMNOPQRSTUVWXYZ") == NULL);
		assert(strstr(out, "//") == NULL && out[n - 1] != '/');
		for (size_t i = 0; i < n; i++)
			assert((unsigned char)out[i] >= 0x20 && (unsigned char)out[i] < 0x7f);
	}
}

/* walk - options from every list, entry names from every string */
static void
walk(const struct imap_arg *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i].type == IMAP_ARG_LIST) {
			struct imap_meta_opts o;
			const char *why = NULL;

			if (imap_meta_options(&a[i], &o, &why) != 0)
				assert(why != NULL);
			else
				assert(o.depth <= 1 || o.depth == IMAP_META_DEPTH_INFINITY);
			walk(a[i].list, a[i].count);
		} else if (a[i].type != IMAP_ARG_EOL) {
			check_entry(a[i].str, a[i].len);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imap_parser *p = imap_parser_new(NULL);
	struct buf line = BUF_INIT;
	size_t used;

	check_entry((const char *)data, size);
	buf_puts(&line, "t GETMETADATA ");
	buf_append(&line, data, size);
	buf_puts(&line, "\r\n");
	if (imap_parser_feed(p, line.data, line.len, &used) == IMAP_PARSE_DONE) {
		const struct imap_cmd *cmd = imap_parser_cmd(p);

		walk(cmd->args, cmd->count);
	}
	buf_free(&line);
	imap_parser_free(&p);
	return 0;
}
