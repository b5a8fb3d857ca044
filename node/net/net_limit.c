/*
 * net_limit.c - per-address and total connection counts; see net_limit.h.
 *
 * A table of address strings to counts (util/hashtab.h); an entry is freed
 * when its count drops to zero, so the table only holds addresses now
 * connected.
 */
#include "net/net_limit.h"

#include <pthread.h>
#include <stdlib.h>

#include "util/hashtab.h"
#include "util/log.h"
#include "util/xalloc.h"

#define NET_LIMIT_BUCKETS 1024

struct net_limit {
	pthread_mutex_t mu;
	unsigned max, max_all;
	unsigned total;
	struct hashtab *count;	/* address -> unsigned connections */
};

struct net_limit *
net_limit_new(unsigned max_per_addr, unsigned max_all)
{
	struct net_limit *l = xcalloc(1, sizeof(*l));

	pthread_mutex_init(&l->mu, NULL);
	l->max = max_per_addr;
	l->max_all = max_all;
	l->count = hashtab_new(NET_LIMIT_BUCKETS, sizeof(unsigned));
	return l;
}

void
net_limit_free(struct net_limit **lp)
{
	struct net_limit *l = *lp;

	if (l == NULL)
		return;
	hashtab_free(&l->count);
	pthread_mutex_destroy(&l->mu);
	free(l);
	*lp = NULL;
}

enum net_limit_full
net_limit_take(struct net_limit *l, const char *addr)
{
	enum net_limit_full rc = NET_LIMIT_OK;
	unsigned *n;

	pthread_mutex_lock(&l->mu);
	if (l->max_all && l->total >= l->max_all) {
		pthread_mutex_unlock(&l->mu);
		return NET_LIMIT_ALL;
	}
	n = hashtab_put(l->count, addr, NULL);
	if (l->max && *n >= l->max) {
		rc = NET_LIMIT_ADDR;
	} else {
		(*n)++;
		l->total++;
	}
	pthread_mutex_unlock(&l->mu);
	return rc;
}

void
net_limit_put(struct net_limit *l, const char *addr)
{
	unsigned *n;

	pthread_mutex_lock(&l->mu);
	if ((n = hashtab_get(l->count, addr)) == NULL || *n == 0)
		log_panic("net_limit_put: %s was not counted", addr);
	l->total--;
	if (--*n == 0)
		hashtab_del(l->count, addr);
	pthread_mutex_unlock(&l->mu);
}

unsigned
net_limit_count(struct net_limit *l, const char *addr)
{
	unsigned *n, v;

	pthread_mutex_lock(&l->mu);
	n = hashtab_get(l->count, addr);
	v = n != NULL ? *n : 0;
	pthread_mutex_unlock(&l->mu);
	return v;
}

unsigned
net_limit_total(struct net_limit *l)
{
	unsigned n;

	pthread_mutex_lock(&l->mu);
	n = l->total;
	pthread_mutex_unlock(&l->mu);
	return n;
}
