/*
 * imap_cmd_status.c - STATUS, and the status attributes LIST-STATUS
 * (RFC 5819) shares: MESSAGES, UIDNEXT, UIDVALIDITY, UNSEEN, RECENT,
 * HIGHESTMODSEQ (RFC 7162), SIZE (RFC 8438), DELETED (RFC 9051) and
 * MAILBOXID (RFC 8474).
 *
 * Everything but DELETED and RECENT comes from the mailbox record's
 * counters, so a STATUS costs one read whatever the mailbox size. RECENT
 * counts the messages no session has claimed as \Recent (from the
 * store's mark up), and claims none.
 */
#include <string.h>

#include "imap/imap_cmd.h"
#include "imap/imap_shared.h"
#include "imapsyn/imap_write.h"
#include "svc/svc.h"

/* deleted_one - count \Deleted messages */
static int
deleted_one(const struct store_msg *m, void *arg)
{
	*(uint32_t *)arg += (m->flags & STORE_F_DELETED) != 0;
	return 0;
}

/* recent_one - count a message at or above the mark */
static int
recent_one(const struct store_msg *m, void *arg)
{
	(*(uint32_t *)arg)++;
	return 0;
}

/* status_recent - the unclaimed messages of mb; 0 or a store error */
static int
status_recent(struct store_rtxn *r, const struct store_mailbox *mb, uint32_t *n_r)
{
	uint32_t first;
	int rc;

	*n_r = 0;
	if ((rc = store_recent_first(r, mb->id, &first)) != 0)
		return rc;
	/* no mark (never selected since the upgrade) or none unclaimed: no walk */
	if (first <= 1)
		*n_r = mb->messages;
	if (first <= 1 || first >= mb->uidnext)
		return 0;
	return store_msg_list(r, mb->id, first, recent_one, n_r);
}

int
imap_status_items(const struct imap_arg *items, struct store_rtxn *r,
    const struct store_mailbox *mb, struct buf *out)
{
	if (items->type != IMAP_ARG_LIST || items->count == 0)
		return -1;
	buf_putc(out, '(');
	for (size_t i = 0; i < items->count; i++) {
		const struct imap_arg *a = &items->list[i];
		uint32_t deleted = 0, recent;

		if (i > 0)
			buf_putc(out, ' ');
		if (imap_arg_atom_is(a, "MESSAGES"))
			buf_printf(out, "MESSAGES %u", mb->messages);
		else if (imap_arg_atom_is(a, "UIDNEXT"))
			buf_printf(out, "UIDNEXT %u", mb->uidnext);
		else if (imap_arg_atom_is(a, "UIDVALIDITY"))
			buf_printf(out, "UIDVALIDITY %u", mb->uidvalidity);
		else if (imap_arg_atom_is(a, "UNSEEN"))
			buf_printf(out, "UNSEEN %u", mb->unseen);
		else if (imap_arg_atom_is(a, "RECENT") && status_recent(r, mb, &recent) == 0)
			buf_printf(out, "RECENT %u", recent);
		else if (imap_arg_atom_is(a, "HIGHESTMODSEQ"))
			buf_printf(out, "HIGHESTMODSEQ %llu", (unsigned long long)mb->highestmodseq);
		else if (imap_arg_atom_is(a, "SIZE"))
			buf_printf(out, "SIZE %llu", (unsigned long long)mb->bytes);
		else if (imap_arg_atom_is(a, "MAILBOXID"))
			buf_printf(out, "MAILBOXID (" IMAP_MAILBOXID_FMT ")", (unsigned long long)mb->id);
		else if (imap_arg_atom_is(a, "DELETED") &&
		    store_msg_list(r, mb->id, 1, deleted_one, &deleted) == 0)
			buf_printf(out, "DELETED %u", deleted);
		else
			return -1;
	}
	buf_putc(out, ')');
	return 0;
}

IMAP_CMD(status)
{
	char name[STORE_MBOX_NAME_MAX + 1];
	struct imap_mbox_ref ref;
	struct store_mailbox mb;
	struct store_rtxn *r;
	struct buf b = BUF_INIT;
	uint32_t rights;
	int rc;

	if (n != 2 || imap_mailbox_in(s, &args[0], name) != 0 || imap_mbox_ref(s, name, &ref) != 0) {
		imap_reply(s, "BAD", "STATUS needs a mailbox and a list of items");
		return IMAP_DONE;
	}
	if (imap_rtxn(s, &r) != 0)
		return IMAP_DONE;
	rc = imap_mbox_get(s, r, &ref, &mb, &rights);
	if (rc == 0 && imap_rights_deny(s, rights, IMAP_ACL_READ, "STATUS")) {
		store_rtxn_end(&r);
		return IMAP_DONE;
	}
	if (rc == 0) {
		const char *shown = ref.shared ? name : mb.name;

		buf_puts(&b, "* STATUS ");
		imap_write_mailbox(&b, shown, strlen(shown), imap_utf8_names(s));
		buf_putc(&b, ' ');
		if (imap_status_items(&args[1], r, &mb, &b) != 0)
			rc = 1;
		buf_puts(&b, "\r\n");
	}
	store_rtxn_end(&r);
	if (rc == 1)
		imap_reply(s, "BAD", "Unknown status item");
	else if (rc != 0)
		imap_reply_store_err(s, rc);
	else {
		imap_send(s, b.data, b.len);
		imap_reply(s, "OK", "STATUS completed");
	}
	buf_free(&b);
	return IMAP_DONE;
}
