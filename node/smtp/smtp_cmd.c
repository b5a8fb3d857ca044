/*
 * smtp_cmd.c - the LMTP/SMTP/submission commands: greeting, MAIL, RCPT
 * (checked against the store at once), DATA and BDAT set-up, RSET, NOOP,
 * QUIT, VRFY, HELP, STARTTLS, and the end of the message data. AUTH is
 * smtp_auth.c's.
 *
 * Submission adds Postfix's rules: MAIL only after AUTH (530 5.7.0) and
 * only from the user's own address or alias (553 5.7.1); a recipient in a
 * domain that is not ours is accepted for relay, which only an
 * authenticated session can reach, so there is no open relay.
 *
 * The order rules (RFC 5321 4.1.4, RFC 2033, RFC 3030) are enforced here
 * with 503; the syntax was checked by smtp_parse.c. Every refused command
 * counts towards SMTP_BAD_MAX; an unknown recipient does not, since it is
 * an answer, not a protocol error.
 */
#include "smtp/smtp_int.h"
#include "smtp/smtp_parse.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/conf.h"
#include "net/net.h"
#include "store/store.h"
#include "svc/svc.h"
#include "util/log.h"
#include "util/xalloc.h"

#define BDAT_CHUNK_MAX ((uint64_t)1 << 32)	/* past this we cannot stay in sync */

void
smtp_txn_reset(struct smtp_session *s)
{
	for (size_t i = 0; i < s->nrcpt; i++)
		free(s->rcpts[i]);
	free(s->rcpts);
	s->rcpts = NULL;
	s->nrcpt = 0;
	free(s->from);
	s->from = NULL;
	s->mail = false;
	s->size = 0;
	buf_free(&s->msg);
	s->hdr_len = 0;
	s->too_big = false;
	s->bdat_started = false;
	s->bdat_failed = false;
	s->bdat_last = false;
	s->bdat_left = 0;
}

/* max_size - max_message_size, the one limit of every path */
static uint64_t
max_size(const struct smtp_session *s)
{
	return s->env->conf->max_message_size;
}

void
smtp_body_append(struct smtp_session *s, const char *p, size_t n)
{
	if (s->too_big || s->bdat_failed || n == 0)
		return;
	if (s->msg.len + n > max_size(s)) {
		log_info(s->qid, "message over max_message_size %llu bytes; discarding the rest",
		    (unsigned long long)max_size(s));
		s->too_big = true;
		buf_free(&s->msg);	/* discard without buffering the rest */
		return;
	}
	buf_append(&s->msg, p, n);
}

/* cmd_hello - HELO, EHLO or LHLO: the name, then the extensions */
static void
cmd_hello(struct smtp_session *s, const struct smtp_cmd *cmd)
{
	bool lmtp = s->fl == SMTP_LMTP;

	if (lmtp != (cmd->verb == SMTP_V_LHLO)) {
		smtp_reply(s, "500 5.5.1 Use %s", lmtp ? "LHLO" : "EHLO or HELO");
		smtp_bad(s);
		return;
	}
	smtp_txn_reset(s);
	snprintf(s->helo, sizeof(s->helo), "%s", cmd->arg);
	s->greeted = true;
	s->esmtp = cmd->verb != SMTP_V_HELO;
	s->bad = 0;
	if (!s->esmtp) {
		smtp_reply(s, "250 %s", s->hostname);
		return;
	}
	smtp_reply(s, "250-%s", s->hostname);
	smtp_reply(s, "250-PIPELINING");
	smtp_reply(s, "250-ENHANCEDSTATUSCODES");
	smtp_reply(s, "250-8BITMIME");
	smtp_reply(s, "250-SIZE %llu", (unsigned long long)max_size(s));
	if (!net_conn_is_tls(s->c) && net_conn_can_starttls(s->c))
		smtp_reply(s, "250-STARTTLS");
	if (smtp_auth_offered(s))
		smtp_reply(s, "250-AUTH PLAIN LOGIN");
	smtp_reply(s, "250 CHUNKING");
}

/*
 * sender_allowed - submission: only an authenticated user, sending as
 * itself or an alias of its own (Postfix's reject_sender_login_mismatch)
 */
