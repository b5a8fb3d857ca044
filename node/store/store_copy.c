/*
 * store_copy.c - IMAP COPY and MOVE (RFC 6851) as one write request: the
 * copies share the source's bodies (one more reference each), keep flags,
 * keywords and internal date, and get UIDs in the destination in the
 * order of the source UIDs, as UIDPLUS's COPYUID reports them.
 *
 * A copy passes the quota check of an append (the purge policy may make
 * room). A move adds as much as it removes, so it skips that check and
 * then expunges the sources with tombstones, in the same transaction: a
 * client never sees a message in both places, or in neither. Source and
 * destination may belong to different users (shared mailboxes; the
 * caller checked the rights): a move between them is a copy, quota
 * checked, and then the expunge.
 *
 * Hazard: with src == dest the inserts change the very mailbox the
 * removals then load; each phase reloads its mailbox record.
 */
#include "store/store_int.h"

#include <string.h>

#include "util/buf.h"

struct copy_req {
	char addr[STORE_ADDR_MAX + 1];
	char dest[STORE_MBOX_NAME_MAX + 1];
	uint64_t src_id;
	const uint32_t *uids;
	size_t n;
	bool move;
	bool same_owner;	/* source and destination: a move is not charged */
	uint32_t uidvalidity;
	uint32_t *new_uids;
};

/* copy_one - one source message into dest; 0 with no UID when it is gone */
static int
copy_one(struct store_wtxn *w, struct copy_req *a, const struct store_user_rec *u,
    struct store_mbox *dest, uint32_t uid, struct buf *kw, uint32_t *new_uid_r)
{
	struct store_msg_rec m;
	int rc;

	*new_uid_r = 0;
	rc = store_msg_load(w->txn, w->st, a->src_id, uid, &m, kw);
	if (rc == STORE_ENOTFOUND)
		return 0;
	if (rc != 0)
		return rc;
	if (a->move && a->same_owner)
		return store_msg_insert(w, dest, &m, new_uid_r);
	/* hold the body: the quota purge may expunge the very source message */
	if ((rc = store_body_ref(w, m.body_id, 1)) != 0 ||
	    (rc = store_msg_add(w, a->addr, u, dest, &m, "-", new_uid_r)) != 0)
		return rc;
	return store_body_ref(w, m.body_id, -1);
}

/* copy_fn - the whole COPY or MOVE, on the writer thread */
static int
copy_fn(struct store_wtxn *w, void *arg)
{
	struct copy_req *a = arg;
	struct store_user_rec u;
	struct store_mbox dest, src;
	struct buf kw = BUF_INIT;
	int rc;

	if ((rc = store_user_load(w->txn, w->st, a->addr, &u)) != 0 ||
	    (rc = store_mbox_load(w->txn, w->st, u.id, a->dest, &dest)) != 0 ||
	    (rc = store_mbox_load_id(w->txn, w->st, a->src_id, &src)) != 0)
		return rc;
	a->same_owner = src.user_id == u.id;
	a->uidvalidity = dest.m.uidvalidity;
	for (size_t i = 0; rc == 0 && i < a->n; i++)
		rc = copy_one(w, a, &u, &dest, a->uids[i], &kw, &a->new_uids[i]);
	buf_free(&kw);
	if (rc != 0 || !a->move)
		return rc;
	if ((rc = store_mbox_load_id(w->txn, w->st, a->src_id, &src)) != 0)
		return rc;
	for (size_t i = 0; rc == 0 && i < a->n; i++)
		if (a->new_uids[i] != 0)
			rc = store_msg_remove(w, &src, a->uids[i]);
	return rc;
}

int
store_copy_msgs(struct store *st, const char *address, uint64_t src_id, const uint32_t *uids,
    size_t n, const char *dest, bool move, uint32_t *uidvalidity_r, uint32_t *new_uids_r)
{
	struct copy_req a = { .src_id = src_id, .uids = uids, .n = n, .move = move,
	    .new_uids = new_uids_r };
	int rc;

	if ((uids == NULL && n > 0) || (n > 0 && new_uids_r == NULL) ||
	    store_addr_normalize(address, a.addr) != 0 ||
	    store_mbox_name_normalize(dest, a.dest) != 0)
		return STORE_EINVAL;
	rc = store_writer_run(st, copy_fn, &a);
	if (rc == 0 && uidvalidity_r)
		*uidvalidity_r = a.uidvalidity;
	return rc;
}
