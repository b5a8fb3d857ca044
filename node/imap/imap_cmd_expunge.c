/*
 * imap_cmd_expunge.c - removing \Deleted messages: EXPUNGE, UID EXPUNGE
 * (UIDPLUS) and the silent expunge of CLOSE.
 *
 * The candidates are the view's UIDs (of the set, for UID EXPUNGE); one
 * durable store call on the pool removes those that are \Deleted at the
 * time of the write, so a flag another session changed meanwhile counts.
 * The store's change hook tells the other sessions on the mailbox. The
 * EXPUNGE (or VANISHED) replies come from the view sync that precedes the
 * tagged OK.
 */
#include <stdlib.h>

#include "imap/imap_cmd.h"
#include "imap/imap_shared.h"
#include "svc/svc.h"
#include "util/xalloc.h"

struct expunge_job {
	struct store *st;
	uint64_t mbox_id;
	uint32_t *uids;
	size_t n;
	bool close;
	int rc;
};

/* expunge_job - on the pool: the durable removal */
static void
expunge_run(void *arg)
{
	struct expunge_job *j = arg;

	j->rc = store_flags_expunge(j->st, j->mbox_id, j->uids, j->n);
}

/* expunge_done - the answer, with the EXPUNGEs from the view sync */
static enum imap_result
expunge_done(struct imap_session *s, void *arg)
{
	struct expunge_job *j = arg;

	if (j->close)
		imap_view_clear(s);
	if (j->rc != 0)
		imap_reply_store_err(s, j->rc);
	else
		imap_reply(s, "OK", "%s completed", j->close ? "CLOSE" : "EXPUNGE");
	free(j->uids);
	free(j);
	return IMAP_DONE;
}

enum imap_result
imap_expunge_deleted(struct imap_session *s, const struct imap_seqset *uids, bool close)
{
	struct expunge_job *j = xcalloc(1, sizeof(*j));

	j->st = s->env->st;
	j->mbox_id = s->view.id;
	j->close = close;
	j->uids = xmalloc((s->view.n + 1) * sizeof(*j->uids));
	for (size_t i = 0; i < s->view.n; i++) {
		const struct imap_vmsg *m = &s->view.msgs[i];

		if (uids == NULL || imap_seqset_contains(uids, m->uid))
			j->uids[j->n++] = m->uid;
	}
	return imap_wait(s, expunge_run, expunge_done, j);
}

IMAP_CMD(expunge)
{
	struct imap_seqset set = IMAP_SEQSET_INIT;
	enum imap_result r;

	if (s->view.readonly) {
		imap_reply(s, "NO", "[READ-ONLY] Mailbox is read-only");
		return IMAP_DONE;
	}
	if (imap_rights_deny(s, s->view.rights, IMAP_ACL_EXPUNGE, "EXPUNGE"))
		return IMAP_DONE;
	if (n != (uid ? 1u : 0u) || (uid && (args[0].type != IMAP_ARG_ATOM ||
	    imap_view_uids(s, args[0].str, true, &set) != 0))) {
		imap_reply(s, "BAD", uid ? "UID EXPUNGE needs a UID set" : "EXPUNGE takes no arguments");
		return IMAP_DONE;
	}
	r = imap_expunge_deleted(s, uid ? &set : NULL, false);
	imap_seqset_free(&set);
	return r;
}