static bool
sender_allowed(struct smtp_session *s, const struct smtp_cmd *cmd)
{
	struct store_rtxn *r;
	int rc;

	if (s->user[0] == '\0') {
		log_info(s->id, "submission: MAIL before AUTH from %s refused", net_conn_peer(s->c));
		smtp_reply(s, "530 5.7.0 Authentication required");
		return false;
	}
	if ((rc = store_rtxn_begin(s->env->st, &r)) == 0) {
		rc = cmd->null_path ? STORE_ENOTFOUND : store_alias_owned_by(r, cmd->path, s->user);
		store_rtxn_end(&r);
	}
	if (rc == 0)
		return true;
	if (store_err_is_temporary(rc)) {
		smtp_reply(s, "451 4.3.0 Temporary lookup failure, try again later");
		return false;
	}
	log_warn(s->id, "submission: %s may not send as <%s>: refused", s->user, cmd->path);
	smtp_reply(s, "553 5.7.1 <%s>: Sender address rejected: not owned by user %s", cmd->path,
	    s->user);
	return false;
}

/* cmd_mail - open a transaction with its queue id */
static void
cmd_mail(struct smtp_session *s, const struct smtp_cmd *cmd)
{
	uint64_t size = 0;

	if (!s->greeted || s->mail) {
		smtp_reply(s, "503 5.5.1 %s", s->mail ? "Nested MAIL command" :
		    s->fl == SMTP_LMTP ? "Send LHLO first" : "Send EHLO first");
		smtp_bad(s);
		return;
	}
	for (size_t i = 0; i < cmd->nparams; i++) {
		const struct smtp_param *p = &cmd->params[i];

		if (!s->esmtp)
			goto badparam;
		if (strcmp(p->key, "SIZE") == 0) {
			if (p->value == NULL || smtp_parse_size(p->value, &size) < 0) {
				smtp_reply(s, "501 5.5.4 Bad SIZE= value");
				smtp_bad(s);
				return;
			}
			if (size > max_size(s)) {
				log_info(s->id, "MAIL with SIZE=%s over the limit refused", p->value);
				smtp_reply(s, "552 5.3.4 Message size exceeds fixed limit of %llu bytes",
				    (unsigned long long)max_size(s));
				return;
			}
		} else if (strcmp(p->key, "BODY") == 0) {
			if (p->value == NULL || (strcasecmp(p->value, "7BIT") != 0 &&
			    strcasecmp(p->value, "8BITMIME") != 0)) {
				smtp_reply(s, "555 5.5.4 Unsupported BODY= value");
				smtp_bad(s);
				return;
			}
		} else {
			goto badparam;
		}
	}
	if (s->fl == SMTP_SUBMISSION && !sender_allowed(s, cmd))
		return;
	log_new_id(s->qid);
	s->mail = true;
	s->from = xstrdup(cmd->path);
	s->size = size;
	s->bad = 0;
	log_info(s->qid, "session %s: from=<%s> size=%llu helo=%s peer=%s%s%s", s->id, s->from,
	    (unsigned long long)size, s->helo, net_conn_peer(s->c), s->user[0] ? " user=" : "",
	    s->user);
	smtp_reply(s, "250 2.1.0 Sender OK");
	return;

badparam:
	smtp_reply(s, "555 5.5.4 Unsupported MAIL parameter %s", cmd->params[0].key);
	smtp_bad(s);
}

/* rcpt_local_domain - for SMTP: may this recipient be accepted at all? */
static int
rcpt_local_domain(struct store_rtxn *r, const char *addr)
{
	const char *at = strrchr(addr, '@');
	struct store_domain d;

	if (at == NULL)
		return STORE_ENOTFOUND;
	return store_domain_get(r, at + 1, &d);
}

/* max_rcpts - the recipient limit of the flavour */
static uint64_t
max_rcpts(const struct smtp_session *s)
{
	return s->fl == SMTP_SUBMISSION ? s->env->conf->submission_max_recipients :
	    s->env->conf->smtp_max_recipients;
}

/* rcpt_add - keep an accepted recipient; the store relays those outside our domains */
static void
rcpt_add(struct smtp_session *s, const char *norm)
{
	s->rcpts = xrealloc(s->rcpts, (s->nrcpt + 1) * sizeof(*s->rcpts));
	s->rcpts[s->nrcpt++] = xstrdup(norm);
}

