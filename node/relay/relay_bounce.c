/*
 * relay_bounce.c - the non-delivery report for a queued message: a
 * multipart/report (RFC 3462) with a text part, a message/delivery-status
 * part (RFC 3464) with one block per failed recipient, and the original
 * headers (text/rfc822-headers), delivered through store_deliver_from()
 * with the null reverse-path: into the sender's INBOX when the sender is
 * ours (submission's sender rule makes it so), into the outbound queue
 * when it is not (mail forwarded from LMTP or SMTP). A null sender never
 * gets one, so reports cannot loop.
 */
#include "relay/relay_int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/buf.h"
#include "util/log.h"
#include "util/rfc5322.h"

#define BOUNCE_HEADERS_MAX (64 * 1024)	/* of the original, in the report */

/* header_len - the original's header block, blank line included, capped */
static size_t
header_len(const char *msg, size_t len)
{
	const char *end = memmem(msg, len, "\r\n\r\n", 4);
	size_t n = end ? (size_t)(end - msg) + 4 : len;

	return n < BOUNCE_HEADERS_MAX ? n : BOUNCE_HEADERS_MAX;
}

/* dsn_status - the enhanced code of a reply ("550 5.1.1 ..."), or one by class */
static void
dsn_status(const struct relay_rcpt_result *r, char *out, size_t size)
{
	unsigned a, b, c;

	if (strlen(r->text) > 4 && sscanf(r->text + 4, "%1u.%3u.%3u", &a, &b, &c) == 3 &&
	    (a == 4 || a == 5)) {
		snprintf(out, size, "%u.%u.%u", a, b, c);
		return;
	}
	/* not refused by the smart host: it never took the message in time */
	snprintf(out, size, "%s", r->code / 100 == 5 ? "5.0.0" : "4.4.7");
}

/* bounce_text - the human-readable part */
static void
bounce_text(struct buf *b, const char *hostname, const struct store_queue_entry *e,
    const bool *failed, const struct relay_rcpt_result *res)
{
	buf_printf(b, "This is the mail system at %s.\r\n\r\n"
	    "Your message (queue id %s) could not be delivered to the recipients below.\r\n"
	    "Its headers are attached.\r\n\r\n", hostname, e->qid);
	for (size_t i = 0; i < e->nrcpt; i++)
		if (failed[i])
			buf_printf(b, "<%s>: %s\r\n", e->rcpts[i],
			    res[i].text[0] ? res[i].text : "no answer");
}

/* bounce_status - the machine-readable part */
static void
bounce_status(struct buf *b, const char *hostname, const struct store_queue_entry *e,
    const bool *failed, const struct relay_rcpt_result *res)
{
	char date[64], status[16];

	rfc5322_date((time_t)e->created, false, date, sizeof(date));
	buf_printf(b, "Reporting-MTA: dns; %s\r\nArrival-Date: %s\r\n", hostname, date);
	for (size_t i = 0; i < e->nrcpt; i++) {
		if (!failed[i])
			continue;
		dsn_status(&res[i], status, sizeof(status));
		buf_printf(b, "\r\nFinal-Recipient: rfc822; %s\r\nAction: failed\r\nStatus: %s\r\n",
		    e->rcpts[i], status);
		if (res[i].code != 0)
			buf_printf(b, "Diagnostic-Code: smtp; %s\r\n", res[i].text);
	}
}

/* bounce_compose - the whole report */
static void
bounce_compose(struct buf *b, const char *hostname, const struct store_queue_entry *e,
    const bool *failed, const struct relay_rcpt_result *res)
{
	time_t now = time(NULL);
	char date[64];

	rfc5322_date(now, false, date, sizeof(date));
	buf_printf(b, "From: Mail Delivery System <MAILER-DAEMON@%s>\r\nTo: <%s>\r\n"
	    "Subject: Undelivered Mail Returned to Sender\r\nDate: %s\r\n"
	    "Message-ID: <%s.%lld.bounce@%s>\r\nAuto-Submitted: auto-replied\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/report; report-type=delivery-status;\r\n"
	    "\tboundary=\"%s.bounce\"\r\n\r\n",
	    hostname, e->from, date, e->qid, (long long)now, hostname, e->qid);
	buf_printf(b, "--%s.bounce\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n", e->qid);
	bounce_text(b, hostname, e, failed, res);
	buf_printf(b, "\r\n--%s.bounce\r\nContent-Type: message/delivery-status\r\n\r\n", e->qid);
	bounce_status(b, hostname, e, failed, res);
	buf_printf(b, "\r\n--%s.bounce\r\nContent-Type: text/rfc822-headers\r\n\r\n", e->qid);
	buf_append(b, e->msg, header_len(e->msg, e->msglen));
	buf_printf(b, "\r\n--%s.bounce--\r\n", e->qid);
}

int
relay_bounce(struct store *st, const char *hostname, const struct store_queue_entry *e,
    const bool *failed, const struct relay_rcpt_result *res)
{
	struct store_rcpt_result r;
	struct buf b = BUF_INIT;
	const char *to = e->from;
	int rc;

	if (e->from[0] == '\0') {
		log_info(e->qid, "bounce: null sender, no report sent");
		return 0;
	}
	bounce_compose(&b, hostname, e, failed, res);
	rc = store_deliver_from(st, e->qid, "", b.data, b.len, &to, 1, NULL, (int64_t)time(NULL),
	    &r);
	buf_free(&b);
	if (rc == 0)
		rc = r.err;
	if (rc == 0) {
		log_info(e->qid, "bounce: report delivered to <%s>", e->from);
		return 0;
	}
	if (store_err_is_temporary(rc)) {
		log_warn(e->qid, "bounce: report to <%s> failed for now: %s", e->from,
		    store_strerror(rc));
		return rc;
	}
	log_error(e->qid, "bounce: report to <%s> cannot be stored: %s; dropped", e->from,
	    store_strerror(rc));
	return 0;
}
