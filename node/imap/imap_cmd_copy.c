/*
 * imap_cmd_copy.c - COPY, MOVE (RFC 6851) and their UID forms, with
 * UIDPLUS's COPYUID.
 *
 * The UIDs come from the view; one store_copy_msgs() on the pool copies
 * (or moves) them in a single durable write. COPY answers
 * "OK [COPYUID v src dst]"; MOVE sends that as an untagged OK, then the
 * source's EXPUNGE (or VANISHED) replies come from the view sync that
 * precedes its tagged OK, as RFC 6851 3.3 orders them. Into the selected
 * mailbox, the copies' EXISTS comes before the tagged OK too. The store's change
 * hook tells the other sessions on both mailboxes.
 *
 * Into another user's mailbox (the shared namespace) both need the "i"
 * right there; MOVE out of a mailbox needs "t" and "e" on it (RFC 4314).
 *
 * Hazard: a message expunged by another session meanwhile is simply not
 * copied; COPYUID lists only the UIDs that were.
 */
#include <stdlib.h>
#include <string.h>

#include "imap/imap_cmd.h"
#include "imap/imap_shared.h"
#include "svc/svc.h"
#include "util/xalloc.h"

struct copy_job {
	struct store *st;
	struct imap_mbox_ref dest;
	uint64_t mbox_id;
	uint32_t *uids, *new_uids;
	size_t n;
	bool move;
	uint32_t uidvalidity;
	int rc;
};

/* copy_run - on the pool: the durable copy or move */
static void
copy_run(void *arg)
{
	struct copy_job *j = arg;

	j->rc = store_copy_msgs(j->st, j->dest.owner, j->mbox_id, j->uids, j->n, j->dest.name, j->move,
	    &j->uidvalidity, j->new_uids);
}

/* copy_uid_code - "COPYUID v src dst" for what was copied; empty if nothing */
static void
copy_uid_code(const struct copy_job *j, struct buf *out)
{
	struct imap_seqset src = IMAP_SEQSET_INIT, dst = IMAP_SEQSET_INIT;

	for (size_t i = 0; i < j->n; i++)
		if (j->new_uids[i] != 0) {
			imap_seqset_add(&src, j->uids[i], j->uids[i]);
			imap_seqset_add(&dst, j->new_uids[i], j->new_uids[i]);
		}
	if (src.n > 0) {
		/* both ascend together, so the range forms pair up as RFC 4315 wants */
		buf_printf(out, "[COPYUID %u ", j->uidvalidity);
		imap_seqset_format(&src, out);
		buf_putc(out, ' ');
		imap_seqset_format(&dst, out);
		buf_puts(out, "] ");
	}
	imap_seqset_free(&src);
	imap_seqset_free(&dst);
}

/* copy_reply - COPYUID, then the tagged reply (after the view sync for MOVE) */
static enum imap_result
copy_reply(struct imap_session *s, void *arg)
{
	struct copy_job *j = arg;
	struct buf code = BUF_INIT;

	if (j->rc == STORE_ENOTFOUND) {
		imap_reply(s, "NO", "[TRYCREATE] No such mailbox");
	} else if (j->rc != 0) {
		imap_reply_store_err(s, j->rc);
	} else {
		copy_uid_code(j, &code);
		if (j->move && code.len > 0)
			imap_untagged(s, "OK %sMoved", buf_cstr(&code));
		imap_reply(s, "OK", "%s%s completed", j->move ? "" : buf_cstr(&code),
		    j->move ? "MOVE" : "COPY");
	}
	buf_free(&code);
	free(j->uids);
	free(j->new_uids);
	free(j);
	return IMAP_DONE;
}

/*
 * copy_done - into the selected mailbox, the view claims the copies first,
 * so their EXISTS (and RECENT) precede the tagged OK (RFC 3501 7, RFC 6851)
 */
static enum imap_result
copy_done(struct imap_session *s, void *arg)
{
	struct copy_job *j = arg;

	if (j->rc == 0 && imap_view_is(s, j->dest.owner, j->dest.name))
		return imap_recent_settle(s, copy_reply, j);
	return copy_reply(s, j);
}

/* copy_start - COPY and MOVE share everything but the last step */
static enum imap_result
copy_start(struct imap_session *s, const struct imap_arg *args, size_t n, bool uid, bool move)
{
	struct imap_seqset set = IMAP_SEQSET_INIT;
	struct imap_seqset_iter it = IMAP_SEQSET_ITER_INIT;
	struct copy_job *j;
	struct imap_mbox_ref dest;
	int rc = -1;
	uint32_t v, rights;

	if (n == 2 && args[0].type == IMAP_ARG_ATOM)
		rc = imap_view_uids(s, args[0].str, uid, &set);
	if (rc == 0 && imap_mbox_in(s, &args[1], &dest) != 0)
		rc = -3;
	if (rc != 0) {
		imap_seqset_free(&set);
		imap_reply(s, "BAD", "%s", rc == -2 ? "Invalid sequence number" :
		    rc == -3 ? "Bad mailbox name" : "Needs a message set and a mailbox");
		return IMAP_DONE;
	}
	if (move && s->view.readonly) {
		imap_seqset_free(&set);
		imap_reply(s, "NO", "[READ-ONLY] Mailbox is read-only");
		return IMAP_DONE;
	}
	if ((move && imap_rights_deny(s, s->view.rights, IMAP_ACL_DELETED | IMAP_ACL_EXPUNGE, "MOVE")) ||
	    imap_mbox_need(s, &dest, IMAP_ACL_INSERT, move ? "MOVE" : "COPY", &rights) != 0) {
		imap_seqset_free(&set);
		return IMAP_DONE;
	}
	j = xcalloc(1, sizeof(*j));
	j->st = s->env->st;
	j->dest = dest;
	j->mbox_id = s->view.id;
	j->move = move;
	j->uids = xmalloc((imap_seqset_count(&set) + 1) * sizeof(*j->uids));
	j->new_uids = xcalloc(imap_seqset_count(&set) + 1, sizeof(*j->new_uids));
	while (imap_seqset_next(&set, &it, &v))
		j->uids[j->n++] = v;
	imap_seqset_free(&set);
	return imap_wait(s, copy_run, copy_done, j);
}

IMAP_CMD(copy)
{
	return copy_start(s, args, n, uid, false);
}

IMAP_CMD(move)
{
	return copy_start(s, args, n, uid, true);
}
