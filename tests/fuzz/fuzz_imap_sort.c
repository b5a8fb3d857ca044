/*
 * fuzz_imap_sort.c - SORT criteria, THREAD algorithm names, the cached
 * ENVELOPE reader and base subject extraction under libFuzzer.
 *
 * The input is split at its first NUL: before it, "t SORT <criteria>"
 * for the real command parser, whose first arg goes to imap_sort_parse()
 * and imap_thread_alg_parse(); after it, bytes read as an ENVELOPE's text
 * (imap_sort_msg_fill, every key) and as a Subject value. Three messages
 * with those keys are then sorted by the parsed criteria and threaded by
 * all three algorithms. Checked: a failed parse gives a reason; the
 * envelope reader never reads past its bytes (they get their own
 * allocation); everything frees cleanly.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "imap/imap_sort.h"
#include "imapsyn/imap_parser.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* run_keys - the envelope bytes as three messages' keys, sorted and threaded */
static void
run_keys(const char *env, size_t len, const struct imap_sort_crit *c)
{
	struct imap_sort_msg m[3];
	struct buf out = BUF_INIT, subj = BUF_INIT;

	(void)imap_sort_base_subject(env, len, &subj);
	for (size_t i = 0; i < 3; i++) {
		memset(&m[i], 0, sizeof(m[i]));
		m[i].seq = m[i].uid = (uint32_t)(3 - i);
		m[i].arrival = (int64_t)i;
		imap_sort_msg_fill(&m[i], env, i == 1 ? len / 2 : len, ~0u);
		m[i].refs = strndup(env, len);
	}
	if (c != NULL)
		imap_sort_run(c, m, 3);
	imap_thread_run(IMAP_THREAD_REFERENCES, m, 3, false, &out);
	imap_thread_run(IMAP_THREAD_ORDEREDSUBJECT, m, 3, true, &out);
	imap_thread_run(IMAP_THREAD_REFS, m, 3, false, &out);
	for (size_t i = 0; i < 3; i++)
		imap_sort_msg_free(&m[i]);
	buf_free(&out);
	buf_free(&subj);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t clen = nul ? (size_t)(nul - data) : size;
	size_t elen = nul ? size - clen - 1 : 0;
	struct imap_parser *p = imap_parser_new(NULL);
	struct imap_sort_crit crit, *c = NULL;
	struct buf line = BUF_INIT;
	char *env = malloc(elen + 1);
	size_t used;

	memcpy(env, nul ? (const char *)nul + 1 : "", elen);
	buf_puts(&line, "t SORT ");
	buf_append(&line, data, clen);
	buf_puts(&line, "\r\n");
	if (imap_parser_feed(p, line.data, line.len, &used) == IMAP_PARSE_DONE) {
		const struct imap_cmd *cmd = imap_parser_cmd(p);
		enum imap_thread_alg alg;
		const char *err = NULL;

		if (cmd->count > 0) {
			(void)imap_thread_alg_parse(&cmd->args[0], &alg);
			if (imap_sort_parse(&cmd->args[0], &crit, &err) == 0)
				c = &crit;
			else
				assert(err != NULL);
		}
	}
	run_keys(env, elen, c);
	free(env);
	buf_free(&line);
	imap_parser_free(&p);
	return 0;
}
