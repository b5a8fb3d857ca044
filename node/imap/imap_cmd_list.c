/*
 * imap_cmd_list.c - LIST with LIST-EXTENDED (RFC 5258) selection and
 * return options, SPECIAL-USE (RFC 6154), CHILDREN, LIST-STATUS (RFC
 * 5819), and LSUB.
 *
 * The user's mailboxes, and their subscriptions when the command asks
 * about them, are copied out of one read transaction in name order; a
 * name has children when some name starts with it and "/". Subscriptions
 * are names of their own (RFC 3501 6.3.6): with the SUBSCRIBED selection
 * the names listed are the subscriptions, one that no mailbox has being
 * \NonExistent, and, for RECURSIVEMATCH and LSUB, their parents too.
 * A parent listed only for a subscribed child gets CHILDINFO (RFC 5258
 * 3.5), or in LSUB \Noselect when the pattern ends with "%" (RFC 3501
 * 6.3.9). Patterns are matched on UTF-8 names ("*" anything, "%"
 * anything but the separator). The store never has \Noselect mailboxes
 * (parents are real mailboxes).
 *
 * Other users' mailboxes on which the user holds "l" are listed in the
 * shared namespace as "shared/<owner>/<name>" (imap_shared.c), beside
 * the user's own, with "shared" and "shared/<owner>" (and any parent not
 * shared itself) as \Noselect parents, as Dovecot lists them. RETURN
 * (MYRIGHTS) adds the user's rights after each mailbox (RFC 8440).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include "imap/imap_cmd.h"
#include "imap/imap_shared.h"
#include "imapsyn/imap_write.h"
#include "svc/svc.h"
#include "util/xalloc.h"

#define MAX_PATTERNS 32

struct list_req {
	bool sel_subscribed, sel_special, recursive;
	bool ret_subscribed, ret_children, ret_special, ret_myrights;
	const struct imap_arg *ret_status;
	bool lsub;
	char *pat[MAX_PATTERNS];
	size_t npat;
};

/* a sorted array of names, owned or pointing elsewhere */
struct name_vec {
	char **v;
	size_t n, cap;
};

/* what one LIST works on, read in one transaction */
struct list_data {
	struct store_mailbox *mb;	/* the mailboxes, name order */
	size_t nmb, capmb;
	struct name_vec mnames;		/* their names, into mb */
	struct name_vec parents;	/* \Noselect parents in the shared namespace, owned */
	struct name_vec subs;		/* the subscriptions, owned, name order */
};

/* name_push - append p to the vector */
static void
name_push(struct name_vec *nv, char *p)
{
	if (nv->n == nv->cap) {
		nv->cap = nv->cap ? nv->cap * 2 : 32;
		nv->v = xrealloc(nv->v, nv->cap * sizeof(*nv->v));
	}
	nv->v[nv->n++] = p;
}

/* name_free - the vector, and its names when it owns them */
static void
name_free(struct name_vec *nv, bool owned)
{
	for (size_t i = 0; owned && i < nv->n; i++)
		free(nv->v[i]);
	free(nv->v);
}

/* list_collect - store_mailbox_list callback: copy every mailbox */
static int
list_collect(const struct store_mailbox *mb, void *arg)
{
	struct list_data *d = arg;

	if (d->nmb == d->capmb) {
		d->capmb = d->capmb ? d->capmb * 2 : 32;
		d->mb = xrealloc(d->mb, d->capmb * sizeof(*d->mb));
	}
	d->mb[d->nmb++] = *mb;
	return 0;
}

/* sub_collect - store_subscription_list callback: copy every name */
static int
sub_collect(const char *name, void *arg)
{
	name_push(arg, xstrdup(name));
	return 0;
}

