/*
 * imap_context.c - CONTEXT=SEARCH and CONTEXT=SORT (RFC 5267 4.3): the
 * updating searches of a session, RETURN (UPDATE) of SEARCH and SORT, and
 * CANCELUPDATE.
 *
 * An updating search keeps its search keys and its result as UIDs, and
 * for a SORT the matches in sort order with their sort keys. Its updates
 * ride on the view sync (imap_view.c), the path that tells EXISTS and
 * EXPUNGE to a command or an IDLE: the sync hands each message that is new
 * to the view or whose modseq moved to imap_update_msg(), which evaluates
 * the keys on it in the sync's read transaction, and each expunged UID to
 * imap_update_gone(). What entered or left a result is then told as
 *   * ESEARCH (TAG "t") [UID] REMOVEFROM (pos set)   before EXPUNGE, and
 *   * ESEARCH (TAG "t") [UID] ADDTO (pos set)        after EXISTS,
 * so the sequence numbers in them are valid when they arrive. A SEARCH's
 * position is 0 and its sets are in mailbox order; a SORT's are the
 * 1-based positions in its sort order, one message per pair, applied in
 * the order written. Updates cover the whole result, whatever the other
 * RETURN options were (RFC 5267 4.3, RFC 9394 3.1).
 *
 * Limits: IMAP_UPDATES_MAX searches per session; one more gets an
 * untagged NO [NOUPDATE "tag"] and is answered without updates. They end
 * with CANCELUPDATE or when the view is left (SELECT, EXAMINE, CLOSE,
 * UNSELECT, logout). A sync with no updating search costs nothing here.
 * Search keys that name sequence numbers keep the numbers they had when
 * the command was parsed.
 */
#include <stdlib.h>
#include <string.h>

#include "imap/imap_cmd.h"
#include "imap/imap_search.h"
#include "imap/imap_sort.h"
#include "imapsyn/imap_write.h"
#include "util/log.h"
#include "util/xalloc.h"

struct imap_update {
	char *tag;
	bool uid;			/* UIDs in the updates, else sequence numbers */
	struct imap_search *q;
	bool sort;
	struct imap_sort_crit crit;
	unsigned need;
	struct imap_seqset uids;	/* the result */
	struct imap_sort_msg *msgs;	/* sort: the result in order; seq holds the UID */
	size_t n, cap;
	struct imap_seqset adds, removes;	/* noted by the running sync: UIDs */
	struct imap_sort_msg *add_msgs;	/* sort: the adds' keys */
	size_t nadd, capadd;
};

/* msgs_push - append one sort message (copied) to an array */
static void
msgs_push(struct imap_sort_msg **v, size_t *n, size_t *cap, const struct imap_sort_msg *m)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[(*n)++] = *m;
}

/* update_drop_one - forget u's noted changes */
static void
update_drop_one(struct imap_update *u)
{
	imap_seqset_clear(&u->adds);
	imap_seqset_clear(&u->removes);
	for (size_t i = 0; i < u->nadd; i++)
		imap_sort_msg_free(&u->add_msgs[i]);
	u->nadd = 0;
}

/* update_free - one updating search and all it holds */
static void
update_free(struct imap_update *u)
{
	update_drop_one(u);
	for (size_t i = 0; i < u->n; i++)
		imap_sort_msg_free(&u->msgs[i]);
	free(u->msgs);
	free(u->add_msgs);
	imap_seqset_free(&u->uids);
	imap_seqset_free(&u->adds);
	imap_seqset_free(&u->removes);
	imap_search_free(&u->q);
	free(u->tag);
	free(u);
}

/* update_new - a new updating search for the running command, or NULL past the limit */
static struct imap_update *
update_new(struct imap_session *s, bool uid, struct imap_search **qp)
{
	struct imap_view *v = &s->view;
	struct imap_update *u;
	struct buf b = BUF_INIT;

	if (v->nupdates >= IMAP_UPDATES_MAX) {
		buf_puts(&b, "* NO [NOUPDATE ");
		imap_write_string(&b, s->tag, strlen(s->tag));
		buf_puts(&b, "] Too many updating searches\r\n");
		imap_send(s, b.data, b.len);
		buf_free(&b);
		log_info(s->id, "imap: no updates for %s: %zu updating searches", s->tag, v->nupdates);
		return NULL;
	}
	u = xcalloc(1, sizeof(*u));
	u->tag = xstrdup(s->tag);
	u->uid = uid;
	u->q = *qp;
	*qp = NULL;
	v->updates = xrealloc(v->updates, (v->nupdates + 1) * sizeof(*v->updates));
	v->updates[v->nupdates++] = u;
	return u;
}

