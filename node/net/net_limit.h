/*
 * net_limit.h - connections per client address (inside node/net).
 *
 * One table for the whole daemon, shared by every worker loop behind a
 * mutex: a client spreading its connections over the loops still counts
 * once. Addresses are the text form from inet_ntop(); an IPv4 client on an
 * IPv6 socket is counted by its v4-mapped text, which net_listen.c turns
 * into plain IPv4 first.
 */
#ifndef DUPLEX_NET_LIMIT_H
#define DUPLEX_NET_LIMIT_H

struct net_limit;

/* net_limit_new - max connections per address; 0 means unlimited */
struct net_limit *net_limit_new(unsigned max);
void net_limit_free(struct net_limit **lp);
/* net_limit_take - count one more from addr; NET_EFULL (not counted) at the limit */
int net_limit_take(struct net_limit *l, const char *addr);
/* net_limit_put - one connection from addr has gone */
void net_limit_put(struct net_limit *l, const char *addr);
/* net_limit_count - connections now counted for addr */
unsigned net_limit_count(struct net_limit *l, const char *addr);

#endif
