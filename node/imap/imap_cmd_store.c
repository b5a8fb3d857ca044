/*
 * imap_cmd_store.c - STORE and UID STORE: FLAGS, +FLAGS, -FLAGS, .SILENT,
 * and CONDSTORE's UNCHANGEDSINCE with the MODIFIED response code; and
 * imap_flags_apply(), which FETCH uses to set \Seen.
 *
 * The whole STORE is one store_flags_apply() on the pool: one durable
 * write request in which UNCHANGEDSINCE is checked against the modseqs
 * being changed, so a concurrent writer cannot slip in between. The FETCH
 * replies come from the view sync before the tagged OK, which reports
 * every modseq that moved (.SILENT hides this command's own).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imap/imap_cmd.h"
#include "imap/imap_flags.h"
#include "imap/imap_shared.h"
#include "svc/svc.h"
#include "util/xalloc.h"

/* imap_flags_apply - the seqset as the store's UID array, and MODIFIED back as a set */
int
imap_flags_apply(struct store *st, uint64_t mbox_id, const struct imap_seqset *uids,
    enum store_flags_op op, uint32_t flags, const char *kw, uint64_t unchangedsince,
    struct imap_seqset *modified)
{
	struct imap_seqset_iter it = IMAP_SEQSET_ITER_INIT;
	size_t count = (size_t)imap_seqset_count(uids), n = 0;
	uint32_t *arr = xmalloc((count + 1) * sizeof(*arr));
	enum store_flags_result *res = xmalloc((count + 1) * sizeof(*res));
	uint32_t v;
	int rc;

	while (imap_seqset_next(uids, &it, &v))
		arr[n++] = v;
	rc = store_flags_apply(st, mbox_id, arr, n, op, flags, kw, unchangedsince, res);
	for (size_t i = 0; rc == 0 && modified != NULL && i < n; i++)
		if (res[i] == STORE_FLAGS_CONFLICT)
			imap_seqset_add(modified, arr[i], arr[i]);
	free(arr);
	free(res);
	return rc;
}

struct store_job {
	struct store *st;
	uint64_t mbox_id;
	struct imap_seqset uids;
	struct imap_seqset modified;
	enum store_flags_op op;
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

/* store_modified - MODIFIED speaks sequence numbers unless the command was UID STORE */
static void
store_modified(struct imap_session *s, const struct store_job *j, struct buf *out)
{
	struct imap_seqset seqs = IMAP_SEQSET_INIT;
	struct imap_seqset_iter it = IMAP_SEQSET_ITER_INIT;
	uint32_t v, seq;

	while (!j->uid && imap_seqset_next(&j->modified, &it, &v))
		if ((seq = imap_view_seq(&s->view, v)) != 0)
			imap_seqset_add(&seqs, seq, seq);
	imap_seqset_format(j->uid ? &j->modified : &seqs, out);
	imap_seqset_free(&seqs);
}

/* store_done - the store hook told the others; our FETCH replies come from the sync */
static enum imap_result
store_done(struct imap_session *s, void *arg)
{
	struct store_job *j = arg;
	struct buf b = BUF_INIT;

	if (s->selected)
		imap_view_sync_ex(s, s->sync_mode == IMAP_SYNC_FULL, j->silent ? &j->uids : NULL,
		    j->uid);
	s->sync_mode = IMAP_SYNC_NONE;
	if (j->rc != 0) {
		imap_reply_store_err(s, j->rc);
	} else if (j->modified.n) {
		buf_puts(&b, "[MODIFIED ");
		store_modified(s, j, &b);
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

/*
 * store_needs - the rights a flag change takes (RFC 4314 4): "s" for
 * \Seen, "t" for \Deleted, "w" for the others and keywords; replacing
 * them all may change any
 */
static uint32_t
store_needs(const struct store_job *j)
{
	uint32_t need = 0;

	if (j->op == STORE_FLAGS_SET)
		return IMAP_ACL_SEEN | IMAP_ACL_DELETED | IMAP_ACL_WRITE;
	if (j->flags & STORE_F_SEEN)
		need |= IMAP_ACL_SEEN;
	if (j->flags & STORE_F_DELETED)
		need |= IMAP_ACL_DELETED;
	if ((j->flags & ~(uint32_t)(STORE_F_SEEN | STORE_F_DELETED)) || j->kw.len > 0)
		need |= IMAP_ACL_WRITE;
	return need;
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
	j->unchangedsince = UINT64_MAX;
	if (n >= 3 && args[0].type == IMAP_ARG_ATOM)
		rc = imap_view_uids(s, args[0].str, uid, &j->uids);
	if (rc == 0 && args[1].type == IMAP_ARG_LIST) {
		const struct imap_arg *m = &args[1];

		rc = m->count == 2 && imap_arg_atom_is(&m->list[0], "UNCHANGEDSINCE") &&
		    m->list[1].type == IMAP_ARG_ATOM ? 0 : -1;
		if (rc == 0)
			j->unchangedsince = strtoull(m->list[1].str, NULL, 10);
		imap_condstore_on(s);
		i = 2;
	}
	item = rc == 0 && i + 2 == n && args[i].type == IMAP_ARG_ATOM ? args[i].str : NULL;
	if (item != NULL && (*item == '+' || *item == '-')) {
		j->op = *item == '+' ? STORE_FLAGS_ADD : STORE_FLAGS_REMOVE;
		item++;
	}
	if (item == NULL || (strcasecmp(item, "FLAGS") != 0 &&
	    !(j->silent = strcasecmp(item, "FLAGS.SILENT") == 0)) ||
	    imap_flags_parse(&args[i + 1], &j->flags, &j->kw) != 0) {
		imap_seqset_free(&j->uids);
		buf_free(&j->kw);
		free(j);
		imap_reply(s, "BAD", rc == -2 ? "Invalid sequence number" : "Bad STORE arguments");
		return IMAP_DONE;
	}
	if (s->view.readonly || imap_rights_deny(s, s->view.rights, store_needs(j), "STORE")) {
		if (s->view.readonly)
			imap_reply(s, "NO", "[READ-ONLY] Mailbox is read-only");
		imap_seqset_free(&j->uids);
		buf_free(&j->kw);
		free(j);
		return IMAP_DONE;
	}
	return imap_wait(s, store_run, store_done, j);
}
