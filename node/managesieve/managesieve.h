/*
 * managesieve.h - the ManageSieve server (RFC 5804): users list, upload,
 * check, activate and remove their Sieve scripts, over STARTTLS with
 * SASL PLAIN and LOGIN, as a protocol of the network core.
 *
 * duplexd binds managesieve_proto on managesieve_listen, with the struct
 * svc_env as listener argument.
 */
#ifndef DUPLEX_MANAGESIEVE_H
#define DUPLEX_MANAGESIEVE_H

#include "net/net.h"

extern const struct net_proto managesieve_proto;

#endif
