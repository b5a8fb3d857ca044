/*
 * pop3_parse.c - POP3 command line syntax; see pop3_parse.h.
 *
 * Tolerant where clients differ (keyword case, extra spaces between
 * arguments, a trailing space), strict where it matters: numbers are
 * decimal without sign and fit 32 bits, argument counts are exact, and
 * control bytes other than TAB in a PASS argument are refused.
 */
#include "pop3/pop3_parse.h"

#include <string.h>
#include <strings.h>

struct verb_row {
	const char *name;
	enum pop3_verb verb;
};

static const struct verb_row verbs[] = {
	{ "USER", POP3_USER }, { "PASS", POP3_PASS }, { "AUTH", POP3_AUTH },
	{ "CAPA", POP3_CAPA }, { "STLS", POP3_STLS }, { "QUIT", POP3_QUIT },
	{ "STAT", POP3_STAT }, { "LIST", POP3_LIST }, { "RETR", POP3_RETR },
	{ "DELE", POP3_DELE }, { "NOOP", POP3_NOOP }, { "RSET", POP3_RSET },
	{ "TOP", POP3_TOP }, { "UIDL", POP3_UIDL },
};

#define NVERBS (sizeof(verbs) / sizeof(verbs[0]))
#define MAX_WORDS 4

const char *
pop3_verb_name(enum pop3_verb v)
{
	for (size_t i = 0; i < NVERBS; i++)
		if (verbs[i].verb == v)
			return verbs[i].name;
	return "?";
}

/* parse_num - a decimal number of 1..10 digits that fits 32 bits */
static int
parse_num(const char *p, size_t len, uint32_t *out)
{
	uint64_t v = 0;

	if (len == 0 || len > 10)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	if (v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

struct word {
	const char *p;
	size_t len;
};

/* split - space-separated words after the keyword; -1 if more than max */
static int
split(const char *p, const char *end, struct word *w, unsigned max)
{
	unsigned n = 0;

	for (;;) {
		while (p < end && *p == ' ')
			p++;
		if (p == end)
			return (int)n;
		if (n == max)
			return -1;
		w[n].p = p;
		while (p < end && *p != ' ')
			p++;
		w[n].len = (size_t)(p - w[n].p);
		n++;
	}
}

/* numeric_args - LIST/UIDL [n], RETR/DELE n, TOP n m */
static int
numeric_args(struct pop3_cmd *cmd, const struct word *w, int nw, int min, int max)
{
	if (nw < min || nw > max)
		return POP3_PARSE_ESYNTAX;
	if (nw >= 1 && parse_num(w[0].p, w[0].len, &cmd->n) < 0)
		return POP3_PARSE_ESYNTAX;
	if (nw >= 2 && parse_num(w[1].p, w[1].len, &cmd->lines) < 0)
		return POP3_PARSE_ESYNTAX;
	cmd->nargs = (unsigned)nw;
	return POP3_PARSE_OK;
}

int
pop3_parse(const char *line, size_t len, struct pop3_cmd *cmd)
{
	const char *end = line + len, *sp, *rest;
	struct word w[MAX_WORDS];
	size_t kwlen;
	int nw;

	memset(cmd, 0, sizeof(*cmd));
	if (len == 0)
		return POP3_PARSE_EEMPTY;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		if (c == '\0' || (c < 0x20 && c != '\t') || c == 0x7f)
			return POP3_PARSE_EBINARY;
	}
	sp = memchr(line, ' ', len);
	kwlen = sp ? (size_t)(sp - line) : len;
	for (size_t i = 0; i < NVERBS; i++)
		if (strlen(verbs[i].name) == kwlen && strncasecmp(line, verbs[i].name, kwlen) == 0)
			cmd->verb = verbs[i].verb;
	if (cmd->verb == POP3_NONE)
		return POP3_PARSE_EUNKNOWN;
	rest = sp ? sp + 1 : end;

	/*
	 * PASS takes the rest of the line verbatim: passwords hold spaces. Its
	 * length is the login's to judge (an overlong password is a failed
	 * login, answered after the delay); the line limit bounds it here.
	 */
	if (cmd->verb == POP3_PASS) {
		if (rest >= end)
			return POP3_PARSE_ESYNTAX;
		cmd->arg = rest;
		cmd->arglen = (size_t)(end - rest);
		return POP3_PARSE_OK;
	}
	if (memchr(line, '\t', len) != NULL)
		return POP3_PARSE_ESYNTAX;
	if ((nw = split(rest, end, w, MAX_WORDS)) < 0)
		return POP3_PARSE_ESYNTAX;

	switch (cmd->verb) {
	case POP3_USER:
		if (nw != 1 || w[0].len > POP3_USER_MAX)
			return POP3_PARSE_ESYNTAX;
		cmd->arg = w[0].p;
		cmd->arglen = w[0].len;
		return POP3_PARSE_OK;
	case POP3_AUTH:
		/* AUTH alone lists the mechanisms (a common extension) */
		if (nw > 2 || (nw >= 1 && w[0].len > POP3_MECH_MAX))
			return POP3_PARSE_ESYNTAX;
		if (nw >= 1) {
			cmd->arg = w[0].p;
			cmd->arglen = w[0].len;
		}
		if (nw == 2) {
			cmd->initial = w[1].p;
			cmd->initiallen = w[1].len;
		}
		return POP3_PARSE_OK;
	case POP3_LIST:
	case POP3_UIDL:
		return numeric_args(cmd, w, nw, 0, 1);
	case POP3_RETR:
	case POP3_DELE:
		return numeric_args(cmd, w, nw, 1, 1);
	case POP3_TOP:
		return numeric_args(cmd, w, nw, 2, 2);
	default:
		return nw == 0 ? POP3_PARSE_OK : POP3_PARSE_ESYNTAX;
	}
}
