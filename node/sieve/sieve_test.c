/*
 * sieve_test.c - the interpreter's tests: address, envelope, header,
 * exists, size, not, anyof, allof, true, false, body (RFC 5173), string
 * and the match variables (RFC 5229), hasflag (RFC 5232), date and
 * currentdate with index (RFC 5260), mailboxexists (RFC 5490) and
 * duplicate (RFC 7352), with the comparators and match types of
 * sieve_match.c, relational's :count (RFC 5231) and subaddress (RFC 5233).
 *
 * Headers are read with node/mime: every field of the name, unfolded,
 * its RFC 2047 words decoded as SEARCH decodes them (address tests parse
 * the undecoded value); body parts are decoded the same way.
 */
#include "sieve/sieve_run.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "mime/mime.h"
#include "util/xalloc.h"

#define DUPLICATE_DEFAULT_SECONDS	(14 * 86400)	/* duplicate's memory without :seconds */

/* a list of values to match: NUL-separated strings in a buffer */
struct vals {
	struct buf b;
	size_t n;
};

/* vals_add - append one value */
static void
vals_add(struct vals *v, const char *s, size_t len)
{
	buf_append(&v->b, s, len);
	buf_putc(&v->b, '\0');
	v->n++;
}

/* vals_next - the value after p (NULL: the first), or NULL */
static const char *
vals_next(const struct vals *v, const char *p, size_t *i)
{
	if (p == NULL) {
		*i = 0;
		return v->n > 0 ? v->b.data : NULL;
	}
	if (++*i >= v->n)
		return NULL;
	return p + strlen(p) + 1;
}

/*
 * match - whether any value matches any key under the node's comparator
 * and match type; :count counts the values; the match variables are set
 * from the first match. A comparison costs steps by the sizes it works on
 * (a KiB of value per 64 bytes of key), so that a large body cannot make
 * a run long within the step limit. 1, 0, or -1 past the step limit.
 */
static int
match(struct sv_run *r, const struct sv_argv *av, const struct vals *values, const struct sv_arg *keys)
{
	const struct sv_arg *a;
	enum sv_cmp cmp = CMP_CASEMAP;
	enum sv_mt mt = MT_IS;
	enum sv_rel rel = REL_EQ;
	bool vars = (r->scope->exts & (1u << X_VARIABLES)) != 0;
	struct sv_caps caps = { { NULL }, 0 };
	int found = 0;

	if (sv_tag(av, ":comparator", &a))
		cmp = (enum sv_cmp)sv_cmp_find(a->str[0]);
	if (sv_tag(av, ":contains", NULL))
		mt = MT_CONTAINS;
	else if (sv_tag(av, ":matches", NULL))
		mt = MT_MATCHES;
	else if (sv_tag(av, ":regex", NULL))
		mt = MT_REGEX;
	else if (sv_tag(av, ":value", &a) || sv_tag(av, ":count", &a)) {
		mt = sv_tag(av, ":value", NULL) ? MT_VALUE : MT_COUNT;
		rel = (enum sv_rel)sv_rel_find(a->str[0]);
	}
	for (size_t k = 0; k < keys->nstr && !found; k++) {
		char *key = sv_expand_dup(r, keys->str[k]);
		size_t i;

		if (mt == MT_COUNT) {
			char num[24];

			snprintf(num, sizeof(num), "%zu", values->n);
			if (sv_step(r) < 0) {
				free(key);
				return -1;
			}
			found = sv_match(mt, cmp, rel, num, key, NULL);
		}
		for (const char *v = mt == MT_COUNT ? NULL : vals_next(values, NULL, &i); v != NULL && !found;
		    v = vals_next(values, v, &i)) {
			if (sv_steps(r, 1 + strlen(v) / 1024 * (1 + strlen(key) / 64)) < 0) {
				free(key);
				sv_caps_clear(&caps);
				return -1;
			}
			found = sv_match(mt, cmp, rel, v, key, vars ? &caps : NULL);
		}
		free(key);
	}
	if (found && vars && (mt == MT_MATCHES || mt == MT_REGEX)) {
		sv_caps_clear(&r->caps);
		r->caps = caps;
	} else {
		sv_caps_clear(&caps);
	}
	return found;
}

/* header_values - the values of the named fields, selected by :index/:last, RFC 2047 decoded */
static void
header_values(struct sv_run *r, const struct sv_argv *av, const struct sv_arg *names, bool decode,
    struct vals *out)
{
	const struct sv_arg *ix = NULL;
	bool last = sv_tag(av, ":last", NULL);

