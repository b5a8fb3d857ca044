/*
 * pop3_int.h - what the files of node/pop3 share: the session, the
 * maildrop snapshot, and the functions each file gives the others.
 *
 * Threads: a session is touched only on its connection's loop thread.
 * Blocking work (the login's, QUIT's commit) runs in pool jobs (auth_login(),
 * svc_store_call()) that get their own struct with copies of what they
 * need; the session pointer in it is used only by the done callback, back
 * on the loop.
 */
#ifndef DUPLEX_POP3_INT_H
#define DUPLEX_POP3_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth_front.h"
#include "pop3/pop3_parse.h"
#include "store/store.h"
#include "util/buf.h"

struct net_conn;
struct net_timer;
struct svc_env;

#define POP3_MAX_LINE 4096		/* RFC 2449 says 255; clients and SASL need more */
#define POP3_MAX_BAD 10			/* bad commands before we hang up */
#define POP3_OUT_HIGH (256 * 1024)	/* stop filling the output here while streaming */
#define POP3_CHUNK (64 * 1024)		/* body bytes copied per read transaction */

/* one message of the snapshot taken at login; numbers are index + 1 */
struct pop3_msg {
	uint32_t uid;
	uint32_t flags;
	uint64_t size;
	uint64_t body_id;
	bool deleted;		/* DELE'd in this session */
	bool retrieved;		/* RETR'd: gets \Seen at QUIT */
};

struct pop3_maildrop {
	char addr[STORE_ADDR_MAX + 1];
	uint64_t mailbox_id;
	uint32_t uidvalidity;
	struct pop3_msg *msgs;
	size_t n;
};

enum pop3_state {
	POP3_ST_AUTH,		/* AUTHORIZATION */
	POP3_ST_SASL,		/* AUTHORIZATION, waiting for a SASL response line */
	POP3_ST_TRANS,		/* TRANSACTION */
	POP3_ST_UPDATE,		/* QUIT is committing; then the conn closes */
};

enum pop3_stream_kind { POP3_STREAM_NONE, POP3_STREAM_BODY, POP3_STREAM_LIST,
	POP3_STREAM_UIDL };

/* a multi-line reply written in bounded pieces, resumed by on_drain */
struct pop3_stream {
	enum pop3_stream_kind kind;
	size_t idx;		/* message index (body), or next index (LIST/UIDL) */
	uint64_t off;		/* body bytes done */
	bool top;		/* TOP: stop after lines body lines */
	uint32_t lines_left;
	bool in_body;		/* past the header's blank line */
	bool bol;		/* at the start of a line */
	bool blank;		/* the current line is empty so far */
};

struct pop3_session {
	struct net_conn *c;
	struct svc_env *env;
	const char *id;
	enum pop3_state state;
	char user[POP3_USER_MAX + 1];	/* from USER */
	bool have_user;
	struct auth_sasl sasl;		/* AUTH's exchange */
	unsigned bad;			/* bad commands so far */
	bool busy;			/* a store call or a failure delay is pending */
	bool locked;			/* we hold md.addr in the IN-USE set */
	struct net_timer *delay;	/* answering a failed login */
	struct pop3_maildrop md;
	struct pop3_stream st;
	struct buf out;			/* staging for streamed pieces */
};

/* pop3_session.c */
void pop3_reply(struct pop3_session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool pop3_bad(struct pop3_session *s, const char *why);
void pop3_input(struct net_conn *c, void *session);

/* pop3_auth.c: USER, PASS, AUTH and SASL response lines; false: stop reading */
bool pop3_cmd_user(struct pop3_session *s, const struct pop3_cmd *cmd);
bool pop3_cmd_pass(struct pop3_session *s, const struct pop3_cmd *cmd);
bool pop3_cmd_auth(struct pop3_session *s, const struct pop3_cmd *cmd);
bool pop3_sasl_line(struct pop3_session *s, const char *line, size_t len);
void pop3_auth_shutdown(struct pop3_session *s);

/* pop3_cmd.c: the TRANSACTION commands and CAPA, STLS, QUIT */
bool pop3_cmd_capa(struct pop3_session *s);
bool pop3_cmd_stls(struct pop3_session *s);
bool pop3_cmd_quit(struct pop3_session *s);
bool pop3_cmd_trans(struct pop3_session *s, const struct pop3_cmd *cmd);

/* pop3_stream.c: RETR, TOP and long LIST/UIDL replies */
void pop3_stream_begin(struct pop3_session *s, enum pop3_stream_kind kind, size_t idx,
    bool top, uint32_t lines);
void pop3_stream_pump(struct pop3_session *s);
/* pop3_uidl - "%08x%08x" of UIDVALIDITY and UID; out has 17 bytes */
void pop3_uidl(const struct pop3_maildrop *md, const struct pop3_msg *m, char out[17]);

/* pop3_maildrop.c: blocking; call from store jobs only */
int pop3_maildrop_load(struct store *st, const char *addr, struct pop3_maildrop *md);
int pop3_maildrop_commit(struct store *st, const char *id, const struct pop3_maildrop *md,
    size_t *deleted_r);
void pop3_maildrop_free(struct pop3_maildrop *md);

/* pop3_lock.c: the maildrops with a session, across all loops */
bool pop3_lock_acquire(const char *addr);
void pop3_lock_release(const char *addr);

#endif
