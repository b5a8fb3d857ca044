/*
 * pop3_lock.c - one POP3 session per maildrop (RFC 1939 4: the server
 * acquires an exclusive lock; a second session gets [IN-USE]).
 *
 * A process-wide set of addresses (util/hashtab.h) under one mutex:
 * taken by the login job on a pool thread, released on a loop thread at
 * QUIT or close. The lock lives in memory only; after a restart or a
 * failover nobody holds it, which is right since every session died too.
 */
#include "pop3/pop3_int.h"

#include <pthread.h>

#include "util/hashtab.h"

#define LOCK_BUCKETS 1024

static pthread_mutex_t lock_mu = PTHREAD_MUTEX_INITIALIZER;
static struct hashtab *lock_table;	/* made at the first login, kept for the process */

bool
pop3_lock_acquire(const char *addr)
{
	bool added;

	pthread_mutex_lock(&lock_mu);
	if (lock_table == NULL)
		lock_table = hashtab_new(LOCK_BUCKETS, 0);
	hashtab_put(lock_table, addr, &added);
	pthread_mutex_unlock(&lock_mu);
	return added;
}

void
pop3_lock_release(const char *addr)
{
	pthread_mutex_lock(&lock_mu);
	if (lock_table != NULL)
		hashtab_del(lock_table, addr);
	pthread_mutex_unlock(&lock_mu);
}