/* cmd_rcpt - check the recipient now, so most failures never reach DATA */
static void
cmd_rcpt(struct smtp_session *s, const struct smtp_cmd *cmd)
{
	const char *a = cmd->path;
	struct store_rtxn *r;
	char norm[STORE_ADDR_MAX + 1];
	int rc;

	if (!s->mail) {
		smtp_reply(s, "503 5.5.1 Need MAIL command first");
		smtp_bad(s);
		return;
	}
	if (cmd->nparams > 0) {
		smtp_reply(s, "555 5.5.4 Unsupported RCPT parameter %s", cmd->params[0].key);
		smtp_bad(s);
		return;
	}
	s->bad = 0;
	if (s->nrcpt >= max_rcpts(s)) {
		log_info(s->qid, "to=<%s> refused: over %s", a, s->fl == SMTP_SUBMISSION ?
		    "submission_max_recipients" : "smtp_max_recipients");
		smtp_reply(s, "452 4.5.3 Too many recipients");
		return;
	}
	if (store_addr_normalize(a, norm) != 0) {
		log_info(s->qid, "to=<%s> refused: not a valid local address", a);
		smtp_reply(s, "550 5.1.1 <%s>: Recipient address rejected: no such user", a);
		return;
	}
	if ((rc = store_rtxn_begin(s->env->st, &r)) == 0) {
		if (s->fl == SMTP_SUBMISSION && rcpt_local_domain(r, norm) == STORE_ENOTFOUND) {
			/* only authenticated senders get here: no open relay */
			store_rtxn_end(&r);
			rcpt_add(s, norm);
			log_info(s->qid, "to=<%s> accepted for relay", norm);
			smtp_reply(s, "250 2.1.5 <%s> Recipient OK", a);
			return;
		}
		if (s->fl == SMTP_SMTP && rcpt_local_domain(r, norm) == STORE_ENOTFOUND) {
			store_rtxn_end(&r);
			log_warn(s->qid, "to=<%s> refused: relaying denied (peer %s)", a,
			    net_conn_peer(s->c));
			smtp_reply(s, "550 5.7.1 <%s>: Relaying denied", a);
			return;
		}
		/* SMTP has one reply for all: refuse full mailboxes now, not after DATA */
		rc = store_rcpt_check(r, norm, s->fl != SMTP_LMTP, s->size);
		store_rtxn_end(&r);
	}
	switch (rc) {
	case STORE_OK:
	case STORE_EEXTERNAL:	/* forwarded outside: queued for relay at delivery */
		rcpt_add(s, norm);
		log_info(s->qid, "to=<%s> accepted%s", norm, rc == STORE_EEXTERNAL ?
		    " (forwards outside our domains)" : "");
		smtp_reply(s, "250 2.1.5 <%s> Recipient OK", a);
		return;
	case STORE_ENOTFOUND:
		smtp_reply(s, "550 5.1.1 <%s>: Recipient address rejected: no such user", a);
		break;
	case STORE_ENOQUOTA:
		smtp_reply(s, "452 4.2.2 <%s>: Mailbox full", a);
		break;
	case STORE_EINVAL:
		smtp_reply(s, "554 5.4.6 <%s>: Alias expansion too deep or too wide", a);
		break;
	default:
		smtp_reply(s, "451 4.3.0 <%s>: Temporary lookup failure, try again later", a);
		break;
	}
	if (rc == STORE_ECORRUPT)
		log_error(s->qid, "to=<%s> deferred: store corruption; run duplexctl verify", a);
	else
		log_info(s->qid, "to=<%s> refused: %s", a, store_strerror(rc));
}

/* data_ready - DATA or BDAT may start: a transaction with recipients */
static const char *
data_refusal(const struct smtp_session *s)
{
	if (!s->mail)
		return "503 5.5.1 Need MAIL command first";
	if (s->nrcpt == 0)
		return "503 5.5.1 No valid recipients";
	return NULL;
}

static void
cmd_data(struct smtp_session *s)
{
	const char *no = data_refusal(s);

	if (no == NULL && s->bdat_started)
		no = "503 5.5.1 DATA after BDAT";
	if (no != NULL) {
		smtp_reply(s, "%s", no);
		smtp_bad(s);
		return;
	}
	s->bad = 0;
	smtp_headers(s);
	smtp_dot_init(&s->dot);
	s->state = SMTP_S_DATA;
	smtp_reply(s, "354 End data with <CR><LF>.<CR><LF>");
}

/* cmd_bdat - read the chunk whatever happens; answer at its end */
static void
cmd_bdat(struct smtp_session *s, const struct smtp_cmd *cmd)
{
	const char *no = data_refusal(s);

	if (cmd->bdat_size >= BDAT_CHUNK_MAX) {
		log_info(s->mail ? s->qid : s->id, "BDAT chunk of %llu bytes; closing",
		    (unsigned long long)cmd->bdat_size);
		smtp_reply(s, "552 5.3.4 Chunk too big, closing connection");
		smtp_close(s);
		return;
	}
	if (no != NULL) {
		/* nothing to append to: swallow the chunk, answer no at its end */
		s->bdat_failed = true;
		smtp_bad(s);
		if (s->state == SMTP_S_DONE)
			return;
	} else if (!s->bdat_started) {
		smtp_headers(s);
		s->bdat_started = true;
	}
	s->bdat_left = cmd->bdat_size;
	s->bdat_chunk = cmd->bdat_size;
	s->bdat_last = cmd->bdat_last;
	s->state = SMTP_S_BDAT;
}

