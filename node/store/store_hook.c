/*
 * store_hook.c - the change hook: after a batch commits, the writer tells
 * one registered function which mailboxes that batch changed, so that
 * every writer (IMAP, LMTP delivery, duplexctl import, quota purge) wakes
 * the sessions watching those mailboxes without knowing about them.
 *
 * The message choke points (store_msg_insert, store_msg_remove,
 * store_msg_flag) and an ACL change (store_acl.c) mark their mailbox; the writer rolls the marks of a
 * failed request back with it and fires the hook only once the whole batch
 * has committed, so a hook never announces a change a reader cannot see.
 * Log lines about changes (a quota purge, a warning sent) are notes kept
 * the same way: the log claims only what committed.
 *
 * Hazard: the hook runs on the writer thread between the commit and the
 * requests' completions: it must be quick and must not write to the store
 * (that would deadlock the writer).
 */
#include "store/store_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/log.h"
#include "util/xalloc.h"

/* store_set_change_hook - set once at start; the lock keeps a late set safe */
void
store_set_change_hook(struct store *st, void (*fn)(uint64_t mailbox_id, void *arg), void *arg)
{
	pthread_mutex_lock(&st->mu);
	st->hook_fn = fn;
	st->hook_arg = arg;
	pthread_mutex_unlock(&st->mu);
}

/* store_hook_mark - a set, not a list: a big expunge marks one mailbox many times */
void
store_hook_mark(struct store *st, uint64_t mailbox_id)
{
	for (size_t i = st->nchanged; i > 0; i--)
		if (st->changed[i - 1] == mailbox_id)
			return;
	if (st->nchanged == st->capchanged) {
		st->capchanged = st->capchanged ? st->capchanged * 2 : 16;
		st->changed = xrealloc(st->changed, st->capchanged * sizeof(*st->changed));
	}
	st->changed[st->nchanged++] = mailbox_id;
}

void
store_hook_note(struct store *st, const char *id, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		log_panic("out of memory for a log line");
	va_end(ap);
	if (st->nnotes == st->capnotes) {
		st->capnotes = st->capnotes ? st->capnotes * 2 : 16;
		st->notes = xrealloc(st->notes, st->capnotes * sizeof(*st->notes));
	}
	st->notes[st->nnotes++] = (struct store_note){ xstrdup(id ? id : "-"), text };
}

struct store_hook_pos
store_hook_pos(const struct store *st)
{
	return (struct store_hook_pos){ st->nchanged, st->nnotes };
}

/* hook_notes_drop - forget the notes from n on */
static void
hook_notes_drop(struct store *st, size_t n)
{
	while (st->nnotes > n) {
		st->nnotes--;
		free(st->notes[st->nnotes].id);
		free(st->notes[st->nnotes].text);
	}
}

/* store_hook_rollback - marks and notes only ever grow within a request, so truncating undoes it */
void
store_hook_rollback(struct store *st, struct store_hook_pos pos)
{
	if (pos.changed < st->nchanged)
		st->nchanged = pos.changed;
	hook_notes_drop(st, pos.notes);
}

/* store_hook_fire - the hook sees committed changes only, and so does the log */
void
store_hook_fire(struct store *st, bool committed)
{
	void (*fn)(uint64_t, void *);
	void *arg;

	pthread_mutex_lock(&st->mu);
	fn = st->hook_fn;
	arg = st->hook_arg;
	pthread_mutex_unlock(&st->mu);
	for (size_t i = 0; committed && fn != NULL && i < st->nchanged; i++)
		fn(st->changed[i], arg);
	st->nchanged = 0;
	for (size_t i = 0; committed && i < st->nnotes; i++)
		log_info(st->notes[i].id, "%s", st->notes[i].text);
	hook_notes_drop(st, 0);
}

/* store_hook_free - the writer has stopped; nothing marks any more */
void
store_hook_free(struct store *st)
{
	free(st->changed);
	st->changed = NULL;
	st->nchanged = st->capchanged = 0;
	hook_notes_drop(st, 0);
	free(st->notes);
	st->notes = NULL;
	st->capnotes = 0;
}
