/*
 * imap_view.c - the selected mailbox as one session sees it: the UIDs in
 * sequence order with the flags and modseq last reported, and the diff
 * against the store that tells the client what others changed.
 *
 * A sync reads every message record of the mailbox in one short read
 * transaction (skipped when HIGHESTMODSEQ and UIDNEXT have not moved),
 * builds the replies in memory, ends the transaction, then sends them:
 * EXPUNGE (or VANISHED under QRESYNC) for UIDs gone, FETCH FLAGS for
 * modseqs that moved, EXISTS for new UIDs, RECENT when the count moved.
 * A read-write view takes in only UIDs below view.settled (imap_recent.c):
 * later arrivals wait for the next settle. A keyword the view has not
 * seen goes out in FLAGS before all of these (imap_keywords.c). The
 * updating searches (imap_context.c) see each new or changed message in
 * the same transaction, and their REMOVEFROMs go out before EXPUNGE, their
 * ADDTOs after EXISTS.
 *
 * Hazard: while expunges are deferred (sequence-number FETCH, STORE,
 * SEARCH), UIDs gone from the store stay in the view with their old flags.
 */
#include <stdlib.h>
#include <string.h>

#include "imap/imap_flags.h"
#include "imap/imap_session.h"
#include "svc/svc.h"
#include "util/xalloc.h"

/* view_push - append one message */
static void
view_push(struct imap_vmsg **msgs, size_t *n, size_t *cap, uint32_t uid, uint32_t flags,
    uint64_t modseq)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*msgs = xrealloc(*msgs, *cap * sizeof(**msgs));
	}
	(*msgs)[(*n)++] = (struct imap_vmsg){ uid, flags, modseq };
}

/* view_load_one - store_msg_list callback for SELECT */
static int
view_load_one(const struct store_msg *m, void *arg)
{
	struct imap_view *v = arg;

	view_push(&v->msgs, &v->n, &v->cap, m->uid, m->flags, m->modseq);
	imap_keywords_learn(v, m->keywords);
	return 0;
}

int
imap_view_load(struct imap_session *s, struct store_rtxn *r, const char *owner,
    const struct store_mailbox *mb, uint32_t rights, bool readonly)
{
	struct imap_view *v = &s->view;
	int rc;

	imap_view_clear(s);
	v->id = mb->id;
	snprintf(v->owner, sizeof(v->owner), "%s", owner);
	strcpy(v->name, mb->name);
	v->rights = rights;
	v->readonly = readonly;
	v->uidvalidity = mb->uidvalidity;
	v->uidnext = mb->uidnext;
	v->highestmodseq = mb->highestmodseq;
	v->settled = mb->uidnext;
	if ((rc = store_msg_list(r, mb->id, 1, view_load_one, v)) != 0) {
		imap_view_clear(s);
		return rc;
	}
	s->selected = true;
	s->state = IMAP_STATE_SELECTED;
	imap_notify_add(s);
	return 0;
}

void
imap_view_clear(struct imap_session *s)
{
	imap_notify_del(s);
	imap_update_free_all(s);
	free(s->view.msgs);
	imap_seqset_free(&s->view.saved);
	imap_seqset_free(&s->view.recent);
	buf_free(&s->view.keywords);
	memset(&s->view, 0, sizeof(s->view));
	s->selected = false;
	if (s->state == IMAP_STATE_SELECTED)
		s->state = IMAP_STATE_AUTH;
}

bool
imap_view_is(const struct imap_session *s, const char *owner, const char *name)
{
	return s->selected && strcasecmp(s->view.owner, owner) == 0 && strcmp(s->view.name, name) == 0;
}

uint32_t
imap_view_seq(const struct imap_view *v, uint32_t uid)
{
	size_t lo = 0, hi = v->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v->msgs[mid].uid < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < v->n && v->msgs[lo].uid == uid ? (uint32_t)lo + 1 : 0;
}

