/*
 * smtp_parse.c - the SMTP/LMTP command-line parser; see smtp_parse.h.
 *
 * A recursive-descent scan over one NUL-free line. Every reader advances a
 * cursor and returns false on the first byte it cannot take, so a bad
 * line is refused whole and never half-applied.
 *
 * Hazard: the line is modified in place (keys upper-cased, separators
 * turned into NULs); cmd->arg and cmd->params point into it.
 */
#include "smtp/smtp_parse.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *name;
	enum smtp_verb verb;
} verbs[] = {
	{ "HELO", SMTP_V_HELO }, { "EHLO", SMTP_V_EHLO }, { "LHLO", SMTP_V_LHLO },
	{ "MAIL", SMTP_V_MAIL }, { "RCPT", SMTP_V_RCPT }, { "DATA", SMTP_V_DATA },
	{ "BDAT", SMTP_V_BDAT }, { "RSET", SMTP_V_RSET }, { "NOOP", SMTP_V_NOOP },
	{ "QUIT", SMTP_V_QUIT }, { "VRFY", SMTP_V_VRFY }, { "HELP", SMTP_V_HELP },
	{ "STARTTLS", SMTP_V_STARTTLS }, { "AUTH", SMTP_V_AUTH },
};

/* is_atext - RFC 5322 atext, the bytes of a dot-string atom */
static bool
is_atext(int c)
{
	return isalnum(c) || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* is_ldh - letter, digit or hyphen, the bytes of a domain label */
static bool
is_ldh(int c)
{
	return isalnum(c) || c == '-';
}

/* scan_domain - sub-domain *("." sub-domain); labels never start or end with '-' */
static bool
scan_domain(const char **pp)
{
	const char *p = *pp;

	for (;;) {
		const char *start = p;

		if (!isalnum((unsigned char)*p))
			return false;
		while (is_ldh((unsigned char)*p))
			p++;
		if (p[-1] == '-' || p - start > 63)
			return false;
		if (*p != '.')
			break;
		p++;
	}
	*pp = p;
	return true;
}

/* scan_literal - "[" printable without brackets or backslash "]" */
static bool
scan_literal(const char **pp)
{
	const char *p = *pp;

	if (*p++ != '[')
		return false;
	if (*p == ']')
		return false;
	while (*p >= 33 && *p <= 126 && *p != '[' && *p != ']' && *p != '\\')
		p++;
	if (*p++ != ']')
		return false;
	*pp = p;
	return true;
}

/* scan_local - a dot-string or a quoted string */
static bool
scan_local(const char **pp)
{
	const char *p = *pp;

	if (*p == '"') {
		for (p++; *p != '"'; p++) {
			if (*p == '\\') {
				p++;
				if (*p < 32 || *p > 126)
					return false;
			} else if (*p < 32 || *p > 126) {
				return false;
			}
		}
		p++;
	} else {
		for (;;) {
			if (!is_atext((unsigned char)*p))
				return false;
			while (is_atext((unsigned char)*p))
				p++;
			if (*p != '.')
				break;
			p++;
		}
	}
	*pp = p;
	return true;
}

/* scan_path - "<" [A-d-l ":"] Mailbox ">" or "<>"; the mailbox into cmd */
static int
scan_path(const char **pp, struct smtp_cmd *cmd, bool allow_null, bool allow_postmaster)
{
	const char *p = *pp, *mb;
	size_t n;

	if (*p++ != '<')
		return SMTP_PE_PATH;
	if (*p == '>') {
		if (!allow_null)
			return SMTP_PE_PATH;
		cmd->path[0] = '\0';
		cmd->null_path = true;
		*pp = p + 1;
		return 0;
	}
	if (allow_postmaster && strncasecmp(p, "postmaster>", 11) == 0) {
		memcpy(cmd->path, p, 10);
		cmd->path[10] = '\0';
		*pp = p + 11;
		return 0;
	}
	if (*p == '@') {	/* a source route: accepted, ignored */
		for (;;) {
			p++;
			if (!scan_domain(&p))
				return SMTP_PE_PATH;
			if (*p == ':')
				break;
			if (*p != ',' || p[1] != '@')
				return SMTP_PE_PATH;
			p++;
		}
		p++;
	}
	mb = p;
	if (!scan_local(&p) || *p++ != '@')
		return SMTP_PE_PATH;
	if (*p == '[' ? !scan_literal(&p) : !scan_domain(&p))
		return SMTP_PE_PATH;
	if (*p != '>')
		return SMTP_PE_PATH;
	n = (size_t)(p - mb);
	if (n > SMTP_PATH_MAX)
		return SMTP_PE_TOOLONG;
	memcpy(cmd->path, mb, n);
	cmd->path[n] = '\0';
	*pp = p + 1;
	return 0;
}

/* scan_params - *(SP esmtp-param) to the end of the line */
static int
scan_params(char *p, struct smtp_cmd *cmd)
{
	while (*p != '\0') {
		struct smtp_param *pr;

		if (*p != ' ')
			return SMTP_PE_PARAM;
		while (*p == ' ')
			*p++ = '\0';
		if (*p == '\0')
			break;
		if (cmd->nparams == SMTP_PARAMS_MAX || !isalnum((unsigned char)*p))
			return SMTP_PE_PARAM;
		pr = &cmd->params[cmd->nparams++];
		pr->key = p;
		pr->value = NULL;
		for (; isalnum((unsigned char)*p) || *p == '-'; p++)
			*p = (char)toupper((unsigned char)*p);
		if (*p == '=') {
			*p++ = '\0';
			pr->value = p;
			while (*p >= 33 && *p <= 126 && *p != '=')
				p++;
			if (p == pr->value)
				return SMTP_PE_PARAM;
		}
		if (*p != '\0' && *p != ' ')
			return SMTP_PE_PARAM;
	}
	return 0;
}

/* parse_path_cmd - "MAIL FROM:" / "RCPT TO:" then a path and parameters */
static int
parse_path_cmd(char *args, const char *prefix, struct smtp_cmd *cmd)
{
	size_t plen = strlen(prefix);
	const char *p;
	int rc;

	if (strncasecmp(args, prefix, plen) != 0)
		return SMTP_PE_SYNTAX;
	p = args + plen;
	if (*p == ' ')
		p++;
	if ((rc = scan_path(&p, cmd, cmd->verb == SMTP_V_MAIL, cmd->verb == SMTP_V_RCPT)) != 0)
		return rc;
	return scan_params((char *)p, cmd);
}

int
smtp_parse_size(const char *s, uint64_t *n_r)
{
	uint64_t n = 0;

	if (!isdigit((unsigned char)*s))
		return -1;
	for (; isdigit((unsigned char)*s); s++) {
		unsigned d = (unsigned)(*s - '0');

		if (n > (UINT64_MAX - d) / 10) {
			n = UINT64_MAX;
			while (isdigit((unsigned char)s[1]))
				s++;
			continue;
		}
		n = n * 10 + d;
	}
	if (*s != '\0')
		return -1;
	*n_r = n;
	return 0;
}

/* parse_bdat - "BDAT" SP chunk-size [SP "LAST"] */
static int
parse_bdat(char *args, struct smtp_cmd *cmd)
{
	char *sp = strchr(args, ' ');

	if (sp != NULL) {
		*sp++ = '\0';
		if (strcasecmp(sp, "LAST") != 0)
			return SMTP_PE_SYNTAX;
		cmd->bdat_last = true;
	}
	return smtp_parse_size(args, &cmd->bdat_size) == 0 ? 0 : SMTP_PE_SYNTAX;
}

/* parse_auth - RFC 4954: a mechanism name, then an optional initial response */
static int
parse_auth(char *args, struct smtp_cmd *cmd)
{
	char *sp = strchr(args, ' ');

	if (sp != NULL) {
		*sp = '\0';
		cmd->initial = sp + 1;
		if (*cmd->initial == '\0' || strchr(cmd->initial, ' ') != NULL)
			return SMTP_PE_SYNTAX;
	}
	if (*args == '\0')
		return SMTP_PE_SYNTAX;
	cmd->arg = args;
	return 0;
}

int
smtp_parse_line(char *line, size_t len, struct smtp_cmd *cmd)
{
	char *args;
	size_t vlen;

	memset(cmd, 0, sizeof(*cmd));
	cmd->arg = "";
	for (size_t i = 0; i < len; i++)
		if (line[i] == '\0' || (line[i] < 32 && line[i] != '\t') || line[i] == 127)
			return SMTP_PE_BINARY;
	line[len] = '\0';
	for (vlen = 0; vlen < len && line[vlen] != ' '; vlen++)
		;
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strlen(verbs[i].name) == vlen && strncasecmp(line, verbs[i].name, vlen) == 0)
			cmd->verb = verbs[i].verb;
	if (cmd->verb == SMTP_V_NONE)
		return SMTP_PE_UNKNOWN;
	args = line + vlen;
	if (*args == ' ')
		*args++ = '\0';
	else if (vlen < len)
		return SMTP_PE_SYNTAX;

	switch (cmd->verb) {
	case SMTP_V_HELO:
	case SMTP_V_EHLO:
	case SMTP_V_LHLO:
		/* a domain or address literal; anything printable, one word */
		if (*args == '\0' || strchr(args, ' ') != NULL || strchr(args, '\t') != NULL ||
		    strlen(args) > 255)
			return SMTP_PE_SYNTAX;
		cmd->arg = args;
		return 0;
	case SMTP_V_VRFY:
		if (*args == '\0')
			return SMTP_PE_SYNTAX;
		cmd->arg = args;
		return 0;
	case SMTP_V_NOOP:
	case SMTP_V_HELP:
		cmd->arg = args;
		return 0;
	case SMTP_V_AUTH:
		return parse_auth(args, cmd);
	case SMTP_V_MAIL:
		return parse_path_cmd(args, "FROM:", cmd);
	case SMTP_V_RCPT:
		return parse_path_cmd(args, "TO:", cmd);
	case SMTP_V_BDAT:
		return parse_bdat(args, cmd);
	default:
		/* DATA, RSET, QUIT, STARTTLS take nothing */
		return *args == '\0' ? 0 : SMTP_PE_SYNTAX;
	}
}

const char *
smtp_parse_reply(int err)
{
	switch (err) {
	case SMTP_PE_UNKNOWN: return "500 5.5.1 Unknown command";
	case SMTP_PE_SYNTAX: return "501 5.5.4 Syntax error in arguments";
	case SMTP_PE_PATH: return "501 5.1.3 Bad address syntax";
	case SMTP_PE_PARAM: return "501 5.5.4 Bad parameter syntax";
	case SMTP_PE_TOOLONG: return "501 5.1.3 Path too long";
	case SMTP_PE_BINARY: return "500 5.5.2 Invalid characters in command";
	default: return "500 5.5.0 Error";
	}
}

const struct smtp_param *
smtp_param_get(const struct smtp_cmd *cmd, const char *key)
{
	for (size_t i = 0; i < cmd->nparams; i++)
		if (strcmp(cmd->params[i].key, key) == 0)
			return &cmd->params[i];
	return NULL;
}
