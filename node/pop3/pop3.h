/*
 * pop3.h - the POP3 server (RFC 1939 with CAPA, STLS, SASL PLAIN/LOGIN,
 * RESP-CODES, TOP and UIDL) as a protocol of the network core.
 *
 * duplexd binds pop3_proto on pop3_listen (plain, STLS offered) and on
 * pop3s_listen (implicit TLS), with the struct svc_env as listener argument.
 */
#ifndef DUPLEX_POP3_H
#define DUPLEX_POP3_H

#include "net/net.h"

extern const struct net_proto pop3_proto;

#endif
