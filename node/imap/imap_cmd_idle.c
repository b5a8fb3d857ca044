/*
 * imap_cmd_idle.c - IDLE (RFC 2177): the session waits for "DONE" and
 * meanwhile tells the client at once what changes in the mailbox.
 *
 * Changes arrive through imap_notify: the store's change hook fires after
 * every commit that touches the mailbox's messages, whoever wrote (another
 * IMAP session, LMTP or SMTP delivery, duplexctl via the control socket),
 * and the notice ends in imap_view_sync with expunges allowed. No poll is
 * needed: while duplexd runs it holds the data dir's lock, so no other
 * process writes to the store.
 */
#include <string.h>
#include <strings.h>

#include "imap/imap_cmd.h"
#include "net/net.h"

IMAP_CMD(idle)
{
	if (n != 0) {
		imap_reply(s, "BAD", "IDLE takes no arguments");
		return IMAP_DONE;
	}
	net_conn_printf(s->c, "+ idling\r\n");
	s->idling = true;
	if (s->selected)
		imap_view_sync(s, true);
	return IMAP_DONE;
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