	sv_tag(av, ":index", &ix);
	for (size_t i = 0; i < names->nstr; i++) {
		char *name = sv_expand_dup(r, names->str[i]);
		struct buf all = BUF_INIT;
		size_t n = mime_header_all(r->env->msg, r->env->msglen, name, &all), k = 0;

		for (const char *p = all.data; p != NULL && k < n; p += strlen(p) + 1, k++) {
			size_t pos = last ? n - k : k + 1;

			if (ix != NULL && pos != ix->num)
				continue;
			if (decode) {
				struct buf d = BUF_INIT;

				mime_2047_decode(p, strlen(p), &d);
				vals_add(out, buf_cstr(&d), strlen(buf_cstr(&d)));
				buf_free(&d);
			} else {
				vals_add(out, p, strlen(p));
			}
		}
		buf_free(&all);
		free(name);
	}
}

/* skip_comment - past the comment that opens at s[i] */
static size_t
skip_comment(const char *s, size_t i)
{
	int depth = 0;

	for (; s[i] != '\0'; i++) {
		if (s[i] == '\\' && s[i + 1] != '\0')
			i++;
		else if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && --depth == 0)
			return i + 1;
	}
	return i;
}

/* addr_piece - the addr-spec of one mailbox (s[0..n)), appended with a NUL if there is one */
static size_t
addr_piece(const char *s, size_t n, struct buf *out)
{
	struct buf a = BUF_INIT;
	const char *lt = memchr(s, '<', n);
	size_t i = 0, end = n, got = 0;

	if (lt != NULL) {
		const char *gt = memchr(lt, '>', n - (size_t)(lt - s));

		i = (size_t)(lt - s) + 1;
		end = gt != NULL ? (size_t)(gt - s) : n;
		const char *colon = memchr(s + i, ':', end - i);
		if (colon != NULL && s[i] == '@')		/* an obsolete route */
			i = (size_t)(colon - s) + 1;
	}
	while (i < end) {
		if (s[i] == '(') {
			i = skip_comment(s, i);
		} else if (s[i] == '"') {
			buf_putc(&a, s[i++]);
			while (i < end && s[i] != '"') {
				if (s[i] == '\\' && i + 1 < end)
					buf_putc(&a, s[i++]);
				buf_putc(&a, s[i++]);
			}
			if (i < end)
				buf_putc(&a, s[i++]);
		} else if (isspace((unsigned char)s[i])) {
			i++;
		} else {
			buf_putc(&a, s[i++]);
		}
	}
	if (a.len > 0) {
		buf_append(out, a.data, a.len);
		buf_putc(out, '\0');
		got = 1;
	}
	buf_free(&a);
	return got;
}

/* sv_addr_list - append the addr-specs of the address list s, each then a NUL; how many */
size_t
sv_addr_list(const char *s, struct buf *out)
{
	size_t start = 0, i = 0, count = 0;
	bool angle = false;

	for (;; i++) {
		char c = s[i];

		if (c == '"') {
			for (i++; s[i] != '\0' && s[i] != '"'; i++)
				if (s[i] == '\\' && s[i + 1] != '\0')
					i++;
			if (s[i] == '\0')
				c = '\0';
			else
				continue;
		}
		if (c == '(') {
			i = skip_comment(s, i) - 1;
			continue;
		}
		if (c == '<')
			angle = true;
		else if (c == '>')
			angle = false;
		if (c == ':' && !angle) {
			start = i + 1;		/* a group's name */
			continue;
		}
		if (c == '\0' || ((c == ',' || c == ';') && !angle)) {
			count += addr_piece(s + start, i - start, out);
			start = i + 1;
		}
		if (c == '\0')
			return count;
	}
}

/* addr_part - the part of address a the node asks for, into out; false if it has none */
static bool
addr_part(const struct sv_argv *av, const char *a, struct buf *out)
{
	const char *at = strrchr(a, '@');
	size_t local = at != NULL ? (size_t)(at - a) : strlen(a);

	if (sv_tag(av, ":localpart", NULL)) {
		buf_append(out, a, local);
	} else if (sv_tag(av, ":domain", NULL)) {
		buf_puts(out, at != NULL ? at + 1 : "");
	} else if (sv_tag(av, ":user", NULL) || sv_tag(av, ":detail", NULL)) {
		const char *plus = memchr(a, '+', local);

		if (sv_tag(av, ":user", NULL))
			buf_append(out, a, plus != NULL ? (size_t)(plus - a) : local);
		else if (plus == NULL)
			return false;
		else
			buf_append(out, plus + 1, local - (size_t)(plus - a) - 1);
	} else {
		buf_puts(out, a);
	}
	return true;
}

