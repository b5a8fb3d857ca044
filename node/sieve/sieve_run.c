/*
 * sieve_run.c - the interpreter: runs the compiled form of a script (never
 * its text) against one message and envelope, and collects the actions
 * (struct sieve_result). Commands, variables (RFC 5229), imap4flags'
 * flag lists (RFC 5232), include (RFC 6609) and the implicit keep of
 * RFC 5228 2.10.2 live here; tests are in sieve_test.c.
 *
 * A variable holds at most SV_MAX_VAR_SIZE bytes (RFC 5229 6 lets an
 * implementation cut longer values), so a run's memory stays bounded.
 * Every command, test and comparison is a step; past lim->max_steps, or
 * past the limits on actions, redirects and includes, the run stops with
 * an error, and an error leaves only the implicit keep.
 */
#include "sieve/sieve_run.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"

/* sv_fail - record the first run-time error; returns -1 */
int
sv_fail(struct sv_run *r, unsigned line, const char *fmt, ...)
{
	va_list ap;
	char msg[200];

	if (r->error == NULL) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		r->error = line > 0 ? xasprintf("line %u: %s", line, msg) : xstrdup(msg);
	}
	return -1;
}

/* sv_step - count one step; -1 (and the error) past the limit */
int
sv_step(struct sv_run *r)
{
	return sv_steps(r, 1);
}

/* sv_steps - count n steps; -1 (and the error) past the limit */
int
sv_steps(struct sv_run *r, unsigned long n)
{
	r->steps += n;
	if (r->steps > r->lim->max_steps)
		return sv_fail(r, 0, "script ran too long (limit %lu steps)", r->lim->max_steps);
	return 0;
}

/* vars_find - the variable name in vs, or NULL */
static struct sv_var *
vars_find(struct sv_vars *vs, const char *name)
{
	for (size_t i = 0; i < vs->n; i++)
		if (strcasecmp(vs->v[i].name, name) == 0)
			return &vs->v[i];
	return NULL;
}

/* vars_free - free a variable table */
static void
vars_free(struct sv_vars *vs)
{
	for (size_t i = 0; i < vs->n; i++) {
		free(vs->v[i].name);
		free(vs->v[i].value);
	}
	free(vs->v);
	vs->v = NULL;
	vs->n = 0;
}

/* table - the table that holds variable name in this scope */
static struct sv_vars *
table(struct sv_run *r, const char *name)
{
	if (strncasecmp(name, "global.", 7) == 0)
		return &r->global;
	for (size_t i = 0; i < r->scope->nglobals; i++)
		if (strcasecmp(r->scope->globals[i], name) == 0)
			return &r->global;
	return &r->scope->local;
}

/* sv_var_get - the value of variable name (match variables by number), or NULL */
const char *
sv_var_get(struct sv_run *r, const char *name)
{
	struct sv_var *v;

	if (isdigit((unsigned char)name[0])) {
		size_t n = (size_t)strtoul(name, NULL, 10);

		return n < 10 && n < r->caps.n && r->caps.s[n] != NULL ? r->caps.s[n] : "";
	}
	v = vars_find(table(r, name), strncasecmp(name, "global.", 7) == 0 ? name + 7 : name);
	return v != NULL ? v->value : NULL;
}

/* utf8_cut - the length of s cut to at most max bytes, not inside a UTF-8 character */
static size_t
utf8_cut(const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1);

	if (n <= max)
		return n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/* sv_var_set - set variable name to value (cut to SV_MAX_VAR_SIZE bytes) */
void
sv_var_set(struct sv_run *r, const char *name, const char *value)
{
	struct sv_vars *t = table(r, name);
	struct sv_var *v;

	if (strncasecmp(name, "global.", 7) == 0)
		name += 7;
	if ((v = vars_find(t, name)) == NULL) {
		t->v = xrealloc(t->v, (t->n + 1) * sizeof(*t->v));
		v = &t->v[t->n++];
		v->name = xstrdup(name);
		v->value = NULL;
	}
	free(v->value);
	v->value = xstrndup(value, utf8_cut(value, SV_MAX_VAR_SIZE));
}

