/*
 * relay.h - the relay worker: one thread in duplexd that sends the
 * outbound queue to the smart host (relay_host) and bounces what cannot
 * be delivered. This is node/relay's public API; it sits beside the
 * protocol servers and below ctl and the mains.
 *
 * node/relay holds the outbound side of mail, as Postfix's qmgr, smtp and
 * bounce: the queue runner (relay.c) and its retry schedule
 * (relay_sched.h), the SMTP client (relay_client.c) and its reply parser
 * (relay_reply.h), and the delivery status notification (relay_bounce.c);
 * relay_int.h is what those files share. The SMTP, LMTP and submission
 * servers are in node/smtp. Nothing here knows an SMTP session: whatever
 * queues mail (the servers, duplexctl deliver) does so through the store,
 * and the worker reads the queue from there.
 *
 * It runs where duplexd runs, on the active node only, and keeps no state
 * outside the queue records: after a failover the new node's worker picks
 * the queue up where the store left it. Every RELAY_POLL_S it tries the
 * entries that are due (next_attempt passed, or 0 after duplexctl queue
 * flush), at most RELAY_DUE_MAX of them, found through the store's due
 * index without reading the rest of the queue. An entry leaves the queue only once every recipient was taken
 * by the smart host or bounced; a crash in between can at worst send a
 * message again, never lose it.
 */
#ifndef DUPLEX_RELAY_H
#define DUPLEX_RELAY_H

#include <stddef.h>

struct conf;
struct relay;
struct store;

#define RELAY_POLL_S 1		/* how soon a flushed or new entry is tried */
#define RELAY_DUE_MAX 256	/* entries tried per poll; the rest wait for the next */

/* relay_check - the relay's files in cf usable (relay_tls_ca_file); 0, or -1 with why in err */
int relay_check(const struct conf *cf, char *err, size_t errlen);
/* relay_start - the worker thread; hostname is for EHLO and bounces (NULL: the system's) */
struct relay *relay_start(struct store *st, const struct conf *cf, const char *hostname);
/* relay_stop - let the current attempt finish, join; clears *rp; NULL is fine */
void relay_stop(struct relay **rp);

#endif
