/*
 * imap_notify.c - telling the sessions that have a mailbox selected that
 * it changed, across worker loops.
 *
 * A process-wide registry (one mutex) maps a serial number to the session,
 * its loop and its mailbox id. imap_notify_mailbox() is the store's change
 * hook: the store's writer calls it after each commit for every mailbox
 * whose messages changed, whoever wrote (IMAP, LMTP, SMTP, duplexctl
 * through the control socket). It posts the serial to each session's own
 * loop, the writing session's included (its reply has synced already, so
 * that sync finds nothing new); there the serial is looked up
 * again, so a session that unselected or closed meanwhile is simply not
 * found. Entries are added and removed only on the session's loop thread,
 * which is why a found session is alive for the rest of that callback.
 */
#include <pthread.h>
#include <stdlib.h>

#include "imap/imap_session.h"
#include "net/net.h"
#include "util/xalloc.h"

struct notify_entry {
	uint64_t serial;
	uint64_t mailbox_id;
	struct net_loop *loop;
	struct imap_session *s;
};

static pthread_mutex_t notify_mu = PTHREAD_MUTEX_INITIALIZER;
static struct notify_entry *entries;
static size_t nentries, capentries;
static uint64_t next_serial = 1;

void
imap_notify_add(struct imap_session *s)
{
	pthread_mutex_lock(&notify_mu);
	if (nentries == capentries) {
		capentries = capentries ? capentries * 2 : 64;
		entries = xrealloc(entries, capentries * sizeof(*entries));
	}
	s->view.notify_serial = next_serial++;
	entries[nentries++] = (struct notify_entry){ s->view.notify_serial, s->view.id,
	    net_conn_loop(s->c), s };
	pthread_mutex_unlock(&notify_mu);
}

void
imap_notify_del(struct imap_session *s)
{
	if (s->view.notify_serial == 0)
		return;
	pthread_mutex_lock(&notify_mu);
	for (size_t i = 0; i < nentries; i++)
		if (entries[i].serial == s->view.notify_serial) {
			entries[i] = entries[--nentries];
			break;
		}
	pthread_mutex_unlock(&notify_mu);
	s->view.notify_serial = 0;
}

/* notify_deliver - on the session's loop: tell it, if it is still there */
static void
notify_deliver(void *arg)
{
	uint64_t serial = *(uint64_t *)arg;
	struct imap_session *s = NULL;

	free(arg);
	pthread_mutex_lock(&notify_mu);
	for (size_t i = 0; i < nentries; i++)
		if (entries[i].serial == serial)
			s = entries[i].s;
	pthread_mutex_unlock(&notify_mu);
	if (s == NULL)
		return;
	s->sync_pending = true;
	if (s->idling)
		imap_view_sync(s, true);
}

void
imap_notify_mailbox(uint64_t mailbox_id, void *arg)
{
	pthread_mutex_lock(&notify_mu);
	for (size_t i = 0; i < nentries; i++) {
		uint64_t *serial;

		if (entries[i].mailbox_id != mailbox_id)
			continue;
		serial = xmalloc(sizeof(*serial));
		*serial = entries[i].serial;
		if (net_loop_post(entries[i].loop, notify_deliver, serial) < 0)
			free(serial);
	}
	pthread_mutex_unlock(&notify_mu);
}
