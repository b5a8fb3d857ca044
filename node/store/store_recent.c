/*
 * store_recent.c - the \Recent mark of each mailbox: the first UID that no
 * IMAP session has claimed yet (RFC 3501 2.3.2: a message is \Recent in
 * the first session that has its mailbox selected read-write after it
 * arrived, and in no other).
 *
 * The recent database maps a mailbox id (8 bytes) to its mark (a 4-byte
 * big-endian UID, at most UIDNEXT). No mark means 1: everything is
 * unclaimed, which is what a new mailbox and a store upgraded from schema
 * 2 need. Messages are never touched: \Recent lives in the sessions, and
 * the store only hands out disjoint UID ranges. A claim is a compare and
 * advance inside one write request, so two sessions racing for the same
 * arrivals get disjoint ranges (one of them the empty one).
 *
 * A claim changes no message, so it marks no mailbox for the change hook:
 * the other sessions have nothing to be told.
 */
#include "store/store_int.h"

struct recent_req {
	uint64_t mbox_id;
	uint32_t limit;
	uint32_t from;
};

int
store_recent_load(MDB_txn *txn, struct store *st, uint64_t mbox_id, uint32_t *first_r)
{
	struct store_key k;
	MDB_val v;
	int rc;

	*first_r = 1;
	store_key_id(&k, mbox_id);
	rc = store_get(txn, st, DB_RECENT, &k, &v);
	if (rc == STORE_ENOTFOUND)
		return 0;
	if (rc == 0 && v.mv_size != 4)
		return STORE_ECORRUPT;
	if (rc == 0)
		*first_r = store_get32(v.mv_data);
	return rc;
}

int
store_recent_first(struct store_rtxn *r, uint64_t mailbox_id, uint32_t *uid_r)
{
	return store_recent_load(r->txn, r->st, mailbox_id, uid_r);
}

/* recent_claim_fn - compare and advance, on the writer thread */
static int
recent_claim_fn(struct store_wtxn *w, void *arg)
{
	struct recent_req *a = arg;
	struct store_mbox mb;
	struct store_key k;
	unsigned char b[4];
	int rc;

	if ((rc = store_mbox_load_id(w->txn, w->st, a->mbox_id, &mb)) != 0 ||
	    (rc = store_recent_load(w->txn, w->st, a->mbox_id, &a->from)) != 0)
		return rc;
	if (a->limit > mb.m.uidnext)
		return STORE_EINVAL;	/* UIDs not given out yet */
	if (a->from >= a->limit) {
		a->from = a->limit;
		return 0;
	}
	store_key_id(&k, a->mbox_id);
	store_put32(b, a->limit);
	return store_put(w, DB_RECENT, &k, b, 4);
}

int
store_recent_claim(struct store *st, uint64_t mailbox_id, uint32_t limit, uint32_t *from_r)
{
	struct recent_req a = { mailbox_id, limit, limit };
	int rc;

	rc = store_writer_run(st, recent_claim_fn, &a);
	*from_r = rc == 0 ? a.from : limit;
	return rc;
}