/* var_ref - the length of the variable name in "${name}" at s, or 0 if it is not a reference */
static size_t
var_ref(const char *s)
{
	size_t i = 2;

	if (s[0] != '$' || s[1] != '{')
		return 0;
	if (isdigit((unsigned char)s[i])) {
		while (isdigit((unsigned char)s[i]))
			i++;
	} else {
		for (;;) {
			if (!(isalpha((unsigned char)s[i]) || s[i] == '_'))
				return 0;
			while (isalnum((unsigned char)s[i]) || s[i] == '_')
				i++;
			if (s[i] != '.')
				break;
			i++;
		}
	}
	return s[i] == '}' ? i - 2 : 0;
}

/* sv_expand - s with its variables expanded (if the script uses variables), into out */
void
sv_expand(struct sv_run *r, const char *s, struct buf *out)
{
	if ((r->scope->exts & (1u << X_VARIABLES)) == 0) {
		buf_puts(out, s);
		return;
	}
	for (size_t i = 0; s[i] != '\0';) {
		size_t n = var_ref(s + i);

		if (n == 0) {
			buf_putc(out, s[i++]);
			continue;
		}
		char *name = xstrndup(s + i + 2, n);
		const char *v = sv_var_get(r, name);

		buf_puts(out, v != NULL ? v : "");
		free(name);
		i += n + 3;
	}
}

/* sv_expand_dup - sv_expand into a new string (free it) */
char *
sv_expand_dup(struct sv_run *r, const char *s)
{
	struct buf b = BUF_INIT;
	char *d;

	sv_expand(r, s, &b);
	d = xstrndup(buf_cstr(&b), b.len);
	buf_free(&b);
	return d;
}

/* sv_args - sort n's arguments into tags and positional ones */
void
sv_args(const struct sv_node *n, struct sv_argv *av)
{
	memset(av, 0, sizeof(*av));
	for (size_t i = 0; i < n->narg; i++) {
		const struct sv_arg *a = &n->arg[i];

		if (a->kind == SV_TAG && a->tag < 64) {
			av->tag[a->tag].set = true;
			if (sv_tags[a->tag].arg != 0 && i + 1 < n->narg)
				av->tag[a->tag].arg = &n->arg[++i];
		} else if (av->npos < 4) {
			av->pos[av->npos++] = a;
		}
	}
}

/* sv_tag - whether tag name was given; its value in *arg if it takes one */
bool
sv_tag(const struct sv_argv *av, const char *name, const struct sv_arg **arg)
{
	int t = sv_tag_find(name);

	if (t < 0 || t >= 64 || !av->tag[t].set)
		return false;
	if (arg != NULL)
		*arg = av->tag[t].arg;
	return true;
}

/* flags_has - whether the flag list holds flag (any case) */
static bool
flags_has(char **fl, const char *flag)
{
	for (; fl != NULL && *fl != NULL; fl++)
		if (strcasecmp(*fl, flag) == 0)
			return true;
	return false;
}

/* flags_free - free a NULL-terminated flag list */
static void
flags_free(char **fl)
{
	for (char **p = fl; p != NULL && *p != NULL; p++)
		free(*p);
	free(fl);
}

/* flags_count - the number of flags in the list */
static size_t
flags_count(char **fl)
{
	size_t n = 0;

	while (fl != NULL && fl[n] != NULL)
		n++;
	return n;
}

/* flags_add - add each space-separated flag of s not yet in *fl */
static void
flags_add(char ***fl, const char *s)
{
	while (*s != '\0') {
		size_t n;

		s += strspn(s, " ");
		n = strcspn(s, " ");
		if (n > 0) {
			char *f = xstrndup(s, n);
			size_t c = flags_count(*fl);

			if (flags_has(*fl, f)) {
				free(f);
			} else {
				*fl = xrealloc(*fl, (c + 2) * sizeof(**fl));
				(*fl)[c] = f;
				(*fl)[c + 1] = NULL;
			}
		}
		s += n;
	}
}

