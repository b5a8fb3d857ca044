/*
 * net_limit.c - per-address and total connection counts; see net_limit.h.
 *
 * A chained hash table of address strings; an entry is freed when its count
 * drops to zero, so the table only holds addresses now connected.
 */
#include "net/net_limit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/xalloc.h"

#define NET_LIMIT_BUCKETS 1024

struct net_limit_ent {
	struct net_limit_ent *next;
	unsigned count;
	char addr[];
};

struct net_limit {
	pthread_mutex_t mu;
	unsigned max, max_all;
	unsigned total;
	struct net_limit_ent *bucket[NET_LIMIT_BUCKETS];
};

struct net_limit *
net_limit_new(unsigned max_per_addr, unsigned max_all)
{
	struct net_limit *l = xcalloc(1, sizeof(*l));

	pthread_mutex_init(&l->mu, NULL);
	l->max = max_per_addr;
	l->max_all = max_all;
	return l;
}

void
net_limit_free(struct net_limit **lp)
{
	struct net_limit *l = *lp;

	if (l == NULL)
		return;
	for (size_t i = 0; i < NET_LIMIT_BUCKETS; i++) {
		while (l->bucket[i]) {
			struct net_limit_ent *e = l->bucket[i];

			l->bucket[i] = e->next;
			free(e);
		}
	}
	pthread_mutex_destroy(&l->mu);
	free(l);
	*lp = NULL;
}

/* net_limit_slot - the link that points at addr's entry (or at NULL); FNV-1a */
static struct net_limit_ent **
net_limit_slot(struct net_limit *l, const char *addr)
{
	unsigned h = 2166136261u;
	struct net_limit_ent **pp;

	for (const char *s = addr; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	pp = &l->bucket[h % NET_LIMIT_BUCKETS];
	while (*pp && strcmp((*pp)->addr, addr) != 0)
		pp = &(*pp)->next;
	return pp;
}

enum net_limit_full
net_limit_take(struct net_limit *l, const char *addr)
{
	struct net_limit_ent **pp, *e;
	enum net_limit_full rc = NET_LIMIT_OK;

	pthread_mutex_lock(&l->mu);
	if (l->max_all && l->total >= l->max_all) {
		pthread_mutex_unlock(&l->mu);
		return NET_LIMIT_ALL;
	}
	pp = net_limit_slot(l, addr);
	if ((e = *pp) == NULL) {
		size_t n = strlen(addr) + 1;

		e = xcalloc(1, sizeof(*e) + n);
		memcpy(e->addr, addr, n);
		*pp = e;
	}
	if (l->max && e->count >= l->max) {
		rc = NET_LIMIT_ADDR;
	} else {
		e->count++;
		l->total++;
	}
	pthread_mutex_unlock(&l->mu);
	return rc;
}

void
net_limit_put(struct net_limit *l, const char *addr)
{
	struct net_limit_ent **pp, *e;

	pthread_mutex_lock(&l->mu);
	pp = net_limit_slot(l, addr);
	if ((e = *pp) == NULL || e->count == 0)
		log_panic("net_limit_put: %s was not counted", addr);
	l->total--;
	if (--e->count == 0) {
		*pp = e->next;
		free(e);
	}
	pthread_mutex_unlock(&l->mu);
}

unsigned
net_limit_count(struct net_limit *l, const char *addr)
{
	struct net_limit_ent *e;
	unsigned n;

	pthread_mutex_lock(&l->mu);
	e = *net_limit_slot(l, addr);
	n = e ? e->count : 0;
	pthread_mutex_unlock(&l->mu);
	return n;
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
