/*
 * store_queue.c - the outbound queue: messages accepted by submission for
 * recipients outside our domains, kept until the smart host took them or
 * they bounced. Keyed by queue id; the record is store_queue_rec_enc().
 *
 * Every change goes through the writer, so a put is durable (and on both
 * DRBD disks) before the caller answers the client: the queue fails over
 * with the rest of the store. A retry rewrites the whole record, message
 * included; queued mail is expected to be few and short-lived.
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

struct queue_put {
	const char *qid;
	struct buf rec;
	bool must_exist;		/* an update: never bring back a deleted entry */
};

static int
queue_put_fn(struct store_wtxn *w, void *arg)
{
	struct queue_put *p = arg;
	struct store_key k;

	MDB_val v;
	int rc;

	store_key_str(&k, p->qid);
	if (p->must_exist && (rc = store_get(w->txn, w->st, DB_QUEUE, &k, &v)) != 0)
		return rc;
	return store_put(w, DB_QUEUE, &k, p->rec.data, p->rec.len);
}

/* queue_write - put e, or only replace it when must_exist */
static int
queue_write(struct store *st, const struct store_queue_entry *e, bool must_exist)
{
	struct queue_put p = { .qid = e->qid, .rec = BUF_INIT, .must_exist = must_exist };
	struct store_key k;
	int rc;

	if (queue_key(&k, e->qid) != 0 || e->nrcpt == 0 || e->nrcpt > STORE_QUEUE_RCPTS_MAX)
		return STORE_EINVAL;
	store_queue_rec_enc(e, &p.rec);
	rc = store_writer_run(st, queue_put_fn, &p);
	buf_free(&p.rec);
	return rc;
}

int
store_queue_put(struct store *st, const struct store_queue_entry *e)
{
	return queue_write(st, e, false);
}

int
store_queue_update(struct store *st, const struct store_queue_entry *e)
{
	return queue_write(st, e, true);
}

int
store_queue_get(struct store_rtxn *r, const char *qid, struct store_queue_entry *e)
{
	struct store_key k;
	MDB_val v;
	int rc;

	if ((rc = queue_key(&k, qid)) != 0 ||
	    (rc = store_get(r->txn, r->st, DB_QUEUE, &k, &v)) != 0 ||
	    (rc = store_queue_rec_dec(v.mv_data, v.mv_size, e)) != 0)
		return rc;
	memcpy(e->qid, qid, sizeof(e->qid));
	return 0;
}

static int
queue_del_fn(struct store_wtxn *w, void *arg)
{
	struct store_key k;

	store_key_str(&k, arg);
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

struct queue_flush {
	char (*ids)[STORE_QUEUE_ID_LEN + 1];
	size_t n;
};

/* queue_flush_id - collect the keys first: fn must not write while iterating */
static int
queue_flush_id(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct queue_flush *f = arg;

	if (k->mv_size != STORE_QUEUE_ID_LEN)
		return STORE_ECORRUPT;
	f->ids = xrealloc(f->ids, (f->n + 1) * sizeof(*f->ids));
	memcpy(f->ids[f->n], k->mv_data, STORE_QUEUE_ID_LEN);
	f->ids[f->n++][STORE_QUEUE_ID_LEN] = '\0';
	return 0;
}

/* queue_flush_one - next_attempt = 0 in one record, leaving the rest as it is */
static int
queue_flush_one(struct store_wtxn *w, const char *qid)
{
	struct store_queue_entry e;
	struct buf rec = BUF_INIT;
	struct store_key k;
	MDB_val v;
	int rc;

	store_key_str(&k, qid);
	if ((rc = store_get(w->txn, w->st, DB_QUEUE, &k, &v)) != 0 ||
	    (rc = store_queue_rec_dec(v.mv_data, v.mv_size, &e)) != 0)
		return rc;
	e.next_attempt = 0;
	store_queue_rec_enc(&e, &rec);
	store_queue_entry_free(&e);
	rc = store_put(w, DB_QUEUE, &k, rec.data, rec.len);
	buf_free(&rec);
	return rc;
}

static int
queue_flush_fn(struct store_wtxn *w, void *arg)
{
	struct queue_flush *f = arg;
	int rc;

	f->n = 0;
	if ((rc = store_each(w->txn, w->st, DB_QUEUE, NULL, 0, NULL, queue_flush_id, f)) != 0)
		return rc;
	for (size_t i = 0; i < f->n; i++)
		if ((rc = queue_flush_one(w, f->ids[i])) != 0)
			return rc;
	return 0;
}

int
store_queue_flush(struct store *st, size_t *n_r)
{
	struct queue_flush f = { NULL, 0 };
	int rc = store_writer_run(st, queue_flush_fn, &f);

	*n_r = rc == 0 ? f.n : 0;
	free(f.ids);
	return rc;
}

struct queue_list {
	int (*cb)(const struct store_queue_entry *, void *);
	void *arg;
};

static int
queue_list_one(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct queue_list *l = arg;
	struct store_queue_entry e;
	int rc;

	if (k->mv_size != STORE_QUEUE_ID_LEN ||
	    store_queue_rec_dec(v->mv_data, v->mv_size, &e) != 0)
		return STORE_ECORRUPT;
	memcpy(e.qid, k->mv_data, STORE_QUEUE_ID_LEN);
	e.qid[STORE_QUEUE_ID_LEN] = '\0';
	rc = l->cb(&e, l->arg);
	store_queue_entry_free(&e);
	return rc;
}

int
store_queue_list(struct store_rtxn *r,
    int (*cb)(const struct store_queue_entry *e, void *arg), void *arg)
{
	struct queue_list l = { cb, arg };

	return store_each(r->txn, r->st, DB_QUEUE, NULL, 0, NULL, queue_list_one, &l);
}
