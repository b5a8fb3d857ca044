/*
 * imap_cmd_quota.c - QUOTA (RFC 9208): GETQUOTA and GETQUOTAROOT over the
 * one per-user quota root "", with STORAGE (KiB) and MESSAGE resources.
 * SETQUOTA is refused: quotas are set by the administrator (duplexctl).
 */
#include <string.h>

#include "imap/imap_cmd.h"
#include "imapsyn/imap_write.h"
#include "svc/svc.h"

/* quota_line - "* QUOTA "" (...)" from the user's record */
static int
quota_line(struct imap_session *s)
{
	struct store_user u;
	struct store_rtxn *r;
	struct buf b = BUF_INIT;
	int rc;

	if (imap_rtxn(s, &r) != 0)
		return -1;
	rc = store_user_get(r, s->user, &u);
	store_rtxn_end(&r);
	if (rc != 0) {
		imap_reply_store_err(s, rc);
		return -1;
	}
	buf_puts(&b, "QUOTA \"\" (");
	if (u.quota_bytes)
		buf_printf(&b, "STORAGE %llu %llu", (unsigned long long)(u.used_bytes / 1024),
		    (unsigned long long)(u.quota_bytes / 1024));
	if (u.quota_messages)
		buf_printf(&b, "%sMESSAGE %llu %llu", u.quota_bytes ? " " : "",
		    (unsigned long long)u.used_messages, (unsigned long long)u.quota_messages);
	buf_putc(&b, ')');
	imap_untagged(s, "%s", buf_cstr(&b));
	buf_free(&b);
	return 0;
}

IMAP_CMD(getquota)
{
	const char *root = n == 1 ? imap_arg_astring(&args[0]) : NULL;

	if (root == NULL) {
		imap_reply(s, "BAD", "GETQUOTA needs a quota root");
		return IMAP_DONE;
	}
	if (*root != '\0') {
		imap_reply(s, "NO", "[NONEXISTENT] No such quota root");
		return IMAP_DONE;
	}
	if (quota_line(s) == 0)
		imap_reply(s, "OK", "GETQUOTA completed");
	return IMAP_DONE;
}

IMAP_CMD(getquotaroot)
{
	char name[STORE_MBOX_NAME_MAX + 1];
	struct buf b = BUF_INIT;

	if (n != 1 || imap_mailbox_in(s, &args[0], name) != 0) {
		imap_reply(s, "BAD", "GETQUOTAROOT needs a mailbox");
		return IMAP_DONE;
	}
	buf_puts(&b, "QUOTAROOT ");
	imap_write_mailbox(&b, name, strlen(name), imap_utf8_names(s));
	buf_puts(&b, " \"\"");
	imap_untagged(s, "%s", buf_cstr(&b));
	buf_free(&b);
	if (quota_line(s) == 0)
		imap_reply(s, "OK", "GETQUOTAROOT completed");
	return IMAP_DONE;
}

IMAP_CMD(setquota)
{
	imap_reply(s, "NO", "[NOPERM] Quotas are set by the administrator");
	return IMAP_DONE;
}