/* flags_remove - remove each space-separated flag of s from fl */
static void
flags_remove(char **fl, const char *s)
{
	while (*s != '\0') {
		size_t n;

		s += strspn(s, " ");
		n = strcspn(s, " ");
		for (size_t i = 0; n > 0 && fl != NULL && fl[i] != NULL;) {
			if (strlen(fl[i]) == n && strncasecmp(fl[i], s, n) == 0) {
				free(fl[i]);
				memmove(&fl[i], &fl[i + 1], (flags_count(fl + i + 1) + 1) * sizeof(*fl));
			} else {
				i++;
			}
		}
		s += n;
	}
}

/* flags_join - the list as one space-separated string (free it) */
static char *
flags_join(char **fl)
{
	struct buf b = BUF_INIT;
	char *s;

	for (size_t i = 0; fl != NULL && fl[i] != NULL; i++) {
		if (i > 0)
			buf_putc(&b, ' ');
		buf_puts(&b, fl[i]);
	}
	s = xstrndup(buf_cstr(&b), b.len);
	buf_free(&b);
	return s;
}

/* flags_copy - a copy of the list (never NULL) */
static char **
flags_copy(char **fl)
{
	size_t n = flags_count(fl);
	char **c = xcalloc(n + 1, sizeof(*c));

	for (size_t i = 0; i < n; i++)
		c[i] = xstrdup(fl[i]);
	return c;
}

/* flags_from - the flags of a string list, expanded and split */
static char **
flags_from(struct sv_run *r, const struct sv_arg *a)
{
	char **fl = NULL;

	for (size_t i = 0; i < a->nstr; i++) {
		char *s = sv_expand_dup(r, a->str[i]);

		flags_add(&fl, s);
		free(s);
	}
	return fl != NULL ? fl : xcalloc(1, sizeof(*fl));
}

/* add_action - a new action at the end of the result, or NULL past the limit */
struct sieve_action *
sv_add_action(struct sv_run *r, const struct sv_node *n, enum sieve_action_type type)
{
	struct sieve_result *res = r->res;
	struct sieve_action *a;

	if (res->nact >= r->lim->max_actions) {
		sv_fail(r, n->line, "too many actions (limit %u)", r->lim->max_actions);
		return NULL;
	}
	res->act = xrealloc(res->act, (res->nact + 1) * sizeof(*res->act));
	a = &res->act[res->nact++];
	memset(a, 0, sizeof(*a));
	a->type = type;
	return a;
}

/* find_store - an earlier keep or fileinto into mailbox, or NULL */
static struct sieve_action *
find_store(struct sv_run *r, const char *mailbox)
{
	for (size_t i = 0; i < r->res->nact; i++) {
		struct sieve_action *a = &r->res->act[i];

		if ((a->type == SIEVE_KEEP || a->type == SIEVE_FILEINTO) &&
		    (strcmp(a->mailbox, mailbox) == 0 ||
		    (strcasecmp(a->mailbox, "INBOX") == 0 && strcasecmp(mailbox, "INBOX") == 0)))
			return a;
	}
	return NULL;
}

/* has_reject - whether reject or ereject is among the actions */
static bool
has_reject(const struct sv_run *r)
{
	for (size_t i = 0; i < r->res->nact; i++)
		if (r->res->act[i].type == SIEVE_REJECT || r->res->act[i].type == SIEVE_EREJECT)
			return true;
	return false;
}

/*
 * store - keep or fileinto: one action per mailbox (RFC 5228 4.1), a later
 * one adding its flags to the earlier one's
 */
