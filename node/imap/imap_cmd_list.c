/*
 * imap_cmd_list.c - LIST with LIST-EXTENDED (RFC 5258) selection and
 * return options, SPECIAL-USE (RFC 6154), CHILDREN, LIST-STATUS (RFC
 * 5819), and LSUB.
 *
 * The user's mailboxes are copied out of one read transaction in name
 * order; a mailbox has children when the next name starts with it and
 * "/". Patterns are matched on UTF-8 names ("*" anything, "%" anything but
 * the separator). The store never has \Noselect placeholders (parents are
 * real mailboxes), so RECURSIVEMATCH needs no parent-only entries except
 * for unsubscribed parents of subscribed children.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imap/imap_cmd.h"
#include "imapsyn/imap_write.h"
#include "svc/svc.h"
#include "util/xalloc.h"

#define MAX_PATTERNS 32

struct list_req {
	bool sel_subscribed, sel_special, recursive;
	bool ret_subscribed, ret_children, ret_special;
	const struct imap_arg *ret_status;
	bool lsub;
	char *pat[MAX_PATTERNS];
	size_t npat;
};

struct mbox_vec {
	struct store_mailbox *v;
	size_t n, cap;
};

/* list_collect - store_mailbox_list callback: copy every mailbox */
static int
list_collect(const struct store_mailbox *mb, void *arg)
{
	struct mbox_vec *mv = arg;

	if (mv->n == mv->cap) {
		mv->cap = mv->cap ? mv->cap * 2 : 32;
		mv->v = xrealloc(mv->v, mv->cap * sizeof(*mv->v));
	}
	mv->v[mv->n++] = *mb;
	return 0;
}

/* list_match - IMAP wildcard match; INBOX case-insensitively */
static bool
list_match(const char *p, const char *name)
{
	for (; *p; p++, name++) {
		if (*p == '*' || *p == '%') {
			for (const char *t = name;; t++) {
				if (list_match(p + 1, t))
					return true;
				if (*t == '\0' || (*p == '%' && *t == '/'))
					return false;
			}
		}
		if (*p != *name)
			return false;
	}
	return *name == '\0';
}

/* list_pattern - reference + pattern as UTF-8; NULL if it does not decode */
static char *
list_pattern(struct imap_session *s, const char *ref, const struct imap_arg *a)
{
	const char *p = imap_arg_astring(a);
	struct buf raw = BUF_INIT, out = BUF_INIT;
	char *res = NULL;

	if (p == NULL)
		return NULL;
	buf_puts(&raw, ref);
	buf_append(&raw, p, a->len);
	if (imap_name_decode(s, buf_cstr(&raw), raw.len, &out) >= 0)
		res = xstrdup(buf_cstr(&out));
	if (res != NULL && strncasecmp(res, "INBOX", 5) == 0 && (res[5] == '\0' || res[5] == '/'))
		memcpy(res, "INBOX", 5);
	buf_free(&raw);
	buf_free(&out);
	return res;
}

/* list_options - a selection or return option list; false if unknown */
static bool
list_options(struct list_req *q, const struct imap_arg *a, bool ret)
{
	for (size_t i = 0; i < a->count; i++) {
		const struct imap_arg *o = &a->list[i];

		if (imap_arg_atom_is(o, "SUBSCRIBED"))
			*(ret ? &q->ret_subscribed : &q->sel_subscribed) = true;
		else if (imap_arg_atom_is(o, "SPECIAL-USE"))
			*(ret ? &q->ret_special : &q->sel_special) = true;
		else if (!ret && imap_arg_atom_is(o, "RECURSIVEMATCH"))
			q->recursive = true;
		else if (!ret && imap_arg_atom_is(o, "REMOTE"))
			continue;
		else if (ret && imap_arg_atom_is(o, "CHILDREN"))
			q->ret_children = true;
		else if (ret && imap_arg_atom_is(o, "STATUS") && i + 1 < a->count &&
		    a->list[i + 1].type == IMAP_ARG_LIST)
			q->ret_status = &a->list[++i];
		else
			return false;
	}
	if (q->sel_subscribed && !q->lsub)
		q->ret_subscribed = true;
	return !(q->recursive && !q->sel_subscribed);
}

/* special_attrs - RFC 6154 attributes */
static void
special_attrs(unsigned su, struct buf *b)
{
	static const struct { unsigned bit; const char *name; } a[] = {
		{ STORE_SU_ALL, "\\All" }, { STORE_SU_ARCHIVE, "\\Archive" },
		{ STORE_SU_DRAFTS, "\\Drafts" }, { STORE_SU_FLAGGED, "\\Flagged" },
		{ STORE_SU_JUNK, "\\Junk" }, { STORE_SU_SENT, "\\Sent" },
		{ STORE_SU_TRASH, "\\Trash" },
	};

	for (size_t i = 0; i < sizeof(a) / sizeof(a[0]); i++)
		if (su & a[i].bit)
			buf_printf(b, " %s", a[i].name);
}

/* list_matches - any pattern matches name */
static bool
list_matches(const struct list_req *q, const char *name)
{
	for (size_t i = 0; i < q->npat; i++)
		if (list_match(q->pat[i], name))
			return true;
	return false;
}

/* list_child_subscribed - a subscribed descendant of mv->v[i] (RECURSIVEMATCH) */
static bool
list_child_subscribed(const struct mbox_vec *mv, size_t i)
{
	size_t len = strlen(mv->v[i].name);

	for (size_t j = i + 1; j < mv->n; j++) {
		if (strncmp(mv->v[j].name, mv->v[i].name, len) != 0 || mv->v[j].name[len] != '/')
			break;
		if (mv->v[j].subscribed)
			return true;
	}
	return false;
}

