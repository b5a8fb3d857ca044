/*
 * imap_cmd_select.c - entering and leaving the selected state: SELECT and
 * EXAMINE (with CONDSTORE and QRESYNC parameters, RFC 7162), CLOSE,
 * UNSELECT (RFC 3691) and CHECK.
 *
 * SELECT reads the mailbox and its message list on the loop in one short
 * read transaction (imap_view_load). QRESYNC's resync, when the client's
 * UIDVALIDITY matches, answers VANISHED (EARLIER) from the tombstones and
 * FETCH for every message changed since the client's modseq. SELECT
 * then claims the unclaimed messages as its \Recent (imap_recent_settle,
 * a durable write only when there are any); EXAMINE shows them as \Recent
 * and leaves them unclaimed (RFC 3501 6.3.2).
 *
 * A shared mailbox needs the "r" right; without any right that changes
 * it (s, w, t, e) SELECT opens it read-only (RFC 4314 4).
 */
#include <stdlib.h>
#include <string.h>

#include "imap/imap_cmd.h"
#include "imap/imap_flags.h"
#include "imap/imap_shared.h"
#include "svc/svc.h"
#include "util/xalloc.h"

/* the QRESYNC parameter: (uidvalidity modseq [known-uids]) */
struct qresync {
	bool on;
	uint32_t uidvalidity;
	uint64_t modseq;
	struct imap_seqset known;
	bool have_known;
};

/* qresync_free - the parameter, once SELECT is done with it */
static void
qresync_free(struct qresync *q)
{
	imap_seqset_free(&q->known);
	free(q);
}

/* parse_u64 - a whole atom as a number */
static bool
parse_u64(const struct imap_arg *a, uint64_t *v)
{
	char *end;

	if (a->type != IMAP_ARG_ATOM || a->str[0] < '0' || a->str[0] > '9')
		return false;
	*v = strtoull(a->str, &end, 10);
	return *end == '\0';
}

/* select_params - "(CONDSTORE)" or "(QRESYNC (...))"; false if bad */
static bool
select_params(struct imap_session *s, const struct imap_arg *a, struct qresync *q)
{
	for (size_t i = 0; i < a->count; i++) {
		const struct imap_arg *p = &a->list[i];
		uint64_t v;

		if (imap_arg_atom_is(p, "CONDSTORE")) {
			s->enabled |= IMAP_EN_CONDSTORE;
			continue;
		}
		if (!imap_arg_atom_is(p, "QRESYNC") || !(s->enabled & IMAP_EN_QRESYNC) ||
		    i + 1 >= a->count || a->list[i + 1].type != IMAP_ARG_LIST)
			return false;
		p = &a->list[++i];
		if (p->count < 2 || p->count > 4 || !parse_u64(&p->list[0], &v) || v == 0 ||
		    v > UINT32_MAX || !parse_u64(&p->list[1], &q->modseq))
			return false;
		q->on = true;
		q->uidvalidity = (uint32_t)v;
		if (p->count >= 3 && p->list[2].type == IMAP_ARG_ATOM) {
			if (imap_seqset_parse(p->list[2].str, p->list[2].len, UINT32_MAX, 0,
			    &q->known) != 0)
				return false;
			q->have_known = true;
		}
	}
	return true;
}

struct resync {
	struct qresync *q;
	struct imap_session *s;
	struct imap_seqset vanished;
	struct buf fetch;
	bool new_keywords;	/* a keyword set since SELECT read the mailbox */
};

/* vanished_one - a tombstone newer than the client's modseq */
static int
vanished_one(uint32_t uid, uint64_t modseq, void *arg)
{
	struct resync *rs = arg;

	if (!rs->q->have_known || imap_seqset_contains(&rs->q->known, uid))
		imap_seqset_add(&rs->vanished, uid, uid);
	return 0;
}

/* changed_one - a message changed since the client's modseq */
static int
changed_one(const struct store_msg *m, void *arg)
{
	struct resync *rs = arg;

	if (m->modseq <= rs->q->modseq)
		return 0;
	if (imap_keywords_learn(&rs->s->view, m->keywords))
		rs->new_keywords = true;
	buf_printf(&rs->fetch, "* %u FETCH (UID %u FLAGS ", imap_view_seq(&rs->s->view, m->uid),
	    m->uid);
	imap_write_flags(&rs->fetch, imap_recent_flags(rs->s, m->uid, m->flags), m->keywords);
	buf_printf(&rs->fetch, " MODSEQ (%llu))\r\n", (unsigned long long)m->modseq);
	return 0;
}

/* select_resync - QRESYNC: what the client missed since its modseq */
static void
select_resync(struct imap_session *s, struct qresync *q)
{
	struct resync rs = { .q = q, .s = s, .vanished = IMAP_SEQSET_INIT, .fetch = BUF_INIT };
	struct store_rtxn *r;

	if (q->uidvalidity != s->view.uidvalidity || store_rtxn_begin(s->env->st, &r) != 0)
		return;
	store_msg_vanished(r, s->view.id, q->modseq, vanished_one, &rs);
	store_msg_list(r, s->view.id, 1, changed_one, &rs);
	store_rtxn_end(&r);
	if (rs.new_keywords)
		imap_keywords_tell(s);
	imap_vanished(s, &rs.vanished, true);
	imap_send(s, rs.fetch.data, rs.fetch.len);
	buf_free(&rs.fetch);
	imap_seqset_free(&rs.vanished);
}

