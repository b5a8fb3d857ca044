/*
 * imap_recent.c - \Recent (RFC 3501 2.3.2) for the selected mailbox: which
 * messages this session claimed, and the claim of new arrivals.
 *
 * A read-write view claims what arrived before it shows it: SELECT, every
 * command that syncs the view and IDLE's notices first settle, which reads
 * the store's mark (store_recent_first) and, only when something is
 * unclaimed, claims it up to UIDNEXT with one durable store call on the
 * pool (store_recent_claim, a compare and advance: the session that gets
 * there first has the messages, the others an empty range). The view never
 * holds a UID at or above view.settled, the UIDNEXT of the last settle, so
 * a message is never shown before it is known whose \Recent it is. A read-
 * only view (EXAMINE) claims nothing: the messages unclaimed when it was
 * selected are \Recent in it, and they stay unclaimed.
 *
 * The RECENT response follows a view sync only when the session's count
 * changed, as Dovecot sends it: a session whose arrivals another claimed
 * hears EXISTS alone.
 *
 * IMAP4rev2 (RFC 9051) has no \Recent: rev2 sessions claim like the others
 * but never show the flag or the RECENT response.
 *
 * A view whose mailbox was renamed or deleted by another session claims no
 * more: it takes later arrivals in without \Recent.
 *
 * Hazard: a failed claim is logged and the view settles anyway, with the
 * messages unclaimed; a later settle may claim them, so they may turn
 * \Recent after they were shown.
 */
#include <stdlib.h>

#include "imap/imap_flags.h"
#include "imap/imap_session.h"
#include "svc/svc.h"
#include "util/log.h"
#include "util/xalloc.h"

/* one claim in flight, and what runs after it */
struct recent_job {
	struct store *st;
	uint64_t mbox_id;
	uint32_t limit, from;
	int rc;
	imap_recent_then then;
	void *arg;
};

bool
imap_recent_shown(const struct imap_session *s)
{
	return !(s->enabled & IMAP_EN_REV2);
}

uint32_t
imap_recent_flags(const struct imap_session *s, uint32_t uid, uint32_t flags)
{
	if (imap_recent_shown(s) && imap_seqset_contains(&s->view.recent, uid))
		flags |= IMAP_F_RECENT;
	return flags;
}

size_t
imap_recent_count(const struct imap_session *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->view.n; i++)
		n += imap_seqset_contains(&s->view.recent, s->view.msgs[i].uid);
	return n;
}

void
imap_recent_tell(struct imap_session *s, bool always)
{
	size_t n = imap_recent_count(s);

	if (!imap_recent_shown(s) || (!always && n == s->view.recent_told))
		return;
	imap_untagged(s, "%zu RECENT", n);
	s->view.recent_told = n;
}

/* recent_run - on the pool: the durable claim */
static void
recent_run(void *arg)
{
	struct recent_job *j = arg;

	j->rc = store_recent_claim(j->st, j->mbox_id, j->limit, &j->from);
}

/* recent_done - back on the loop: the claimed range is the session's */
static enum imap_result
recent_done(struct imap_session *s, void *arg)
{
	struct recent_job *j = arg;
	imap_recent_then then = j->then;
	void *then_arg = j->arg;
	struct imap_view *v = &s->view;

	if (j->rc != 0)
		log_warn(s->id, "imap: \\Recent claim: %s", store_strerror(j->rc));
	if (s->selected && v->id == j->mbox_id) {
		if (j->rc == 0 && j->from < j->limit)
			imap_seqset_add(&v->recent, j->from, j->limit - 1);
		if (j->limit > v->settled)
			v->settled = j->limit;
	}
	free(j);
	return then(s, then_arg);
}

enum imap_result
imap_recent_settle(struct imap_session *s, imap_recent_then then, void *arg)
{
	struct imap_view *v = &s->view;
	struct store_mailbox mb;
	struct store_rtxn *r;
	struct recent_job *j;
	uint32_t first = 0;
	int rc;

	if (!s->selected || v->readonly || store_rtxn_begin(s->env->st, &r) != 0)
		return then(s, arg);
	rc = store_mailbox_get(r, v->owner, v->name, &mb);
	if (rc == 0 && mb.id == v->id)
		rc = store_recent_first(r, v->id, &first);
	store_rtxn_end(&r);
	if (rc != 0 || mb.id != v->id) {
		/* renamed or deleted by another session: no claims under its
		 * old name; the view takes arrivals in without \Recent */
		v->settled = UINT32_MAX;
		return then(s, arg);
	}
	if (first >= mb.uidnext) {
		if (mb.uidnext > v->settled)
			v->settled = mb.uidnext;
		return then(s, arg);
	}
	j = xcalloc(1, sizeof(*j));
	j->st = s->env->st;
	j->mbox_id = v->id;
	j->limit = mb.uidnext;
	j->then = then;
	j->arg = arg;
	return imap_wait(s, recent_run, recent_done, j);
}