static int
store(struct sv_run *r, const struct sv_node *n, const char *mailbox, char **flags, bool create,
    bool copy)
{
	struct sieve_action *a;

	if (has_reject(r)) {
		flags_free(flags);
		return sv_fail(r, n->line, "reject cannot be combined with keep or fileinto");
	}
	if ((a = find_store(r, mailbox)) != NULL) {
		for (size_t i = 0; flags[i] != NULL; i++)
			flags_add(&a->flags, flags[i]);
		a->create |= create;
		flags_free(flags);
	} else if ((a = sv_add_action(r, n, strcasecmp(mailbox, "INBOX") == 0 && !create && !copy &&
	    strcmp(sv_specs[n->id].name, "keep") == 0 ? SIEVE_KEEP : SIEVE_FILEINTO)) != NULL) {
		a->mailbox = xstrdup(mailbox);
		a->flags = flags;
		a->create = create;
		a->copy = copy;
	} else {
		flags_free(flags);
		return -1;
	}
	if (!copy)
		r->cancel_keep = true;
	return 0;
}

/* cmd_store - keep and fileinto */
static int
cmd_store(struct sv_run *r, const struct sv_node *n, bool keep)
{
	struct sv_argv av;
	const struct sv_arg *fa;
	char **flags, *box;
	int rc;

	sv_args(n, &av);
	if (sv_tag(&av, ":flags", &fa))
		flags = flags_from(r, fa);
	else
		flags = flags_copy(r->flags);
	box = keep ? xstrdup("INBOX") : sv_expand_dup(r, av.pos[0]->str[0]);
	rc = store(r, n, box, flags, sv_tag(&av, ":create", NULL), sv_tag(&av, ":copy", NULL));
	free(box);
	return rc;
}

/* cmd_redirect - redirect [:copy] address */
static int
cmd_redirect(struct sv_run *r, const struct sv_node *n)
{
	struct sv_argv av;
	struct sieve_action *a;
	char *addr;

	sv_args(n, &av);
	addr = sv_expand_dup(r, av.pos[0]->str[0]);
	if (strchr(addr, '@') == NULL || strpbrk(addr, " <>\r\n") != NULL) {
		sv_fail(r, n->line, "redirect to a bad address \"%s\"", addr);
		free(addr);
		return -1;
	}
	for (size_t i = 0; i < r->res->nact; i++)
		if (r->res->act[i].type == SIEVE_REDIRECT && strcasecmp(r->res->act[i].address, addr) == 0) {
			free(addr);		/* the same address twice is one redirect */
			return 0;
		}
	if (has_reject(r)) {
		free(addr);
		return sv_fail(r, n->line, "reject cannot be combined with redirect");
	}
	if (++r->redirects > r->lim->max_redirects) {
		free(addr);
		return sv_fail(r, n->line, "too many redirects (limit %u)", r->lim->max_redirects);
	}
	if ((a = sv_add_action(r, n, SIEVE_REDIRECT)) == NULL) {
		free(addr);
		return -1;
	}
	a->address = addr;
	a->copy = sv_tag(&av, ":copy", NULL);
	if (!a->copy)
		r->cancel_keep = true;
	return 0;
}

/* cmd_reject - reject and ereject (RFC 5429): no other delivery */
static int
cmd_reject(struct sv_run *r, const struct sv_node *n, bool ereject)
{
	struct sieve_action *a;

	for (size_t i = 0; i < r->res->nact; i++) {
		enum sieve_action_type t = r->res->act[i].type;

		if (t == SIEVE_REJECT || t == SIEVE_EREJECT)
			return sv_fail(r, n->line, "only one reject per message");
		if (t == SIEVE_KEEP || t == SIEVE_FILEINTO || t == SIEVE_REDIRECT || t == SIEVE_VACATION)
			return sv_fail(r, n->line, "reject cannot be combined with an earlier action");
	}
	if ((a = sv_add_action(r, n, ereject ? SIEVE_EREJECT : SIEVE_REJECT)) == NULL)
		return -1;
	a->reason = sv_expand_dup(r, n->arg[n->narg - 1].str[0]);
	r->cancel_keep = true;
	return 0;
}

