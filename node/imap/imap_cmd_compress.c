/*
 * imap_cmd_compress.c - COMPRESS DEFLATE (RFC 4978).
 *
 * The tagged OK goes out uncompressed; from the next byte on, both ways are
 * raw deflate, layered by net between the transport (plain or TLS) and the
 * session. Bytes the client sent behind the command were compressed: they
 * are handed to net to inflate, not parsed here.
 */
#include "imap/imap_cmd.h"
#include "net/net.h"
#include "util/log.h"

IMAP_CMD(compress)
{
	if (n != 1 || !imap_arg_atom_is(&args[0], "DEFLATE")) {
		imap_reply(s, "BAD", "COMPRESS supports DEFLATE only");
		return IMAP_DONE;
	}
	if (net_conn_is_compressed(s->c)) {
		imap_reply(s, "NO", "[COMPRESSIONACTIVE] DEFLATE is already active");
		return IMAP_DONE;
	}
	imap_reply(s, "OK", "DEFLATE active");
	if (net_conn_compress(s->c, s->in.data + s->in_off, s->in.len - s->in_off) < 0) {
		log_warn(s->id, "imap: could not start compression");
		net_conn_abort(s->c);
		s->state = IMAP_STATE_LOGOUT;
		return IMAP_DONE;
	}
	log_info(s->id, "imap: COMPRESS=DEFLATE on");
	buf_reset(&s->in);
	s->in_off = 0;
	return IMAP_DONE;
}
