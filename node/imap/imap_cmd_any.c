/*
 * imap_cmd_any.c - the commands about the session itself: CAPABILITY,
 * NOOP, LOGOUT, ID (RFC 2971), ENABLE (RFC 5161) and NAMESPACE (RFC 2342).
 *
 * NOOP does nothing but let the core send the other sessions' changes.
 * ENABLE QRESYNC implies CONDSTORE (RFC 7162); IMAP4rev2 and UTF8=ACCEPT
 * switch mailbox names to UTF-8 on the wire.
 */
#include <string.h>

#include "imap/imap_cmd.h"
#include "imap/imap_shared.h"
#include "net/net.h"
#include "util/log.h"
#include "util/version.h"

IMAP_CMD(capability)
{
	struct buf b = BUF_INIT;

	imap_capabilities(s, &b);
	imap_untagged(s, "%s", buf_cstr(&b));
	buf_free(&b);
	imap_reply(s, "OK", "CAPABILITY completed");
	return IMAP_DONE;
}

IMAP_CMD(noop)
{
	imap_reply(s, "OK", "NOOP completed");
	return IMAP_DONE;
}

IMAP_CMD(logout)
{
	imap_untagged(s, "BYE Logging out");
	imap_reply(s, "OK", "LOGOUT completed");
	s->state = IMAP_STATE_LOGOUT;
	net_conn_close(s->c);
	return IMAP_DONE;
}

/* id_field - one printable field of the client's ID list, for the log */
static void
id_field(struct buf *b, const struct imap_arg *a)
{
	bool nil;
	const char *v = imap_arg_nstring(a, &nil);

	if (v == NULL) {
		buf_puts(b, "NIL");
		return;
	}
	for (size_t i = 0; i < a->len && i < 64; i++)
		buf_putc(b, v[i] >= 0x20 && v[i] < 0x7f ? v[i] : '?');
}

IMAP_CMD(id)
{
	struct buf log = BUF_INIT;

	if (n != 1 || (args[0].type != IMAP_ARG_LIST && args[0].type != IMAP_ARG_NIL) ||
	    args[0].count % 2 != 0 || args[0].count > 60) {
		imap_reply(s, "BAD", "ID needs NIL or a list of field-value pairs");
		return IMAP_DONE;
	}
	for (size_t i = 0; args[0].type == IMAP_ARG_LIST && i < args[0].count; i += 2) {
		id_field(&log, &args[0].list[i]);
		buf_putc(&log, '=');
		id_field(&log, &args[0].list[i + 1]);
		buf_putc(&log, ' ');
	}
	if (log.len)
		log_info(s->id, "imap: client id %s", buf_cstr(&log));
	buf_free(&log);
	imap_untagged(s, "ID (\"name\" \"Duplex\" \"version\" \"%s\")", DUPLEX_VERSION);
	imap_reply(s, "OK", "ID completed");
	return IMAP_DONE;
}

IMAP_CMD(enable)
{
	static const struct { const char *name; unsigned bits; } ext[] = {
		{ "CONDSTORE", IMAP_EN_CONDSTORE },
		{ "QRESYNC", IMAP_EN_QRESYNC | IMAP_EN_CONDSTORE },
		{ "IMAP4rev2", IMAP_EN_REV2 },
		{ "UTF8=ACCEPT", IMAP_EN_UTF8 },
	};
	struct buf b = BUF_INIT;

	if (n == 0) {
		imap_reply(s, "BAD", "ENABLE needs capability names");
		return IMAP_DONE;
	}
	buf_puts(&b, "ENABLED");
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < sizeof(ext) / sizeof(ext[0]); j++) {
			if (!imap_arg_atom_is(&args[i], ext[j].name) ||
			    (s->enabled & ext[j].bits) == ext[j].bits)
				continue;
			s->enabled |= ext[j].bits;
			buf_printf(&b, " %s", ext[j].name);
		}
	}
	imap_untagged(s, "%s", buf_cstr(&b));
	buf_free(&b);
	imap_reply(s, "OK", "ENABLE completed");
	return IMAP_DONE;
}

IMAP_CMD(namespace)
{
	imap_untagged(s, "NAMESPACE ((\"\" \"/\")) ((\"" IMAP_SHARED_PREFIX "\" \"/\")) NIL");
	imap_reply(s, "OK", "NAMESPACE completed");
	return IMAP_DONE;
}
