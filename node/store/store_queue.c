/*
 * store_queue.c - the outbound queue: messages accepted by submission for
 * recipients outside our domains, kept until the smart host took them or
 * they bounced.
 *
 * Three databases, kept in step inside each write transaction:
 * - queue: queue id -> the envelope, store_queue_rec_enc() (retry state,
 *   from, recipients);
 * - queue_msg: queue id -> the message, written once by a put;
 * - queue_due: big-endian next_attempt + queue id -> nothing, so that the
 *   relay finds what is due by reading the index from its start up to now,
 *   never the whole queue.
 * A retry rewrites the envelope and moves its index entry; the message
 * stays where it is. store_queue_reindex rebuilds the index at the
 * writer's open when it is empty and the queue is not: a schema-1 store,
 * whose records still hold their message (moved to queue_msg), or an
 * index lost some other way.
 *
 * Every change goes through the writer, so a put is durable (and on both
 * DRBD disks) before the caller answers the client: the queue fails over
 * with the rest of the store.
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"

/* queue_key - the key of qid; EINVAL unless it is a queue id */
static int
queue_key(struct store_key *k, const char *qid)
{
	if (qid == NULL || strlen(qid) != STORE_QUEUE_ID_LEN)
		return STORE_EINVAL;
	store_key_str(k, qid);
	return 0;
}

/* store_queue_due_key - time first, so the index is in due order (a negative time sorts as 0) */
void
store_queue_due_key(struct store_key *k, int64_t next_attempt, const char *qid)
{
	store_key_id_name(k, next_attempt < 0 ? 0 : (uint64_t)next_attempt, qid);
}

/* queue_env_load - the decoded envelope of qid, pointing into the map; rcpts to free */
static int
queue_env_load(MDB_txn *txn, struct store *st, const char *qid, struct store_queue_entry *e)
{
	struct store_key k;
	MDB_val v;
	int rc;

	store_key_str(&k, qid);
	if ((rc = store_get(txn, st, DB_QUEUE, &k, &v)) != 0 ||
	    (rc = store_queue_rec_dec(v.mv_data, v.mv_size, e)) != 0)
		return rc;
	memcpy(e->qid, qid, STORE_QUEUE_ID_LEN);
	e->qid[STORE_QUEUE_ID_LEN] = '\0';
	return 0;
}

/* queue_next_of - the next_attempt an entry is indexed under */
static int
queue_next_of(MDB_txn *txn, struct store *st, const char *qid, int64_t *next_r)
{
	struct store_queue_entry e;
	int rc;

	if ((rc = queue_env_load(txn, st, qid, &e)) != 0)
		return rc;
	*next_r = e.next_attempt;
	store_queue_entry_free(&e);
	return 0;
}

/*
 * queue_env_write - e's envelope, its index entry moved from *old_next
 * (NULL: none yet); a fresh entry never replaces an envelope (EEXISTS)
 */
static int
queue_env_write(struct store_wtxn *w, const struct store_queue_entry *e, const int64_t *old_next,
    bool fresh)
{
	struct buf rec = BUF_INIT;
	struct store_key k;
	int rc = 0;

	store_queue_rec_enc(e, &rec);	/* first: e may point into the record replaced */
	if (old_next != NULL) {
		store_queue_due_key(&k, *old_next, e->qid);
		if ((rc = store_del(w, DB_QUEUE_DUE, &k)) == STORE_ENOTFOUND)
			rc = 0;		/* a lost index entry: put back below */
	}
	store_key_str(&k, e->qid);
	if (rc == 0)
		rc = fresh ? store_put_new(w, DB_QUEUE, &k, rec.data, rec.len) :
		    store_put(w, DB_QUEUE, &k, rec.data, rec.len);
	store_queue_due_key(&k, e->next_attempt, e->qid);
	if (rc == 0)
		rc = store_put(w, DB_QUEUE_DUE, &k, "", 0);
	buf_free(&rec);
	return rc;
}

/*
 * queue_new_id - the next value of the store's queue counter, in base 36
 * over STORE_QUEUE_ID_LEN characters: committed with the entry, so an id
 * is never given twice, and ids sort in the order they were given
 */
static int
queue_new_id(struct store_wtxn *w, char qid[STORE_QUEUE_ID_LEN + 1])
{
	static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	uint64_t n;
	int rc;

	if ((rc = store_counter_next(w, "next_queue", &n)) != 0)
		return rc;
	for (int i = STORE_QUEUE_ID_LEN - 1; i >= 0; i--, n /= 36)
		qid[i] = digits[n % 36];
	qid[STORE_QUEUE_ID_LEN] = '\0';
	return n == 0 ? 0 : STORE_EFULL;	/* past 36^12 ids: never wrap */
}

int
store_queue_insert(struct store_wtxn *w, struct store_queue_entry *e)
{
	struct store_key k;
	int rc;

	if ((rc = queue_new_id(w, e->qid)) != 0 ||
	    (rc = queue_env_write(w, e, NULL, true)) != 0)
		return rc;
	store_key_str(&k, e->qid);
	return store_put_new(w, DB_QUEUE_MSG, &k, e->msg, e->msglen);
}