/* address_values - the address parts of the address headers or of the envelope */
static void
address_values(struct sv_run *r, const struct sv_argv *av, const struct sv_arg *names, bool envelope,
    struct vals *out)
{
	struct vals raw = { BUF_INIT, 0 };
	struct buf addrs = BUF_INIT, part = BUF_INIT;
	const char *v;
	size_t i, n;

	if (envelope) {
		for (size_t k = 0; k < names->nstr; k++) {
			char *name = sv_expand_dup(r, names->str[k]);

			if (strcasecmp(name, "from") == 0 && r->env->env_from != NULL)
				vals_add(&raw, r->env->env_from, strlen(r->env->env_from));
			else if (strcasecmp(name, "to") == 0 && r->env->env_to != NULL)
				vals_add(&raw, r->env->env_to, strlen(r->env->env_to));
			free(name);
		}
		for (v = vals_next(&raw, NULL, &i); v != NULL; v = vals_next(&raw, v, &i)) {
			buf_reset(&part);
			if (*v == '\0')
				vals_add(out, "", 0);	/* the null sender */
			else if (addr_part(av, v, &part))
				vals_add(out, buf_cstr(&part), part.len);
		}
	} else {
		header_values(r, av, names, false, &raw);
		for (v = vals_next(&raw, NULL, &i); v != NULL; v = vals_next(&raw, v, &i)) {
			buf_reset(&addrs);
			n = sv_addr_list(v, &addrs);
			for (const char *a = addrs.data; n-- > 0; a += strlen(a) + 1) {
				buf_reset(&part);
				if (addr_part(av, a, &part))
					vals_add(out, buf_cstr(&part), part.len);
			}
		}
	}
	buf_free(&raw.b);
	buf_free(&addrs);
	buf_free(&part);
}

struct body_walk {
	struct sv_run *r;
	const struct sv_arg *types;	/* :content, or NULL for text */
	struct vals *out;
};

/* type_matches - whether the part type ("type/sub") is one :content names */
static bool
type_matches(struct body_walk *w, const char *type)
{
	if (w->types == NULL)
		return strncmp(type, "text/", 5) == 0;
	for (size_t i = 0; i < w->types->nstr; i++) {
		char *t = sv_expand_dup(w->r, w->types->str[i]);
		size_t n = strlen(t);
		bool ok = n == 0 || strcasecmp(t, type) == 0 ||
		    (strchr(t, '/') == NULL && strncasecmp(type, t, n) == 0 && type[n] == '/');

		free(t);
		if (ok)
			return true;
	}
	return false;
}

/* body_leaf - mime_leaf_each callback: keep the text of the parts asked for */
static bool
body_leaf(void *arg, const char *type, const char *body, size_t n)
{
	struct body_walk *w = arg;

	if (type_matches(w, type))
		vals_add(w->out, body, strnlen(body, n));
	return true;
}

/* body_values - what the body test compares: the raw body, or the parts' decoded text */
static void
body_values(struct sv_run *r, const struct sv_argv *av, struct vals *out)
{
	const char *m = r->env->msg;
	size_t len = r->env->msglen;
	struct body_walk w = { r, NULL, out };

	if (sv_tag(av, ":raw", NULL)) {
		const char *crlf = memmem(m, len, "\r\n\r\n", 4), *lf = memmem(m, len, "\n\n", 2);
		size_t off = len;

		if (crlf != NULL && (lf == NULL || crlf < lf))
			off = (size_t)(crlf - m) + 4;
		else if (lf != NULL)
			off = (size_t)(lf - m) + 2;
		vals_add(out, m + off, strnlen(m + off, len - off));
		return;
	}
	sv_tag(av, ":content", &w.types);
	mime_leaf_each(m, len, body_leaf, &w);
}

/* local_zone - the local zone at t, minutes east */
static int
local_zone(time_t t)
{
	struct tm tm;

	localtime_r(&t, &tm);
	return (int)(tm.tm_gmtoff / 60);
}

/* date_values - the date part of a header's date, or of now */
static int
date_values(struct sv_run *r, const struct sv_node *n, const struct sv_argv *av, bool current,
    struct vals *out)
{
	const struct sv_arg *za;
	struct sv_date d;
	char part[40], *pname, *zs = NULL;
	int zmin = local_zone(r->env->now), rc = 0;

