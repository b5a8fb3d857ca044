/*
 * smtp_deliver.c - the end of a transaction: the added headers, one
 * store_deliver() for every accepted recipient run off the loop (so
 * concurrent sessions share group commits), and the replies, written only
 * once the commit is durable.
 *
 * Submission: the recipients outside our domains are put in the outbound
 * queue (one durable entry, store_queue_put) before the local ones are
 * stored, and the reply waits for both commits. Every flavour delivers
 * with its envelope sender (store_deliver_from), so aliases and forwards
 * to other domains are queued with the local copies.
 *
 * Headers: Return-Path (not for submission: the message has not reached
 * its final delivery) and Received always; Delivered-To only when there
 * is a single recipient, because the body is stored once for all of them
 * (as Dovecot's LMTP does by default) and a per-recipient header would
 * need one body per recipient.
 *
 * Hazard: while the job runs the session is paused and owns nothing the
 * job uses: the message and recipients move into struct smtp_dlv.
 */
#include "smtp/smtp_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf/conf.h"
#include "net/net.h"
#include "store/store.h"
#include "svc/svc.h"
#include "util/log.h"
#include "util/xalloc.h"

struct smtp_dlv {
	struct smtp_session *s;		/* for done() only */
	struct store *st;
	char qid[13];
	struct buf msg;
	char **rcpts;
	bool *external;			/* submission: relayed, not stored */
	char *from;
	size_t n;
	struct store_rcpt_result *res;
	int rc;
};

void
smtp_headers(struct smtp_session *s)
{
	const char *proto;
	char date[64];
	time_t now = time(NULL);
	struct tm tm;

	if (s->fl == SMTP_LMTP)
		proto = net_conn_is_tls(s->c) ? "LMTPS" : "LMTP";
	else if (s->fl == SMTP_SUBMISSION)
		proto = net_conn_is_tls(s->c) ? "ESMTPSA" : "ESMTPA";	/* RFC 3848 */
	else if (s->esmtp)
		proto = net_conn_is_tls(s->c) ? "ESMTPS" : "ESMTP";
	else
		proto = "SMTP";
	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S %z", &tm);
	buf_reset(&s->msg);
	/* submitted mail is not at its final delivery yet: no Return-Path */
	if (s->fl != SMTP_SUBMISSION)
		buf_printf(&s->msg, "Return-Path: <%s>\r\n", s->from);
	if (s->nrcpt == 1 && s->fl != SMTP_SUBMISSION)
		buf_printf(&s->msg, "Delivered-To: %s\r\n", s->rcpts[0]);
	buf_printf(&s->msg, "Received: from %s (unknown [%s])\r\n",
	    s->helo[0] ? s->helo : "unknown", net_conn_peer(s->c));
	if (s->user[0])
		buf_printf(&s->msg, "\t(Authenticated sender: %s)\r\n", s->user);
	buf_printf(&s->msg, "\tby %s (Duplex) with %s id %s", s->hostname, proto, s->qid);
	if (s->nrcpt == 1)
		buf_printf(&s->msg, "\r\n\tfor <%s>", s->rcpts[0]);
	buf_printf(&s->msg, "; %s\r\n", date);
	s->hdr_len = s->msg.len;
}

void
smtp_reply_all(struct smtp_session *s, const char *text)
{
	size_t n = s->fl == SMTP_LMTP ? s->nrcpt : 1;

	for (size_t i = 0; i < n; i++)
		smtp_reply(s, "%s", text);
}

/* dlv_job - on a pool thread: the blocking, durable part */
static void
dlv_job(void *arg)
{
	struct smtp_dlv *d = arg;

	d->rc = store_deliver_from(d->st, d->qid, d->from, d->msg.data ? d->msg.data : "",
	    d->msg.len, (const char *const *)d->rcpts, d->n, NULL, (int64_t)time(NULL), d->res);
}

/* dlv_queue - the external recipients into the outbound queue; results for them */
static int
dlv_queue(struct smtp_dlv *d)
{
	struct store_queue_entry e = { .created = (int64_t)time(NULL), .from = d->from,
	    .last_error = "", .msg = d->msg.data ? d->msg.data : "", .msglen = d->msg.len };
	int rc;

	memcpy(e.qid, d->qid, sizeof(e.qid));
	e.rcpts = xcalloc(d->n, sizeof(*e.rcpts));
	for (size_t i = 0; i < d->n; i++)
		if (d->external[i])
			e.rcpts[e.nrcpt++] = d->rcpts[i];
	rc = e.nrcpt == 0 ? 0 : store_queue_put(d->st, &e);
	if (e.nrcpt > 0)
		log_info(d->qid, "queued for relay: from=<%s> %zu recipients: %s", d->from, e.nrcpt,
		    rc == 0 ? "committed" : store_strerror(rc));
	for (size_t i = 0; i < d->n; i++) {
		if (!d->external[i])
			continue;
		d->res[i].err = rc;
		snprintf(d->res[i].detail, sizeof(d->res[i].detail), "%.80s: %s", d->rcpts[i],
		    rc == 0 ? "queued for relay" : store_strerror(rc));
	}
	free(e.rcpts);
	return rc;
}

/*
 * submit_job - on a pool thread: queue the external recipients, then
 * store for the local ones. The queue goes first so that a failure there
 * refuses the whole message (451) before any local copy exists.
 */