/* cmd_discard - discard: cancel the implicit keep */
static int
cmd_discard(struct sv_run *r)
{
	r->cancel_keep = true;
	return 0;
}

/* cmd_flags - setflag, addflag and removeflag, on a variable or the internal one */
static int
cmd_flags(struct sv_run *r, const struct sv_node *n, const char *op)
{
	struct sv_argv av;
	char **cur = NULL, **given, *var = NULL;

	sv_args(n, &av);
	given = flags_from(r, av.pos[av.npos - 1]);
	if (av.npos == 2) {
		const char *v;

		var = sv_expand_dup(r, av.pos[0]->str[0]);
		if ((v = sv_var_get(r, var)) != NULL)
			flags_add(&cur, v);
	} else {
		cur = r->flags;
	}
	if (strcmp(op, "setflag") == 0) {
		flags_free(cur);
		cur = flags_copy(given);
	} else {
		for (size_t i = 0; given[i] != NULL; i++)
			if (op[0] == 'a')
				flags_add(&cur, given[i]);
			else
				flags_remove(cur, given[i]);
	}
	flags_free(given);
	if (var != NULL) {
		char *j = flags_join(cur);

		sv_var_set(r, var, j);
		free(j);
		flags_free(cur);
		free(var);
	} else {
		r->flags = cur;
	}
	return 0;
}

/* quote - backslash before each character of s found in special */
static void
quote(const char *s, const char *special, struct buf *out)
{
	for (; *s != '\0'; s++) {
		if (strchr(special, *s) != NULL)
			buf_putc(out, '\\');
		buf_putc(out, *s);
	}
}

/* utf8_chars - the number of UTF-8 characters in s */
static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* cmd_set - set with its modifiers, applied in RFC 5229 4.1's order */
static int
cmd_set(struct sv_run *r, const struct sv_node *n)
{
	struct sv_argv av;
	char *v;
	struct buf b = BUF_INIT;

	sv_args(n, &av);
	v = sv_expand_dup(r, av.pos[1]->str[0]);
	for (char *p = v; *p != '\0'; p++)
		if (sv_tag(&av, ":lower", NULL))
			*p = (char)tolower((unsigned char)*p);
		else if (sv_tag(&av, ":upper", NULL))
			*p = (char)toupper((unsigned char)*p);
	if (sv_tag(&av, ":lowerfirst", NULL))
		v[0] = (char)tolower((unsigned char)v[0]);
	if (sv_tag(&av, ":upperfirst", NULL))
		v[0] = (char)toupper((unsigned char)v[0]);
	if (sv_tag(&av, ":quotewildcard", NULL) || sv_tag(&av, ":quoteregex", NULL)) {
		quote(v, sv_tag(&av, ":quoteregex", NULL) ? "\\*?.+()[]{}|^$" : "\\*?", &b);
		free(v);
		v = xstrndup(buf_cstr(&b), b.len);
	}
	if (sv_tag(&av, ":length", NULL)) {
		char num[24];

		snprintf(num, sizeof(num), "%zu", utf8_chars(v));
		free(v);
		v = xstrdup(num);
	}
	sv_var_set(r, av.pos[0]->str[0], v);
	free(v);
	buf_free(&b);
	return 0;
}

static int exec_block(struct sv_run *r, const struct sv_node *n, size_t count);

/* once_seen - whether an include :once of key already ran; records it */
static bool
once_seen(struct sv_run *r, const char *key)
{
	for (size_t i = 0; i < r->nonce; i++)
		if (strcmp(r->once[i], key) == 0)
			return true;
	r->once = xrealloc(r->once, (r->nonce + 1) * sizeof(*r->once));
	r->once[r->nonce++] = xstrdup(key);
	return false;
}