	if (sv_tag(av, ":zone", &za)) {
		zs = sv_expand_dup(r, za->str[0]);
		if (sv_zone_parse(zs, &zmin) < 0) {
			free(zs);
			return sv_fail(r, n->line, "bad zone");
		}
		free(zs);
	}
	pname = sv_expand_dup(r, av->pos[current ? 0 : 1]->str[0]);
	if (current) {
		sv_date_from_epoch((int64_t)r->env->now, zmin, &d);
		if (sv_date_part(&d, pname, part, sizeof(part)) == 0)
			vals_add(out, part, strlen(part));
	} else {
		struct vals h = { BUF_INIT, 0 };
		size_t i;
		const char *v;

		header_values(r, av, av->pos[0], false, &h);
		v = vals_next(&h, NULL, &i);
		if (v != NULL && strrchr(v, ';') != NULL)
			v = strrchr(v, ';') + 1;	/* Received: the date follows the last ';' */
		if (v != NULL && sv_date_parse(v, &d) == 0) {
			if (!sv_tag(av, ":originalzone", NULL))
				sv_date_from_epoch(d.epoch, zmin, &d);
			if (sv_date_part(&d, pname, part, sizeof(part)) == 0)
				vals_add(out, part, strlen(part));
		}
		buf_free(&h.b);
	}
	free(pname);
	return rc;
}

/* flag_values - the flags of the named variables, or the internal variable */
static void
flag_values(struct sv_run *r, const struct sv_argv *av, struct vals *out)
{
	struct buf all = BUF_INIT;

	if (av->npos == 2) {
		for (size_t i = 0; i < av->pos[0]->nstr; i++) {
			char *name = sv_expand_dup(r, av->pos[0]->str[i]);
			const char *v = sv_var_get(r, name);

			if (v != NULL) {
				buf_puts(&all, v);
				buf_putc(&all, ' ');
			}
			free(name);
		}
	} else {
		for (char **f = r->flags; f != NULL && *f != NULL; f++) {
			buf_puts(&all, *f);
			buf_putc(&all, ' ');
		}
	}
	for (const char *s = buf_cstr(&all); *s != '\0';) {
		size_t k;

		s += strspn(s, " ");
		k = strcspn(s, " ");
		if (k > 0)
			vals_add(out, s, k);
		s += k;
	}
	buf_free(&all);
}

/* test_exists - every named header field is present */
static int
test_exists(struct sv_run *r, const struct sv_node *n)
{
	const struct sv_arg *a = &n->arg[0];

	for (size_t i = 0; i < a->nstr; i++) {
		char *name = sv_expand_dup(r, a->str[i]);
		struct buf v = BUF_INIT;
		int got = mime_header_get(r->env->msg, r->env->msglen, name, &v);

		free(name);
		buf_free(&v);
		if (got < 0)
			return 0;
	}
	return 1;
}

/* test_mailboxexists - every named mailbox exists (RFC 5490 3.1) */
static int
test_mailboxexists(struct sv_run *r, const struct sv_node *n)
{
	const struct sv_arg *a = &n->arg[0];

	for (size_t i = 0; i < a->nstr; i++) {
		char *box = sv_expand_dup(r, a->str[i]);
		bool ok = r->env->mailbox_exists != NULL ? r->env->mailbox_exists(r->env->arg, box) :
		    strcasecmp(box, "INBOX") == 0;

		free(box);
		if (!ok)
			return 0;
	}
	return 1;
}

/* add_record - a record to write if the delivery commits */
static void
add_record(struct sv_run *r, const char *kind, const char *id, uint64_t seconds)
{
	struct sieve_record *rec;

	r->res->rec = xrealloc(r->res->rec, (r->res->nrec + 1) * sizeof(*r->res->rec));
	rec = &r->res->rec[r->res->nrec++];
	rec->kind = xstrdup(kind);
	rec->id = xstrdup(id);
	rec->seconds = seconds;
}

/* sv_seen_record - ask whether kind/id was seen within seconds, and record it for the commit */
bool
sv_seen_record(struct sv_run *r, const char *kind, const char *id, uint64_t seconds)
{
	bool seen = r->env->seen != NULL && r->env->seen(r->env->arg, kind, id, seconds);

	for (size_t i = 0; i < r->res->nrec; i++)
		if (strcmp(r->res->rec[i].kind, kind) == 0 && strcmp(r->res->rec[i].id, id) == 0)
			return true;	/* the same id earlier in this run */
	add_record(r, kind, id, seconds);
	return seen;
}

