/*
 * imap_search.c - the SEARCH key parser and evaluator (imap_search.h).
 *
 * Parsing walks the command's args recursively: a parenthesized list and
 * the top level are an AND of keys, OR and NOT take the next key(s). The
 * simple keys come from tables (flag keys, string keys that are header
 * fields, date keys), so adding one is a row. Evaluation is a plain walk
 * of the tree; string keys scan the message's decoded text, which the
 * command loads only when imap_search_needs_data() says so. Header keys
 * decode only the fields they name; BODY and TEXT decode the message once
 * (mime_text), on first use, and share it for the rest of that message's
 * walk.
 *
 * Hazard: message bytes may hold NUL and 8-bit data; every comparison is
 * length-bounded and folds ASCII only, never through the locale.
 */
#include "imap/imap_search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "imap/imap_flags.h"
#include "imap/imap_session.h"
#include "imapsyn/imap_date.h"
#include "imapsyn/imap_seqset.h"
#include "mime/mime.h"
#include "store/store.h"
#include "util/xalloc.h"

enum skey {
	SK_ALL, SK_NONE, SK_AND, SK_OR, SK_NOT, SK_SEQ, SK_UID, SK_FLAG, SK_UNFLAG,
	SK_KEYWORD, SK_UNKEYWORD, SK_BEFORE, SK_ON, SK_SINCE, SK_SENTBEFORE, SK_SENTON,
	SK_SENTSINCE, SK_LARGER, SK_SMALLER, SK_HEADER, SK_BODY, SK_TEXT, SK_MODSEQ, SK_NEW,
	SK_OLDER, SK_YOUNGER, SK_EMAILID, SK_SAVEDBEFORE, SK_SAVEDON, SK_SAVEDSINCE,
};

struct imap_search {
	enum skey key;
	uint32_t flag;			/* FLAG, UNFLAG */
	int64_t n;			/* a day, a size, a modseq or a cutoff time */
	char *field;			/* HEADER: the field name */
	char *str;			/* KEYWORD, HEADER, BODY, TEXT */
	size_t len;
	struct imap_seqset set;		/* SEQ, UID */
	struct imap_search **kids;	/* AND, OR, NOT */
	size_t nkids;
	bool needs_data, needs_parts, has_modseq;	/* the root's: what the whole tree uses */
};

/* keys without arguments */
static const struct { const char *name; enum skey key; uint32_t flag; } bare_keys[] = {
	{ "ALL", SK_ALL, 0 }, { "OLD", SK_UNFLAG, IMAP_F_RECENT }, { "NEW", SK_NEW, 0 },
	{ "SAVEDATESUPPORTED", SK_ALL, 0 },	/* RFC 8514: every mailbox keeps save dates */
	{ "RECENT", SK_FLAG, IMAP_F_RECENT },
	{ "ANSWERED", SK_FLAG, STORE_F_ANSWERED }, { "UNANSWERED", SK_UNFLAG, STORE_F_ANSWERED },
	{ "DELETED", SK_FLAG, STORE_F_DELETED }, { "UNDELETED", SK_UNFLAG, STORE_F_DELETED },
	{ "DRAFT", SK_FLAG, STORE_F_DRAFT }, { "UNDRAFT", SK_UNFLAG, STORE_F_DRAFT },
	{ "FLAGGED", SK_FLAG, STORE_F_FLAGGED }, { "UNFLAGGED", SK_UNFLAG, STORE_F_FLAGGED },
	{ "SEEN", SK_FLAG, STORE_F_SEEN }, { "UNSEEN", SK_UNFLAG, STORE_F_SEEN },
};

/* keys taking one string; field set: a header field search */
static const struct { const char *name; enum skey key; const char *field; } string_keys[] = {
	{ "BCC", SK_HEADER, "Bcc" }, { "CC", SK_HEADER, "Cc" }, { "FROM", SK_HEADER, "From" },
	{ "SUBJECT", SK_HEADER, "Subject" }, { "TO", SK_HEADER, "To" },
	{ "BODY", SK_BODY, NULL }, { "TEXT", SK_TEXT, NULL },
	{ "KEYWORD", SK_KEYWORD, NULL }, { "UNKEYWORD", SK_UNKEYWORD, NULL },
};

