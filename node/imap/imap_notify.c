/*
 * imap_notify.c - telling the sessions that have a mailbox selected that
 * it changed, across worker loops.
 *
 * A process-wide registry (one mutex) holds an entry per selected session:
 * its serial number, its loop and its mailbox id. Each entry is linked into
 * two chained hash tables, one keyed by serial and one by mailbox id, so a
 * notice costs O(sessions on that mailbox) and finding a session by its
 * serial O(1). imap_notify_mailbox() is the store's change hook: the
 * store's writer calls it after each commit for every mailbox whose
 * messages changed, whoever wrote (IMAP, LMTP, SMTP, duplexctl through the
 * control socket). It posts one batch of serials to each loop that has
 * sessions on the mailbox, the writing session's included (its reply has
 * synced already, so that sync finds nothing new); there each serial is
 * looked up again, so a session that unselected or closed meanwhile is
 * simply not found. Entries are added and removed only on the session's
 * loop thread, which is why a found session is alive for the rest of that
 * callback.
 *
 * Hazard: the mailbox table chains entries of every mailbox that hashes to
 * a bucket; a walk must skip the other mailboxes' entries. The tables grow
 * with the entries (load factor at most one) and never shrink.
 */
#include <pthread.h>
#include <stdlib.h>

#include "imap/imap_cmd.h"
#include "net/net.h"
#include "util/xalloc.h"

enum { BY_SERIAL, BY_MBOX, NTABLES };

#define NOTIFY_MIN_BITS	6	/* 64 buckets to start */

struct notify_entry {
	uint64_t key[NTABLES];		/* serial, mailbox id */
	struct net_loop *loop;
	struct imap_session *s;
	struct notify_entry *next[NTABLES], **pprev[NTABLES];
};

/* the serials one notice sends to one loop */
struct notify_batch {
	struct net_loop *loop;
	uint64_t *serials;
	size_t n, cap;
};

static pthread_mutex_t notify_mu = PTHREAD_MUTEX_INITIALIZER;
static struct notify_entry **table[NTABLES];
static unsigned bits;			/* both tables have 1 << bits buckets */
static size_t nentries;
static uint64_t next_serial = 1;

/* bucket - Fibonacci hashing, so sequential serials and ids spread */
static struct notify_entry **
bucket(int t, uint64_t key)
{
	return &table[t][(key * 0x9e3779b97f4a7c15ULL) >> (64 - bits)];
}

/* link_entry - put e at the head of its chain in table t */
static void
link_entry(int t, struct notify_entry *e)
{
	struct notify_entry **b = bucket(t, e->key[t]);

	e->next[t] = *b;
	if (*b != NULL)
		(*b)->pprev[t] = &e->next[t];
	*b = e;
	e->pprev[t] = b;
}

/* unlink_entry - take e out of table t in O(1) */
static void
unlink_entry(int t, struct notify_entry *e)
{
	*e->pprev[t] = e->next[t];
	if (e->next[t] != NULL)
		e->next[t]->pprev[t] = e->pprev[t];
}

/* grow - double both tables (or make the first ones) and rehash */
static void
grow(void)
{
	struct notify_entry **old = table[BY_SERIAL], *e, *next;
	size_t oldn = old != NULL ? (size_t)1 << bits : 0;

	bits = old != NULL ? bits + 1 : NOTIFY_MIN_BITS;
	free(table[BY_MBOX]);
	for (int t = 0; t < NTABLES; t++)
		table[t] = xcalloc((size_t)1 << bits, sizeof(*table[t]));
	for (size_t i = 0; i < oldn; i++)
		for (e = old[i]; e != NULL; e = next) {
			next = e->next[BY_SERIAL];
			for (int t = 0; t < NTABLES; t++)
				link_entry(t, e);
		}
	free(old);
}

/* find_serial - the entry of serial, or NULL; the mutex is held */
static struct notify_entry *
find_serial(uint64_t serial)
{
	struct notify_entry *e;

	if (table[BY_SERIAL] == NULL)
		return NULL;
	for (e = *bucket(BY_SERIAL, serial); e != NULL; e = e->next[BY_SERIAL])
		if (e->key[BY_SERIAL] == serial)
			return e;
	return NULL;
}

void
imap_notify_add(struct imap_session *s)
{
	struct notify_entry *e = xcalloc(1, sizeof(*e));

	e->loop = net_conn_loop(s->c);
	e->s = s;
	pthread_mutex_lock(&notify_mu);
	if (table[BY_SERIAL] == NULL || nentries >= (size_t)1 << bits)
		grow();
	s->view.notify_serial = next_serial++;
	e->key[BY_SERIAL] = s->view.notify_serial;
	e->key[BY_MBOX] = s->view.id;
	for (int t = 0; t < NTABLES; t++)
		link_entry(t, e);
	nentries++;
	pthread_mutex_unlock(&notify_mu);
}

void
imap_notify_del(struct imap_session *s)
{
	struct notify_entry *e;

	if (s->view.notify_serial == 0)
		return;
	pthread_mutex_lock(&notify_mu);
	if ((e = find_serial(s->view.notify_serial)) != NULL) {
		for (int t = 0; t < NTABLES; t++)
			unlink_entry(t, e);
		nentries--;
	}
	pthread_mutex_unlock(&notify_mu);
	free(e);
	s->view.notify_serial = 0;
}

/* notify_deliver - on one loop: tell each session of the batch, if it is still there */
static void
notify_deliver(void *arg)
{
	struct notify_batch *b = arg;

	for (size_t i = 0; i < b->n; i++) {
		struct notify_entry *e;
		struct imap_session *s;

		pthread_mutex_lock(&notify_mu);
		e = find_serial(b->serials[i]);
		s = e != NULL ? e->s : NULL;
		pthread_mutex_unlock(&notify_mu);
		if (s == NULL)
			continue;
		s->sync_pending = true;
		imap_cmd_idle_notice(s);
	}
	free(b->serials);
	free(b);
}

/* batch_add - serial into the batch for loop, a new batch for a new loop */
static void
batch_add(struct notify_batch ***batches, size_t *nb, struct net_loop *loop, uint64_t serial)
{
	struct notify_batch *b = NULL;

	for (size_t i = 0; i < *nb && b == NULL; i++)
		if ((*batches)[i]->loop == loop)
			b = (*batches)[i];
	if (b == NULL) {
		*batches = xrealloc(*batches, (*nb + 1) * sizeof(**batches));
		b = (*batches)[(*nb)++] = xcalloc(1, sizeof(*b));
		b->loop = loop;
	}
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 8;
		b->serials = xrealloc(b->serials, b->cap * sizeof(*b->serials));
	}
	b->serials[b->n++] = serial;
}

void
imap_notify_mailbox(uint64_t mailbox_id, void *arg)
{
	struct notify_batch **batches = NULL;
	size_t nb = 0;

	pthread_mutex_lock(&notify_mu);
	if (table[BY_MBOX] != NULL)
		for (struct notify_entry *e = *bucket(BY_MBOX, mailbox_id); e != NULL;
		    e = e->next[BY_MBOX])
			if (e->key[BY_MBOX] == mailbox_id)
				batch_add(&batches, &nb, e->loop, e->key[BY_SERIAL]);
	pthread_mutex_unlock(&notify_mu);
	/* posted unlocked: each serial is looked up again on its loop */
	for (size_t i = 0; i < nb; i++)
		if (net_loop_post(batches[i]->loop, notify_deliver, batches[i]) < 0) {
			free(batches[i]->serials);
			free(batches[i]);
		}
	free(batches);
}
