/*
 * imap_cmd_idle.c - IDLE (RFC 2177): the session waits for "DONE" and
 * meanwhile tells the client at once what changes in the mailbox.
 *
 * Changes arrive through imap_notify: the store's change hook fires after
 * every commit that touches the mailbox's messages, whoever wrote (another
 * IMAP session, LMTP or SMTP delivery, duplexctl via the control socket),
 * and the notice ends in imap_view_sync with expunges allowed, after the
 * view has claimed its \Recent arrivals (imap_recent_settle). No poll is
 * needed: while duplexd runs it holds the data dir's lock, so no other
 * process writes to the store. A session that asked NOTIFY for its
 * selected mailbox gets the same sync between commands, without IDLE
 * (imap_cmd_notify.c). A notice may also mean an ACL change: the rights
 * are reread first, and losing "r" ends the session (imap_view_rights).
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "imap/imap_cmd.h"
#include "imap/imap_shared.h"
#include "net/net.h"

static enum imap_result idle_sync(struct imap_session *s, void *arg);

IMAP_CMD(idle)
{
	if (n != 0) {
		imap_reply(s, "BAD", "IDLE takes no arguments");
		return IMAP_DONE;
	}
	net_conn_printf(s->c, "+ idling\r\n");
	s->idling = true;
	return idle_sync(s, NULL);
}

/*
 * idle_sync - tell the idling client what changed; arrivals that came in
 * while a claim ran get another round, as long as the rounds settle more
 * (arg: the view's settled mark before this round)
 */
static enum imap_result
idle_sync(struct imap_session *s, void *arg)
{
	if (!(s->idling || imap_cmd_notify_selected(s)) || !s->selected || !imap_view_rights(s))
		return IMAP_DONE;
	imap_cmd_notify_sync(s);
	if (s->sync_pending && s->view.settled != (uintptr_t)arg)
		return imap_recent_settle(s, idle_sync, (void *)(uintptr_t)s->view.settled);
	return IMAP_DONE;
}

void
imap_cmd_idle_notice(struct imap_session *s)
{
	if ((s->idling || imap_cmd_notify_selected(s)) && !s->busy && s->stream.more == NULL &&
	    imap_recent_settle(s, idle_sync, (void *)(uintptr_t)s->view.settled) == IMAP_WAIT)
		s->busy = true;
}

/* imap_cmd_idle_line - DONE ends IDLE; anything else is a BAD that ends it too */
enum imap_result
imap_cmd_idle_line(struct imap_session *s, const char *line, size_t len)
{
	s->idling = false;
	s->sync_mode = IMAP_SYNC_FULL;
	if (len == 4 && strncasecmp(line, "DONE", 4) == 0)
		imap_reply(s, "OK", "IDLE terminated");
	else
		imap_reply(s, "BAD", "Expected DONE");
	return IMAP_DONE;
}