/* keys taking one date */
static const struct { const char *name; enum skey key; } date_keys[] = {
	{ "BEFORE", SK_BEFORE }, { "ON", SK_ON }, { "SINCE", SK_SINCE },
	{ "SENTBEFORE", SK_SENTBEFORE }, { "SENTON", SK_SENTON }, { "SENTSINCE", SK_SENTSINCE },
	{ "SAVEDBEFORE", SK_SAVEDBEFORE }, { "SAVEDON", SK_SAVEDON }, { "SAVEDSINCE", SK_SAVEDSINCE },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct sparse {
	uint32_t max_seq, max_uid;
	const struct imap_seqset *saved;	/* "$": UIDs; NULL is empty */
	const char *err;
	bool needs_data, needs_parts, has_modseq;
};

/* one message's decoded text, made on first use by a BODY or TEXT key */
struct mtext {
	const struct imap_search_msg *m;
	struct buf heads, bodies;	/* mime_text: NUL-separated pieces */
	bool have_heads, have_bodies;
};

static struct imap_search *parse_key(struct sparse *p, const struct imap_arg *a, size_t n,
    size_t *i, unsigned depth);

/* node_new - a zeroed node of key */
static struct imap_search *
node_new(enum skey key)
{
	struct imap_search *q = xcalloc(1, sizeof(*q));

	q->key = key;
	return q;
}

/* node_kid - append a child, for AND, OR and NOT */
static void
node_kid(struct imap_search *q, struct imap_search *kid)
{
	q->kids = xrealloc(q->kids, (q->nkids + 1) * sizeof(*q->kids));
	q->kids[q->nkids++] = kid;
}

void
imap_search_free(struct imap_search **qp)
{
	struct imap_search *q = *qp;

	if (q == NULL)
		return;
	for (size_t i = 0; i < q->nkids; i++)
		imap_search_free(&q->kids[i]);
	free(q->kids);
	free(q->field);
	free(q->str);
	imap_seqset_free(&q->set);
	free(q);
	*qp = NULL;
}

/* parse_fail - remember the first reason; NULL for the caller's convenience */
static struct imap_search *
parse_fail(struct sparse *p, struct imap_search *q, const char *why)
{
	if (p->err == NULL)
		p->err = why;
	imap_search_free(&q);
	return NULL;
}

/* parse_number - a number argument (LARGER, SMALLER, MODSEQ); -1 if bad */
static int
parse_number(const struct imap_arg *a, int64_t *v_r)
{
	uint64_t v;

	if (imap_arg_number(a, &v) != 0)
		return -1;
	*v_r = (int64_t)v;
	return 0;
}

/*
 * parse_objectid - EMAILID or THREADID and an object id (RFC 8474): an id
 * this server never gave out (every THREADID) matches nothing
 */
static struct imap_search *
parse_objectid(struct sparse *p, const struct imap_arg *k, const struct imap_arg *a, size_t n,
    size_t *i)
{
	struct imap_search *q = node_new(SK_NONE);
	const struct imap_arg *id;
	const char *s;

	if (*i >= n || (s = imap_arg_astring(id = &a[(*i)++])) == NULL || id->len == 0 ||
	    id->len > 255 || strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_-") != id->len)
		return parse_fail(p, q, "EMAILID and THREADID need an object id");
	if (imap_arg_atom_is(k, "EMAILID") && s[0] == IMAP_EMAILID_FMT[0] && id->len > 1 &&
	    id->len < 20 && strspn(s + 1, "0123456789") == id->len - 1) {
		q->key = SK_EMAILID;
		q->n = strtoll(s + 1, NULL, 10);
	}
	return q;
}

/* day_of - unix time to days since 1970-01-01, rounding down */
static int64_t
day_of(int64_t t)
{
	return t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
}

/* parse_day - a SEARCH date as a day number; -1 if bad */
static int
parse_day(const struct imap_arg *a, int64_t *day_r)
{
	const char *s = imap_arg_astring(a);
	int64_t t;

	if (s == NULL || a->type == IMAP_ARG_NIL || imap_date_parse_date(s, a->len, &t) != 0)
		return -1;
	*day_r = day_of(t);
	return 0;
}

/* parse_string - an astring argument into the node; the atom NIL is the string "NIL" */
static int
parse_string(struct imap_search *q, const struct imap_arg *a)
{
	const char *s = imap_arg_astring(a);

	if (s == NULL || a->has_nul)
		return -1;
	q->str = xmalloc(a->len + 1);
	memcpy(q->str, s, a->len);
	q->str[a->len] = '\0';
	q->len = a->len;
	return 0;
}

/* parse_modseq - MODSEQ [entry-name entry-type] n (RFC 7162 3.1.5) */
static struct imap_search *
parse_modseq(struct sparse *p, const struct imap_arg *a, size_t n, size_t *i)
{
	struct imap_search *q = node_new(SK_MODSEQ);

	if (*i + 2 < n && a[*i].type == IMAP_ARG_STRING &&
	    (imap_arg_atom_is(&a[*i + 1], "priv") || imap_arg_atom_is(&a[*i + 1], "shared") ||
	    imap_arg_atom_is(&a[*i + 1], "all")))
		*i += 2;	/* per-flag modseqs are not kept: the message's own counts */
	if (*i >= n || parse_number(&a[*i], &q->n) != 0)
		return parse_fail(p, q, "MODSEQ needs a number");
	(*i)++;
	p->has_modseq = true;
	return q;
}

/* parse_table - the table-driven keys; *found false if name is none of them */
static struct imap_search *
parse_table(struct sparse *p, const struct imap_arg *a, size_t n, size_t *i, bool *found)
{
	const struct imap_arg *name = &a[*i - 1];
	struct imap_search *q;

	*found = true;
	for (size_t k = 0; k < NELEM(bare_keys); k++)
		if (imap_arg_atom_is(name, bare_keys[k].name)) {
			q = node_new(bare_keys[k].key);
			q->flag = bare_keys[k].flag;
			return q;
		}
	for (size_t k = 0; k < NELEM(string_keys); k++)
		if (imap_arg_atom_is(name, string_keys[k].name)) {
			q = node_new(string_keys[k].key);
			if (*i >= n || parse_string(q, &a[*i]) != 0)
				return parse_fail(p, q, "Search key needs a string");
			(*i)++;
			if (string_keys[k].field != NULL)
				q->field = xstrdup(string_keys[k].field);
			p->needs_data |= q->key == SK_HEADER || q->key == SK_BODY || q->key == SK_TEXT;
			p->needs_parts |= q->key == SK_BODY || q->key == SK_TEXT;
			return q;
		}
	for (size_t k = 0; k < NELEM(date_keys); k++)
		if (imap_arg_atom_is(name, date_keys[k].name)) {
			q = node_new(date_keys[k].key);
			if (*i >= n || parse_day(&a[*i], &q->n) != 0)
				return parse_fail(p, q, "Search key needs a date (d-Mon-yyyy)");
			(*i)++;
			p->needs_data |= q->key >= SK_SENTBEFORE && q->key <= SK_SENTSINCE;
			return q;
		}
	*found = false;
	return NULL;
}

/* reads_data - whether evaluating q touches the message bytes */
static bool
reads_data(const struct imap_search *q)
{
	if (q->key == SK_HEADER || q->key == SK_BODY || q->key == SK_TEXT ||
	    (q->key >= SK_SENTBEFORE && q->key <= SK_SENTSINCE))
		return true;
	for (size_t i = 0; i < q->nkids; i++)
		if (reads_data(q->kids[i]))
			return true;
	return false;
}

/*
 * data_last - an AND's or OR's kids in a stable order with the keys that
 * read message bytes last, so a cheap key decides first and the body's
 * pages are not touched; evaluation has no side effects, so the result
 * is the same
 */
static void
data_last(struct imap_search *q)
{
	struct imap_search **kids = xmalloc(q->nkids * sizeof(*kids));
	size_t n = 0;

	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < q->nkids; i++)
			if (reads_data(q->kids[i]) == (pass == 1))
				kids[n++] = q->kids[i];
	free(q->kids);
	q->kids = kids;
}

/* parse_and - keys until the end of a list, as one AND */
static struct imap_search *
parse_and(struct sparse *p, const struct imap_arg *a, size_t n, unsigned depth)
{
	struct imap_search *q = node_new(SK_AND), *kid;
	size_t i = 0;

	if (n == 0)
		return parse_fail(p, q, "Missing search key");
	while (i < n) {
		if ((kid = parse_key(p, a, n, &i, depth)) == NULL)
			return parse_fail(p, q, "Bad search key");
		node_kid(q, kid);
	}
	data_last(q);
	return q;
}

/* parse_saved - "$" and "UID $" alike: the saved result is a set of UIDs */
static struct imap_search *
parse_saved(struct imap_search *q, const struct imap_seqset *saved)
{
	q->key = SK_UID;
	for (size_t i = 0; saved != NULL && i < saved->n; i++)
		imap_seqset_add(&q->set, saved->r[i].lo, saved->r[i].hi);
	return q;
}

/* parse_set - a sequence set (uid false) or UID set, "*" resolved */
static struct imap_search *
parse_set(struct sparse *p, const struct imap_arg *a, bool uid)
{
	struct imap_search *q = node_new(uid ? SK_UID : SK_SEQ);
	int rc = -1;

	if (a->type == IMAP_ARG_ATOM)
		rc = imap_seqset_parse(a->str, a->len, uid ? p->max_uid : p->max_seq,
		    IMAP_SEQSET_ALLOW_SAVED, &q->set);
	if (rc == IMAP_SEQSET_SAVED)
		return parse_saved(q, p->saved);
	if (rc != 0)
		return parse_fail(p, q, "Bad sequence set");
	return q;
}

/* parse_key - one key at a[*i], advancing *i past it and its arguments */
static struct imap_search *
parse_key(struct sparse *p, const struct imap_arg *a, size_t n, size_t *i, unsigned depth)
{
	const struct imap_arg *k = &a[(*i)++];
	struct imap_search *q;
	bool found;

	if (depth >= IMAP_SEARCH_DEPTH_MAX)
		return parse_fail(p, NULL, "Search keys nested too deep");
	if (k->type == IMAP_ARG_LIST)
		return parse_and(p, k->list, k->count, depth + 1);
	if (k->type != IMAP_ARG_ATOM)
		return parse_fail(p, NULL, "Bad search key");
	if ((q = parse_table(p, a, n, i, &found)) != NULL || found)
		return q;
	if (imap_arg_atom_is(k, "NOT") || imap_arg_atom_is(k, "OR")) {
		size_t kids = imap_arg_atom_is(k, "OR") ? 2 : 1;
		struct imap_search *kid;

		q = node_new(kids == 2 ? SK_OR : SK_NOT);
		while (kids-- > 0) {
			if (*i >= n || (kid = parse_key(p, a, n, i, depth + 1)) == NULL)
				return parse_fail(p, q, "NOT and OR need search keys");
			node_kid(q, kid);
		}
		data_last(q);
		return q;
	}
	if (imap_arg_atom_is(k, "HEADER")) {
		q = node_new(SK_HEADER);
		if (*i + 1 >= n || parse_string(q, &a[*i]) != 0)
			return parse_fail(p, q, "HEADER needs a field name and a string");
		q->field = q->str;
		q->str = NULL;
		(*i)++;
		if (parse_string(q, &a[(*i)++]) != 0)
			return parse_fail(p, q, "HEADER needs a field name and a string");
		p->needs_data = true;
		return q;
	}
	if (imap_arg_atom_is(k, "LARGER") || imap_arg_atom_is(k, "SMALLER")) {
		q = node_new(imap_arg_atom_is(k, "LARGER") ? SK_LARGER : SK_SMALLER);
		if (*i >= n || parse_number(&a[(*i)++], &q->n) != 0)
			return parse_fail(p, q, "LARGER and SMALLER need a number");
		return q;
	}
	if (imap_arg_atom_is(k, "OLDER") || imap_arg_atom_is(k, "YOUNGER")) {
		int64_t secs;

		/* WITHIN (RFC 5032): the cutoff is taken once, when the command starts */
		q = node_new(imap_arg_atom_is(k, "OLDER") ? SK_OLDER : SK_YOUNGER);
		if (*i >= n || parse_number(&a[(*i)++], &secs) != 0 || secs <= 0)
			return parse_fail(p, q, "OLDER and YOUNGER need a number of seconds");
		q->n = (int64_t)time(NULL) - secs;
		return q;
	}
	if (imap_arg_atom_is(k, "EMAILID") || imap_arg_atom_is(k, "THREADID"))
		return parse_objectid(p, k, a, n, i);
	if (imap_arg_atom_is(k, "UID")) {
		if (*i >= n)
			return parse_fail(p, NULL, "UID needs a set");
		return parse_set(p, &a[(*i)++], true);
	}
	if (imap_arg_atom_is(k, "MODSEQ"))
		return parse_modseq(p, a, n, i);
	return parse_set(p, k, false);
}

int
imap_search_parse(const struct imap_arg *args, size_t n, uint32_t max_seq, uint32_t max_uid,
    const struct imap_seqset *saved, struct imap_search **q_r, const char **err_r)
{
	struct sparse p = { max_seq, max_uid, saved, NULL, false, false, false };
	struct imap_search *q = parse_and(&p, args, n, 0);

	*q_r = q;
	if (q == NULL) {
		*err_r = p.err ? p.err : "Bad search key";
		return -1;
	}
	q->needs_data = p.needs_data;
	q->needs_parts = p.needs_parts;
	q->has_modseq = p.has_modseq;
	return 0;
}

bool
imap_search_needs_data(const struct imap_search *q)
{
	return q->needs_data;
}

bool
imap_search_needs_parts(const struct imap_search *q)
{
	return q->needs_parts;
}

bool
imap_search_has_modseq(const struct imap_search *q)
{
	return q->has_modseq;
}

/* lower - ASCII only, whatever the locale */
static inline unsigned char
lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* ci_contains - needle in haystack, ignoring ASCII case; "" is everywhere */
static bool
ci_contains(const char *h, size_t hl, const char *nd, size_t nl)
{
	unsigned char first;

	if (nl == 0)
		return true;
	first = lower((unsigned char)nd[0]);
	for (size_t i = 0; i + nl <= hl; i++) {
		size_t j;

		if (lower((unsigned char)h[i]) != first)
			continue;
		for (j = 1; j < nl && lower((unsigned char)h[i + j]) == lower((unsigned char)nd[j]); j++)
			;
		if (j == nl)
			return true;
	}
	return false;
}

/* header_len - the bytes of the top-level header, its blank line excluded */
static size_t
header_len(const char *d, size_t len)
{
	const char *p;

	if (len >= 2 && d[0] == '\r' && d[1] == '\n')
		return 0;
	p = memmem(d, len, "\r\n\r\n", 4);
	return p != NULL ? (size_t)(p - d) + 2 : len;
}

/* field_end - the LF ending the field that starts at i (folded lines included), or hl */
static size_t
field_end(const char *d, size_t hl, size_t i)
{
	const char *lf;

	while ((lf = memchr(d + i, '\n', hl - i)) != NULL) {
		i = (size_t)(lf - d);
		if (i + 1 >= hl || (d[i + 1] != ' ' && d[i + 1] != '\t'))
			return i;
		i++;
	}
	return hl;
}

/*
 * field_value - fn on the value in d[v, end) with every CR and LF taken
 * out; copied only when the field is folded, which few are
 */
static bool
field_value(const char *d, size_t v, size_t end,
    bool (*fn)(const char *v, size_t vl, const void *arg), const void *arg)
{
	size_t e = end, vl = 0;
	char *val;
	bool hit;

	if (e > v && d[e - 1] == '\r')
		e--;
	if (memchr(d + v, '\n', e - v) == NULL && memchr(d + v, '\r', e - v) == NULL)
		return fn(d + v, e - v, arg);
	val = xmalloc(end - v);
	for (; v < end; v++)
		if (d[v] != '\r' && d[v] != '\n')
			val[vl++] = d[v];
	hit = fn(val, vl, arg);
	free(val);
	return hit;
}

/*
 * header_each - fn(value, len, arg) on the unfolded value of each field
 * named name in the top-level header; stops at the first true
 */
static bool
header_each(const char *d, size_t len, const char *name,
    bool (*fn)(const char *v, size_t vl, const void *arg), const void *arg)
{
	size_t hl = header_len(d, len), nl = strlen(name), i = 0, end, v;

	for (; i < hl; i = end + 1) {
		end = field_end(d, hl, i);
		if (end - i <= nl || d[i + nl] != ':' || strncasecmp(d + i, name, nl) != 0)
			continue;
		for (v = i + nl + 1; v < end && (d[v] == ' ' || d[v] == '\t'); v++)
			;
		if (field_value(d, v, end, fn, arg))
			return true;
	}
	return false;
}

/* match_value - a HEADER key's string in one field value, its encoded words decoded */
static bool
match_value(const char *v, size_t vl, const void *arg)
{
	const struct imap_search *q = arg;
	struct buf d = BUF_INIT;
	bool hit;

	if (memmem(v, vl, "=?", 2) == NULL)
		return ci_contains(v, vl, q->str, q->len);
	mime_2047_decode(v, vl, &d);
	hit = ci_contains(buf_cstr(&d), d.len, q->str, q->len);
	buf_free(&d);
	return hit;
}

/* address_field - whether a header field holds addresses, compared as displayed too */
static bool
address_field(const char *field)
{
	static const char *const names[] = { "From", "To", "Cc", "Bcc", "Sender", "Reply-To" };

	for (size_t i = 0; i < NELEM(names); i++)
		if (strcasecmp(field, names[i]) == 0)
			return true;
	return false;
}

/*
 * match_address - a FROM, TO, CC or BCC string in one address field: as
 * written, or in its addresses as displayed, so comments and white space
 * inside an address ("<a (x)@ (y) b.org>") do not hide it
 */
static bool
match_address(const char *v, size_t vl, const void *arg)
{
	struct buf d = BUF_INIT;
	bool hit;

	if (match_value(v, vl, arg))
		return true;
	mime_address_display(v, vl, &d);
	hit = match_value(buf_cstr(&d), d.len, arg);
	buf_free(&d);
	return hit;
}

/* text_has - a BODY or TEXT key's string in the pieces what names, made once per message */
static bool
text_has(const struct imap_search *q, struct mtext *t, unsigned what)
{
	struct buf *b = what == MIME_TEXT_HEADERS ? &t->heads : &t->bodies;
	bool *have = what == MIME_TEXT_HEADERS ? &t->have_heads : &t->have_bodies;

	if (!*have) {
		mime_text(t->m->data, t->m->len, t->m->parts, t->m->parts_len, what, b);
		*have = true;
	}
	return ci_contains(buf_cstr(b), b->len, q->str, q->len);
}

/* first_value - take the first value (the Date: field) */
static bool
first_value(const char *v, size_t vl, const void *arg)
{
	*(int64_t *)arg = imap_search_sent_day(v, vl);
	return true;
}

int64_t
imap_search_sent_day(const char *s, size_t len)
{
	char buf[64], mon[4];
	int day, year, used = 0;
	int64_t t;

	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	s = buf;
	if (strchr(s, ',') != NULL)
		s = strchr(s, ',') + 1;		/* the day of the week */
	if (sscanf(s, " %2d %3s %4d%n", &day, mon, &year, &used) != 3 || used == 0)
		return IMAP_SEARCH_NO_DAY;
	if (year < 50)
		year += 2000;		/* RFC 5322 4.3: obsolete two-digit years */
	else if (year < 1000)
		year += 1900;
	snprintf(buf, sizeof(buf), "%d-%s-%04d", day, mon, year);
	if (imap_date_parse_date(buf, strlen(buf), &t) != 0)
		return IMAP_SEARCH_NO_DAY;
	return day_of(t);
}

/* day_cmp - the BEFORE/ON/SINCE comparison family on whole days */
static bool
day_cmp(enum skey key, int64_t day, int64_t want)
{
	switch (key) {
	case SK_BEFORE:
	case SK_SENTBEFORE:
	case SK_SAVEDBEFORE:
		return day < want;
	case SK_ON:
	case SK_SENTON:
	case SK_SAVEDON:
		return day == want;
	default:
		return day >= want;
	}
}

/* match - q on the message t holds */
static bool
match(const struct imap_search *q, struct mtext *t)
{
	const struct imap_search_msg *m = t->m;
	int64_t day = IMAP_SEARCH_NO_DAY;

	switch (q->key) {
	case SK_ALL:
		return true;
	case SK_NONE:
		return false;
	case SK_AND:
		for (size_t i = 0; i < q->nkids; i++)
			if (!match(q->kids[i], t))
				return false;
		return true;
	case SK_OR:
		return match(q->kids[0], t) || match(q->kids[1], t);
	case SK_NOT:
		return !match(q->kids[0], t);
	case SK_SEQ:
		return imap_seqset_contains(&q->set, m->seq);
	case SK_UID:
		return imap_seqset_contains(&q->set, m->uid);
	case SK_FLAG:
		return (m->flags & q->flag) != 0;
	case SK_UNFLAG:
		return (m->flags & q->flag) == 0;
	case SK_NEW:
		return (m->flags & (IMAP_F_RECENT | STORE_F_SEEN)) == IMAP_F_RECENT;
	case SK_KEYWORD:
		return store_keywords_has(m->keywords, q->str, q->len);
	case SK_UNKEYWORD:
		return !store_keywords_has(m->keywords, q->str, q->len);
	case SK_BEFORE:
	case SK_ON:
	case SK_SINCE:
		return day_cmp(q->key, day_of(m->internal_date), q->n);
	case SK_SENTBEFORE:
	case SK_SENTON:
	case SK_SENTSINCE:
		if (m->data != NULL)
			header_each(m->data, m->len, "Date", first_value, &day);
		return day != IMAP_SEARCH_NO_DAY && day_cmp(q->key, day, q->n);
	case SK_LARGER:
		return m->size > (uint64_t)q->n;
	case SK_SMALLER:
		return m->size < (uint64_t)q->n;
	case SK_HEADER:
		return m->data != NULL && header_each(m->data, m->len, q->field,
		    address_field(q->field) ? match_address : match_value, q);
	case SK_BODY:
		return m->data != NULL && text_has(q, t, MIME_TEXT_BODIES);
	case SK_TEXT:
		return m->data != NULL &&
		    (text_has(q, t, MIME_TEXT_HEADERS) || text_has(q, t, MIME_TEXT_BODIES));
	case SK_MODSEQ:
		return m->modseq >= (uint64_t)q->n;
	case SK_OLDER:
		return m->internal_date < q->n;
	case SK_YOUNGER:
		return m->internal_date >= q->n;
	case SK_EMAILID:
		return m->email_id == (uint64_t)q->n;
	case SK_SAVEDBEFORE:
	case SK_SAVEDON:
	case SK_SAVEDSINCE:
		/* a message saved before save dates were kept: its internal date */
		return day_cmp(q->key, day_of(m->save_date ? m->save_date : m->internal_date), q->n);
	}
	return false;
}

bool
imap_search_match(const struct imap_search *q, const struct imap_search_msg *m)
{
	struct mtext t = { m, BUF_INIT, BUF_INIT, false, false };
	bool hit = match(q, &t);

	buf_free(&t.heads);
	buf_free(&t.bodies);
	return hit;
}
