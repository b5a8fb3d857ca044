/*
 * imap_cmd_store.c - STORE and UID STORE: FLAGS, +FLAGS, -FLAGS, .SILENT,
 * and CONDSTORE's UNCHANGEDSINCE with the MODIFIED response code; and
 * imap_flags_apply(), which FETCH uses to set \Seen.
 *
 * On the pool, the current flags are read in one read transaction, each
 * message's new flags and keywords computed, and the messages grouped by
 * their new state, one durable store_msg_set_flags() per group. The FETCH
 * replies come from the view sync before the tagged OK, which reports
 * every modseq that moved (.SILENT hides this command's own).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imap/imap_cmd.h"
#include "svc/svc.h"
#include "util/xalloc.h"

struct flag_target {
	uint32_t uid;
	uint32_t flags;
	char *kw;
};

struct apply_ctx {
	const struct imap_seqset *want;
	enum imap_flag_op op;
	uint32_t flags;
	const char *kw;
	uint64_t unchangedsince;
	struct imap_seqset *modified;
	struct flag_target *t;
	size_t n;
};

/* kw_has - keyword k (len bytes) in the space-separated list */
static bool
kw_has(const char *list, const char *k, size_t len)
{
	for (const char *p = list; *p;) {
		size_t l = strcspn(p, " ");

		if (l == len && strncasecmp(p, k, len) == 0)
			return true;
		p += l + (p[l] == ' ');
	}
	return false;
}

/* kw_merge - old with add's keywords added, or removed */
static char *
kw_merge(const char *old, const char *chg, enum imap_flag_op op)
{
	struct buf b = BUF_INIT;
	char *res;

	for (const char *p = old; op != IMAP_FLAGS_SET && *p;) {
		size_t l = strcspn(p, " ");

		if (l && !(op == IMAP_FLAGS_REMOVE && kw_has(chg, p, l))) {
			if (b.len)
				buf_putc(&b, ' ');
			buf_append(&b, p, l);
		}
		p += l + (p[l] == ' ');
	}
	for (const char *p = chg; op != IMAP_FLAGS_REMOVE && *p;) {
		size_t l = strcspn(p, " ");

		if (l && (op == IMAP_FLAGS_SET || !kw_has(old, p, l))) {
			if (b.len)
				buf_putc(&b, ' ');
			buf_append(&b, p, l);
		}
		p += l + (p[l] == ' ');
	}
	res = xstrdup(buf_cstr(&b));
	buf_free(&b);
	return res;
}

/* apply_one - store_msg_list callback: the new state of one message */
static int
apply_one(const struct store_msg *m, void *arg)
{
	struct apply_ctx *a = arg;
	uint32_t f = m->flags;
	struct flag_target *t;

	if (!imap_seqset_contains(a->want, m->uid))
		return 0;
	if (a->unchangedsince && m->modseq > a->unchangedsince) {
		imap_seqset_add(a->modified, m->uid, m->uid);
		return 0;
	}
	f = a->op == IMAP_FLAGS_SET ? a->flags : a->op == IMAP_FLAGS_ADD ? f | a->flags :
	    f & ~a->flags;
	t = &a->t[a->n++];
	t->uid = m->uid;
	t->flags = f;
	t->kw = kw_merge(m->keywords, a->kw, a->op);
	if (t->flags == m->flags && strcmp(t->kw, m->keywords) == 0) {
		free(t->kw);
		a->n--;		/* nothing changes: no new modseq */
	}
	return 0;
}

int
imap_flags_apply(struct store *st, uint64_t mbox_id, const struct imap_seqset *uids,
    enum imap_flag_op op, uint32_t flags, const char *kw, uint64_t unchangedsince,
    struct imap_seqset *modified)
{
	struct apply_ctx a = { uids, op, flags, kw ? kw : "", unchangedsince, modified, NULL, 0 };
	uint64_t count = imap_seqset_count(uids);
	uint32_t *batch;
	struct store_rtxn *r;
	int rc;