int
imap_view_uids(struct imap_session *s, const char *set, bool uid, struct imap_seqset *uids_r)
{
	struct imap_view *v = &s->view;
	struct imap_seqset in = IMAP_SEQSET_INIT;
	uint32_t max = uid ? (v->n ? v->msgs[v->n - 1].uid : 0) : (uint32_t)v->n;
	struct imap_seqset_iter it = IMAP_SEQSET_ITER_INIT;
	uint32_t x;
	int rc;

	imap_seqset_clear(uids_r);
	if ((rc = imap_seqset_parse(set, strlen(set), max, IMAP_SEQSET_ALLOW_SAVED, &in)) < 0)
		return -1;
	if (rc == IMAP_SEQSET_SAVED) {
		for (size_t i = 0; i < v->saved.n; i++)	/* UIDs, filtered by the view below */
			imap_seqset_add(&in, v->saved.r[i].lo, v->saved.r[i].hi);
		uid = true;
	}
	if (!uid) {
		while (imap_seqset_next(&in, &it, &x)) {
			if (x > v->n) {
				imap_seqset_free(&in);
				return -2;	/* a sequence number beyond the mailbox */
			}
			imap_seqset_add(uids_r, v->msgs[x - 1].uid, v->msgs[x - 1].uid);
		}
	} else {
		for (size_t i = 0; i < v->n; i++)
			if (imap_seqset_contains(&in, v->msgs[i].uid))
				imap_seqset_add(uids_r, v->msgs[i].uid, v->msgs[i].uid);
	}
	imap_seqset_free(&in);
	return 0;
}

/* one sync in progress: the new view and the replies built for it */
struct view_sync {
	struct imap_session *s;
	struct store_rtxn *r;	/* while the records are read */
	const struct imap_seqset *silent;
	bool with_uid;
	struct imap_vmsg *msgs;
	size_t n, cap;
	size_t old;		/* next index into the old view */
	bool expunges;
	struct buf fetch;	/* FETCH lines, seq numbers of the new view */
	struct imap_seqset gone;	/* UIDs expunged */
	struct buf expunge;	/* EXPUNGE lines */
	uint32_t removed;	/* expunges reported so far */
	bool unsettled;		/* arrivals left out until they are claimed */
	bool new_keywords;	/* FLAGS must go out first */
};

/* sync_gone - the old message at vs->old is not in the store any more */
static void
sync_gone(struct view_sync *vs)
{
	const struct imap_vmsg *o = &vs->s->view.msgs[vs->old++];

	if (!vs->expunges) {
		view_push(&vs->msgs, &vs->n, &vs->cap, o->uid, o->flags, o->modseq);
		return;
	}
	imap_seqset_add(&vs->gone, o->uid, o->uid);
	imap_update_gone(vs->s, o->uid);
	/* each EXPUNGE renumbers what follows: the seq is the new position + 1 */
	buf_printf(&vs->expunge, "* %zu EXPUNGE\r\n", vs->n + 1);
	vs->removed++;
}

/* sync_one - store_msg_list callback: merge one store message */
static int
sync_one(const struct store_msg *m, void *arg)
{
	struct view_sync *vs = arg;
	struct imap_view *v = &vs->s->view;
	bool report = false, known = false;

	if (!v->readonly && m->uid >= v->settled) {
		vs->unsettled = true;
		return 0;
	}
	while (vs->old < v->n && v->msgs[vs->old].uid < m->uid)
		sync_gone(vs);
	if (imap_keywords_learn(v, m->keywords))
		vs->new_keywords = true;
	/* a UID the view does not hold is new: EXISTS, and the client fetches it */
	if (vs->old < v->n && v->msgs[vs->old].uid == m->uid) {
		known = true;
		report = v->msgs[vs->old].modseq != m->modseq;
		vs->old++;
	}
	view_push(&vs->msgs, &vs->n, &vs->cap, m->uid, m->flags, m->modseq);
	if (v->nupdates && (report || !known))
		imap_update_msg(vs->s, vs->r, m, (uint32_t)vs->n);
	if (!report || (vs->silent && imap_seqset_contains(vs->silent, m->uid)))
		return 0;
	buf_printf(&vs->fetch, "* %zu FETCH (", vs->n);
	/* RFC 7162 3.2: under CONDSTORE every flag change carries UID and MODSEQ */
	if (vs->with_uid || (vs->s->enabled & (IMAP_EN_CONDSTORE | IMAP_EN_QRESYNC)))
		buf_printf(&vs->fetch, "UID %u ", m->uid);
	buf_puts(&vs->fetch, "FLAGS ");
	imap_write_flags(&vs->fetch, imap_recent_flags(vs->s, m->uid, m->flags), m->keywords);
	if (vs->s->enabled & IMAP_EN_CONDSTORE)
		buf_printf(&vs->fetch, " MODSEQ (%llu)", (unsigned long long)m->modseq);
	buf_puts(&vs->fetch, ")\r\n");
	return 0;
}

