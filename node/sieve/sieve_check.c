/*
 * sieve_check.c - the compiler's checks after parsing: every identifier
 * resolved to a command or test of sv_specs, every tag to sv_tags, the
 * argument types, require (first, known extensions, and present for each
 * extension used), comparators, relations, constant regular expressions,
 * date parts, zones and variable names. encoded-character strings are
 * decoded here, once, when the script requires it.
 */
#include "sieve/sieve_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"

struct checker {
	uint32_t exts;
	struct sieve_error *err;
};

static int check_nodes(struct checker *c, struct sv_node *n, size_t count, bool test);

/* hexval - the value of hex digit c, or -1 */
static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* put_utf8 - append code point cp as UTF-8 */
static void
put_utf8(struct buf *b, unsigned long cp)
{
	if (cp < 0x80) {
		buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		buf_putc(b, (char)(0xc0 | (cp >> 6)));
		buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		buf_putc(b, (char)(0xe0 | (cp >> 12)));
		buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		buf_putc(b, (char)(0xf0 | (cp >> 18)));
		buf_putc(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
		buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	}
}

/*
 * enc_one - decode "${hex:...}" or "${unicode:...}" at s (RFC 5228 2.4.2.4);
 * the bytes consumed, or 0 if it is not a valid one (then it stays as written)
 */
static size_t
enc_one(const char *s, struct buf *out)
{
	bool uni;
	size_t i, start = out->len;

	if (strncasecmp(s, "${hex:", 6) == 0) {
		uni = false;
		i = 6;
	} else if (strncasecmp(s, "${unicode:", 10) == 0) {
		uni = true;
		i = 10;
	} else {
		return 0;
	}
	for (;;) {
		unsigned long v = 0;
		size_t nd = 0;

		while (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')
			i++;
		if (s[i] == '}')
			return i + 1;
		while (hexval(s[i]) >= 0 && nd < 8) {
			v = v * 16 + (unsigned long)hexval(s[i++]);
			nd++;
		}
		if (nd == 0 || (!uni && nd > 2) || (uni && (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))) ||
		    !(s[i] == '}' || s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) {
			out->len = start;
			if (out->data != NULL)
				out->data[start] = '\0';
			return 0;
		}
		if (uni)
			put_utf8(out, v);
		else
			buf_putc(out, (char)v);
	}
}

/* enc_decode - replace *sp by its encoded characters decoded */
static void
enc_decode(char **sp)
{
	struct buf b = BUF_INIT;
	const char *s = *sp;

	if (strstr(s, "${") == NULL)
		return;
	for (size_t i = 0; s[i] != '\0';) {
		size_t n = s[i] == '$' ? enc_one(s + i, &b) : 0;

		if (n == 0)
			buf_putc(&b, s[i++]);
		else
			i += n;
	}
	free(*sp);
	*sp = xstrndup(buf_cstr(&b), b.len);
	buf_free(&b);
}

/* enc_tree - decode the encoded characters of every string in the tree */
static void
enc_tree(struct sv_node *n, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		for (size_t a = 0; a < n[i].narg; a++)
			for (size_t j = 0; j < n[i].arg[a].nstr; j++)
				enc_decode(&n[i].arg[a].str[j]);
		enc_tree(n[i].test, n[i].ntest);
		enc_tree(n[i].block, n[i].nblock);
	}
}

/* ext_find - the extension named name, or -1 */
static int
ext_find(const char *name)
{
	for (int i = 0; i < X_COUNT; i++)
		if (strcmp(sv_ext_names[i], name) == 0)
			return i;
	return -1;
}

/* check_require - the require commands at the start; the set in c->exts */
static int
check_require(struct checker *c, struct sv_node *top, size_t ntop, size_t *nreq)
{
	size_t i;

	for (i = 0; i < ntop && strcmp(top[i].name, "require") == 0; i++) {
		struct sv_node *n = &top[i];

		if (n->narg != 1 || n->arg[0].kind < SV_STR || n->ntest > 0 || n->has_block)
			return sv_errorf(c->err, n->line, n->col, "require takes one string list");
		for (size_t j = 0; j < n->arg[0].nstr; j++) {
			const char *e = n->arg[0].str[j];
			int x = ext_find(e);

			if (x < 0 && strcmp(e, "comparator-i;octet") != 0 &&
			    strcmp(e, "comparator-i;ascii-casemap") != 0)
				return sv_errorf(c->err, n->arg[0].line, n->arg[0].col,
				    "unknown extension \"%s\"", e);
			if (x >= 0)
				c->exts |= 1u << x;
		}
	}
	*nreq = i;
	return 0;
}

/* has - whether the script requires extension x (X_NONE: always) */
static bool
has(const struct checker *c, int x)
{
	return x == X_NONE || (c->exts & (1u << x)) != 0;
}

/* tag_allowed - whether spec s takes tag t; *ext its extension for s */
static bool
tag_allowed(const struct sv_spec *s, const char *t, int *ext)
{
	size_t tl = strlen(t);

	for (const char *p = s->tags; *p != '\0';) {
		size_t n = strcspn(p, " /");

		if (n == tl && strncmp(p, t, n) == 0) {
			*ext = sv_tags[sv_tag_find(t)].ext;
			if (p[n] == '/')
				*ext = X_NONE;
			return true;
		}
		p += n;
		while (*p != '\0' && *p != ' ')
			p++;
		while (*p == ' ')
			p++;
	}
	return false;
}

/* is_const - whether s holds no variable reference the run would expand */
static bool
is_const(const struct checker *c, const char *s)
{
	return !has(c, X_VARIABLES) || strstr(s, "${") == NULL;
}

/* check_tag_value - the value of a tag that takes one */
static int
check_tag_value(struct checker *c, const char *tag, const struct sv_arg *v)
{
	const char *s = v->nstr > 0 ? v->str[0] : "";

	if (strcmp(tag, ":comparator") == 0) {
		int cmp = sv_cmp_find(s);

		if (cmp < 0)
			return sv_errorf(c->err, v->line, v->col, "unknown comparator \"%s\"", s);
		if ((cmp == CMP_NUMERIC && !has(c, X_CMP_NUMERIC)) ||
		    (cmp == CMP_UNICODE && !has(c, X_CMP_UNICODE)))
			return sv_errorf(c->err, v->line, v->col,
			    "comparator \"%s\" used without require \"comparator-%s\"", s, s);
	} else if ((strcmp(tag, ":value") == 0 || strcmp(tag, ":count") == 0) && sv_rel_find(s) < 0) {
		return sv_errorf(c->err, v->line, v->col, "unknown relation \"%s\"", s);
	} else if (strcmp(tag, ":zone") == 0 && is_const(c, s)) {
		if (strlen(s) != 5 || (s[0] != '+' && s[0] != '-') || strspn(s + 1, "0123456789") != 4)
			return sv_errorf(c->err, v->line, v->col, "bad zone \"%s\"", s);
	} else if (strcmp(tag, ":index") == 0 && v->num < 1) {
		return sv_errorf(c->err, v->line, v->col, ":index must be 1 or more");
	}
	return 0;
}

/* check_tags - the tags of n (all before its positional arguments); *first the first positional */
static int
check_tags(struct checker *c, struct sv_node *n, const struct sv_spec *s, size_t *first)
{
	unsigned groups = 0;
	size_t i;
	bool regex = false, icase = true, numeric = false, substring = false;

	for (i = 0; i < n->narg && n->arg[i].kind == SV_TAG; i++) {
		struct sv_arg *a = &n->arg[i];
		const char *t;
		char name[64];
		int ext, ti;

		snprintf(name, sizeof(name), ":%s", a->str[0]);
		if (!tag_allowed(s, name, &ext))
			return sv_errorf(c->err, a->line, a->col, "unknown tag %s for %s", name, s->name);
		ti = sv_tag_find(name);
		t = sv_tags[ti].name;
		if (!has(c, ext))
			return sv_errorf(c->err, a->line, a->col, "tag %s used without require \"%s\"", t,
			    sv_ext_names[ext]);
		if (sv_tags[ti].group != 0 && (groups & (1u << sv_tags[ti].group)) != 0)
			return sv_errorf(c->err, a->line, a->col, "tag %s conflicts with an earlier tag", t);
		groups |= 1u << sv_tags[ti].group;
		a->tag = (unsigned)ti;
		free(a->str[0]);
		free(a->str);
		a->str = NULL;
		a->nstr = 0;
		if (strcmp(t, ":regex") == 0)
			regex = true;
		if (strcmp(t, ":contains") == 0 || strcmp(t, ":matches") == 0 || regex)
			substring = true;
		if (sv_tags[ti].arg == 0)
			continue;
		if (i + 1 >= n->narg)
			return sv_errorf(c->err, a->line, a->col, "tag %s needs an argument", t);
		struct sv_arg *v = &n->arg[++i];
		if ((sv_tags[ti].arg == 'N' && v->kind != SV_NUM) ||
		    (sv_tags[ti].arg == 'S' && v->kind != SV_STR) ||
		    (sv_tags[ti].arg == 'L' && v->kind != SV_STR && v->kind != SV_LIST))
			return sv_errorf(c->err, v->line, v->col, "tag %s needs a %s", t,
			    sv_tags[ti].arg == 'N' ? "number" : sv_tags[ti].arg == 'S' ? "string" :
			    "string list");
		if (check_tag_value(c, t, v) < 0)
			return -1;
		if (strcmp(t, ":comparator") == 0 && strcmp(v->str[0], "i;octet") == 0)
			icase = false;
		if (strcmp(t, ":comparator") == 0 && strcmp(v->str[0], "i;ascii-numeric") == 0)
			numeric = true;
	}
	*first = i;
	if (numeric && substring)
		return sv_errorf(c->err, n->line, n->col,
		    "i;ascii-numeric does not support :contains, :matches or :regex");
	if (regex && strcmp(s->name, "set") != 0) {
		/* the keys: the last positional argument */
		const struct sv_arg *k = &n->arg[n->narg - 1];
		char msg[120];

		for (size_t j = 0; i < n->narg && j < k->nstr; j++)
			if (is_const(c, k->str[j]) && sv_regex_ok(k->str[j], icase, msg, sizeof(msg)) < 0)
				return sv_errorf(c->err, k->line, k->col, "bad regex \"%s\": %s",
				    k->str[j], msg);
	}
	return 0;
}

/* check_positional - the positional arguments from first on against s->pos */
static int
check_positional(struct checker *c, struct sv_node *n, const struct sv_spec *s, size_t first)
{
	const char *pos = s->pos;
	size_t want = 0, have = n->narg - first;

	for (const char *p = pos; *p != '\0'; p++)
		if (*p == 'S' || *p == 'L' || *p == 'N')
			want++;
	if (islower((unsigned char)pos[0]) && have == want)
		pos++;
	else if (islower((unsigned char)pos[0]))
		want++;
	for (size_t i = first; i < n->narg; i++) {
		struct sv_arg *a = &n->arg[i];
		char k = (char)toupper((unsigned char)*pos);

		if (a->kind == SV_TAG)
			return sv_errorf(c->err, a->line, a->col, "tag :%s after positional arguments",
			    a->str[0]);
		if (k != 'S' && k != 'L' && k != 'N')
			return sv_errorf(c->err, a->line, a->col, "too many arguments for %s", s->name);
		if ((k == 'N' && a->kind != SV_NUM) || (k == 'S' && a->kind != SV_STR) ||
		    (k == 'L' && a->kind != SV_STR && a->kind != SV_LIST))
			return sv_errorf(c->err, a->line, a->col, "%s expects a %s here", s->name,
			    k == 'N' ? "number" : k == 'S' ? "string" : "string list");
		pos++;
	}
	if (have < want && (*pos == 'S' || *pos == 'L' || *pos == 'N' || islower((unsigned char)*pos)))
		return sv_errorf(c->err, n->line, n->col, "missing argument for %s", s->name);
	if (strchr(s->pos, 'T') != NULL && n->ntest != 1)
		return sv_errorf(c->err, n->line, n->col, "%s needs one test", s->name);
	if (strchr(s->pos, 'X') != NULL && n->ntest < 1)
		return sv_errorf(c->err, n->line, n->col, "%s needs a list of tests", s->name);
	if (strchr(s->pos, 'T') == NULL && strchr(s->pos, 'X') == NULL && n->ntest > 0)
		return sv_errorf(c->err, n->test[0].line, n->test[0].col, "%s takes no test", s->name);
	return 0;
}

static const char *const date_parts[] = {
	"year", "month", "day", "date", "julian", "hour", "minute", "second", "time", "iso8601",
	"std11", "zone", "weekday", NULL
};

/* check_special - what one command or test needs beyond its signature */
static int
check_special(struct checker *c, struct sv_node *n, const struct sv_spec *s)
{
	const struct sv_arg *a;

	if (strcmp(s->name, "date") == 0 || strcmp(s->name, "currentdate") == 0) {
		a = &n->arg[n->narg - 2];
		if (is_const(c, a->str[0])) {
			size_t i;

			for (i = 0; date_parts[i] != NULL && strcasecmp(date_parts[i], a->str[0]) != 0; i++)
				;
			if (date_parts[i] == NULL)
				return sv_errorf(c->err, a->line, a->col, "unknown date part \"%s\"",
				    a->str[0]);
		}
	}
	if (strcmp(s->name, "set") == 0) {
		const char *v;

		a = &n->arg[n->narg - 2];
		v = a->str[0];
		if (!(isalpha((unsigned char)v[0]) || v[0] == '_'))
			return sv_errorf(c->err, a->line, a->col, "bad variable name \"%s\"", v);
		for (size_t i = 0; v[i] != '\0'; i++)
			if (!(isalnum((unsigned char)v[i]) || v[i] == '_' ||
			    (v[i] == '.' && i > 0 && v[i + 1] != '\0')))
				return sv_errorf(c->err, a->line, a->col, "bad variable name \"%s\"", v);
	}
	if (strcmp(s->name, "size") == 0 && n->narg != 2)
		return sv_errorf(c->err, n->line, n->col, "size needs :over or :under and a number");
	if (strcmp(s->name, "include") == 0) {
		a = &n->arg[n->narg - 1];
		if (a->str[0][0] == '\0' || strchr(a->str[0], '/') != NULL)
			return sv_errorf(c->err, a->line, a->col, "bad script name \"%s\"", a->str[0]);
	}
	return 0;
}

/* check_node - one command or test, its tests and its block */
static int
check_node(struct checker *c, struct sv_node *n, bool test, const char *prev)
{
	int id = sv_spec_find(n->name, test);
	const struct sv_spec *s;
	size_t first = 0;

	if (id < 0)
		return sv_errorf(c->err, n->line, n->col, "unknown %s \"%s\"", test ? "test" : "command",
		    n->name);
	s = &sv_specs[id];
	if (!has(c, s->ext))
		return sv_errorf(c->err, n->line, n->col, "%s used without require \"%s\"", s->name,
		    sv_ext_names[s->ext]);
	if (strcmp(s->name, "require") == 0)
		return sv_errorf(c->err, n->line, n->col, "require must come before other commands");
	if ((strcmp(s->name, "elsif") == 0 || strcmp(s->name, "else") == 0) &&
	    (prev == NULL || (strcmp(prev, "if") != 0 && strcmp(prev, "elsif") != 0)))
		return sv_errorf(c->err, n->line, n->col, "%s without if", s->name);
	if (s->block && !n->has_block)
		return sv_errorf(c->err, n->line, n->col, "%s needs a block", s->name);
	if (!s->block && n->has_block)
		return sv_errorf(c->err, n->line, n->col, "%s takes no block", s->name);
	if (check_tags(c, n, s, &first) < 0 || check_positional(c, n, s, first) < 0 ||
	    check_special(c, n, s) < 0)
		return -1;
	n->id = (unsigned)id;
	if (check_nodes(c, n->test, n->ntest, true) < 0 ||
	    check_nodes(c, n->block, n->nblock, false) < 0)
		return -1;
	return 0;
}

/* check_nodes - a list of commands (test false) or tests */
static int
check_nodes(struct checker *c, struct sv_node *n, size_t count, bool test)
{
	const char *prev = NULL;

	for (size_t i = 0; i < count; i++) {
		if (check_node(c, &n[i], test, prev) < 0)
			return -1;
		prev = sv_specs[n[i].id].name;
		free(n[i].name);
		n[i].name = NULL;
	}
	return 0;
}

/* sv_check - resolve and check the tree; the require set in *exts; 0, or -1 with err */
int
sv_check(struct sv_node *top, size_t ntop, bool decode_chars, uint32_t *exts,
    struct sieve_error *err)
{
	struct checker c = { .err = err };
	size_t nreq = 0;

	if (check_require(&c, top, ntop, &nreq) < 0)
		return -1;
	if (decode_chars && has(&c, X_ENCCHAR))
		enc_tree(top + nreq, ntop - nreq);
	for (size_t i = 0; i < nreq; i++) {
		top[i].id = (unsigned)sv_spec_find("require", false);
		free(top[i].name);
		top[i].name = NULL;
	}
	if (check_nodes(&c, top + nreq, ntop - nreq, false) < 0)
		return -1;
	*exts = c.exts;
	return 0;
}