	if (count == 0)
		return 0;
	if ((rc = store_rtxn_begin(st, &r)) != 0)
		return rc;
	a.t = xcalloc((size_t)count, sizeof(*a.t));
	rc = store_msg_list(r, mbox_id, uids->r[0].lo, apply_one, &a);
	store_rtxn_end(&r);
	batch = xmalloc((a.n + 1) * sizeof(*batch));
	for (size_t i = 0; rc == 0 && i < a.n; i++) {
		size_t nb = 0;

		if (a.t[i].kw == NULL)
			continue;
		for (size_t j = i; j < a.n; j++) {
			if (a.t[j].kw == NULL || a.t[j].flags != a.t[i].flags ||
			    strcmp(a.t[j].kw, a.t[i].kw) != 0)
				continue;
			batch[nb++] = a.t[j].uid;
			if (j != i) {
				free(a.t[j].kw);
				a.t[j].kw = NULL;
			}
		}
		rc = store_msg_set_flags(st, mbox_id, batch, nb, a.t[i].flags, a.t[i].kw);
		free(a.t[i].kw);
		a.t[i].kw = NULL;
	}
	for (size_t i = 0; i < a.n; i++)
		free(a.t[i].kw);
	free(a.t);
	free(batch);
	return rc;
}

struct store_job {
	struct store *st;
	uint64_t mbox_id;
	struct imap_seqset uids;
	struct imap_seqset modified;
	enum imap_flag_op op;
	uint32_t flags;
	struct buf kw;
	uint64_t unchangedsince;
	bool silent, uid;
	int rc;
};

/* store_run - on the pool */
static void
store_run(void *arg)
{
	struct store_job *j = arg;

	j->rc = imap_flags_apply(j->st, j->mbox_id, &j->uids, j->op, j->flags, buf_cstr(&j->kw),
	    j->unchangedsince, &j->modified);
}

/* store_done - others are told; our FETCH replies come from the sync */
static enum imap_result
store_done(struct imap_session *s, void *arg)
{
	struct store_job *j = arg;
	struct buf b = BUF_INIT;

	if (j->rc == 0)
		imap_notify_mailbox(j->mbox_id, s);
	if (s->selected)
		imap_view_sync_ex(s, s->sync_mode == IMAP_SYNC_FULL, j->silent ? &j->uids : NULL,
		    j->uid);
	s->sync_mode = IMAP_SYNC_NONE;
	if (j->rc != 0) {
		imap_reply_store_err(s, j->rc);
	} else if (j->modified.n) {
		buf_puts(&b, "[MODIFIED ");
		imap_seqset_format(&j->modified, &b);
		buf_puts(&b, "] Conditional STORE failed");
		imap_reply(s, "OK", "%s", buf_cstr(&b));
	} else {
		imap_reply(s, "OK", "STORE completed");
	}
	buf_free(&b);
	imap_seqset_free(&j->uids);
	imap_seqset_free(&j->modified);
	buf_free(&j->kw);
	free(j);
	return IMAP_DONE;
}

IMAP_CMD(store)
{
	struct store_job *j = xcalloc(1, sizeof(*j));
	const char *item;
	size_t i = 1;
	int rc = -1;

	j->st = s->env->st;
	j->mbox_id = s->view.id;
	j->uid = uid;
	if (n >= 3 && args[0].type == IMAP_ARG_ATOM)
		rc = imap_view_uids(s, args[0].str, uid, &j->uids);
	if (rc == 0 && args[1].type == IMAP_ARG_LIST) {
		const struct imap_arg *m = &args[1];

		rc = m->count == 2 && imap_arg_atom_is(&m->list[0], "UNCHANGEDSINCE") &&
		    m->list[1].type == IMAP_ARG_ATOM ? 0 : -1;
		if (rc == 0)
			j->unchangedsince = strtoull(m->list[1].str, NULL, 10);
		s->enabled |= IMAP_EN_CONDSTORE;
		i = 2;
	}
	item = rc == 0 && i + 2 == n && args[i].type == IMAP_ARG_ATOM ? args[i].str : NULL;
	if (item != NULL && (*item == '+' || *item == '-')) {
		j->op = *item == '+' ? IMAP_FLAGS_ADD : IMAP_FLAGS_REMOVE;
		item++;
	}
	if (item == NULL || (strcasecmp(item, "FLAGS") != 0 &&
	    !(j->silent = strcasecmp(item, "FLAGS.SILENT") == 0)) ||
	    imap_flags_parse(&args[i + 1], &j->flags, &j->kw) != 0) {
		imap_seqset_free(&j->uids);
		free(j);
		imap_reply(s, "BAD", rc == -2 ? "Invalid sequence number" : "Bad STORE arguments");
		return IMAP_DONE;
	}
	if (s->view.readonly) {
		imap_seqset_free(&j->uids);
		buf_free(&j->kw);
		free(j);
		imap_reply(s, "NO", "[READ-ONLY] Mailbox is read-only");
		return IMAP_DONE;
	}
	return imap_wait(s, store_run, store_done, j);
}
