/*
 * pop3_parse.h - the POP3 command parser (RFC 1939, 2449, 2595, 5034).
 *
 * One line in (without its CRLF), one struct pop3_cmd out; no I/O and no
 * state, so it is unit-tested and fuzzed on its own. Whether a command is
 * allowed in the session's state is the session's business (pop3_session.c).
 *
 * Ownership: the string arguments of a parsed command point into the line
 * given to pop3_parse(); they are valid as long as that line.
 */
#ifndef DUPLEX_POP3_PARSE_H
#define DUPLEX_POP3_PARSE_H

#include <stddef.h>
#include <stdint.h>

#define POP3_USER_MAX 255	/* longest USER argument */
#define POP3_MECH_MAX 20	/* SASL mechanism names (RFC 4422) */

enum pop3_verb {
	POP3_NONE = 0,
	POP3_USER, POP3_PASS, POP3_AUTH, POP3_CAPA, POP3_STLS, POP3_QUIT,
	POP3_STAT, POP3_LIST, POP3_RETR, POP3_DELE, POP3_NOOP, POP3_RSET,
	POP3_TOP, POP3_UIDL,
};

enum pop3_parse_err {
	POP3_PARSE_OK = 0,
	POP3_PARSE_EUNKNOWN = -1,	/* no such command */
	POP3_PARSE_ESYNTAX = -2,	/* known command, bad arguments */
	POP3_PARSE_EBINARY = -3,	/* NUL or control bytes in the line */
	POP3_PARSE_EEMPTY = -4,		/* an empty line */
};

struct pop3_cmd {
	enum pop3_verb verb;
	unsigned nargs;			/* numeric arguments present (LIST, UIDL: 0 or 1) */
	uint32_t n;			/* message number */
	uint32_t lines;			/* TOP's line count */
	const char *arg;		/* USER name, PASS text, AUTH mechanism; NULL if none */
	size_t arglen;
	const char *initial;		/* AUTH initial response; NULL if none */
	size_t initiallen;
};

/* pop3_parse - one command line of len bytes (may hold NULs); see the errors */
int pop3_parse(const char *line, size_t len, struct pop3_cmd *cmd);
/* pop3_verb_name - "RETR" for POP3_RETR; "?" for none */
const char *pop3_verb_name(enum pop3_verb v);

#endif