static int
queue_put_fn(struct store_wtxn *w, void *arg)
{
	return store_queue_insert(w, arg);
}

/* queue_update_fn - the envelope only; never brings back a deleted entry */
static int
queue_update_fn(struct store_wtxn *w, void *arg)
{
	const struct store_queue_entry *e = arg;
	int64_t old;
	int rc;

	if ((rc = queue_next_of(w->txn, w->st, e->qid, &old)) != 0)
		return rc;
	return queue_env_write(w, e, &old, false);
}

int
store_queue_put(struct store *st, struct store_queue_entry *e)
{
	if (e->nrcpt == 0 || e->nrcpt > STORE_QUEUE_RCPTS_MAX)
		return STORE_EINVAL;
	return store_writer_run(st, queue_put_fn, e);
}

int
store_queue_update(struct store *st, const struct store_queue_entry *e)
{
	struct store_key k;

	if (queue_key(&k, e->qid) != 0 || e->nrcpt == 0 || e->nrcpt > STORE_QUEUE_RCPTS_MAX)
		return STORE_EINVAL;
	return store_writer_run(st, queue_update_fn, (void *)e);
}

/* queue_read - envelope and message of qid; an envelope without its message is damage */
static int
queue_read(struct store_rtxn *r, const char *qid, struct store_queue_entry *e)
{
	struct store_key k;
	MDB_val v;
	int rc;

	if ((rc = queue_env_load(r->txn, r->st, qid, e)) != 0)
		return rc;
	store_key_str(&k, qid);
	if ((rc = store_get(r->txn, r->st, DB_QUEUE_MSG, &k, &v)) != 0) {
		store_queue_entry_free(e);
		return rc == STORE_ENOTFOUND ? STORE_ECORRUPT : rc;
	}
	e->msg = v.mv_data;
	e->msglen = v.mv_size;
	return 0;
}

int
store_queue_get(struct store_rtxn *r, const char *qid, struct store_queue_entry *e)
{
	struct store_key k;
	int rc;

	if ((rc = queue_key(&k, qid)) != 0)
		return rc;
	return queue_read(r, qid, e);
}

/* queue_del_fn - all three records; an undecodable envelope still goes */
static int
queue_del_fn(struct store_wtxn *w, void *arg)
{
	const char *qid = arg;
	struct store_key k;
	int64_t next;
	int rc = queue_next_of(w->txn, w->st, qid, &next);

	if (rc == 0) {
		store_queue_due_key(&k, next, qid);
		if ((rc = store_del(w, DB_QUEUE_DUE, &k)) != 0 && rc != STORE_ENOTFOUND)
			return rc;
	} else if (rc != STORE_ECORRUPT) {
		return rc;
	}
	store_key_str(&k, qid);
	if ((rc = store_del(w, DB_QUEUE_MSG, &k)) != 0 && rc != STORE_ENOTFOUND)
		return rc;
	return store_del(w, DB_QUEUE, &k);
}

int
store_queue_del(struct store *st, const char *qid)
{
	struct store_key k;

	if (queue_key(&k, qid) != 0)
		return STORE_EINVAL;
	return store_writer_run(st, queue_del_fn, (void *)qid);
}

struct queue_ids {
	char (*ids)[STORE_QUEUE_ID_LEN + 1];
	size_t n;
};

/* queue_ids_one - collect the keys first: store_each's fn must not write */
static int
queue_ids_one(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct queue_ids *q = arg;

	if (k->mv_size != STORE_QUEUE_ID_LEN)
		return STORE_ECORRUPT;
	q->ids = xrealloc(q->ids, (q->n + 1) * sizeof(*q->ids));
	memcpy(q->ids[q->n], k->mv_data, STORE_QUEUE_ID_LEN);
	q->ids[q->n++][STORE_QUEUE_ID_LEN] = '\0';
	return 0;
}

/* queue_ids_collect - every queue id, for a write pass over the queue */
static int
queue_ids_collect(struct store_wtxn *w, struct queue_ids *q)
{
	q->n = 0;
	return store_each(w->txn, w->st, DB_QUEUE, NULL, 0, NULL, queue_ids_one, q);
}

/* queue_flush_one - next_attempt = 0 in one envelope, leaving the rest as it is */
static int
queue_flush_one(struct store_wtxn *w, const char *qid)
{
	struct store_queue_entry e;
	int64_t old;
	int rc;

	if ((rc = queue_env_load(w->txn, w->st, qid, &e)) != 0)
		return rc;
	old = e.next_attempt;
	e.next_attempt = 0;
	rc = queue_env_write(w, &e, &old, false);
	store_queue_entry_free(&e);
	return rc;
}

static int
queue_flush_fn(struct store_wtxn *w, void *arg)
{
	struct queue_ids *q = arg;
	int rc;

	if ((rc = queue_ids_collect(w, q)) != 0)
		return rc;
	for (size_t i = 0; i < q->n; i++)
		if ((rc = queue_flush_one(w, q->ids[i])) != 0)
			return rc;
	return 0;
}