void
imap_view_sync_ex(struct imap_session *s, bool expunges, const struct imap_seqset *silent,
    bool with_uid)
{
	struct imap_view *v = &s->view;
	struct view_sync vs = { .s = s, .silent = silent, .with_uid = with_uid,
	    .expunges = expunges, .fetch = BUF_INIT, .gone = IMAP_SEQSET_INIT,
	    .expunge = BUF_INIT };
	struct store_mailbox mb;
	struct store_rtxn *r;
	size_t old_n = v->n;
	int rc;

	if (!s->selected || store_rtxn_begin(s->env->st, &r) != 0)
		return;
	rc = store_mailbox_get(r, v->owner, v->name, &mb);
	if (rc == 0 && (mb.id != v->id ||
	    (mb.highestmodseq == v->highestmodseq && mb.uidnext == v->uidnext))) {
		store_rtxn_end(&r);
		return;
	}
	vs.r = r;
	rc = store_msg_list(r, v->id, 1, sync_one, &vs);
	store_rtxn_end(&r);
	if (rc != 0) {
		imap_update_drop(s);
		free(vs.msgs);
		buf_free(&vs.fetch);
		buf_free(&vs.expunge);
		return;
	}
	while (vs.old < v->n)
		sync_gone(&vs);
	if (vs.new_keywords)
		imap_keywords_tell(s);
	imap_update_removes(s);
	if (vs.removed && (s->enabled & IMAP_EN_QRESYNC)) {
		imap_vanished(s, &vs.gone, false);
	} else if (vs.removed) {
		imap_send(s, vs.expunge.data, vs.expunge.len);
	}
	if (vs.fetch.len)
		imap_send(s, vs.fetch.data, vs.fetch.len);
	if (rc == 0 && vs.expunges) {
		v->highestmodseq = mb.highestmodseq;
		v->uidnext = vs.unsettled ? v->settled : mb.uidnext;
	}
	free(v->msgs);
	v->msgs = vs.msgs;
	v->n = vs.n;
	v->cap = vs.cap;
	if (vs.n > old_n - vs.removed)
		imap_untagged(s, "%zu EXISTS", vs.n);
	imap_update_adds(s);
	imap_recent_tell(s, false);
	s->sync_pending = vs.unsettled;
	buf_free(&vs.fetch);
	buf_free(&vs.expunge);
	imap_seqset_free(&vs.gone);
}

void
imap_vanished(struct imap_session *s, const struct imap_seqset *uids, bool earlier)
{
	struct buf b = BUF_INIT;

	if (uids->n == 0)
		return;
	buf_puts(&b, earlier ? "* VANISHED (EARLIER) " : "* VANISHED ");
	imap_seqset_format(uids, &b);
	buf_puts(&b, "\r\n");
	imap_send(s, b.data, b.len);
	buf_free(&b);
}

void
imap_view_sync(struct imap_session *s, bool expunges)
{
	imap_view_sync_ex(s, expunges, NULL, false);
}

/* msg_get_one - the first message at or above the UID asked for */
static int
msg_get_one(const struct store_msg *m, void *arg)
{
	*(struct store_msg *)arg = *m;
	return 1;
}

int
imap_store_msg_get(struct store_rtxn *r, uint64_t mbox_id, uint32_t uid, struct store_msg *m_r)
{
	int rc;

	m_r->uid = 0;
	rc = store_msg_list(r, mbox_id, uid, msg_get_one, m_r);
	if (rc < 0)
		return rc;
	return m_r->uid == uid ? 0 : STORE_ENOTFOUND;
}
