/*
 * auth_delay.c - the per-address failure table; see auth_delay.h.
 *
 * A flat array of (address, account) pairs searched linearly: it holds
 * only pairs that failed recently, a few thousand at most, and a login
 * costs tens of ms of yescrypt anyway. An address's delay sums its pairs.
 * Eviction picks the least recently failed slot.
 */
#include "auth/auth_delay.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define ADDR_MAX 64	/* an IPv6 text address is at most 45 bytes */
#define ACCOUNT_MAX 256	/* a user name is at most SASL_ID_MAX (255) bytes */

struct auth_delay_slot {
	char addr[ADDR_MAX];	/* "" when free */
	char account[ACCOUNT_MAX];
	unsigned failures;
	uint64_t last_ms;
};

struct auth_delay {
	pthread_mutex_t mu;
	struct auth_delay_slot *slots;
	size_t nslots;
	unsigned base_ms, max_ms;
	uint64_t expire_ms;
};

static struct auth_delay *auth_delay_process;
static pthread_once_t auth_delay_once = PTHREAD_ONCE_INIT;

struct auth_delay *
auth_delay_new(size_t slots, unsigned base_ms, unsigned max_ms, unsigned expire_s)
{
	struct auth_delay *d = xcalloc(1, sizeof(*d));

	pthread_mutex_init(&d->mu, NULL);
	d->nslots = slots > 0 ? slots : 1;
	d->slots = xcalloc(d->nslots, sizeof(*d->slots));
	d->base_ms = base_ms;
	d->max_ms = max_ms < base_ms ? base_ms : max_ms;
	d->expire_ms = (uint64_t)expire_s * 1000;
	return d;
}

void
auth_delay_free(struct auth_delay **dp)
{
	struct auth_delay *d = *dp;

	if (d == NULL)
		return;
	pthread_mutex_destroy(&d->mu);
	free(d->slots);
	free(d);
	*dp = NULL;
}

/* auth_delay_global_init - pthread_once: the shared table lives for the process */
static void
auth_delay_global_init(void)
{
	auth_delay_process = auth_delay_new(AUTH_DELAY_SLOTS, AUTH_DELAY_BASE_MS,
	    AUTH_DELAY_MAX_MS, AUTH_DELAY_EXPIRE_S);
}

struct auth_delay *
auth_delay_global(void)
{
	pthread_once(&auth_delay_once, auth_delay_global_init);
	return auth_delay_process;
}

/* slot_live - s holds a pair that has not expired; an expired one is freed (lock held) */
static bool
slot_live(const struct auth_delay *d, struct auth_delay_slot *s, uint64_t now)
{
	if (s->addr[0] == '\0')
		return false;
	if (now - s->last_ms > d->expire_ms) {
		s->addr[0] = '\0';
		return false;
	}
	return true;
}

/* slot_find - the live slot of (addr, account) (lock held) */
static struct auth_delay_slot *
slot_find(struct auth_delay *d, const char *addr, const char *account, uint64_t now)
{
	for (size_t i = 0; i < d->nslots; i++) {
		struct auth_delay_slot *s = &d->slots[i];

		if (slot_live(d, s, now) && strcmp(s->addr, addr) == 0 &&
		    strcmp(s->account, account) == 0)
			return s;
	}
	return NULL;
}

/* addr_failures - the live failures of addr at every account (lock held) */
static unsigned
addr_failures(struct auth_delay *d, const char *addr, uint64_t now)
{
	unsigned n = 0;

	for (size_t i = 0; i < d->nslots; i++) {
		struct auth_delay_slot *s = &d->slots[i];

		if (slot_live(d, s, now) && strcmp(s->addr, addr) == 0 && n < UINT32_MAX - s->failures)
			n += s->failures;
	}
	return n;
}

/* slot_take - a free, expired or else least recently used slot (lock held) */
static struct auth_delay_slot *
slot_take(struct auth_delay *d, uint64_t now)
{
	struct auth_delay_slot *lru = &d->slots[0];

	for (size_t i = 0; i < d->nslots; i++) {
		struct auth_delay_slot *s = &d->slots[i];

		if (s->addr[0] == '\0' || now - s->last_ms > d->expire_ms)
			return s;
		if (s->last_ms < lru->last_ms)
			lru = s;
	}
	return lru;
}

/* delay_for - base doubled per earlier failure, capped */
static unsigned
delay_for(const struct auth_delay *d, unsigned failures)
{
	uint64_t ms = d->base_ms;

	for (unsigned i = 1; i < failures && ms < d->max_ms; i++)
		ms *= 2;
	return ms > d->max_ms ? d->max_ms : (unsigned)ms;
}

/* key_copy - addr and account as the slots hold them: cut to fit, "" is "?" */
static void
key_copy(const char *addr, const char *account, char a[ADDR_MAX], char u[ACCOUNT_MAX])
{
	snprintf(a, ADDR_MAX, "%s", addr[0] != '\0' ? addr : "?");
	snprintf(u, ACCOUNT_MAX, "%s", account);
}

/* slot_claim - a slot for (addr, account) as key_copy() made them, counted from zero (lock held) */
static struct auth_delay_slot *
slot_claim(struct auth_delay *d, const char *addr, const char *account, uint64_t now)
{
	struct auth_delay_slot *s = slot_take(d, now);

	memset(s, 0, sizeof(*s));
	strcpy(s->addr, addr);
	strcpy(s->account, account);
	return s;
}

unsigned
auth_delay_fail(struct auth_delay *d, const char *addr, const char *account, uint64_t now_ms)
{
	struct auth_delay_slot *s;
	char a[ADDR_MAX], u[ACCOUNT_MAX];
	unsigned ms;

	key_copy(addr, account, a, u);
	pthread_mutex_lock(&d->mu);
	if ((s = slot_find(d, a, u, now_ms)) == NULL)
		s = slot_claim(d, a, u, now_ms);
	if (s->failures < UINT32_MAX)
		s->failures++;
	s->last_ms = now_ms;
	ms = delay_for(d, addr_failures(d, a, now_ms));
	pthread_mutex_unlock(&d->mu);
	return ms;
}

void
auth_delay_ok(struct auth_delay *d, const char *addr, const char *account)
{
	struct auth_delay_slot *s;
	char a[ADDR_MAX], u[ACCOUNT_MAX];

	key_copy(addr, account, a, u);
	pthread_mutex_lock(&d->mu);
	for (size_t i = 0; i < d->nslots; i++) {
		s = &d->slots[i];
		if (s->addr[0] != '\0' && strcmp(s->addr, a) == 0 && strcmp(s->account, u) == 0)
			s->addr[0] = '\0';
	}
	pthread_mutex_unlock(&d->mu);
}

unsigned
auth_delay_failures(struct auth_delay *d, const char *addr, uint64_t now_ms)
{
	char a[ADDR_MAX], u[ACCOUNT_MAX];
	unsigned n;

	key_copy(addr, "", a, u);
	pthread_mutex_lock(&d->mu);
	n = addr_failures(d, a, now_ms);
	pthread_mutex_unlock(&d->mu);
	return n;
}

size_t
auth_delay_count(struct auth_delay *d)
{
	size_t n = 0;

	pthread_mutex_lock(&d->mu);
	for (size_t i = 0; i < d->nslots; i++)
		n += d->slots[i].addr[0] != '\0';
	pthread_mutex_unlock(&d->mu);
	return n;
}