/* run_tree - run a decoded script's commands in a new scope */
static int
run_tree(struct sv_run *r, const struct sv_node *top, size_t ntop, uint32_t exts)
{
	struct sv_scope scope = { .exts = exts }, *outer = r->scope;
	int rc;

	r->scope = &scope;
	rc = exec_block(r, top, ntop);
	r->ret = false;
	r->scope = outer;
	vars_free(&scope.local);
	for (size_t i = 0; i < scope.nglobals; i++)
		free(scope.globals[i]);
	free(scope.globals);
	return rc;
}

/* cmd_include - include (RFC 6609): the caller hands back the compiled script */
static int
cmd_include(struct sv_run *r, const struct sv_node *n)
{
	struct sv_argv av;
	bool global, optional;
	char *name, key[300];
	unsigned char *bin = NULL;
	size_t len = 0, ntop;
	struct sv_node *top;
	uint32_t exts;
	struct sieve_error err;
	int rc;

	sv_args(n, &av);
	global = sv_tag(&av, ":global", NULL);
	optional = sv_tag(&av, ":optional", NULL);
	name = sv_expand_dup(r, av.pos[0]->str[0]);
	snprintf(key, sizeof(key), "%s:%s", global ? "global" : "personal", name);
	if (sv_tag(&av, ":once", NULL) && once_seen(r, key)) {
		free(name);
		return 0;
	}
	if (++r->includes > r->lim->max_includes) {
		free(name);
		return sv_fail(r, n->line, "too many includes (limit %u)", r->lim->max_includes);
	}
	if (r->env->include == NULL || r->env->include(r->env->arg, global, name, &bin, &len) < 0) {
		free(bin);
		rc = optional ? 0 : sv_fail(r, n->line, "included script \"%s\" not found", name);
		free(name);
		return rc;
	}
	if (sv_decode(bin, len, &top, &ntop, &exts, &err) < 0) {
		free(bin);
		rc = sv_fail(r, n->line, "included script \"%s\": %s", name, err.msg);
		free(name);
		return rc;
	}
	free(bin);
	free(name);
	rc = run_tree(r, top, ntop, exts);
	sv_nodes_free(top, ntop);
	return rc;
}

/* cmd_global - global: these names are shared with including and included scripts */
static int
cmd_global(struct sv_run *r, const struct sv_node *n)
{
	const struct sv_arg *a = &n->arg[0];
	struct sv_scope *s = r->scope;

	for (size_t i = 0; i < a->nstr; i++) {
		s->globals = xrealloc(s->globals, (s->nglobals + 1) * sizeof(*s->globals));
		s->globals[s->nglobals++] = xstrdup(a->str[i]);
	}
	return 0;
}

/* exec_command - one command other than if, elsif and else */
static int
exec_command(struct sv_run *r, const struct sv_node *n)
{
	const char *name = sv_specs[n->id].name;

	if (strcmp(name, "require") == 0)
		return 0;
	if (strcmp(name, "stop") == 0) {
		r->stop = true;
		return 0;
	}
	if (strcmp(name, "return") == 0) {
		r->ret = true;
		return 0;
	}
	if (strcmp(name, "keep") == 0 || strcmp(name, "fileinto") == 0)
		return cmd_store(r, n, name[0] == 'k');
	if (strcmp(name, "redirect") == 0)
		return cmd_redirect(r, n);
	if (strcmp(name, "reject") == 0 || strcmp(name, "ereject") == 0)
		return cmd_reject(r, n, name[0] == 'e');
	if (strcmp(name, "discard") == 0)
		return cmd_discard(r);
	if (strcmp(name, "setflag") == 0 || strcmp(name, "addflag") == 0 ||
	    strcmp(name, "removeflag") == 0)
		return cmd_flags(r, n, name);
	if (strcmp(name, "set") == 0)
		return cmd_set(r, n);
	if (strcmp(name, "include") == 0)
		return cmd_include(r, n);
	if (strcmp(name, "global") == 0)
		return cmd_global(r, n);
	if (strcmp(name, "vacation") == 0)
		return sv_cmd_vacation(r, n);
	return sv_fail(r, n->line, "unknown command %s", name);
}

