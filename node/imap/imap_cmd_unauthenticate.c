/*
 * imap_cmd_unauthenticate.c - UNAUTHENTICATE (RFC 8437): back to the
 * not-authenticated state on the same connection.
 *
 * The selected mailbox is left without an expunge, ENABLEd extensions and
 * the user are forgotten, and the pre-login limits and timeout apply again.
 * TLS and COMPRESS stay: they belong to the connection.
 */
#include "imap/imap_cmd.h"
#include "util/log.h"

IMAP_CMD(unauthenticate)
{
	struct buf b = BUF_INIT;

	if (n != 0) {
		imap_reply(s, "BAD", "UNAUTHENTICATE takes no arguments");
		return IMAP_DONE;
	}
	log_info(s->id, "imap: unauthenticate, user %s", s->user);
	imap_logged_out(s);
	imap_capabilities(s, &b);
	imap_reply(s, "OK", "[%s] Not authenticated any more", buf_cstr(&b));
	buf_free(&b);
	return IMAP_DONE;
}
