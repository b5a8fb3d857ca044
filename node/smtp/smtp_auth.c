/*
 * smtp_auth.c - SMTP AUTH (RFC 4954) for submission: PLAIN and LOGIN
 * through auth's front door (auth/auth_front.h), framed here as 334, 235,
 * 535 and the rest.
 *
 * The password is checked on copies in the front door's login job and
 * wiped as soon as the check is done with it; it is never logged
 * (continuation lines are not echoed to the debug log). A failure (an
 * overlong password included) is answered after the per-address delay
 * from auth_delay.h, from a net timer while the session stays busy.
 * Plaintext mechanisms are refused without TLS unless
 * allow_plaintext_auth, as IMAP and POP3 do.
 */
#include "smtp/smtp_int.h"
#include "smtp/smtp_parse.h"

#include <string.h>

#include "auth/auth_front.h"
#include "conf/conf.h"
#include "net/net.h"
#include "svc/svc.h"
#include "util/log.h"

#define MSG_AUTHFAIL "535 5.7.8 Authentication credentials invalid"

bool
smtp_auth_offered(const struct smtp_session *s)
{
	return s->fl == SMTP_SUBMISSION && s->user[0] == '\0' &&
	    auth_plaintext_allowed(s->c, s->env->conf);
}

/* auth_failed_reply - the 535, counted as a bad command */
static void
auth_failed_reply(struct smtp_session *s)
{
	smtp_reply(s, MSG_AUTHFAIL);
	smtp_bad(s);
}

/* login_delayed - the failure delay is over: answer and read on */
static void
login_delayed(void *arg)
{
	struct smtp_session *s = arg;

	s->delay = NULL;
	s->busy = false;
	auth_failed_reply(s);
	net_conn_resume(s->c);
	smtp_process(s);
}

/* login_done - back on the loop: logged in, or say why not */
static void
login_done(void *session, const struct auth_attempt *a, void *extra)
{
	struct smtp_session *s = session;

	s->busy = false;
	switch (a->rc) {
	case AUTH_OK:
		memcpy(s->user, a->addr, sizeof(s->user));
		s->bad = 0;
		log_info(s->id, "submission: %s authenticated from %s", s->user, net_conn_peer(s->c));
		smtp_reply(s, "235 2.7.0 Authentication successful");
		break;
	case AUTH_EFAIL:
		if (a->delay_ms > 0 && !s->shutdown) {
			s->busy = true;
			net_conn_pause(s->c);
			s->delay = net_timer_add(net_conn_loop(s->c), a->delay_ms, login_delayed, s);
			return;
		}
		auth_failed_reply(s);
		break;
	default:
		smtp_reply(s, "454 4.7.0 Temporary authentication failure, try again later");
		break;
	}
	if (s->shutdown) {
		smtp_reply(s, "421 4.3.2 %s Service shutting down", s->hostname);
		smtp_close(s);
		return;
	}
	smtp_process(s);
}

static const struct auth_front smtp_front = { .proto = "submission", .done = login_done };

/* auth_bad_response - a response that does not decode */
static void
auth_bad_response(struct smtp_session *s, int rc)
{
	log_info(s->id, "submission: AUTH from %s: %s", net_conn_peer(s->c), sasl_strerror(rc));
	smtp_reply(s, "501 5.5.2 Cannot decode the authentication response");
	smtp_bad(s);
}

/* sasl_answer - frame the front door's answer to a response */
static void
sasl_answer(struct smtp_session *s, int rc, const char *challenge)
{
	switch (rc) {
	case AUTH_SASL_MORE:
		smtp_reply(s, "334 %s", challenge);
		return;
	case AUTH_SASL_LOGIN:
		s->busy = true;
		return;
	case AUTH_SASL_BUSY:
		smtp_reply(s, "454 4.7.0 Too many login attempts in progress, try again later");
		return;
	case AUTH_SASL_CANCEL:
		smtp_reply(s, "501 5.7.0 Authentication aborted");
		return;
	}
	auth_bad_response(s, rc);
}

void
smtp_auth_line(struct smtp_session *s, char *line, size_t len)
{
	const char *challenge = NULL;
	int rc = auth_sasl_line(&s->sasl, line, len, &challenge);

	sasl_answer(s, rc, challenge);
	explicit_bzero(line, len);
}

/* auth_refusal - why AUTH may not start now; NULL when it may */
static const char *
auth_refusal(const struct smtp_session *s)
{
	if (s->fl != SMTP_SUBMISSION)
		return "502 5.5.1 AUTH not available on this port";
	if (!s->greeted || !s->esmtp)
		return "503 5.5.1 Send EHLO first";
	if (s->user[0] != '\0')
		return "503 5.5.1 Already authenticated";
	if (s->mail)
		return "503 5.5.1 AUTH inside a transaction";
	if (!auth_plaintext_allowed(s->c, s->env->conf))
		return "538 5.7.11 Encryption required for requested authentication mechanism";
	return NULL;
}

void
smtp_auth_command(struct smtp_session *s, const struct smtp_cmd *cmd)
{
	const char *no = auth_refusal(s);
	const char *challenge = NULL;
	enum auth_mech mech;
	int rc;

	if (no != NULL) {
		smtp_reply(s, "%s", no);
		smtp_bad(s);
		return;
	}
	if ((mech = auth_mech_find(cmd->arg, strlen(cmd->arg))) == AUTH_MECH_NONE) {
		smtp_reply(s, "504 5.5.4 Unrecognized authentication type");
		smtp_bad(s);
		return;
	}
	auth_sasl_init(&s->sasl, &smtp_front, s->c, s);
	rc = auth_sasl_start(&s->sasl, mech, cmd->initial,
	    cmd->initial != NULL ? strlen(cmd->initial) : 0, &challenge);
	sasl_answer(s, rc, challenge);
}

void
smtp_auth_shutdown(struct smtp_session *s)
{
	if (s->delay == NULL)
		return;
	net_timer_cancel(&s->delay);
	s->busy = false;
	smtp_reply(s, MSG_AUTHFAIL);
	net_conn_resume(s->c);
}