/* test_duplicate - duplicate (RFC 7352): was this id seen within :seconds */
static int
test_duplicate(struct sv_run *r, const struct sv_argv *av)
{
	const struct sv_arg *a;
	uint64_t seconds = DUPLICATE_DEFAULT_SECONDS;
	char *id = NULL, *handle;
	struct buf v = BUF_INIT, key = BUF_INIT;
	int found;

	if (sv_tag(av, ":seconds", &a))
		seconds = a->num;
	if (sv_tag(av, ":uniqueid", &a)) {
		id = sv_expand_dup(r, a->str[0]);
	} else {
		char *name = sv_tag(av, ":header", &a) ? sv_expand_dup(r, a->str[0]) : xstrdup("Message-ID");

		if (mime_header_get(r->env->msg, r->env->msglen, name, &v) == 0) {
			const char *s = buf_cstr(&v);
			size_t e = strlen(s);

			while (isspace((unsigned char)*s))
				s++, e--;
			while (e > 0 && isspace((unsigned char)s[e - 1]))
				e--;
			id = xstrndup(s, e);
		}
		free(name);
	}
	buf_free(&v);
	if (id == NULL)
		return 0;		/* no id: not a duplicate, nothing to remember */
	handle = sv_tag(av, ":handle", &a) ? sv_expand_dup(r, a->str[0]) : xstrdup("");
	buf_printf(&key, "%s\n%s", handle, id);
	found = sv_seen_record(r, "duplicate", buf_cstr(&key), seconds) ? 1 : 0;
	buf_free(&key);
	free(handle);
	free(id);
	return found;
}

/* test_size - size :over or :under */
static int
test_size(struct sv_run *r, const struct sv_argv *av)
{
	const struct sv_arg *a;

	if (sv_tag(av, ":over", &a))
		return r->env->msglen > a->num;
	sv_tag(av, ":under", &a);
	return r->env->msglen < a->num;
}

/* test_values - the tests that match values against keys */
static int
test_values(struct sv_run *r, const struct sv_node *n, const char *name, const struct sv_argv *av)
{
	struct vals vals = { BUF_INIT, 0 };
	const struct sv_arg *keys = av->pos[av->npos - 1];
	int rc = 0;

	if (strcmp(name, "header") == 0) {
		header_values(r, av, av->pos[0], true, &vals);
	} else if (strcmp(name, "address") == 0 || strcmp(name, "envelope") == 0) {
		address_values(r, av, av->pos[0], name[0] == 'e', &vals);
	} else if (strcmp(name, "body") == 0) {
		body_values(r, av, &vals);
	} else if (strcmp(name, "string") == 0) {
		for (size_t i = 0; i < av->pos[0]->nstr; i++) {
			char *s = sv_expand_dup(r, av->pos[0]->str[i]);

			if (*s != '\0' || !sv_tag(av, ":count", NULL))
				vals_add(&vals, s, strlen(s));
			free(s);
		}
	} else if (strcmp(name, "hasflag") == 0) {
		flag_values(r, av, &vals);
	} else {
		rc = date_values(r, n, av, name[0] == 'c', &vals);
	}
	if (rc == 0)
		rc = match(r, av, &vals, keys);
	buf_free(&vals.b);
	return rc;
}

/* sv_test - evaluate a test: 1 true, 0 false, -1 error */
int
sv_test(struct sv_run *r, const struct sv_node *n)
{
	const char *name = sv_specs[n->id].name;
	struct sv_argv av;
	int t;

	if (sv_step(r) < 0)
		return -1;
	sv_args(n, &av);
	if (strcmp(name, "true") == 0 || strcmp(name, "false") == 0)
		return name[0] == 't';
	if (strcmp(name, "not") == 0)
		return (t = sv_test(r, &n->test[0])) < 0 ? -1 : !t;
	if (strcmp(name, "anyof") == 0 || strcmp(name, "allof") == 0) {
		bool any = name[0] == 'a' && name[1] == 'n';

		for (size_t i = 0; i < n->ntest; i++) {
			if ((t = sv_test(r, &n->test[i])) < 0)
				return -1;
			if (t == any)
				return any;
		}
		return !any;
	}
	if (strcmp(name, "exists") == 0)
		return test_exists(r, n);
	if (strcmp(name, "size") == 0)
		return test_size(r, &av);
	if (strcmp(name, "mailboxexists") == 0)
		return test_mailboxexists(r, n);
	if (strcmp(name, "duplicate") == 0)
		return test_duplicate(r, &av);
	return test_values(r, n, name, &av);
}