/* select_reply - the untagged data of a freshly selected mailbox */
static void
select_reply(struct imap_session *s)
{
	struct imap_view *v = &s->view;
	uint32_t unseen = 0;

	imap_keywords_tell(s);
	imap_untagged(s, "%zu EXISTS", v->n);
	imap_recent_tell(s, true);
	if (!(s->enabled & IMAP_EN_REV2)) {
		for (size_t i = 0; i < v->n && unseen == 0; i++)
			if (!(v->msgs[i].flags & STORE_F_SEEN))
				unseen = (uint32_t)i + 1;
		if (unseen)
			imap_untagged(s, "OK [UNSEEN %u] First unseen", unseen);
	}
	imap_untagged(s, "OK [UIDVALIDITY %u] UIDs valid", v->uidvalidity);
	imap_untagged(s, "OK [UIDNEXT %u] Predicted next UID", v->uidnext);
	imap_untagged(s, "OK [HIGHESTMODSEQ %llu] Highest", (unsigned long long)v->highestmodseq);
	imap_untagged(s, "OK [MAILBOXID (" IMAP_MAILBOXID_FMT ")] Ok", (unsigned long long)v->id);
}

/* select_finish - the replies, once SELECT has claimed its \Recent messages */
static enum imap_result
select_finish(struct imap_session *s, void *arg)
{
	struct qresync *q = arg;
	bool readonly = s->view.readonly;

	select_reply(s);
	if (q->on)
		select_resync(s, q);
	qresync_free(q);
	imap_reply(s, "OK", "[%s] %s completed", readonly ? "READ-ONLY" : "READ-WRITE",
	    readonly ? "EXAMINE" : "SELECT");
	return IMAP_DONE;
}

/* select_unclaimed - EXAMINE: the unclaimed messages are \Recent, and stay unclaimed */
static int
select_unclaimed(struct imap_session *s)
{
	struct store_rtxn *r;
	uint32_t first;
	int rc;

	if ((rc = store_rtxn_begin(s->env->st, &r)) != 0)
		return rc;
	rc = store_recent_first(r, s->view.id, &first);
	store_rtxn_end(&r);
	if (rc == 0 && first < s->view.uidnext)
		imap_seqset_add(&s->view.recent, first, s->view.uidnext - 1);
	return rc;
}

/* select_common - SELECT and EXAMINE */
static enum imap_result
select_common(struct imap_session *s, const struct imap_arg *args, size_t n, bool readonly)
{
	struct imap_mbox_ref ref;
	struct qresync *q = xcalloc(1, sizeof(*q));
	struct store_mailbox mb;
	struct store_rtxn *r;
	uint32_t rights = 0;
	int rc;

	if (s->selected) {
		imap_view_clear(s);
		if (s->enabled & IMAP_EN_QRESYNC)
			imap_untagged(s, "OK [CLOSED] Previous mailbox closed");
	}
	if (n < 1 || n > 2 || (n == 2 && args[1].type != IMAP_ARG_LIST) ||
	    imap_mbox_in(s, &args[0], &ref) != 0 || (n == 2 && !select_params(s, &args[1], q))) {
		qresync_free(q);
		imap_reply(s, "BAD", "Bad mailbox name or parameters");
		return IMAP_DONE;
	}
	if (imap_rtxn(s, &r) != 0) {
		qresync_free(q);
		return IMAP_DONE;
	}
	rc = imap_mbox_get(s, r, &ref, &mb, &rights);
	if (rc == 0 && imap_rights_deny(s, rights, IMAP_ACL_READ, readonly ? "EXAMINE" : "SELECT")) {
		store_rtxn_end(&r);
		qresync_free(q);
		return IMAP_DONE;
	}
	if (!(rights & (IMAP_ACL_SEEN | IMAP_ACL_WRITE | IMAP_ACL_DELETED | IMAP_ACL_EXPUNGE)))
		readonly = true;
	if (rc == 0)
		rc = imap_view_load(s, r, ref.owner, &mb, rights, readonly);
	store_rtxn_end(&r);
	if (rc == 0 && readonly && (rc = select_unclaimed(s)) != 0)
		imap_view_clear(s);
	if (rc != 0) {
		qresync_free(q);
		imap_reply_store_err(s, rc);
		return IMAP_DONE;
	}
	return imap_recent_settle(s, select_finish, q);
}

IMAP_CMD(select)
{
	return select_common(s, args, n, false);
}

IMAP_CMD(examine)
{
	return select_common(s, args, n, true);
}

IMAP_CMD(close)
{
	if (n != 0) {
		imap_reply(s, "BAD", "CLOSE takes no arguments");
		return IMAP_DONE;
	}
	if (s->view.readonly || !(s->view.rights & IMAP_ACL_EXPUNGE)) {
		imap_view_clear(s);
		imap_reply(s, "OK", "CLOSE completed");
		return IMAP_DONE;
	}
	return imap_expunge_deleted(s, NULL, true);
}

IMAP_CMD(unselect)
{
	if (n != 0) {
		imap_reply(s, "BAD", "UNSELECT takes no arguments");
		return IMAP_DONE;
	}
	imap_view_clear(s);
	imap_reply(s, "OK", "UNSELECT completed");
	return IMAP_DONE;
}

IMAP_CMD(check)
{
	imap_reply(s, "OK", "CHECK completed");
	return IMAP_DONE;
}
