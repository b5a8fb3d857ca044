/*
 * hostport.h - "host:port" as the config and the relay name endpoints:
 * "127.0.0.1:143", "mail.example.org:25", "[::1]:143" (an IPv6 address
 * must be bracketed).
 */
#ifndef DUPLEX_HOSTPORT_H
#define DUPLEX_HOSTPORT_H

#include <stddef.h>

/*
 * hostport_split - s into host (a caller buffer of hostlen bytes, brackets
 * removed) and a port in 1..65535: 0, or -1 when s is malformed or the host
 * does not fit.
 */
int hostport_split(const char *s, char *host, size_t hostlen, unsigned *port);

#endif
