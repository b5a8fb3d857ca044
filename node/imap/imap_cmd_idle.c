/*
 * imap_cmd_idle.c - IDLE (RFC 2177): the session waits for "DONE" and
 * meanwhile tells the client at once what changes in the mailbox.
 *
 * Changes arrive two ways: imap_notify posts to the session when another
 * session (or a delivery that calls imap_notify_mailbox) commits, and a
 * short poll catches any writer that does not notify. Both end in
 * imap_view_sync with expunges allowed.
 */
#include <string.h>
#include <strings.h>

#include "imap/imap_cmd.h"
#include "net/net.h"

#define IDLE_POLL_MS 2000

/* idle_poll - the fallback check while idling */
static void
idle_poll(void *arg)
{
	struct imap_session *s = arg;

	s->timer = NULL;
	if (!s->idling)
		return;
	imap_view_sync(s, true);
	s->timer = net_timer_add(net_conn_loop(s->c), IDLE_POLL_MS, idle_poll, s);
}

IMAP_CMD(idle)
{
	if (n != 0) {
		imap_reply(s, "BAD", "IDLE takes no arguments");
		return IMAP_DONE;
	}
	net_conn_printf(s->c, "+ idling\r\n");
	s->idling = true;
	if (s->selected) {
		imap_view_sync(s, true);
		s->timer = net_timer_add(net_conn_loop(s->c), IDLE_POLL_MS, idle_poll, s);
	}
	return IMAP_DONE;
}

enum imap_result
imap_cmd_idle_line(struct imap_session *s, const char *line, size_t len)
{
	s->idling = false;
	net_timer_cancel(&s->timer);
	s->sync_mode = IMAP_SYNC_FULL;
	if (len == 4 && strncasecmp(line, "DONE", 4) == 0)
		imap_reply(s, "OK", "IDLE terminated");
	else
		imap_reply(s, "BAD", "Expected DONE");
	return IMAP_DONE;
}
