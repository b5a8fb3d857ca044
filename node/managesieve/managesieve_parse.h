/*
 * managesieve_parse.h - the ManageSieve command parser (RFC 5804 section 4).
 *
 * A command's whole text in (its literals inline, as the client sent them:
 * "{n+}" or "{n}", CRLF, n bytes), one struct ms_cmd out; no I/O and no
 * state, so it is unit-tested and fuzzed on its own. Which commands a
 * state allows is the session's business (managesieve_session.c).
 *
 * Ownership: string arguments point into the text given to ms_parse(),
 * which unescapes quoted strings in place and ends every string with a
 * NUL: text[len] must be writable. A string may hold a NUL of its own
 * (a literal): its len says how long it is.
 */
#ifndef DUPLEX_MANAGESIEVE_PARSE_H
#define DUPLEX_MANAGESIEVE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MS_MAX_ARGS 2
#define MS_QUOTED_MAX 1024	/* longest quoted string; longer ones come as literals */

enum ms_verb {
	MS_NONE = 0,
	MS_AUTHENTICATE, MS_STARTTLS, MS_LOGOUT, MS_CAPABILITY, MS_HAVESPACE, MS_PUTSCRIPT,
	MS_LISTSCRIPTS, MS_SETACTIVE, MS_GETSCRIPT, MS_DELETESCRIPT, MS_RENAMESCRIPT,
	MS_CHECKSCRIPT, MS_NOOP, MS_UNAUTHENTICATE,
};

enum ms_parse_err {
	MS_PARSE_OK = 0,
	MS_PARSE_EUNKNOWN = -1,		/* no such command */
	MS_PARSE_ESYNTAX = -2,		/* a known command with bad arguments */
	MS_PARSE_EEMPTY = -3,		/* nothing but the line end */
};

struct ms_arg {
	char *s;		/* strings: NUL-terminated, len bytes */
	size_t len;
	uint32_t num;		/* numbers (HAVESPACE's size) */
};

struct ms_cmd {
	enum ms_verb verb;
	unsigned nargs;
	struct ms_arg arg[MS_MAX_ARGS];
};

/* ms_parse - a whole command (a trailing CRLF is fine) */
int ms_parse(char *text, size_t len, struct ms_cmd *cmd);
/* ms_parse_string - a SASL response line: exactly one string */
int ms_parse_string(char *text, size_t len, struct ms_arg *a);
/*
 * ms_literal_tail - whether a line (without CRLF) ends with a literal's
 * "{n+}" or "{n}": its size in *n_r, the line's literal bytes to follow
 */
bool ms_literal_tail(const char *line, size_t len, uint64_t *n_r);
/* ms_verb_name - for logs */
const char *ms_verb_name(enum ms_verb v);

#endif
