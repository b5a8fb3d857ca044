/*
 * relay.c - the relay worker's thread and queue bookkeeping; see relay.h.
 *
 * One attempt: copy the entry out of a short read transaction (network
 * I/O never holds one open), run the SMTP conversation, then bounce the
 * recipients refused for good (or left when queue_lifetime is over) and
 * either remove the entry or write it back with the recipients still to
 * go and the next attempt on the relay_sched.h schedule. Each step is
 * logged with the queue id.
 */
#include "relay/relay.h"
#include "relay/relay_int.h"
#include "relay/relay_sched.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf/conf.h"
#include "tls/tls_client.h"
#include "util/buf.h"
#include "util/hostname.h"
#include "util/log.h"
#include "util/xalloc.h"

struct relay {
	struct store *st;
	const struct conf *cf;
	char hostname[256];
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stopping;			/* under mu */
	size_t damaged;			/* damaged due entries at the last poll */
};

/* an entry copied out of its read transaction, owned by the attempt */
struct relay_copy {
	struct store_queue_entry e;
	struct buf strings;		/* from, last_error, rcpts, msg back to back */
};

/* copy_entry - everything e points to, into c (one allocation) */
static void
copy_entry(const struct store_queue_entry *e, struct relay_copy *c)
{
	size_t *offs = xcalloc(e->nrcpt + 3, sizeof(*offs));
	const char *base;

	c->e = *e;
	c->strings = (struct buf)BUF_INIT;
	offs[0] = c->strings.len;
	buf_append(&c->strings, e->from, strlen(e->from) + 1);
	offs[1] = c->strings.len;
	buf_append(&c->strings, e->last_error, strlen(e->last_error) + 1);
	for (size_t i = 0; i < e->nrcpt; i++) {
		offs[2 + i] = c->strings.len;
		buf_append(&c->strings, e->rcpts[i], strlen(e->rcpts[i]) + 1);
	}
	offs[2 + e->nrcpt] = c->strings.len;
	buf_append(&c->strings, e->msg, e->msglen);
	base = c->strings.data;
	c->e.from = base + offs[0];
	c->e.last_error = base + offs[1];
	c->e.rcpts = xcalloc(e->nrcpt + 1, sizeof(*c->e.rcpts));
	for (size_t i = 0; i < e->nrcpt; i++)
		c->e.rcpts[i] = base + offs[2 + i];
	c->e.msg = base + offs[2 + e->nrcpt];
	free(offs);
}

static void
copy_free(struct relay_copy *c)
{
	store_queue_entry_free(&c->e);
	buf_free(&c->strings);
}

/* load - the entry qid, copied; false when it is gone or unreadable */
static bool
load(struct relay *r, const char *qid, struct relay_copy *c)
{
	struct store_rtxn *tx;
	struct store_queue_entry e;
	int rc;

	if ((rc = store_rtxn_begin(r->st, &tx)) != 0) {
		log_error(qid, "relay: cannot read the queue: %s", store_strerror(rc));
		return false;
	}
	if ((rc = store_queue_get(tx, qid, &e)) == 0) {
		copy_entry(&e, c);
		store_queue_entry_free(&e);
	} else if (rc != STORE_ENOTFOUND) {
		log_error(qid, "relay: cannot read the entry: %s", store_strerror(rc));
	}
	store_rtxn_end(&tx);
	return rc == 0;
}

/* outcome - log each recipient's result; mark the ones to bounce; the count left to try */
static size_t
outcome(const struct relay *r, const struct store_queue_entry *e,
    struct relay_rcpt_result *res, bool *failed, bool expired)
{
	size_t left = 0;

