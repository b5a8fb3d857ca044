/*
 * auth_gate.c - counting login attempts in flight; see auth_gate.h.
 *
 * One entry per address with attempts in flight, in a table of address
 * to count (util/hashtab.h) under one mutex: an entry goes when its count
 * drops to zero, so there are never more entries than attempts.
 */
#include "auth/auth_gate.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/hashtab.h"
#include "util/log.h"
#include "util/xalloc.h"

#define ADDR_MAX 64	/* an IPv6 text address is at most 45 bytes */
#define GATE_BUCKETS 256

struct auth_gate {
	pthread_mutex_t mu;
	struct hashtab *inflight;	/* address -> unsigned attempts in flight */
	unsigned max_total, max_per_addr;
	unsigned total;
	unsigned long long admitted;	/* ever, for status */
};

struct auth_gate *
auth_gate_new(unsigned max_total, unsigned max_per_addr)
{
	struct auth_gate *g = xcalloc(1, sizeof(*g));

	pthread_mutex_init(&g->mu, NULL);
	g->max_total = max_total > 0 ? max_total : 1;
	g->max_per_addr = max_per_addr > 0 ? max_per_addr : 1;
	g->inflight = hashtab_new(GATE_BUCKETS, sizeof(unsigned));
	return g;
}

void
auth_gate_free(struct auth_gate **gp)
{
	struct auth_gate *g = *gp;

	if (g == NULL)
		return;
	pthread_mutex_destroy(&g->mu);
	hashtab_free(&g->inflight);
	free(g);
	*gp = NULL;
}

/* addr_key - addr as the table holds it: cut to fit, "" is "?" */
static void
addr_key(const char *addr, char key[ADDR_MAX])
{
	snprintf(key, ADDR_MAX, "%s", addr != NULL && addr[0] != '\0' ? addr : "?");
}

int
auth_gate_enter(struct auth_gate *g, const char *addr)
{
	char key[ADDR_MAX];
	int rc = AUTH_GATE_OK;
	unsigned *n;

	addr_key(addr, key);
	pthread_mutex_lock(&g->mu);
	if (g->total >= g->max_total) {
		rc = AUTH_GATE_EFULL;
	} else if (*(n = hashtab_put(g->inflight, key, NULL)) >= g->max_per_addr) {
		rc = AUTH_GATE_EADDR;
	} else {
		(*n)++;
		g->total++;
		g->admitted++;
	}
	pthread_mutex_unlock(&g->mu);
	return rc;
}

void
auth_gate_leave(struct auth_gate *g, const char *addr)
{
	char key[ADDR_MAX];
	unsigned *n;

	addr_key(addr, key);
	pthread_mutex_lock(&g->mu);
	if ((n = hashtab_get(g->inflight, key)) == NULL)
		log_panic("auth_gate: %s leaves with no attempt in flight", key);
	if (--*n == 0)
		hashtab_del(g->inflight, key);
	g->total--;
	pthread_mutex_unlock(&g->mu);
}

unsigned long long
auth_gate_admitted(struct auth_gate *g)
{
	unsigned long long n;

	pthread_mutex_lock(&g->mu);
	n = g->admitted;
	pthread_mutex_unlock(&g->mu);
	return n;
}

unsigned
auth_gate_inflight(struct auth_gate *g, const char *addr)
{
	char key[ADDR_MAX];
	unsigned n, *v;

	addr_key(addr, key);
	pthread_mutex_lock(&g->mu);
	if (addr == NULL)
		n = g->total;
	else
		n = (v = hashtab_get(g->inflight, key)) != NULL ? *v : 0;
	pthread_mutex_unlock(&g->mu);
	return n;
}

const char *
auth_gate_strerror(int err)
{
	switch (err) {
	case AUTH_GATE_OK: return "ok";
	case AUTH_GATE_EFULL: return "too many login attempts in progress";
	case AUTH_GATE_EADDR: return "too many login attempts in progress from this address";
	}
	return "unknown gate error";
}
