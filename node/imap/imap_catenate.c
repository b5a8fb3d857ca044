/*
 * imap_catenate.c - the message a CATENATE list (RFC 4469) makes: TEXT
 * parts as sent, URL parts (RFC 5092, imapsyn/imap_url.h) read as FETCH
 * BODY.PEEK[section] would read them, ;PARTIAL applied.
 *
 * A URL may name any message of the same user's own mailboxes; a relative
 * one (";UID=...") names one in the selected mailbox. A URL that does not
 * parse, names another user, a mailbox, message or part that is not there
 * or a UIDVALIDITY that is not the mailbox's is a bad URL: the caller answers
 * NO [BADURL url]. Without URLAUTH, ;URLAUTH URLs are bad URLs too.
 *
 * Runs on the pool: one read transaction for all the parts of a message.
 */
#include <string.h>
#include <strings.h>

#include "imap/imap_cmd.h"
#include "imap/imap_fetch.h"
#include "imapsyn/imap_url.h"

/* msg_first - store_msg_list() callback: the first message from the UID asked for */
static int
msg_first(const struct store_msg *m, void *arg)
{
	*(struct store_msg *)arg = *m;
	return 1;
}

/* url_partial - ;PARTIAL=offset[.length] of the section's bytes */
static void
url_partial(const struct imap_url *u, const struct buf *sec, struct buf *out)
{
	size_t off = u->offset, n;

	if (!u->partial) {
		buf_append(out, sec->data, sec->len);
		return;
	}
	if (off >= sec->len)
		return;
	n = sec->len - off;
	if (u->length != 0 && u->length < n)
		n = u->length;
	buf_append(out, sec->data + off, n);
}

/* url_part - the bytes a URL part names, appended to out; 0, BADURL or a store error */
static int
url_part(struct store_rtxn *r, const char *user, const char *selected,
    const struct imap_cat_part *p, struct buf *out)
{
	struct imap_url u;
	struct imap_section sec;
	struct store_mailbox mb;
	struct store_msg m = { 0 };
	struct buf tmp = BUF_INIT;
	const char *name, *data;
	const void *blob;
	size_t len, bloblen;
	int rc;

	if (imap_url_parse(p->data, p->len, &u) != 0 || imap_url_section(&u, &sec) != 0 ||
	    (u.user[0] != '\0' && strcasecmp(u.user, user) != 0))
		return IMAP_CATENATE_BADURL;
	name = u.base == IMAP_URL_RELATIVE ? selected : u.mailbox;
	if (name[0] == '\0')
		return IMAP_CATENATE_BADURL;
	rc = store_mailbox_get(r, user, name, &mb);
	if (rc == STORE_ENOTFOUND || rc == STORE_EINVAL || rc == STORE_ENAMETOOLONG)
		return IMAP_CATENATE_BADURL;
	if (rc != 0)
		return rc;
	if (u.uidvalidity != 0 && u.uidvalidity != mb.uidvalidity)
		return IMAP_CATENATE_BADURL;
	if ((rc = store_msg_list(r, mb.id, u.uid, msg_first, &m)) < 0)
		return rc;
	if (m.uid != u.uid)
		return IMAP_CATENATE_BADURL;
	if ((rc = store_msg_body(r, m.body_id, &data, &len)) != 0 ||
	    (rc = store_msg_cache(r, m.body_id, &blob, &bloblen)) != 0)
		return rc;
	if (imap_fetch_section(&sec, data, len, blob, bloblen, &tmp) != 0)
		rc = IMAP_CATENATE_BADURL;	/* no such part */
	else
		url_partial(&u, &tmp, out);
	buf_free(&tmp);
	return rc;
}

int
imap_catenate(struct store *st, const char *user, const char *selected,
    const struct imap_cat_part *parts, size_t n, uint64_t max, struct buf *out, size_t *bad_r)
{
	struct store_rtxn *r;
	size_t i;
	int rc = 0;

	if ((rc = store_rtxn_begin(st, &r)) != 0)
		return rc;
	for (i = 0; i < n && rc == 0; i++) {
		if (parts[i].kind == IMAP_CAT_TEXT)
			buf_append(out, parts[i].data, parts[i].len);
		else if ((rc = url_part(r, user, selected, &parts[i], out)) == IMAP_CATENATE_BADURL)
			*bad_r = i;
		if (rc == 0 && max != 0 && out->len > max)
			rc = STORE_ETOOBIG;
	}
	store_rtxn_end(&r);
	return rc;
}
