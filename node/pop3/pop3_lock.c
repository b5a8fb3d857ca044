/*
 * pop3_lock.c - one POP3 session per maildrop (RFC 1939 4: the server
 * acquires an exclusive lock; a second session gets [IN-USE]).
 *
 * A process-wide set of addresses under one mutex, hashed into chains:
 * taken by the login job on a pool thread, released on a loop thread at
 * QUIT or close. The lock lives in memory only; after a restart or a
 * failover nobody holds it, which is right since every session died too.
 */
#include "pop3/pop3_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define LOCK_BUCKETS 1024

struct lock_entry {
	struct lock_entry *next;
	char addr[];
};

static pthread_mutex_t lock_mu = PTHREAD_MUTEX_INITIALIZER;
static struct lock_entry *lock_table[LOCK_BUCKETS];

/* lock_hash - FNV-1a of the normalized address */
static size_t
lock_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % LOCK_BUCKETS;
}

bool
pop3_lock_acquire(const char *addr)
{
	size_t b = lock_hash(addr), len = strlen(addr);
	struct lock_entry *e;

	pthread_mutex_lock(&lock_mu);
	for (e = lock_table[b]; e != NULL; e = e->next) {
		if (strcmp(e->addr, addr) == 0) {
			pthread_mutex_unlock(&lock_mu);
			return false;
		}
	}
	e = xmalloc(sizeof(*e) + len + 1);
	memcpy(e->addr, addr, len + 1);
	e->next = lock_table[b];
	lock_table[b] = e;
	pthread_mutex_unlock(&lock_mu);
	return true;
}

void
pop3_lock_release(const char *addr)
{
	struct lock_entry **pp, *e;

	pthread_mutex_lock(&lock_mu);
	for (pp = &lock_table[lock_hash(addr)]; (e = *pp) != NULL; pp = &e->next) {
		if (strcmp(e->addr, addr) == 0) {
			*pp = e->next;
			free(e);
			break;
		}
	}
	pthread_mutex_unlock(&lock_mu);
}
