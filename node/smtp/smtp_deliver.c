/*
 * smtp_deliver.c - the end of a transaction: the added headers, one
 * delivery for all accepted recipients run off the loop (so concurrent
 * sessions share group commits), and the replies, written only once the
 * commit is durable.
 *
 * One message is one store request with its envelope sender: the local
 * copies and one outbound queue entry for every recipient outside our
 * domains (direct ones in submission, aliases and forwards in any flavour)
 * commit together or not at all. LMTP answers each recipient
 * (store_deliver_from); SMTP and submission, with one reply, store all of
 * them or none (store_deliver_atomic), see dlv_smtp_reply.
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
#include "util/rfc5322.h"
#include "util/xalloc.h"

struct smtp_dlv {
	struct smtp_session *s;		/* for done() only */
	struct store *st;
	char qid[STORE_QUEUE_ID_LEN + 1];
	struct buf msg;
	char **rcpts;
	char *from;
	bool per_rcpt;			/* LMTP: a reply per recipient */
	char relay_qid[STORE_QUEUE_ID_LEN + 1];	/* the external recipients' queue entry */
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

	if (s->fl == SMTP_LMTP)
		proto = net_conn_is_tls(s->c) ? "LMTPS" : "LMTP";
	else if (s->fl == SMTP_SUBMISSION)
		proto = net_conn_is_tls(s->c) ? "ESMTPSA" : "ESMTPA";	/* RFC 3848 */
	else if (s->esmtp)
		proto = net_conn_is_tls(s->c) ? "ESMTPS" : "ESMTP";
	else
		proto = "SMTP";
	rfc5322_date(now, false, date, sizeof(date));
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

/*
 * dlv_job - on a pool thread: the blocking, durable part. LMTP answers
 * each recipient; the others have one reply, so they store all or nothing.
 */
static void
dlv_job(void *arg)
{
	struct smtp_dlv *d = arg;
	const char *msg = d->msg.data ? d->msg.data : "";

	if (d->per_rcpt)
		d->rc = store_deliver_from(d->st, d->qid, d->from, msg, d->msg.len,
		    (const char *const *)d->rcpts, d->n, NULL, (int64_t)time(NULL), d->res);
	else
		d->rc = store_deliver_atomic(d->st, d->qid, d->from, msg, d->msg.len,
		    (const char *const *)d->rcpts, d->n, (int64_t)time(NULL), d->res, d->relay_qid);
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
	case STORE_EREJECTED:
		smtp_reply(s, "550 5.7.1 <%s> %s", a, d->res[i].detail);
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
 * dlv_smtp_reply - SMTP and submission have one reply for all recipients,
 * and the message was stored all or nothing (store_deliver_atomic), so
 * the reply is true for every recipient: 250 when each one has its copy
 * or its queue entry; 5xx when every recipient failed for good; otherwise
 * 451, with nothing stored, so that the client's retry duplicates
 * nothing. On that retry the RCPT checks run again and refuse, one by one,
 * the recipients that cannot take the message (a full mailbox, a user
 * gone), so the others get it; a DSN from us instead would turn a full
 * mailbox into a bounce at once.
 */
static void
dlv_smtp_reply(struct smtp_session *s, const struct smtp_dlv *d)
{
	bool temp = false;

	if (d->rc == 0 && d->relay_qid[0])
		smtp_reply(s, "250 2.0.0 Ok: queued as %s, for relay as %s", d->qid, d->relay_qid);
	else if (d->rc == 0)
		smtp_reply(s, "250 2.0.0 Ok: queued as %s", d->qid);
	if (d->rc == 0)
		return;
	for (size_t i = 0; i < d->n; i++)
		temp |= store_err_is_temporary(d->res[i].err);
	if (temp)
		smtp_reply(s, "451 4.3.0 Temporary failure (%s), nothing delivered, try again later",
		    store_strerror(d->rc));
	else
		dlv_rcpt_reply(s, d, 0);
}

/* dlv_corrupt - a damaged record is the operator's to repair: say so loudly */
static void
dlv_corrupt(const struct smtp_dlv *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->res[i].err == STORE_ECORRUPT)
			log_error(d->qid, "to=<%s> deferred: store corruption (%s); run duplexctl "
			    "verify", d->rcpts[i], d->res[i].detail);
}

/* dlv_done - back on the loop, after the commit: the replies */
static void
dlv_done(void *arg)
{
	struct smtp_dlv *d = arg;
	struct smtp_session *s = d->s;

	s->busy = false;
	dlv_corrupt(d);
	if (d->per_rcpt)
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
	d->n = s->nrcpt;
	d->from = xstrdup(s->from);
	s->rcpts = NULL;
	s->nrcpt = 0;
	d->res = xcalloc(d->n, sizeof(*d->res));
	log_info(d->qid, "delivering %zu bytes (%zu body) to %zu recipients", d->msg.len,
	    d->msg.len - s->hdr_len, d->n);
	s->busy = true;
	d->per_rcpt = s->fl == SMTP_LMTP;
	svc_store_call(s->c, dlv_job, dlv_done, d);
}