/* list_one - the LIST line for mailbox i, if selected */
static void
list_one(struct imap_session *s, const struct list_req *q, struct store_rtxn *r,
    const struct mbox_vec *mv, size_t i, struct buf *b)
{
	const struct store_mailbox *mb = &mv->v[i];
	size_t len = strlen(mb->name), start = b->len;
	bool children = i + 1 < mv->n && strncmp(mv->v[i + 1].name, mb->name, len) == 0 &&
	    mv->v[i + 1].name[len] == '/';
	bool child_sub = false;
	struct buf at = BUF_INIT;

	if (!list_matches(q, mb->name))
		return;
	if (q->sel_special && mb->special_use == 0)
		return;
	if (q->sel_subscribed && !mb->subscribed) {
		if (!q->recursive || !(child_sub = list_child_subscribed(mv, i)))
			return;
	}
	if (!q->lsub)
		buf_puts(&at, children ? " \\HasChildren" : " \\HasNoChildren");
	if (q->ret_subscribed && mb->subscribed)
		buf_puts(&at, " \\Subscribed");
	if (!q->sel_subscribed || q->ret_special || q->sel_special)
		special_attrs(mb->special_use, &at);
	buf_printf(b, "* %s (%s", q->lsub ? "LSUB" : "LIST", at.len ? at.data + 1 : "");
	buf_free(&at);
	buf_puts(b, ") \"/\" ");
	imap_write_mailbox(b, mb->name, len, imap_utf8_names(s));
	if (child_sub)
		buf_puts(b, " (\"CHILDINFO\" (\"SUBSCRIBED\"))");
	buf_puts(b, "\r\n");
	if (q->ret_status && !q->lsub) {
		buf_puts(b, "* STATUS ");
		imap_write_mailbox(b, mb->name, len, imap_utf8_names(s));
		buf_putc(b, ' ');
		if (imap_status_items(q->ret_status, r, mb, b) != 0) {
			b->len = start;
			return;
		}
		buf_puts(b, "\r\n");
	}
}

/* list_run - the whole command once the arguments are known */
static enum imap_result
list_run(struct imap_session *s, struct list_req *q)
{
	struct mbox_vec mv = { 0 };
	struct store_rtxn *r;
	struct buf b = BUF_INIT;
	int rc;

	if (imap_rtxn(s, &r) != 0)
		return IMAP_DONE;
	rc = store_mailbox_list(r, s->user, list_collect, &mv);
	for (size_t i = 0; rc == 0 && i < mv.n; i++)
		list_one(s, q, r, &mv, i, &b);
	store_rtxn_end(&r);
	if (rc != 0) {
		imap_reply_store_err(s, rc);
	} else {
		imap_send(s, b.data, b.len);
		imap_reply(s, "OK", "%s completed", q->lsub ? "LSUB" : "LIST");
	}
	buf_free(&b);
	free(mv.v);
	return IMAP_DONE;
}

/* list_free - the patterns */
static void
list_free(struct list_req *q)
{
	for (size_t i = 0; i < q->npat; i++)
		free(q->pat[i]);
}

/* list_common - LIST and LSUB arguments */
static enum imap_result
list_common(struct imap_session *s, const struct imap_arg *args, size_t n, bool lsub)
{
	struct list_req q = { .lsub = lsub, .sel_subscribed = lsub };
	const struct imap_arg *pats;
	const char *ref;
	size_t i = 0, npats = 1;
	enum imap_result res;

	if (!lsub && n > 0 && args[0].type == IMAP_ARG_LIST && !list_options(&q, &args[i++], false))
		goto bad;
	if (n < i + 2 || (ref = imap_arg_astring(&args[i])) == NULL)
		goto bad;
	pats = &args[i + 1];
	if (pats->type == IMAP_ARG_LIST && !lsub) {
		npats = pats->count;
		pats = pats->list;
	}
	i += 2;
	if (!lsub && i + 2 == n && imap_arg_atom_is(&args[i], "RETURN") &&
	    args[i + 1].type == IMAP_ARG_LIST) {
		if (!list_options(&q, &args[i + 1], true))
			goto bad;
		i += 2;
	}
	if (i != n || npats == 0 || npats > MAX_PATTERNS)
		goto bad;
	if (npats == 1 && pats[0].type != IMAP_ARG_LIST && pats[0].len == 0 &&
	    imap_arg_astring(&pats[0]) != NULL) {
		imap_untagged(s, "%s (\\Noselect) \"/\" \"\"", lsub ? "LSUB" : "LIST");
		imap_reply(s, "OK", "%s completed", lsub ? "LSUB" : "LIST");
		return IMAP_DONE;
	}
	for (size_t k = 0; k < npats; k++) {
		if ((q.pat[q.npat] = list_pattern(s, ref, &pats[k])) == NULL) {
			list_free(&q);
			goto bad;
		}
		q.npat++;
	}
	res = list_run(s, &q);
	list_free(&q);
	return res;
bad:
	imap_reply(s, "BAD", "Bad %s arguments", lsub ? "LSUB" : "LIST");
	return IMAP_DONE;
}

IMAP_CMD(list)
{
	return list_common(s, args, n, false);
}

IMAP_CMD(lsub)
{
	return list_common(s, args, n, true);
}