/* exec_block - run commands in order, if/elsif/else as one chain */
static int
exec_block(struct sv_run *r, const struct sv_node *n, size_t count)
{
	bool taken = false;

	for (size_t i = 0; i < count && !r->stop && !r->ret; i++) {
		const char *name = sv_specs[n[i].id].name;
		int t;

		if (sv_step(r) < 0)
			return -1;
		if (strcmp(name, "if") == 0 || (strcmp(name, "elsif") == 0 && !taken)) {
			if ((t = sv_test(r, &n[i].test[0])) < 0)
				return -1;
			taken = t == 1;
			if (taken && exec_block(r, n[i].block, n[i].nblock) < 0)
				return -1;
		} else if (strcmp(name, "else") == 0) {
			if (!taken && exec_block(r, n[i].block, n[i].nblock) < 0)
				return -1;
		} else if (strcmp(name, "elsif") != 0) {
			if (exec_command(r, &n[i]) < 0)
				return -1;
		}
	}
	return 0;
}

/* implicit_keep - the result holds only a keep into INBOX with flags */
static void
implicit_keep(struct sieve_result *res, char **flags)
{
	res->act = xrealloc(res->act, (res->nact + 1) * sizeof(*res->act));
	memset(&res->act[res->nact], 0, sizeof(*res->act));
	res->act[res->nact].type = SIEVE_KEEP;
	res->act[res->nact].mailbox = xstrdup("INBOX");
	res->act[res->nact].flags = flags;
	res->nact++;
	res->implicit_keep = true;
}

/* sieve_run - run the compiled form against env; 0, or -1 with only the implicit keep */
int
sieve_run(const unsigned char *bin, size_t binlen, const struct sieve_limits *lim,
    const struct sieve_env *env, struct sieve_result *res)
{
	struct sv_run r = { .lim = lim, .env = env, .res = res };
	struct sv_node *top;
	size_t ntop;
	uint32_t exts;
	struct sieve_error err;
	int rc;

	memset(res, 0, sizeof(*res));
	if (sv_decode(bin, binlen, &top, &ntop, &exts, &err) < 0) {
		r.error = xasprintf("compiled script: %s", err.msg);
		rc = -1;
	} else {
		rc = run_tree(&r, top, ntop, exts);
		sv_nodes_free(top, ntop);
	}
	if (rc < 0) {
		char *no_reply = res->no_reply;

		res->no_reply = NULL;
		sieve_result_free(res);
		res->no_reply = no_reply;
		res->error = r.error;
		r.error = NULL;
		implicit_keep(res, xcalloc(1, sizeof(char *)));
	} else if (!r.cancel_keep) {
		implicit_keep(res, flags_copy(r.flags));
	}
	res->stopped = rc == 0 && r.stop;
	flags_free(r.flags);
	sv_caps_clear(&r.caps);
	vars_free(&r.global);
	for (size_t i = 0; i < r.nonce; i++)
		free(r.once[i]);
	free(r.once);
	free(r.error);
	return rc;
}

/* sieve_result_free - free what res holds, leaving it empty */
void
sieve_result_free(struct sieve_result *res)
{
	for (size_t i = 0; i < res->nact; i++) {
		struct sieve_action *a = &res->act[i];

		free(a->mailbox);
		flags_free(a->flags);
		free(a->address);
		free(a->reason);
		free(a->from);
		free(a->subject);
		free(a->handle);
	}
	free(res->act);
	for (size_t i = 0; i < res->nrec; i++) {
		free(res->rec[i].kind);
		free(res->rec[i].id);
	}
	free(res->rec);
	free(res->error);
	free(res->no_reply);
	memset(res, 0, sizeof(*res));
}