	for (size_t i = 0; i < e->nrcpt; i++) {
		int cls = res[i].code / 100;

		if (cls == 2) {
			log_info(e->qid, "to=<%s> relay=%s status=sent (%s)", e->rcpts[i],
			    r->cf->relay_host, res[i].text);
		} else if (cls == 5 || expired) {
			failed[i] = true;
			log_info(e->qid, "to=<%s> relay=%s status=bounced (%s%s)", e->rcpts[i],
			    r->cf->relay_host, cls == 5 ? "" : "queue_lifetime expired: ",
			    res[i].text);
		} else {
			left++;
			log_info(e->qid, "to=<%s> relay=%s status=deferred (%s)", e->rcpts[i],
			    r->cf->relay_host[0] ? r->cf->relay_host : "none", res[i].text);
		}
	}
	return left;
}

/* requeue - write back what is left, with the next attempt scheduled */
static void
requeue(struct relay *r, const struct store_queue_entry *e, const struct relay_rcpt_result *res,
    const bool *keep, time_t now)
{
	struct store_queue_entry n = *e;
	const char *why = "";
	int rc;

	n.rcpts = xcalloc(e->nrcpt, sizeof(*n.rcpts));
	n.nrcpt = 0;
	for (size_t i = 0; i < e->nrcpt; i++) {
		if (!keep[i])
			continue;
		n.rcpts[n.nrcpt++] = e->rcpts[i];
		if (!why[0])
			why = res[i].text;
	}
	n.attempts = e->attempts + 1;
	n.next_attempt = (int64_t)now + relay_sched_delay(n.attempts);
	n.last_error = why;
	if ((rc = store_queue_update(r->st, &n)) == 0)
		log_info(e->qid, "deferred: %zu recipients, attempt %u, next in %llds", n.nrcpt,
		    n.attempts, (long long)(n.next_attempt - now));
	else if (rc != STORE_ENOTFOUND)
		log_error(e->qid, "relay: cannot update the queue entry: %s", store_strerror(rc));
	free(n.rcpts);
}

/* attempt - one try of one entry, and its bookkeeping */
static void
attempt(struct relay *r, const struct store_queue_entry *e)
{
	struct relay_rcpt_result *res = xcalloc(e->nrcpt, sizeof(*res));
	bool *failed = xcalloc(e->nrcpt, sizeof(*failed)), *keep;
	time_t now = time(NULL);
	bool expired = relay_sched_expired(e->created, (int64_t)now, r->cf->queue_lifetime);
	size_t left, nfailed = 0;

	log_info(e->qid, "relay: attempt %u for %zu recipients, from=<%s>", e->attempts + 1,
	    e->nrcpt, e->from);
	if (r->cf->relay_host[0] == '\0') {
		log_warn(e->qid, "relay: relay_host is not set; the message stays queued");
		for (size_t i = 0; i < e->nrcpt; i++)
			snprintf(res[i].text, sizeof(res[i].text), "relay_host is not configured");
	} else {
		relay_client_send(r->cf, r->hostname, e, res);
	}
	left = outcome(r, e, res, failed, expired);
	keep = xcalloc(e->nrcpt, sizeof(*keep));
	for (size_t i = 0; i < e->nrcpt; i++) {
		nfailed += failed[i];
		keep[i] = res[i].code / 100 != 2 && !failed[i];
	}
	/* a report that could not be stored: keep those recipients, bounce them next time */
	if (nfailed > 0 && relay_bounce(r->st, r->hostname, e, failed, res) != 0)
		for (size_t i = 0; i < e->nrcpt; i++)
			if (failed[i]) {
				keep[i] = true;
				left++;
			}
	if (left == 0) {
		int rc = store_queue_del(r->st, e->qid);

		if (rc == 0 || rc == STORE_ENOTFOUND)
			log_info(e->qid, "removed from the queue: every recipient done");
		else
			log_error(e->qid, "relay: cannot remove the entry: %s", store_strerror(rc));
	} else {
		requeue(r, e, res, keep, now);
	}
	free(keep);
	free(failed);
	free(res);
}

static bool
relay_stopping(struct relay *r)
{
	bool stop;

	pthread_mutex_lock(&r->mu);
	stop = r->stopping;
	pthread_mutex_unlock(&r->mu);
	return stop;
}

