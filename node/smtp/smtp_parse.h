/*
 * smtp_parse.h - the SMTP/LMTP command-line parser: verb, path, ESMTP
 * parameters. Syntax only: no I/O, no store, no session state, so it is
 * tested and fuzzed on its own (tests/unit/test_smtp_parse.c,
 * tests/fuzz/fuzz_smtp_parse.c).
 *
 * The caller hands one command line without its CRLF, in a buffer with
 * room for a NUL at line[len]. The parser writes
 * NUL bytes into the line; the pointers in struct smtp_cmd (arg, params)
 * point into it and live as long as the line does. The path is copied.
 *
 * Grammar (RFC 5321 4.1.2): Path = "<" [A-d-l ":"] Mailbox ">", with "<>"
 * as the null reverse-path and "<postmaster>" allowed in RCPT. A source
 * route is accepted and dropped (RFC 5321 C). Local parts are dot-strings
 * or quoted strings (kept quoted); domains are dotted letters, digits and
 * hyphens, or an address literal in brackets. One space (or none) after
 * the colon is tolerated, as every real server does.
 */
#ifndef DUPLEX_SMTP_PARSE_H
#define DUPLEX_SMTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SMTP_PATH_MAX 256	/* RFC 5321 4.5.3.1.3 */
#define SMTP_PARAMS_MAX 8

enum smtp_verb {
	SMTP_V_NONE = 0,
	SMTP_V_HELO, SMTP_V_EHLO, SMTP_V_LHLO,
	SMTP_V_MAIL, SMTP_V_RCPT, SMTP_V_DATA, SMTP_V_BDAT,
	SMTP_V_RSET, SMTP_V_NOOP, SMTP_V_QUIT, SMTP_V_VRFY, SMTP_V_HELP,
	SMTP_V_STARTTLS, SMTP_V_AUTH,
};

/* parse results; each maps to one reply in smtp_parse_reply() */
enum smtp_parse_err {
	SMTP_PARSE_OK = 0,
	SMTP_PE_UNKNOWN = -1,	/* 500 5.5.1 unknown command */
	SMTP_PE_SYNTAX = -2,	/* 501 5.5.4 bad arguments */
	SMTP_PE_PATH = -3,	/* 501 5.1.3 bad address syntax */
	SMTP_PE_PARAM = -4,	/* 501 5.5.4 bad parameter syntax */
	SMTP_PE_TOOLONG = -5,	/* 501 5.1.3 path too long */
	SMTP_PE_BINARY = -6,	/* 500 5.5.2 NUL or control bytes in the line */
};

struct smtp_param {
	const char *key;	/* upper-cased in place */
	const char *value;	/* NULL when there is no "=" */
};

struct smtp_cmd {
	enum smtp_verb verb;
	const char *arg;		/* HELO/EHLO/LHLO/VRFY/HELP/NOOP text, AUTH mechanism, or "" */
	const char *initial;		/* AUTH initial response; NULL when absent */
	char path[SMTP_PATH_MAX + 1];	/* MAIL/RCPT mailbox without "<>"; "" for <> */
	bool null_path;			/* MAIL FROM:<> */
	struct smtp_param params[SMTP_PARAMS_MAX];
	size_t nparams;
	uint64_t bdat_size;		/* BDAT; UINT64_MAX when it overflowed */
	bool bdat_last;
};

/* smtp_parse_line - parse line[0..len) (modified in place) into cmd */
int smtp_parse_line(char *line, size_t len, struct smtp_cmd *cmd);
/* smtp_parse_reply - the reply line (without CRLF) for a parse error */
const char *smtp_parse_reply(int err);
/* smtp_param_get - a parameter by upper-case key; NULL if absent */
const struct smtp_param *smtp_param_get(const struct smtp_cmd *cmd, const char *key);
/* smtp_parse_size - a SIZE= or BDAT number; UINT64_MAX on overflow; -1 if not digits */
int smtp_parse_size(const char *s, uint64_t *n_r);

#endif
