/*
 * smtp_int.h - what the files of node/smtp share: the session, its
 * transaction, and the functions one file offers the others.
 *
 * A session lives on its connection's loop thread. It reads raw bytes
 * from net into its own input buffer (bounded: it pulls only when it
 * cannot make progress), so that DATA can stop exactly at its end marker
 * and pipelined commands after it are kept. While a delivery is in flight
 * (busy) the connection is paused and nothing else runs for the session.
 */
#ifndef DUPLEX_SMTP_INT_H
#define DUPLEX_SMTP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth_front.h"
#include "smtp/smtp_data.h"
#include "store/store.h"
#include "util/buf.h"

struct net_conn;
struct net_timer;
struct svc_env;
struct smtp_cmd;

#define SMTP_BAD_MAX 10		/* consecutive bad commands before 421 */

enum smtp_flavour { SMTP_LMTP, SMTP_SMTP, SMTP_SUBMISSION };

enum smtp_state {
	SMTP_S_CMD,		/* reading command lines */
	SMTP_S_DATA,		/* after 354: message bytes up to "." */
	SMTP_S_BDAT,		/* inside a BDAT chunk */
	SMTP_S_DONE,		/* closing: read nothing more */
};

struct smtp_session {
	struct net_conn *c;
	struct svc_env *env;
	enum smtp_flavour fl;
	const char *id;			/* the connection's id */
	char hostname[256];
	enum smtp_state state;
	bool greeted;			/* HELO/EHLO/LHLO done */
	bool esmtp;			/* EHLO or LHLO rather than HELO */
	char helo[256];
	unsigned bad;			/* consecutive bad commands */
	bool busy;			/* a delivery is in flight */
	bool shutdown;			/* on_shutdown came while busy */

	/* submission: the login (smtp_auth.c) */
	char user[STORE_ADDR_MAX + 1];	/* authenticated address; "" before AUTH */
	struct auth_sasl sasl;		/* AUTH's exchange; .more: it awaits a client line */
	struct net_timer *delay;	/* a failed AUTH waiting to be answered */

	/* input (see above) */
	struct buf in;
	size_t in_off;
	bool skipping;			/* inside an overlong line */

	/* the transaction */
	bool mail;
	char qid[13];
	char *from;
	uint64_t size;			/* MAIL SIZE=, 0 if not given */
	char **rcpts;
	size_t nrcpt;
	struct buf msg;			/* added headers, then the body */
	size_t hdr_len;
	bool too_big;			/* past max_message_size: discarding */
	struct smtp_dot dot;
	uint64_t bdat_left;		/* bytes of the current chunk still to read */
	uint64_t bdat_chunk;		/* size of the current chunk */
	bool bdat_last;
	bool bdat_failed;		/* a chunk was refused: the rest is discarded */
	bool bdat_started;
};

/* smtp_session.c */
void smtp_reply(struct smtp_session *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* smtp_close - say nothing more, close once the output is sent */
void smtp_close(struct smtp_session *s);
/* smtp_process - run whatever is buffered, as far as the state allows */
void smtp_process(struct smtp_session *s);
/* smtp_bad - count a refused command; closes at SMTP_BAD_MAX */
void smtp_bad(struct smtp_session *s);

/* smtp_cmd.c */
void smtp_command(struct smtp_session *s, struct smtp_cmd *cmd);
/* smtp_txn_reset - forget the transaction (RSET, after delivery) */
void smtp_txn_reset(struct smtp_session *s);
/* smtp_body_append - message bytes, or count them once past the limit */
void smtp_body_append(struct smtp_session *s, const char *p, size_t n);
/* smtp_data_end - the message is complete: refuse it or deliver it */
void smtp_data_end(struct smtp_session *s);

/* smtp_auth.c */
/* smtp_auth_command - AUTH PLAIN or LOGIN, with or without an initial response */
void smtp_auth_command(struct smtp_session *s, const struct smtp_cmd *cmd);
/* smtp_auth_line - a client line while an AUTH exchange is open */
void smtp_auth_line(struct smtp_session *s, char *line, size_t len);
/* smtp_auth_offered - whether EHLO may list AUTH on this connection */
bool smtp_auth_offered(const struct smtp_session *s);
/* smtp_auth_shutdown - answer a failed AUTH still waiting out its delay */
void smtp_auth_shutdown(struct smtp_session *s);

/* smtp_deliver.c */
/* smtp_headers - Return-Path, Delivered-To, Received: the start of s->msg */
void smtp_headers(struct smtp_session *s);
/* smtp_deliver - one store_deliver() off the loop, then the replies */
void smtp_deliver(struct smtp_session *s);
/* smtp_reply_all - the same reply for the message (once per rcpt in LMTP) */
void smtp_reply_all(struct smtp_session *s, const char *text);

#endif