void
imap_update_search(struct imap_session *s, bool uid, struct imap_search **qp,
    struct imap_seqset *uids)
{
	struct imap_update *u = update_new(s, uid, qp);

	if (u == NULL)
		return;
	u->uids = *uids;
	memset(uids, 0, sizeof(*uids));
}

void
imap_update_sort(struct imap_session *s, bool uid, struct imap_search **qp,
    const struct imap_sort_crit *crit, unsigned need, struct imap_sort_msg **msgs_p, size_t *n_p)
{
	struct imap_update *u = update_new(s, uid, qp);

	if (u == NULL)
		return;
	u->sort = true;
	u->crit = *crit;
	u->need = need;
	u->msgs = *msgs_p;
	u->n = u->cap = *n_p;
	*msgs_p = NULL;
	*n_p = 0;
	for (size_t i = 0; i < u->n; i++) {
		u->msgs[i].seq = u->msgs[i].uid;	/* ties go by UID, which is sequence order */
		imap_seqset_add(&u->uids, u->msgs[i].uid, u->msgs[i].uid);
	}
}

bool
imap_update_tag_used(const struct imap_session *s, const char *tag)
{
	for (size_t i = 0; i < s->view.nupdates; i++)
		if (strcmp(s->view.updates[i]->tag, tag) == 0)
			return true;
	return false;
}

void
imap_update_msg(struct imap_session *s, struct store_rtxn *r, const struct store_msg *m,
    uint32_t seq)
{
	for (size_t i = 0; i < s->view.nupdates; i++) {
		struct imap_update *u = s->view.updates[i];
		bool in = imap_seqset_contains(&u->uids, m->uid), hit;
		struct imap_sort_msg sm;

		if (imap_search_eval(s, r, u->q, m, seq, &hit) != 0 || hit == in)
			continue;
		imap_seqset_add(hit ? &u->adds : &u->removes, m->uid, m->uid);
		if (hit && u->sort) {
			imap_sort_msg_load(r, m, m->uid, u->need, &sm);
			msgs_push(&u->add_msgs, &u->nadd, &u->capadd, &sm);
		}
	}
}

void
imap_update_gone(struct imap_session *s, uint32_t uid)
{
	for (size_t i = 0; i < s->view.nupdates; i++)
		if (imap_seqset_contains(&s->view.updates[i]->uids, uid))
			imap_seqset_add(&s->view.updates[i]->removes, uid, uid);
}

/* update_id - uid as u's client numbers it in the view as it is now */
static uint32_t
update_id(const struct imap_session *s, const struct imap_update *u, uint32_t uid)
{
	return u->uid ? uid : imap_view_seq(&s->view, uid);
}

/* update_set - " (0 set)": the UIDs of set as u numbers them, in mailbox order */
static void
update_set(const struct imap_session *s, const struct imap_update *u, const struct imap_seqset *set,
    struct buf *out)
{
	struct imap_seqset ids = IMAP_SEQSET_INIT;
	struct imap_seqset_iter it = IMAP_SEQSET_ITER_INIT;
	uint32_t uid;

	while (imap_seqset_next(set, &it, &uid))
		imap_seqset_add(&ids, update_id(s, u, uid), update_id(s, u, uid));
	buf_puts(out, " (0 ");
	imap_seqset_format(&ids, out);
	buf_putc(out, ')');
	imap_seqset_free(&ids);
}

/* update_minus - the result without the removed UIDs */
static void
update_minus(struct imap_update *u)
{
	struct imap_seqset left = IMAP_SEQSET_INIT;
	struct imap_seqset_iter it = IMAP_SEQSET_ITER_INIT;
	uint32_t uid;

	while (imap_seqset_next(&u->uids, &it, &uid))
		if (!imap_seqset_contains(&u->removes, uid))
			imap_seqset_add(&left, uid, uid);
	imap_seqset_free(&u->uids);
	u->uids = left;
}