struct due {
	char (*ids)[STORE_QUEUE_ID_LEN + 1];
	size_t n;
};

/* due_one - note the id only: the attempt reads the entry again, outside this rtxn */
static int
due_one(const struct store_queue_entry *e, void *arg)
{
	struct due *d = arg;

	d->ids = xrealloc(d->ids, (d->n + 1) * sizeof(*d->ids));
	memcpy(d->ids[d->n++], e->qid, sizeof(*d->ids));
	return 0;
}

/* run_due - every entry whose time has come, one after the other */
static void
run_due(struct relay *r)
{
	struct due d = { NULL, 0 };
	struct store_rtxn *tx;
	size_t damaged = r->damaged;
	int rc;

	if ((rc = store_rtxn_begin(r->st, &tx)) == 0) {
		rc = store_queue_due(tx, (int64_t)time(NULL), RELAY_DUE_MAX, due_one, &d, &damaged);
		store_rtxn_end(&tx);
	}
	if (rc != 0)
		log_error(NULL, "relay: cannot list the queue: %s", store_strerror(rc));
	/* said when the number changes, not at every poll */
	if (damaged != r->damaged && damaged > 0)
		log_error(NULL, "relay: %zu damaged queue entr%s passed over; duplexctl verify "
		    "names them, duplexctl queue delete removes them", damaged,
		    damaged == 1 ? "y" : "ies");
	r->damaged = damaged;
	for (size_t i = 0; i < d.n && !relay_stopping(r); i++) {
		struct relay_copy c;

		if (!load(r, d.ids[i], &c))
			continue;
		attempt(r, &c.e);
		copy_free(&c);
	}
	free(d.ids);
}

/* relay_main - poll, try what is due, sleep until the next poll or the stop */
static void *
relay_main(void *arg)
{
	struct relay *r = arg;
	struct timespec until;

	log_info(NULL, "relay: started; smart host %s", r->cf->relay_host[0] ?
	    r->cf->relay_host : "not set (relay_host): mail for other domains stays queued");
	pthread_mutex_lock(&r->mu);
	while (!r->stopping) {
		pthread_mutex_unlock(&r->mu);
		run_due(r);
		pthread_mutex_lock(&r->mu);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += RELAY_POLL_S;
		if (!r->stopping)
			pthread_cond_timedwait(&r->cv, &r->mu, &until);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

int
relay_check(const struct conf *cf, char *err, size_t errlen)
{
	char why[512];

	if (cf->relay_tls != CONF_RELAY_TLS_VERIFY || cf->relay_tls_ca_file[0] == '\0')
		return 0;
	if (tls_client_ca_check(cf->relay_tls_ca_file, why, sizeof(why)) == 0)
		return 0;
	snprintf(err, errlen, "relay_tls_ca_file: %s", why);
	return -1;
}

struct relay *
relay_start(struct store *st, const struct conf *cf, const char *hostname)
{
	struct relay *r = xcalloc(1, sizeof(*r));

	r->st = st;
	r->cf = cf;
	hostname_pick(hostname, r->hostname, sizeof(r->hostname));
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	if (pthread_create(&r->thread, NULL, relay_main, r) != 0) {
		log_error(NULL, "relay: cannot start its thread; mail for other domains stays queued");
		pthread_cond_destroy(&r->cv);
		pthread_mutex_destroy(&r->mu);
		free(r);
		return NULL;
	}
	return r;
}

void
relay_stop(struct relay **rp)
{
	struct relay *r = *rp;

	if (r == NULL)
		return;
	pthread_mutex_lock(&r->mu);
	r->stopping = true;
	pthread_cond_signal(&r->cv);
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->thread, NULL);
	pthread_cond_destroy(&r->cv);
	pthread_mutex_destroy(&r->mu);
	free(r);
	*rp = NULL;
}
