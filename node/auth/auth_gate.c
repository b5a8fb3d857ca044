/*
 * auth_gate.c - counting login attempts in flight; see auth_gate.h.
 *
 * One slot per address with attempts in flight, in a flat array of
 * max_total slots: there are never more such addresses than attempts, so
 * an admitted attempt always finds a slot. Searched linearly under one
 * mutex: the table is as small as the pool's queue.
 */
#include "auth/auth_gate.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/xalloc.h"

#define ADDR_MAX 64	/* an IPv6 text address is at most 45 bytes */

struct auth_gate_slot {
	char addr[ADDR_MAX];	/* "" when free */
	unsigned n;		/* attempts in flight from addr */
};

struct auth_gate {
	pthread_mutex_t mu;
	struct auth_gate_slot *slots;	/* max_total of them */
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
	g->slots = xcalloc(g->max_total, sizeof(*g->slots));
	return g;
}

void
auth_gate_free(struct auth_gate **gp)
{
	struct auth_gate *g = *gp;

	if (g == NULL)
		return;
	pthread_mutex_destroy(&g->mu);
	free(g->slots);
	free(g);
	*gp = NULL;
}

/* slot_find - addr's slot, or a free one when want_free and addr has none (lock held) */
static struct auth_gate_slot *
slot_find(struct auth_gate *g, const char *addr, bool want_free)
{
	struct auth_gate_slot *free_slot = NULL;

	for (unsigned i = 0; i < g->max_total; i++) {
		struct auth_gate_slot *s = &g->slots[i];

		if (s->addr[0] == '\0') {
			if (free_slot == NULL)
				free_slot = s;
		} else if (strcmp(s->addr, addr) == 0) {
			return s;
		}
	}
	return want_free ? free_slot : NULL;
}

/* addr_key - addr as the slots hold it: cut to fit, "" is "?" */
static void
addr_key(const char *addr, char key[ADDR_MAX])
{
	snprintf(key, ADDR_MAX, "%s", addr != NULL && addr[0] != '\0' ? addr : "?");
}

int
auth_gate_enter(struct auth_gate *g, const char *addr)
{
	struct auth_gate_slot *s;
	char key[ADDR_MAX];
	int rc = AUTH_GATE_OK;

	addr_key(addr, key);
	pthread_mutex_lock(&g->mu);
	if (g->total >= g->max_total) {
		rc = AUTH_GATE_EFULL;
	} else if ((s = slot_find(g, key, true))->n >= g->max_per_addr) {
		rc = AUTH_GATE_EADDR;
	} else {
		if (s->n == 0)
			strcpy(s->addr, key);
		s->n++;
		g->total++;
		g->admitted++;
	}
	pthread_mutex_unlock(&g->mu);
	return rc;
}

void
auth_gate_leave(struct auth_gate *g, const char *addr)
{
	struct auth_gate_slot *s;
	char key[ADDR_MAX];

	addr_key(addr, key);
	pthread_mutex_lock(&g->mu);
	if ((s = slot_find(g, key, false)) == NULL)
		log_panic("auth_gate: %s leaves with no attempt in flight", key);
	if (--s->n == 0)
		s->addr[0] = '\0';
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
	struct auth_gate_slot *s;
	char key[ADDR_MAX];
	unsigned n;

	addr_key(addr, key);
	pthread_mutex_lock(&g->mu);
	if (addr == NULL)
		n = g->total;
	else
		n = (s = slot_find(g, key, false)) != NULL ? s->n : 0;
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
