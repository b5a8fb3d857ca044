/*
 * imap_keywords.c - the keywords the client has been told of in the
 * selected mailbox (RFC 3501 7.2.6, RFC 9051 7.3.5).
 *
 * The store keeps keywords per message, not per mailbox: the view's set
 * is every keyword seen on a message since SELECT. A FETCH response may
 * use a keyword only after the client has it in FLAGS, so whoever writes
 * a message's flags first learns its keywords; when that adds one, an
 * untagged FLAGS and OK [PERMANENTFLAGS] go out before that FETCH. The set
 * only grows while the mailbox is selected: a keyword no message holds
 * any more stays in FLAGS until the next SELECT, which RFC 3501 allows.
 */
#include "imap/imap_session.h"

#include <string.h>

#include "imapsyn/imap_acl.h"
#include "util/buf.h"

#define SYSTEM_FLAGS	"\\Answered \\Flagged \\Deleted \\Seen \\Draft"

bool
imap_keywords_learn(struct imap_view *v, const char *keywords)
{
	bool added = false;

	for (const char *p = keywords ? keywords : ""; *p;) {
		size_t l = strcspn(p, " ");

		if (l > 0 && !store_keywords_has(buf_cstr(&v->keywords), p, l)) {
			if (v->keywords.len)
				buf_putc(&v->keywords, ' ');
			buf_append(&v->keywords, p, l);
			added = true;
		}
		p += l + (p[l] == ' ');
	}
	return added;
}

void
imap_keywords_announce(struct imap_view *v, struct buf *out)
{
	const char *kw = buf_cstr(&v->keywords);
	const char *sep = *kw ? " " : "";

	buf_printf(out, "* FLAGS (" SYSTEM_FLAGS "%s%s)\r\n", sep, kw);
	if (v->readonly)
		buf_puts(out, "* OK [PERMANENTFLAGS ()] Flags permitted\r\n");
	else if (!(v->rights & IMAP_ACL_WRITE))
		buf_printf(out, "* OK [PERMANENTFLAGS (%s%s%s)] Flags permitted\r\n",
		    (v->rights & IMAP_ACL_DELETED) ? "\\Deleted" : "",
		    (v->rights & IMAP_ACL_DELETED) && (v->rights & IMAP_ACL_SEEN) ? " " : "",
		    (v->rights & IMAP_ACL_SEEN) ? "\\Seen" : "");
	else
		buf_printf(out, "* OK [PERMANENTFLAGS (" SYSTEM_FLAGS "%s%s \\*)] Flags permitted\r\n",
		    sep, kw);
}

void
imap_keywords_tell(struct imap_session *s)
{
	struct buf b = BUF_INIT;

	imap_keywords_announce(&s->view, &b);
	imap_send(s, b.data, b.len);
	buf_free(&b);
}