/* name_lower - the first index whose name is not below key */
static size_t
name_lower(const struct name_vec *nv, const char *key)
{
	size_t lo = 0, hi = nv->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(nv->v[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* name_find - the index of name, or -1 */
static ssize_t
name_find(const struct name_vec *nv, const char *name)
{
	size_t i = name_lower(nv, name);

	return i < nv->n && strcmp(nv->v[i], name) == 0 ? (ssize_t)i : -1;
}

/* name_has_child - some name lies below name in the hierarchy */
static bool
name_has_child(const struct name_vec *nv, const char *name)
{
	char prefix[STORE_MBOX_NAME_MAX + 2];
	size_t i, len = strlen(name);

	if (len + 1 >= sizeof(prefix))
		return false;
	memcpy(prefix, name, len);
	prefix[len] = '/';
	prefix[len + 1] = '\0';
	i = name_lower(nv, prefix);
	return i < nv->n && strncmp(nv->v[i], prefix, len + 1) == 0;
}

/* name_cmp - qsort order of names */
static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* list_subscribed_names - the subscriptions and, with parents, their ancestors: sorted, once each */
static void
list_subscribed_names(const struct name_vec *subs, bool parents, struct name_vec *out)
{
	size_t n = 0;

	for (size_t i = 0; i < subs->n; i++) {
		for (const char *p = subs->v[i]; parents && (p = strchr(p, '/')) != NULL; p++)
			name_push(out, xstrndup(subs->v[i], (size_t)(p - subs->v[i])));
		name_push(out, xstrdup(subs->v[i]));
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), name_cmp);
	for (size_t i = 0; i < out->n; i++) {
		if (n > 0 && strcmp(out->v[n - 1], out->v[i]) == 0)
			free(out->v[i]);
		else
			out->v[n++] = out->v[i];
	}
	out->n = n;
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
		else if (ret && imap_arg_atom_is(o, "MYRIGHTS"))
			q->ret_myrights = true;
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

/* imap_special_attrs - RFC 6154 attributes */
void
imap_special_attrs(unsigned su, struct buf *b)
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

/* list_matches - any pattern (with pct_end: any ending in "%") matches name */
static bool
list_matches(const struct list_req *q, const char *name, bool pct_end)
{
	for (size_t i = 0; i < q->npat; i++) {
		size_t len = strlen(q->pat[i]);

		if ((!pct_end || (len > 0 && q->pat[i][len - 1] == '%')) && list_match(q->pat[i], name))
			return true;
	}
	return false;
}

/* lsub_one - the LSUB line for name: subscribed, or a parent where "%" stops */
static void
lsub_one(const struct list_req *q, bool utf8, const char *name, bool sub, bool child_sub,
    struct buf *b)
{
	if (!sub && !(child_sub && list_matches(q, name, true)))
		return;
	buf_printf(b, "* LSUB (%s) \"/\" ", sub ? "" : "\\Noselect");
	imap_write_mailbox(b, name, strlen(name), utf8);
	buf_puts(b, "\r\n");
}

/* list_status - the STATUS line after a LIST line; false (nothing written) if the items are bad */
static bool
list_status(const struct list_req *q, bool utf8, struct store_rtxn *r,
    const struct store_mailbox *mb, struct buf *b)
{
	size_t start = b->len;

	buf_puts(b, "* STATUS ");
	imap_write_mailbox(b, mb->name, strlen(mb->name), utf8);
	buf_putc(b, ' ');
	if (imap_status_items(q->ret_status, r, mb, b) != 0) {
		b->len = start;
		return false;
	}
	buf_puts(b, "\r\n");
	return true;
}

/* list_rights - the user's rights on a listed mailbox: all on its own, 0 if unreadable */
static uint32_t
list_rights(struct imap_session *s, struct store_rtxn *r, const struct store_mailbox *mb)
{
	struct imap_mbox_ref ref;
	uint32_t rights;

	if (imap_mbox_ref(s, mb->name, &ref) != 0 || !ref.shared)
		return IMAP_ACL_ALL;
	return store_acl_rights(r, s->user, mb->id, &rights) == 0 ? rights & IMAP_ACL_ALL : 0;
}

/* list_myrights - the MYRIGHTS line after a LIST line (RFC 8440) */
static void
list_myrights(struct imap_session *s, uint32_t rights, const char *name, struct buf *b)
{
	struct buf letters = BUF_INIT;

	buf_puts(b, "* MYRIGHTS ");
	imap_write_mailbox(b, name, strlen(name), imap_utf8_names(s));
	buf_putc(b, ' ');
	imap_acl_format(rights, &letters);
	imap_write_astring(b, buf_cstr(&letters), letters.len);
	buf_puts(b, "\r\n");
	buf_free(&letters);
}

/* list_one - the LIST (or LSUB) line for name, if selected */
static void
list_one(struct imap_session *s, const struct list_req *q, struct store_rtxn *r,
    const struct list_data *d, const char *name, struct buf *b)
{
	ssize_t i = name_find(&d->mnames, name);
	const struct store_mailbox *mb = i < 0 ? NULL : &d->mb[i];
	bool parent = mb == NULL && name_find(&d->parents, name) >= 0;
	uint32_t rights = mb == NULL ? 0 : list_rights(s, r, mb);
	bool sub = name_find(&d->subs, name) >= 0;
	bool child_sub = q->sel_subscribed && name_has_child(&d->subs, name);
	size_t start = b->len;
	struct buf at = BUF_INIT;

	if (!list_matches(q, name, false) || (q->sel_special && (mb == NULL || mb->special_use == 0)))
		return;
	if (q->lsub) {
		lsub_one(q, imap_utf8_names(s), name, sub, child_sub, b);
		return;
	}
	if (q->sel_subscribed && !sub && !(q->recursive && child_sub))
		return;
	if (parent)
		buf_puts(&at, " \\Noselect \\HasChildren");
	else if (mb == NULL)
		buf_puts(&at, " \\NonExistent");
	else
		buf_puts(&at, name_has_child(&d->mnames, name) ? " \\HasChildren" : " \\HasNoChildren");
	if (q->ret_subscribed && sub)
		buf_puts(&at, " \\Subscribed");
	if (mb != NULL && (!q->sel_subscribed || q->ret_special || q->sel_special))
		imap_special_attrs(mb->special_use, &at);
	buf_printf(b, "* LIST (%s) \"/\" ", at.data + 1);
	buf_free(&at);
	imap_write_mailbox(b, name, strlen(name), imap_utf8_names(s));
	if (q->recursive && child_sub)
		buf_puts(b, " (\"CHILDINFO\" (\"SUBSCRIBED\"))");
	buf_puts(b, "\r\n");
	if (q->ret_myrights && mb != NULL)
		list_myrights(s, rights, name, b);
	/* no STATUS for a name that is no mailbox or is listed only for its children (RFC 5819) */
	if (q->ret_status && mb != NULL && (sub || !q->sel_subscribed) && (rights & IMAP_ACL_READ) &&
	    !list_status(q, imap_utf8_names(s), r, mb, b))
		b->len = start;
}

/* shared_collect - store_acl_shared callback: another's mailbox the user may list, renamed */
static int
shared_collect(const char *owner, const struct store_mailbox *mb, uint32_t rights, void *arg)
{
	struct list_data *d = arg;
	struct store_mailbox m = *mb;
	struct buf name = BUF_INIT;

	imap_mbox_shared_name(owner, mb->name, &name);
	if ((rights & IMAP_ACL_LOOKUP) && name.len < sizeof(m.name)) {
		memcpy(m.name, name.data, name.len + 1);
		list_collect(&m, d);
	}
	buf_free(&name);
	return 0;
}

/* mbox_cmp - qsort order of mailboxes by name */
static int
mbox_cmp(const void *a, const void *b)
{
	return strcmp(((const struct store_mailbox *)a)->name, ((const struct store_mailbox *)b)->name);
}

/* shared_parents - every ancestor of a shared mailbox that is not listed itself: sorted, once each */
static void
shared_parents(struct list_data *d)
{
	struct name_vec shared = { 0 };
	size_t plen = strlen(IMAP_SHARED_PREFIX);

	for (size_t i = 0; i < d->mnames.n; i++)
		if (strncmp(d->mnames.v[i], IMAP_SHARED_PREFIX, plen) == 0)
			name_push(&shared, d->mnames.v[i]);
	list_subscribed_names(&shared, true, &d->parents);
	free(shared.v);
	for (size_t i = 0, n = 0; i <= d->parents.n; i++) {
		if (i == d->parents.n)
			d->parents.n = n;
		else if (name_find(&d->mnames, d->parents.v[i]) >= 0)
			free(d->parents.v[i]);
		else
			d->parents.v[n++] = d->parents.v[i];
	}
}

/* list_read - the mailboxes, and the subscriptions when the command asks about them */
static int
list_read(struct imap_session *s, const struct list_req *q, struct store_rtxn *r,
    struct list_data *d)
{
	size_t own;
	int rc = store_mailbox_list(r, s->user, list_collect, d);

	own = d->nmb;
	if (rc == 0)
		rc = store_acl_shared(r, s->user, shared_collect, d);
	if (d->nmb > own)
		qsort(d->mb, d->nmb, sizeof(*d->mb), mbox_cmp);
	for (size_t i = 0; rc == 0 && i < d->nmb; i++)
		name_push(&d->mnames, d->mb[i].name);
	if (rc == 0 && d->nmb > own)
		shared_parents(d);
	if (rc == 0 && (q->sel_subscribed || q->ret_subscribed))
		rc = store_subscription_list(r, s->user, sub_collect, &d->subs);
	return rc;
}

/* list_all_names - the mailboxes' names and the shared namespace's parents, sorted, copied */
static void
list_all_names(const struct list_data *d, struct name_vec *out)
{
	for (size_t i = 0; i < d->mnames.n; i++)
		name_push(out, xstrdup(d->mnames.v[i]));
	for (size_t i = 0; i < d->parents.n; i++)
		name_push(out, xstrdup(d->parents.v[i]));
	if (d->parents.n > 0)
		qsort(out->v, out->n, sizeof(*out->v), name_cmp);
}

/* list_run - the whole command once the arguments are known */
static enum imap_result
list_run(struct imap_session *s, struct list_req *q)
{
	struct list_data d = { 0 };
	struct name_vec names = { 0 };
	struct store_rtxn *r;
	struct buf b = BUF_INIT;
	int rc;

	if (imap_rtxn(s, &r) != 0)
		return IMAP_DONE;
	if ((rc = list_read(s, q, r, &d)) == 0 && q->sel_subscribed)
		list_subscribed_names(&d.subs, q->recursive || q->lsub, &names);
	else if (rc == 0)
		list_all_names(&d, &names);
	for (size_t i = 0; rc == 0 && i < names.n; i++)
		list_one(s, q, r, &d, names.v[i], &b);
	store_rtxn_end(&r);
	if (rc != 0) {
		imap_reply_store_err(s, rc);
	} else {
		imap_send(s, b.data, b.len);
		imap_reply(s, "OK", "%s completed", q->lsub ? "LSUB" : "LIST");
	}
	buf_free(&b);
	name_free(&names, true);
	name_free(&d.subs, true);
	name_free(&d.mnames, false);
	name_free(&d.parents, true);
	free(d.mb);
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
