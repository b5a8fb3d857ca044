/*
 * net_limit.h - connections per client address and in all (inside node/net).
 *
 * One table for the whole daemon, shared by every worker loop behind a
 * mutex: a client spreading its connections over the loops still counts
 * once, and the total is the daemon's, not one loop's. Addresses are the text form from inet_ntop(); an IPv4 client on an
 * IPv6 socket is counted by its v4-mapped text, which net_listen.c turns
 * into plain IPv4 first.
 */
#ifndef DUPLEX_NET_LIMIT_H
#define DUPLEX_NET_LIMIT_H

struct net_limit;

/* what net_limit_take() refused on */
enum net_limit_full {
	NET_LIMIT_OK = 0,
	NET_LIMIT_ADDR,		/* addr holds max_per_addr connections */
	NET_LIMIT_ALL,		/* the daemon holds max_all connections */
};

/* net_limit_new - max connections per address and in all; 0 means unlimited */
struct net_limit *net_limit_new(unsigned max_per_addr, unsigned max_all);
void net_limit_free(struct net_limit **lp);
/* net_limit_take - count one more from addr; at a limit, not counted: which one */
enum net_limit_full net_limit_take(struct net_limit *l, const char *addr);
/* net_limit_put - one connection from addr has gone */
void net_limit_put(struct net_limit *l, const char *addr);
/* net_limit_count - connections now counted for addr */
unsigned net_limit_count(struct net_limit *l, const char *addr);
/* net_limit_total - connections now counted in all */
unsigned net_limit_total(struct net_limit *l);

#endif