/* sort_removes - " (pos id)" for each removed match in sort order, and out of u->msgs */
static void
sort_removes(const struct imap_session *s, struct imap_update *u, struct buf *out)
{
	size_t keep = 0;
	bool first = true;

	buf_puts(out, " (");
	for (size_t i = 0; i < u->n; i++) {
		if (!imap_seqset_contains(&u->removes, u->msgs[i].uid)) {
			u->msgs[keep++] = u->msgs[i];
			continue;
		}
		/* earlier pairs took theirs out already: the position is among those kept */
		buf_printf(out, "%s%zu %u", first ? "" : " ", keep + 1, update_id(s, u, u->msgs[i].uid));
		first = false;
		imap_sort_msg_free(&u->msgs[i]);
	}
	buf_putc(out, ')');
	u->n = keep;
}

/* sort_adds - the adds into u->msgs in sort order; " (pos id)" for each, in ascending positions */
static void
sort_adds(const struct imap_session *s, struct imap_update *u, struct buf *out)
{
	bool first = true;

	for (size_t i = 0; i < u->nadd; i++)
		msgs_push(&u->msgs, &u->n, &u->cap, &u->add_msgs[i]);
	u->nadd = 0;
	imap_sort_run(&u->crit, u->msgs, u->n);
	buf_puts(out, " (");
	for (size_t i = 0; i < u->n; i++)
		if (imap_seqset_contains(&u->adds, u->msgs[i].uid)) {
			buf_printf(out, "%s%zu %u", first ? "" : " ", i + 1, update_id(s, u, u->msgs[i].uid));
			first = false;
		}
	buf_putc(out, ')');
}

/* update_tell - an ESEARCH ADDTO (add) or REMOVEFROM for each updating search with such changes noted */
static void
update_tell(struct imap_session *s, bool add)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < s->view.nupdates; i++) {
		struct imap_update *u = s->view.updates[i];
		struct imap_seqset *set = add ? &u->adds : &u->removes;

		if (set->n == 0)
			continue;
		imap_esearch_open(u->tag, u->uid, &b);
		buf_puts(&b, add ? " ADDTO" : " REMOVEFROM");
		if (u->sort)
			(add ? sort_adds : sort_removes)(s, u, &b);
		else
			update_set(s, u, set, &b);
		buf_puts(&b, "\r\n");
		if (add)
			for (size_t k = 0; k < set->n; k++)
				imap_seqset_add(&u->uids, set->r[k].lo, set->r[k].hi);
		else
			update_minus(u);
		imap_seqset_clear(set);
	}
	if (b.len)
		imap_send(s, b.data, b.len);
	buf_free(&b);
}

void
imap_update_removes(struct imap_session *s)
{
	update_tell(s, false);
}

void
imap_update_adds(struct imap_session *s)
{
	update_tell(s, true);
}

void
imap_update_drop(struct imap_session *s)
{
	for (size_t i = 0; i < s->view.nupdates; i++)
		update_drop_one(s->view.updates[i]);
}

void
imap_update_free_all(struct imap_session *s)
{
	for (size_t i = 0; i < s->view.nupdates; i++)
		update_free(s->view.updates[i]);
	free(s->view.updates);
	s->view.updates = NULL;
	s->view.nupdates = 0;
}

/* cancel_find - the index of tag's updating search, or nupdates */
static size_t
cancel_find(const struct imap_session *s, const char *tag)
{
	size_t i;

	for (i = 0; i < s->view.nupdates; i++)
		if (strcmp(s->view.updates[i]->tag, tag) == 0)
			break;
	return i;
}

/* CANCELUPDATE "tag" ... (RFC 5267 4.3.5): all named, or none when one is unknown */
IMAP_CMD(cancelupdate)
{
	struct imap_view *v = &s->view;
	size_t i, k;

	for (i = 0; i < n; i++)
		if (args[i].type != IMAP_ARG_STRING)
			break;
	if (n == 0 || i < n) {
		log_info(s->id, "imap: CANCELUPDATE refused: no quoted tags");
		imap_reply(s, "BAD", "CANCELUPDATE takes the quoted tags of updating searches");
		return IMAP_DONE;
	}
	for (i = 0; i < n; i++)
		if (cancel_find(s, args[i].str) == v->nupdates) {
			log_info(s->id, "imap: CANCELUPDATE refused: a tag no updating search has");
			imap_reply(s, "NO", "Unknown tag");
			return IMAP_DONE;
		}
	for (i = 0; i < n; i++)
		if ((k = cancel_find(s, args[i].str)) < v->nupdates) {
			update_free(v->updates[k]);
			v->updates[k] = v->updates[--v->nupdates];
		}
	imap_reply(s, "OK", "Updates cancelled");
	return IMAP_DONE;
}
