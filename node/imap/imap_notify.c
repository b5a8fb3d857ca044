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
 * NOTIFY (imap_cmd_notify.c) adds two more kinds of entry under a second
 * serial of the session's: a watch per mailbox id the session wants to
 * hear about while it is not selected, in the same mailbox table, so the
 * hook still costs O(sessions interested in that mailbox) and nothing for
 * sessions that did not ask; and one entry per session in a third table
 * keyed by a hash of the user's address, which imap_notify_user() walks
 * when a session of that user created, deleted or renamed a mailbox or
 * changed a subscription (the store's hook knows only message changes).
 * A batch carries each serial with the kind of entry it came from: a view
 * is synced as IDLE does, the NOTIFY kinds go to imap_cmd_notify_event().
 *
 * Hazard: the mailbox and user tables chain entries of every key that
 * hashes to a bucket; a walk must skip the other keys' entries. All the
 * entries of one serial are in one serial bucket, which is how they are
 * removed together. The tables grow with the entries (load factor at most
 * one) and never shrink.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "imap/imap_cmd.h"
#include "net/net.h"
#include "util/xalloc.h"

enum { BY_SERIAL, BY_MBOX, BY_USER, NTABLES };

/* what an entry stands for */
enum notify_kind {
	NK_VIEW,	/* the selected mailbox (BY_MBOX) */
	NK_WATCH,	/* a NOTIFY watch on a mailbox (BY_MBOX) */
	NK_USER,	/* NOTIFY on the user's names and subscriptions (BY_USER) */
};

#define NOTIFY_MIN_BITS	6	/* 64 buckets to start */

struct notify_entry {
	uint64_t key[NTABLES];		/* serial, mailbox id, user hash */
	enum notify_kind kind;
	char *user;			/* NK_USER: the address */
	struct net_loop *loop;
	struct imap_session *s;
	struct notify_entry *next[NTABLES], **pprev[NTABLES];
};

/* one serial of a batch, with the kind of entry that put it there */
struct notify_item {
	uint64_t serial;
	enum notify_kind kind;
};

/* the serials one notice sends to one loop */
struct notify_batch {
	struct net_loop *loop;
	struct notify_item *items;
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

/* second_table - the table besides the serial one that e is in */
static int
second_table(const struct notify_entry *e)
{
	return e->kind == NK_USER ? BY_USER : BY_MBOX;
}

/* grow - double the tables (or make the first ones) and rehash */
static void
grow(void)
{
	struct notify_entry **old = table[BY_SERIAL], *e, *next;
	size_t oldn = old != NULL ? (size_t)1 << bits : 0;

	bits = old != NULL ? bits + 1 : NOTIFY_MIN_BITS;
	free(table[BY_MBOX]);
	free(table[BY_USER]);
	for (int t = 0; t < NTABLES; t++)
		table[t] = xcalloc((size_t)1 << bits, sizeof(*table[t]));
	for (size_t i = 0; i < oldn; i++)
		for (e = old[i]; e != NULL; e = next) {
			next = e->next[BY_SERIAL];
			link_entry(BY_SERIAL, e);
			link_entry(second_table(e), e);
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

/* user_hash - FNV-1a of an address, the user table's key */
static uint64_t
user_hash(const char *user)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *user; user++)
		h = (h ^ (unsigned char)*user) * 0x100000001b3ULL;
	return h;
}

/* add_entry - a new entry of s under serial; the mutex is held */
static void
add_entry(struct imap_session *s, uint64_t serial, enum notify_kind kind, uint64_t key)
{
	struct notify_entry *e = xcalloc(1, sizeof(*e));

	if (table[BY_SERIAL] == NULL || nentries >= (size_t)1 << bits)
		grow();
	e->loop = net_conn_loop(s->c);
	e->s = s;
	e->kind = kind;
	e->key[BY_SERIAL] = serial;
	e->key[second_table(e)] = key;
	if (kind == NK_USER)
		e->user = xstrdup(s->user);
	link_entry(BY_SERIAL, e);
	link_entry(second_table(e), e);
	nentries++;
}

/* del_serial - every entry of serial; the mutex is held */
static void
del_serial(uint64_t serial)
{
	struct notify_entry *e, *next;

	if (table[BY_SERIAL] == NULL)
		return;
	for (e = *bucket(BY_SERIAL, serial); e != NULL; e = next) {
		next = e->next[BY_SERIAL];
		if (e->key[BY_SERIAL] != serial)
			continue;
		unlink_entry(BY_SERIAL, e);
		unlink_entry(second_table(e), e);
		nentries--;
		free(e->user);
		free(e);
	}
}

void
imap_notify_add(struct imap_session *s)
{
	pthread_mutex_lock(&notify_mu);
	s->view.notify_serial = next_serial++;
	add_entry(s, s->view.notify_serial, NK_VIEW, s->view.id);
	pthread_mutex_unlock(&notify_mu);
}

void
imap_notify_del(struct imap_session *s)
{
	if (s->view.notify_serial == 0)
		return;
	pthread_mutex_lock(&notify_mu);
	del_serial(s->view.notify_serial);
	pthread_mutex_unlock(&notify_mu);
	s->view.notify_serial = 0;
}

void
imap_notify_watch(struct imap_session *s, const uint64_t *ids, size_t n)
{
	pthread_mutex_lock(&notify_mu);
	if (s->watch_serial != 0)
		del_serial(s->watch_serial);
	s->watch_serial = next_serial++;
	add_entry(s, s->watch_serial, NK_USER, user_hash(s->user));
	for (size_t i = 0; i < n; i++)
		add_entry(s, s->watch_serial, NK_WATCH, ids[i]);
	pthread_mutex_unlock(&notify_mu);
}

void
imap_notify_unwatch(struct imap_session *s)
{
	if (s->watch_serial == 0)
		return;
	pthread_mutex_lock(&notify_mu);
	del_serial(s->watch_serial);
	pthread_mutex_unlock(&notify_mu);
	s->watch_serial = 0;
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
		e = find_serial(b->items[i].serial);
		s = e != NULL ? e->s : NULL;
		pthread_mutex_unlock(&notify_mu);
		if (s == NULL)
			continue;
		if (b->items[i].kind != NK_VIEW) {
			imap_cmd_notify_event(s);
			continue;
		}
		s->sync_pending = true;
		s->view.rights_stale = true;	/* an ACL change fires the hook too */
		imap_cmd_idle_notice(s);
	}
	free(b->items);
	free(b);
}

/* batch_add - e's serial into the batch for its loop, a new batch for a new loop */
static void
batch_add(struct notify_batch ***batches, size_t *nb, const struct notify_entry *e)
{
	struct net_loop *loop = e->loop;
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
		b->items = xrealloc(b->items, b->cap * sizeof(*b->items));
	}
	b->items[b->n++] = (struct notify_item){ e->key[BY_SERIAL], e->kind };
}

/* batches_post - posted unlocked: each serial is looked up again on its loop */
static void
batches_post(struct notify_batch **batches, size_t nb)
{
	for (size_t i = 0; i < nb; i++)
		if (net_loop_post(batches[i]->loop, notify_deliver, batches[i]) < 0) {
			free(batches[i]->items);
			free(batches[i]);
		}
	free(batches);
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
				batch_add(&batches, &nb, e);
	pthread_mutex_unlock(&notify_mu);
	batches_post(batches, nb);
}

void
imap_notify_user(struct imap_session *s)
{
	struct notify_batch **batches = NULL;
	uint64_t h = user_hash(s->user);
	size_t nb = 0;

	pthread_mutex_lock(&notify_mu);
	if (table[BY_USER] != NULL)
		for (struct notify_entry *e = *bucket(BY_USER, h); e != NULL; e = e->next[BY_USER])
			if (e->key[BY_USER] == h && e->s != s && strcmp(e->user, s->user) == 0)
				batch_add(&batches, &nb, e);
	pthread_mutex_unlock(&notify_mu);
	batches_post(batches, nb);
}
