/*
 * fuzz_imap_notify.c - NOTIFY's argument parser (imap_notify_parse) under
 * libFuzzer.
 *
 * The input is the text after "t NOTIFY " on one command line, fed to the
 * real command parser; its args go to imap_notify_parse(). Checked: a
 * refusal is one of the two kinds and has a reason; an accepted spec obeys
 * the rules the parser promises (MessageNew with MessageExpunge,
 * FlagChange only with them, only message events and at most one group
 * for the selected mailbox, fetch attributes only with one), and
 * everything frees cleanly.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "imap/imap_notify_spec.h"
#include "imapsyn/imap_parser.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* check_spec - what an accepted spec promises */
static void
check_spec(const struct imap_notify_spec *spec)
{
	size_t selected = 0;
	bool fetch_ok = false;

	for (size_t i = 0; i < spec->ngroups; i++) {
		const struct imap_notify_group *g = &spec->groups[i];
		bool sel = g->filter == IMAP_NF_SELECTED || g->filter == IMAP_NF_SELECTED_DELAYED;

		assert(!(g->events & IMAP_NEV_NEW) == !(g->events & IMAP_NEV_EXPUNGE));
		assert(!(g->events & IMAP_NEV_FLAGS) || (g->events & IMAP_NEV_NEW));
		assert(!sel || !(g->events & ~IMAP_NEV_MESSAGE));
		assert((g->filter == IMAP_NF_SUBTREE || g->filter == IMAP_NF_MAILBOXES) ==
		    (g->nnames > 0));
		selected += sel;
		fetch_ok |= sel && (g->events & IMAP_NEV_NEW);
	}
	assert(selected <= 1);
	assert(spec->fetch == NULL || (fetch_ok && spec->fetch->type == IMAP_ARG_LIST));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imap_parser *p = imap_parser_new(NULL);
	struct buf line = BUF_INIT;
	size_t used;

	buf_puts(&line, "t NOTIFY ");
	buf_append(&line, data, size);
	buf_puts(&line, "\r\n");
	if (imap_parser_feed(p, line.data, line.len, &used) == IMAP_PARSE_DONE) {
		const struct imap_cmd *cmd = imap_parser_cmd(p);
		struct imap_notify_spec spec;
		const char *why = NULL;
		int rc = imap_notify_parse(cmd->args, cmd->count, &spec, &why);

		assert(rc == 0 || rc == IMAP_NOTIFY_BAD || rc == IMAP_NOTIFY_BADEVENT);
		assert(rc == 0 || why != NULL);
		if (rc == 0)
			check_spec(&spec);
		imap_notify_spec_free(&spec);
	}
	buf_free(&line);
	imap_parser_free(&p);
	return 0;
}