int
store_queue_flush(struct store *st, size_t *n_r)
{
	struct queue_ids q = { NULL, 0 };
	int rc = store_writer_run(st, queue_flush_fn, &q);

	*n_r = rc == 0 ? q.n : 0;
	free(q.ids);
	return rc;
}

/*
 * queue_reindex_one - one entry into the index, a schema-1 record's message
 * moved to queue_msg; an undecodable record is left for verify to report
 */
static int
queue_reindex_one(struct store_wtxn *w, const char *qid, size_t *n_r)
{
	struct store_queue_entry e;
	struct store_key k;
	MDB_val v;
	int rc;

	store_key_str(&k, qid);
	if ((rc = store_get(w->txn, w->st, DB_QUEUE, &k, &v)) != 0)
		return rc;
	if (store_queue_rec_dec_v1(v.mv_data, v.mv_size, &e) == 0)
		rc = store_put(w, DB_QUEUE_MSG, &k, e.msg, e.msglen);
	else if (store_queue_rec_dec(v.mv_data, v.mv_size, &e) != 0)
		return 0;
	memcpy(e.qid, qid, sizeof(e.qid));
	if (rc == 0 && (rc = queue_env_write(w, &e, NULL, false)) == 0)
		(*n_r)++;
	store_queue_entry_free(&e);
	return rc;
}

int
store_queue_reindex(struct store_wtxn *w, size_t *n_r)
{
	struct queue_ids q = { NULL, 0 };
	MDB_stat due, queue;
	int rc;

	*n_r = 0;
	if ((rc = mdb_stat(w->txn, w->st->dbi[DB_QUEUE_DUE], &due)) != 0 ||
	    (rc = mdb_stat(w->txn, w->st->dbi[DB_QUEUE], &queue)) != 0)
		return store_err_from_mdb(rc);
	if (due.ms_entries > 0 || queue.ms_entries == 0)
		return 0;
	rc = queue_ids_collect(w, &q);
	for (size_t i = 0; rc == 0 && i < q.n; i++)
		rc = queue_reindex_one(w, q.ids[i], n_r);
	free(q.ids);
	return rc;
}

struct queue_walk {
	struct store_rtxn *r;
	int (*cb)(const struct store_queue_entry *, void *);
	void *arg;
	uint64_t now;			/* store_queue_due: its bound, */
	size_t max, n;			/* how many it may give and gave, */
	size_t damaged;			/* the damaged entries it passed over, */
	bool done;			/* and whether it stopped on them */
};

/* queue_walk_give - read the entry qid and hand it to cb */
static int
queue_walk_give(struct queue_walk *q, const char *qid)
{
	struct store_queue_entry e;
	int rc;

	if ((rc = queue_read(q->r, qid, &e)) != 0)
		return rc;
	rc = q->cb(&e, q->arg);
	store_queue_entry_free(&e);
	return rc;
}

static int
queue_list_one(const MDB_val *k, const MDB_val *v, void *arg)
{
	char qid[STORE_QUEUE_ID_LEN + 1];

	if (k->mv_size != STORE_QUEUE_ID_LEN)
		return STORE_ECORRUPT;
	memcpy(qid, k->mv_data, STORE_QUEUE_ID_LEN);
	qid[STORE_QUEUE_ID_LEN] = '\0';
	return queue_walk_give(arg, qid);
}

int
store_queue_list(struct store_rtxn *r,
    int (*cb)(const struct store_queue_entry *e, void *arg), void *arg)
{
	struct queue_walk q = { .r = r, .cb = cb, .arg = arg };

	return store_each(r->txn, r->st, DB_QUEUE, NULL, 0, NULL, queue_list_one, &q);
}

/* queue_due_one - one index entry; the first one later than now, or past max, ends the walk */
static int
queue_due_one(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct queue_walk *q = arg;
	char qid[STORE_QUEUE_ID_LEN + 1];
	int rc;

	if (k->mv_size != STORE_QUEUE_DUE_KEY_LEN)
		return STORE_ECORRUPT;
	if (q->n >= q->max || store_get64(k->mv_data) > q->now) {
		q->done = true;
		return 1;
	}
	memcpy(qid, (const char *)k->mv_data + 8, STORE_QUEUE_ID_LEN);
	qid[STORE_QUEUE_ID_LEN] = '\0';
	rc = queue_walk_give(q, qid);
	if (rc == STORE_ENOTFOUND)
		return 0;	/* an index entry without its envelope: verify reports it */
	if (rc == STORE_ECORRUPT) {
		q->damaged++;	/* one bad entry must not hold up the rest */
		return 0;
	}
	q->n++;
	return rc;
}

int
store_queue_due(struct store_rtxn *r, int64_t now, size_t max,
    int (*cb)(const struct store_queue_entry *e, void *arg), void *arg, size_t *damaged_r)
{
	struct queue_walk q = { .r = r, .cb = cb, .arg = arg,
	    .now = now < 0 ? 0 : (uint64_t)now, .max = max };
	int rc = store_each(r->txn, r->st, DB_QUEUE_DUE, NULL, 0, NULL, queue_due_one, &q);

	*damaged_r = q.damaged;
	return q.done ? 0 : rc;
}
