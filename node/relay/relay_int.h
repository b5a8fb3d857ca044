/*
 * relay_int.h - what the relay worker's files share: one recipient's
 * outcome, the SMTP client conversation and the bounce.
 *
 * relay.c owns the thread and the queue records; relay_client.c speaks
 * SMTP to the smart host for one queue entry; relay_bounce.c writes the
 * delivery status notification. All run on the relay thread and block.
 */
#ifndef DUPLEX_RELAY_INT_H
#define DUPLEX_RELAY_INT_H

#include "relay/relay_reply.h"
#include "store/store.h"

struct conf;

#define RELAY_IO_TIMEOUT_S 60	/* connect, each read and write (RFC 5321 4.5.3.2 is longer) */

/* one recipient's outcome: 2xx delivered, 5xx refused, 4xx or 0 try again */
struct relay_rcpt_result {
	int code;			/* 0: no answer (connection failed) */
	char text[RELAY_REPLY_TEXT_MAX + 1];
};

/*
 * relay_client_send - one attempt to hand e to the smart host of cf. Every
 * res[i] (one per e->rcpts[i]) is set: the smart host's final answer for
 * that recipient, or code 0 and the reason when the attempt stopped early.
 */
void relay_client_send(const struct conf *cf, const char *helo,
    const struct store_queue_entry *e, struct relay_rcpt_result *res);

/*
 * relay_bounce - tell the sender of e that the recipients marked in failed
 * (res[i] the reason) were not delivered: a multipart/report DSN (RFC 3464)
 * with the original headers, stored in the sender's INBOX when the sender
 * is one of our users. 0, or a store error (the caller keeps the entry).
 */
int relay_bounce(struct store *st, const char *hostname, const struct store_queue_entry *e,
    const bool *failed, const struct relay_rcpt_result *res);

#endif
