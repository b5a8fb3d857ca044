/*
 * smtp.h - the LMTP (RFC 2033), relay-SMTP and submission (RFC 6409)
 * servers: one session engine with three flavours. LMTP answers once per recipient after the data
 * and accepts only clients from lmtp_trusted_networks; SMTP answers once
 * per message, accepts only clients from smtp_trusted_networks and only
 * recipients in local domains. Submission
 * answers like SMTP, but only to authenticated users sending as
 * themselves; recipients outside our domains go to the outbound queue.
 *
 * Both take a struct svc_env as their listener argument (svc.h) and hand
 * every message to the store with one store_deliver() run off the loop.
 *
 * node/smtp holds the server side only, as Postfix's smtpd: the session
 * (smtp_session.c), the commands (smtp_cmd.c), AUTH (smtp_auth.c), the
 * command and DATA syntax (smtp_parse.h, smtp_data.h) and the delivery at
 * the end of a transaction (smtp_deliver.c); smtp_int.h is what they
 * share. Mail for other domains goes into the store's outbound queue,
 * which node/relay sends on.
 */
#ifndef DUPLEX_SMTP_H
#define DUPLEX_SMTP_H

struct net_proto;

extern const struct net_proto smtp_proto_lmtp;
extern const struct net_proto smtp_proto_smtp;
/* submission (RFC 6409): AUTH required, local recipients stored, others queued */
extern const struct net_proto smtp_proto_submission;

#endif
