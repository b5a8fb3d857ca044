/*
 * smtp.h - the LMTP (RFC 2033) and relay-SMTP servers: one session engine
 * with two flavours. LMTP answers once per recipient after the data; SMTP
 * answers once per message, accepts only clients from
 * smtp_trusted_networks and only recipients in local domains.
 *
 * Both take a struct svc_env as their listener argument (svc.h) and hand
 * every message to the store with one store_deliver() run off the loop.
 */
#ifndef DUPLEX_SMTP_H
#define DUPLEX_SMTP_H

struct net_proto;

extern const struct net_proto smtp_proto_lmtp;
extern const struct net_proto smtp_proto_smtp;

#endif
