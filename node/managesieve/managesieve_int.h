/*
 * managesieve_int.h - what the files of node/managesieve share: the
 * session and the functions each file gives the others.
 *
 * Threads: a session is touched only on its connection's loop thread.
 * Store calls and compiles run in pool jobs (svc_store_call()) on a
 * struct of their own with copies of what they need; the session pointer
 * in it is used only by the done callback, back on the loop.
 */
#ifndef DUPLEX_MANAGESIEVE_INT_H
#define DUPLEX_MANAGESIEVE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth_front.h"
#include "managesieve/managesieve_parse.h"
#include "store/store.h"
#include "util/buf.h"

struct net_conn;
struct net_timer;
struct svc_env;

#define MS_MAX_LINE 8192		/* a command line, literals excluded */
#define MS_MAX_BAD 10			/* bad commands before we hang up */

enum ms_state {
	MS_ST_ANON,		/* not logged in */
	MS_ST_SASL,		/* AUTHENTICATE waits for a response string */
	MS_ST_AUTH,		/* logged in */
};

struct ms_session {
	struct net_conn *c;
	struct svc_env *env;
	const char *id;
	enum ms_state state;
	char user[STORE_ADDR_MAX + 1];	/* once logged in */
	struct auth_sasl sasl;		/* AUTHENTICATE's exchange */
	unsigned bad;			/* bad commands so far */
	bool busy;			/* a store call or a failure delay is pending */
	struct net_timer *delay;	/* answering a failed login */
	struct buf cmd;			/* the command read so far, literals inline */
	uint64_t literal;		/* literal bytes still to read into cmd */
	bool discard;			/* the command is over a limit: read it to its end, then NO */
};

/* managesieve_session.c */
/* ms_quote - text as a quoted string (CR and LF become spaces) */
void ms_quote(struct buf *b, const char *text);
/* ms_reply - "OK", "NO" or "BYE", then (code) if any, then text as a quoted string */
void ms_reply(struct ms_session *s, const char *status, const char *code, const char *text);
/* ms_bad - NO for a bad command; false (stop) once there were too many */
bool ms_bad(struct ms_session *s, const char *why);
/* ms_capability - the capability lines, without the OK */
void ms_capability(struct ms_session *s);
/* ms_max_literal - the largest literal (and script) this server reads */
uint64_t ms_max_literal(const struct ms_session *s);

/* managesieve_auth.c: STARTTLS, AUTHENTICATE and its responses, UNAUTHENTICATE; false: stop reading */
bool ms_cmd_starttls(struct ms_session *s);
bool ms_cmd_authenticate(struct ms_session *s, const struct ms_cmd *cmd);
bool ms_sasl_response(struct ms_session *s, char *text, size_t len);
bool ms_cmd_unauthenticate(struct ms_session *s);
void ms_auth_shutdown(struct ms_session *s);

/* managesieve_cmd.c: the script commands, logged in; false: stop reading */
bool ms_cmd_script(struct ms_session *s, const struct ms_cmd *cmd);

#endif
