/*
 * managesieve_parse.c - the ManageSieve command grammar: a command name,
 * then strings (quoted, or literals "{n+}"/"{n}" CRLF and n bytes) and
 * numbers, each after one space, as each command's row in verbs[] wants
 * them; see managesieve_parse.h.
 */
#include "managesieve/managesieve_parse.h"

#include <string.h>
#include <strings.h>

/* a command and its arguments: 's' a string, 'n' a number; after '[' optional */
static const struct {
	const char *name;
	enum ms_verb verb;
	const char *args;
} verbs[] = {
	{ "AUTHENTICATE", MS_AUTHENTICATE, "s[s" },
	{ "STARTTLS", MS_STARTTLS, "" },
	{ "LOGOUT", MS_LOGOUT, "" },
	{ "CAPABILITY", MS_CAPABILITY, "" },
	{ "HAVESPACE", MS_HAVESPACE, "sn" },
	{ "PUTSCRIPT", MS_PUTSCRIPT, "ss" },
	{ "LISTSCRIPTS", MS_LISTSCRIPTS, "" },
	{ "SETACTIVE", MS_SETACTIVE, "s" },
	{ "GETSCRIPT", MS_GETSCRIPT, "s" },
	{ "DELETESCRIPT", MS_DELETESCRIPT, "s" },
	{ "RENAMESCRIPT", MS_RENAMESCRIPT, "ss" },
	{ "CHECKSCRIPT", MS_CHECKSCRIPT, "s" },
	{ "NOOP", MS_NOOP, "[s" },
	{ "UNAUTHENTICATE", MS_UNAUTHENTICATE, "" },
};

#define NVERBS (sizeof(verbs) / sizeof(verbs[0]))

/* a cursor over the text */
struct cur {
	char *p, *end;
};

/* parse_number - 1*DIGIT up to 4294967295 */
static int
parse_number(struct cur *c, uint32_t *n_r)
{
	uint64_t n = 0;
	char *start = c->p;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		n = n * 10 + (uint64_t)(*c->p++ - '0');
		if (n > UINT32_MAX)
			return MS_PARSE_ESYNTAX;
	}
	if (c->p == start)
		return MS_PARSE_ESYNTAX;
	*n_r = (uint32_t)n;
	return 0;
}

/* parse_quoted - a quoted string, unescaped in place; its end quote left for the NUL */
static int
parse_quoted(struct cur *c, struct ms_arg *a)
{
	char *out;

	a->s = out = ++c->p;
	while (c->p < c->end && *c->p != '"') {
		if (*c->p == '\r' || *c->p == '\n' || *c->p == '\0')
			return MS_PARSE_ESYNTAX;
		if (*c->p == '\\') {
			if (++c->p == c->end || (*c->p != '"' && *c->p != '\\'))
				return MS_PARSE_ESYNTAX;
		}
		*out++ = *c->p++;
		if (out - a->s > MS_QUOTED_MAX)
			return MS_PARSE_ESYNTAX;
	}
	if (c->p == c->end)
		return MS_PARSE_ESYNTAX;
	a->len = (size_t)(out - a->s);	/* the NUL goes at out once all is read */
	c->p++;
	return 0;
}

/* parse_literal - "{n+}" or "{n}", CRLF, then n bytes */
static int
parse_literal(struct cur *c, struct ms_arg *a)
{
	uint32_t n;

	c->p++;
	if (parse_number(c, &n) != 0)
		return MS_PARSE_ESYNTAX;
	if (c->p < c->end && *c->p == '+')
		c->p++;
	if (c->end - c->p < 3 || memcmp(c->p, "}\r\n", 3) != 0)
		return MS_PARSE_ESYNTAX;
	c->p += 3;
	if ((size_t)(c->end - c->p) < n)
		return MS_PARSE_ESYNTAX;
	a->s = c->p;
	a->len = n;
	c->p += n;
	return 0;
}

/* parse_string - a quoted string or a literal */
static int
parse_string(struct cur *c, struct ms_arg *a)
{
	if (c->p < c->end && *c->p == '"')
		return parse_quoted(c, a);
	if (c->p < c->end && *c->p == '{')
		return parse_literal(c, a);
	return MS_PARSE_ESYNTAX;
}

/* at_end - nothing left but an optional CRLF */
static bool
at_end(const struct cur *c)
{
	return c->p == c->end || (c->end - c->p == 2 && c->p[0] == '\r' && c->p[1] == '\n');
}

/* terminate - a NUL after each string, now that nothing more is read */
static void
terminate(struct ms_arg *a, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (a[i].s != NULL)
			a[i].s[a[i].len] = '\0';
}

/* parse_args - the arguments as spec wants them */
static int
parse_args(struct cur *c, const char *spec, struct ms_cmd *cmd)
{
	bool optional = false;

	for (; *spec != '\0'; spec++) {
		struct ms_arg *a = &cmd->arg[cmd->nargs];

		if (*spec == '[') {
			optional = true;
			continue;
		}
		if (optional && at_end(c))
			break;
		if (c->p == c->end || *c->p++ != ' ')
			return MS_PARSE_ESYNTAX;
		if ((*spec == 's' ? parse_string(c, a) : parse_number(c, &a->num)) != 0)
			return MS_PARSE_ESYNTAX;
		cmd->nargs++;
	}
	return at_end(c) ? 0 : MS_PARSE_ESYNTAX;
}

int
ms_parse(char *text, size_t len, struct ms_cmd *cmd)
{
	struct cur c = { text, text + len };
	size_t n;
	int rc;

	memset(cmd, 0, sizeof(*cmd));
	if (at_end(&c))
		return MS_PARSE_EEMPTY;
	for (n = 0; n < len && text[n] != ' ' && text[n] != '\r'; n++)
		;
	for (size_t i = 0; i < NVERBS; i++) {
		if (strlen(verbs[i].name) != n || strncasecmp(text, verbs[i].name, n) != 0)
			continue;
		cmd->verb = verbs[i].verb;
		c.p += n;
		if ((rc = parse_args(&c, verbs[i].args, cmd)) != 0)
			return rc;
		terminate(cmd->arg, cmd->nargs);
		return 0;
	}
	return MS_PARSE_EUNKNOWN;
}

int
ms_parse_string(char *text, size_t len, struct ms_arg *a)
{
	struct cur c = { text, text + len };

	memset(a, 0, sizeof(*a));
	if (parse_string(&c, a) != 0 || !at_end(&c))
		return MS_PARSE_ESYNTAX;
	terminate(a, 1);
	return 0;
}

bool
ms_literal_tail(const char *line, size_t len, uint64_t *n_r)
{
	size_t i = len;
	uint64_t n = 0, mul = 1;

	if (i < 3 || line[--i] != '}')
		return false;
	if (line[i - 1] == '+')
		i--;
	if (i < 2 || line[i - 1] < '0' || line[i - 1] > '9')
		return false;
	while (i > 0 && line[i - 1] >= '0' && line[i - 1] <= '9') {
		if (mul > UINT32_MAX)
			return false;
		n += (uint64_t)(line[--i] - '0') * mul;
		mul *= 10;
	}
	if (i == 0 || line[i - 1] != '{' || n > UINT32_MAX)
		return false;
	*n_r = n;
	return true;
}

const char *
ms_verb_name(enum ms_verb v)
{
	for (size_t i = 0; i < NVERBS; i++)
		if (verbs[i].verb == v)
			return verbs[i].name;
	return "?";
}
