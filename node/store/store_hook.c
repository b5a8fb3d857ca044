/*
 * store_hook.c - the change hook: after a batch commits, the writer tells
 * one registered function which mailboxes that batch changed, so that
 * every writer (IMAP, LMTP delivery, duplexctl import, quota purge) wakes
 * the sessions watching those mailboxes without knowing about them.
 *
 * The message choke points (store_msg_insert, store_msg_remove,
 * store_msg_flag) mark their mailbox; the writer rolls the marks of a
 * failed request back with it and fires the hook only once the whole batch
 * has committed, so a hook never announces a change a reader cannot see.
 *
 * Hazard: the hook runs on the writer thread between the commit and the
 * requests' completions: it must be quick and must not write to the store
 * (that would deadlock the writer).
 */
#include "store/store_int.h"

#include <stdlib.h>

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

/* store_hook_rollback - marks only ever grow within a request, so truncating undoes it */
void
store_hook_rollback(struct store *st, size_t mark)
{
	if (mark < st->nchanged)
		st->nchanged = mark;
}

/* store_hook_fire - the hook sees committed changes only */
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
}

/* store_hook_free - the writer has stopped; nothing marks any more */
void
store_hook_free(struct store *st)
{
	free(st->changed);
	st->changed = NULL;
	st->nchanged = st->capchanged = 0;
}
