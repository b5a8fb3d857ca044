/*
 * store_writer.c - group commit: one writer thread per open store.
 *
 * Mutating calls queue a request (a function and its argument) and the
 * writer runs a batch of up to commit_batch_max of them in one LMDB write
 * transaction, each inside its own nested transaction so that a failing
 * request is rolled back alone. Only after mdb_txn_commit of the batch has
 * returned 0 does any request learn its result; if the commit fails, every
 * request of the batch gets that error. One durable commit (two flushes,
 * and a DRBD round trip in production) is thus shared by all the writers
 * that arrived while the previous one was syncing.
 *
 * Completion goes through req->done, called on the writer thread, so an
 * asynchronous caller (an event loop) can be woken instead of a condition
 * variable. store_writer_stop drains the queue before the thread exits.
 * The change hook (store_hook.c) fires after a commit, before the
 * completions, with the mailboxes the committed requests changed, and the
 * notes of those requests are logged.
 *
 * Hazard: request functions run on the writer thread, must not block, and
 * must not submit further requests (that would deadlock).
 */
#include "store/store_int.h"

#include "util/log.h"

/* a synchronous caller waiting for its request */
struct store_waiter {
	struct store_req req;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool finished;
};

/* store_writer_take - up to commit_batch_max requests, or NULL when stopping and drained */
static struct store_req *
store_writer_take(struct store *st)
{
	struct store_req *batch, *last;
	unsigned n = 1;

	pthread_mutex_lock(&st->mu);
	while (st->head == NULL && !st->stopping)
		pthread_cond_wait(&st->cv, &st->mu);
	batch = last = st->head;
	if (batch != NULL) {
		while (last->next != NULL && n < st->opts.commit_batch_max) {
			last = last->next;
			n++;
		}
		st->head = last->next;
		if (st->head == NULL)
			st->tail = NULL;
		last->next = NULL;
	}
	pthread_mutex_unlock(&st->mu);
	return batch;
}

/* store_writer_one - run one request in a nested transaction of parent */
static int
store_writer_one(struct store *st, MDB_txn *parent, struct store_req *req)
{
	struct store_wtxn w = { st, NULL };
	struct store_hook_pos pos = store_hook_pos(st);
	int rc;

	if ((rc = mdb_txn_begin(st->env, parent, 0, &w.txn)) != 0)
		return store_err_from_mdb(rc);
	rc = req->fn(&w, req->arg);
	if (rc != 0)
		mdb_txn_abort(w.txn);
	else
		rc = store_err_from_mdb(mdb_txn_commit(w.txn));
	if (rc != 0)
		store_hook_rollback(st, pos);	/* its changes are gone with it */
	return rc;
}

/* store_writer_batch - one write transaction for the batch, then the answers */
static void
store_writer_batch(struct store *st, struct store_req *batch)
{
	struct store_req *req, *next;
	MDB_txn *txn;
	uint64_t n = 0;
	int rc;

	rc = store_err_from_mdb(mdb_txn_begin(st->env, NULL, 0, &txn));
	for (req = batch; req != NULL; req = req->next, n++)
		req->err = rc == 0 ? store_writer_one(st, txn, req) : rc;
	if (rc == 0 && (rc = store_err_from_mdb(mdb_txn_commit(txn))) != 0)
		log_error("-", "store commit of %llu requests failed: %s", (unsigned long long)n,
		    store_strerror(rc));
	pthread_mutex_lock(&st->mu);
	st->commits += rc == 0;
	st->requests += n;
	pthread_mutex_unlock(&st->mu);
	store_hook_fire(st, rc == 0);
	for (req = batch; req != NULL; req = next) {
		next = req->next;	/* done may free req */
		req->done(req, rc != 0 ? rc : req->err);
	}
}

static void *
store_writer_main(void *arg)
{
	struct store *st = arg;
	struct store_req *batch;

	while ((batch = store_writer_take(st)) != NULL)
		store_writer_batch(st, batch);
	return NULL;
}

int
store_writer_start(struct store *st)
{
	if (pthread_create(&st->thread, NULL, store_writer_main, st) != 0)
		return STORE_ETEMP;
	st->writer_running = true;
	return 0;
}

/* store_writer_stop - drain, then join: queued writes are never dropped */
void
store_writer_stop(struct store *st)
{
	if (!st->writer_running)
		return;
	pthread_mutex_lock(&st->mu);
	st->stopping = true;
	pthread_cond_broadcast(&st->cv);
	pthread_mutex_unlock(&st->mu);
	pthread_join(st->thread, NULL);
	st->writer_running = false;
	store_hook_free(st);
}

int
store_writer_submit(struct store *st, struct store_req *req)
{
	if (!st->writer_running)
		return STORE_EINVAL;	/* opened read-only */
	req->next = NULL;
	pthread_mutex_lock(&st->mu);
	if (st->stopping) {
		pthread_mutex_unlock(&st->mu);
		return STORE_ETEMP;
	}
	if (st->tail)
		st->tail->next = req;
	else
		st->head = req;
	st->tail = req;
	pthread_cond_signal(&st->cv);
	pthread_mutex_unlock(&st->mu);
	return 0;
}

/* store_writer_wake - the completion of a synchronous request */
static void
store_writer_wake(struct store_req *req, int err)
{
	struct store_waiter *wt = req->done_arg;

	pthread_mutex_lock(&wt->mu);
	wt->req.err = err;
	wt->finished = true;
	pthread_cond_signal(&wt->cv);
	pthread_mutex_unlock(&wt->mu);
}

int
store_writer_run(struct store *st, store_req_fn fn, void *arg)
{
	struct store_waiter wt = {
		.req = { .fn = fn, .arg = arg, .done = store_writer_wake, .done_arg = &wt },
	};
	int rc;

	pthread_mutex_init(&wt.mu, NULL);
	pthread_cond_init(&wt.cv, NULL);
	if ((rc = store_writer_submit(st, &wt.req)) == 0) {
		pthread_mutex_lock(&wt.mu);
		while (!wt.finished)
			pthread_cond_wait(&wt.cv, &wt.mu);
		pthread_mutex_unlock(&wt.mu);
		rc = wt.req.err;
	}
	pthread_cond_destroy(&wt.cv);
	pthread_mutex_destroy(&wt.mu);
	return rc;
}