static void
submit_job(void *arg)
{
	struct smtp_dlv *d = arg;
	struct store_rcpt_result *res;
	const char **local;
	size_t nl = 0;

	if ((d->rc = dlv_queue(d)) != 0)
		return;
	local = xcalloc(d->n, sizeof(*local));
	res = xcalloc(d->n, sizeof(*res));
	for (size_t i = 0; i < d->n; i++)
		if (!d->external[i])
			local[nl++] = d->rcpts[i];
	if (nl > 0)
		d->rc = store_deliver_from(d->st, d->qid, d->from, d->msg.data ? d->msg.data : "",
		    d->msg.len, local, nl, NULL, (int64_t)time(NULL), res);
	for (size_t i = 0, j = 0; i < d->n; i++)
		if (!d->external[i])
			d->res[i] = res[j++];
	free(res);
	free(local);
}

/* dlv_rcpt_reply - one LMTP reply line for one recipient's result */
static void
dlv_rcpt_reply(struct smtp_session *s, const struct smtp_dlv *d, size_t i)
{
	const char *a = d->rcpts[i];
	int err = d->res[i].err;

	switch (err) {
	case STORE_OK:
		smtp_reply(s, "250 2.0.0 <%s> %s Saved", a, d->qid);
		break;
	case STORE_ENOQUOTA:
		smtp_reply(s, "452 4.2.2 <%s> Mailbox full (over quota)", a);
		break;
	case STORE_ETOOBIG:
		smtp_reply(s, "552 5.3.4 <%s> Message too big", a);
		break;
	case STORE_ENOTFOUND:
		smtp_reply(s, "550 5.1.1 <%s> No such user", a);
		break;
	case STORE_EINVAL:
		smtp_reply(s, "554 5.4.6 <%s> %s", a, d->res[i].detail);
		break;
	default:
		if (store_err_is_temporary(err))
			smtp_reply(s, "451 4.3.0 <%s> Temporary failure (%s), try again later", a,
			    store_strerror(err));
		else
			smtp_reply(s, "554 5.3.0 <%s> %s", a, d->res[i].detail);
		break;
	}
}

/*
 * dlv_smtp_reply - SMTP has one reply for all recipients. Each recipient
 * was committed atomically on its own, so when some are stored and some
 * failed there is no right answer: 451 would make the relay send the
 * message again to everybody (a duplicate per stored recipient on every
 * retry, for days if a mailbox stays full), 250 drops the failed copies.
 * We choose bounce semantics as far as the protocol allows: everything
 * that can fail is refused at RCPT time (unknown, external forward, a full
 * reject-policy mailbox), so a mixed result here is a rare race; then 451
 * only if nothing was stored, otherwise 250 with every failed recipient
 * logged as an error with the queue id for the operator. LMTP, with its
 * reply per recipient, has no such dilemma: use it where the relay can.
 */
static void
dlv_smtp_reply(struct smtp_session *s, const struct smtp_dlv *d)
{
	size_t stored = 0, first_fail = d->n;
	bool temp = false;

	for (size_t i = 0; i < d->n; i++) {
		if (d->res[i].err == STORE_OK) {
			stored++;
			continue;
		}
		if (first_fail == d->n)
			first_fail = i;
		temp |= store_err_is_temporary(d->res[i].err);
	}
	if (stored == d->n) {
		smtp_reply(s, "250 2.0.0 Ok: queued as %s", d->qid);
		return;
	}
	if (stored > 0) {
		for (size_t i = 0; i < d->n; i++)
			if (d->res[i].err != STORE_OK)
				log_error(d->qid, "to=<%s> NOT stored though the message was accepted "
				    "for others: %s", d->rcpts[i], d->res[i].detail);
		smtp_reply(s, "250 2.0.0 Ok: queued as %s (%zu of %zu recipients)", d->qid, stored,
		    d->n);
		return;
	}
	if (temp)
		smtp_reply(s, "451 4.3.0 Temporary failure (%s), try again later",
		    store_strerror(d->res[first_fail].err));
	else
		dlv_rcpt_reply(s, d, first_fail);
}

/* dlv_done - back on the loop, after the commit: the replies */
static void
dlv_done(void *arg)
{
	struct smtp_dlv *d = arg;
	struct smtp_session *s = d->s;

	s->busy = false;
	if (s->fl == SMTP_LMTP)
		for (size_t i = 0; i < d->n; i++)
			dlv_rcpt_reply(s, d, i);
	else
		dlv_smtp_reply(s, d);
	log_info(d->qid, "delivery done: %zu bytes, %zu recipients, %s", d->msg.len, d->n,
	    d->rc == 0 ? "committed" : store_strerror(d->rc));
	smtp_txn_reset(s);
	for (size_t i = 0; i < d->n; i++)
		free(d->rcpts[i]);
	free(d->rcpts);
	free(d->external);
	free(d->from);
	free(d->res);
	buf_free(&d->msg);
	free(d);
	if (s->shutdown) {
		smtp_reply(s, "421 4.3.2 %s Service shutting down", s->hostname);
		smtp_close(s);
		return;
	}
	smtp_process(s);
}

void
smtp_deliver(struct smtp_session *s)
{
	struct smtp_dlv *d = xcalloc(1, sizeof(*d));

	d->s = s;
	d->st = s->env->st;
	memcpy(d->qid, s->qid, sizeof(d->qid));
	d->msg = s->msg;
	s->msg = (struct buf)BUF_INIT;
	d->rcpts = s->rcpts;
	d->external = s->external;
	d->n = s->nrcpt;
	d->from = xstrdup(s->from);
	s->rcpts = NULL;
	s->external = NULL;
	s->nrcpt = 0;
	d->res = xcalloc(d->n, sizeof(*d->res));
	log_info(d->qid, "delivering %zu bytes (%zu body) to %zu recipients", d->msg.len,
	    d->msg.len - s->hdr_len, d->n);
	s->busy = true;
	svc_store_call(s->c, s->fl == SMTP_SUBMISSION ? submit_job : dlv_job, dlv_done, d);
}