/* cmd_starttls - RFC 3207: forget everything said in plain text */
static void
cmd_starttls(struct smtp_session *s)
{
	if (net_conn_is_tls(s->c) || !net_conn_can_starttls(s->c)) {
		smtp_reply(s, "502 5.5.1 TLS not available");
		smtp_bad(s);
		return;
	}
	if (s->mail) {
		smtp_reply(s, "503 5.5.1 STARTTLS inside a transaction");
		smtp_bad(s);
		return;
	}
	smtp_reply(s, "220 2.0.0 Ready to start TLS");
	if (s->in.len > s->in_off)
		log_warn(s->id, "discarding %zu bytes sent after STARTTLS", s->in.len - s->in_off);
	s->in_off = s->in.len;
	s->greeted = false;
	s->helo[0] = '\0';
	s->user[0] = '\0';
	net_conn_starttls(s->c);
}

void
smtp_command(struct smtp_session *s, struct smtp_cmd *cmd)
{
	switch (cmd->verb) {
	case SMTP_V_HELO:
	case SMTP_V_EHLO:
	case SMTP_V_LHLO:
		cmd_hello(s, cmd);
		break;
	case SMTP_V_MAIL:
		cmd_mail(s, cmd);
		break;
	case SMTP_V_RCPT:
		cmd_rcpt(s, cmd);
		break;
	case SMTP_V_DATA:
		cmd_data(s);
		break;
	case SMTP_V_BDAT:
		cmd_bdat(s, cmd);
		break;
	case SMTP_V_RSET:
		if (s->mail)
			log_info(s->qid, "transaction reset by the client");
		smtp_txn_reset(s);
		smtp_reply(s, "250 2.0.0 OK");
		break;
	case SMTP_V_NOOP:
		smtp_reply(s, "250 2.0.0 OK");
		break;
	case SMTP_V_QUIT:
		smtp_reply(s, "221 2.0.0 %s Bye", s->hostname);
		smtp_close(s);
		break;
	case SMTP_V_VRFY:
		smtp_reply(s, "252 2.5.0 Cannot VRFY user, but will accept message and attempt delivery");
		break;
	case SMTP_V_HELP:
		smtp_reply(s, "214 2.0.0 Commands: %s MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP%s",
		    s->fl == SMTP_LMTP ? "LHLO" : "EHLO HELO",
		    net_conn_can_starttls(s->c) ? " STARTTLS" : "");
		break;
	case SMTP_V_STARTTLS:
		cmd_starttls(s);
		break;
	case SMTP_V_AUTH:
		smtp_auth_command(s, cmd);
		break;
	default:
		smtp_reply(s, "500 5.5.1 Unknown command");
		smtp_bad(s);
		break;
	}
}

/* data_end_bdat - one chunk read: answer it, deliver at LAST */
static void
data_end_bdat(struct smtp_session *s)
{
	if (s->bdat_failed && !s->mail) {
		smtp_reply(s, "503 5.5.1 Need MAIL command first");
		s->bdat_failed = false;
		return;
	}
	if (s->bdat_failed) {
		smtp_reply(s, "503 5.5.1 No valid recipients");
		if (s->bdat_last)
			smtp_txn_reset(s);
		s->bdat_failed = false;
		return;
	}
	if (!s->bdat_last) {
		if (s->too_big)
			smtp_reply(s, "552 5.3.4 Message too big");
		else
			smtp_reply(s, "250 2.0.0 %llu octets received", (unsigned long long)s->bdat_chunk);
		return;
	}
	if (s->too_big) {
		smtp_reply_all(s, "552 5.3.4 Message too big");
		smtp_txn_reset(s);
		return;
	}
	smtp_deliver(s);
}

void
smtp_data_end(struct smtp_session *s)
{
	if (s->state == SMTP_S_BDAT) {
		s->state = SMTP_S_CMD;
		data_end_bdat(s);
		return;
	}
	s->state = SMTP_S_CMD;
	if (s->too_big) {
		smtp_reply_all(s, "552 5.3.4 Message too big");
		smtp_txn_reset(s);
		return;
	}
	smtp_deliver(s);
}
