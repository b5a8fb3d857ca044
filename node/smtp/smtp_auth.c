/*
 * smtp_auth.c - SMTP AUTH (RFC 4954) for submission: PLAIN and LOGIN over
 * the shared SASL decoding (auth/sasl.h) and password check (auth/auth.h).
 *
 * The password is checked in one svc_auth_call() job on a struct
 * smtp_login of copies, wiped as soon as the job is done with it; it is
 * never logged (continuation lines are not echoed to the debug log). A
 * failure (an overlong password included) is answered after the
 * per-address delay from auth_delay.h, from a net timer while the session
 * stays busy. Plaintext mechanisms are
 * refused without TLS unless allow_plaintext_auth, as IMAP and POP3 do.
 */
#include "smtp/smtp_int.h"
#include "smtp/smtp_parse.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth/auth.h"
#include "conf/conf.h"
#include "net/net.h"
#include "svc/svc.h"
#include "util/log.h"
#include "util/xalloc.h"

#define MSG_AUTHFAIL "535 5.7.8 Authentication credentials invalid"

struct smtp_login {
	struct auth_attempt a;
	struct smtp_session *s;		/* for done only */
};

bool
smtp_auth_offered(const struct smtp_session *s)
{
	return s->fl == SMTP_SUBMISSION && s->user[0] == '\0' &&
	    auth_plaintext_allowed(s->c, s->env->conf);
}

/* login_job - on a pool thread: the password check */
static void
login_job(void *arg)
{
	auth_attempt_run(&((struct smtp_login *)arg)->a);
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
login_done(void *arg)
{
	struct smtp_login *l = arg;
	struct smtp_session *s = l->s;

	s->busy = false;
	switch (l->a.rc) {
	case AUTH_OK:
		memcpy(s->user, l->a.addr, sizeof(s->user));
		s->bad = 0;
		log_info(s->id, "submission: %s authenticated from %s", s->user, net_conn_peer(s->c));
		smtp_reply(s, "235 2.7.0 Authentication successful");
		break;
	case AUTH_EFAIL:
		if (l->a.delay_ms > 0 && !s->shutdown) {
			s->busy = true;
			net_conn_pause(s->c);
			s->delay = net_timer_add(net_conn_loop(s->c), l->a.delay_ms, login_delayed, s);
			free(l);
			return;
		}
		auth_failed_reply(s);
		break;
	default:
		smtp_reply(s, "454 4.7.0 Temporary authentication failure, try again later");
		break;
	}
	free(l);
	if (s->shutdown) {
		smtp_reply(s, "421 4.3.2 %s Service shutting down", s->hostname);
		smtp_close(s);
		return;
	}
	smtp_process(s);
}

/*
 * login_start - hand user and password to the job; the session waits.
 * passlen is AUTH_PASS_TOOLONG when the decoder refused the password.
 */
static void
login_start(struct smtp_session *s, const char *user, const char *pass, size_t passlen)
{
	struct smtp_login *l = xcalloc(1, sizeof(*l));

	l->s = s;
	auth_attempt_init(&l->a, s->env, "submission", s->id, net_conn_peer(s->c), user, pass,
	    passlen);
	s->busy = true;
	if (svc_auth_call(s->c, login_job, login_done, l) == 0)
		return;
	s->busy = false;
	explicit_bzero(l, sizeof(*l));
	free(l);
	smtp_reply(s, "454 4.7.0 Too many login attempts in progress, try again later");
}

/* auth_bad_response - a response that does not decode */
static void
auth_bad_response(struct smtp_session *s, int rc)
{
	log_info(s->id, "submission: AUTH from %s: %s", net_conn_peer(s->c), sasl_strerror(rc));
	smtp_reply(s, "501 5.5.2 Cannot decode the authentication response");
	smtp_bad(s);
}

/* auth_plain - a PLAIN response, initial or continued */
static void
auth_plain(struct smtp_session *s, const char *b64, size_t len)
{
	struct sasl_creds cr;
	int rc;

	/* over the limits: a failed login, answered after the delay */
	if ((rc = sasl_plain_decode(b64, len, &cr)) == SASL_ETOOLONG) {
		login_start(s, "", NULL, AUTH_PASS_TOOLONG);
		return;
	}
	if (rc < 0) {
		auth_bad_response(s, rc);
		return;
	}
	login_start(s, cr.authcid, cr.passwd, strlen(cr.passwd));
	sasl_creds_clear(&cr);
}

/* auth_login_user - the LOGIN user name; then ask for the password */
static void
auth_login_user(struct smtp_session *s, const char *b64, size_t len)
{
	int rc = sasl_login_decode(b64, len, s->login_user, sizeof(s->login_user));

	if (rc == 0 && s->login_user[0] == '\0')
		rc = SASL_ESYNTAX;
	if (rc < 0) {
		auth_bad_response(s, rc);
		return;
	}
	s->sasl = SMTP_SASL_LOGIN_PASS;
	smtp_reply(s, "334 UGFzc3dvcmQ6");
}

/* auth_login_pass - the LOGIN password: check it */
static void
auth_login_pass(struct smtp_session *s, const char *b64, size_t len)
{
	char pass[PASSWD_MAX + 1];
	int rc;

	if ((rc = sasl_login_decode(b64, len, pass, sizeof(pass))) == SASL_ETOOLONG) {
		login_start(s, s->login_user, NULL, AUTH_PASS_TOOLONG);
		return;
	}
	if (rc < 0) {
		auth_bad_response(s, rc);
		return;
	}
	login_start(s, s->login_user, pass, strlen(pass));
	explicit_bzero(pass, sizeof(pass));
}

/* auth_response - one response for step mech; "=" is an empty one (RFC 4954 4) */
static void
auth_response(struct smtp_session *s, enum smtp_sasl mech, const char *b64, size_t len)
{
	if (len == 1 && b64[0] == '=')
		len = 0;
	s->sasl = SMTP_SASL_NONE;
	switch (mech) {
	case SMTP_SASL_PLAIN:
		auth_plain(s, b64, len);
		break;
	case SMTP_SASL_LOGIN_USER:
		auth_login_user(s, b64, len);
		break;
	case SMTP_SASL_LOGIN_PASS:
		auth_login_pass(s, b64, len);
		break;
	default:
		break;
	}
}

void
smtp_auth_line(struct smtp_session *s, char *line, size_t len)
{
	if (len == 1 && line[0] == '*') {
		s->sasl = SMTP_SASL_NONE;
		smtp_reply(s, "501 5.7.0 Authentication aborted");
		return;
	}
	auth_response(s, s->sasl, line, len);
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
	enum smtp_sasl mech;

	if (no != NULL) {
		smtp_reply(s, "%s", no);
		smtp_bad(s);
		return;
	}
	if (strcasecmp(cmd->arg, "PLAIN") == 0)
		mech = SMTP_SASL_PLAIN;
	else if (strcasecmp(cmd->arg, "LOGIN") == 0)
		mech = SMTP_SASL_LOGIN_USER;
	else {
		smtp_reply(s, "504 5.5.4 Unrecognized authentication type");
		smtp_bad(s);
		return;
	}
	if (cmd->initial != NULL) {
		auth_response(s, mech, cmd->initial, strlen(cmd->initial));
		return;
	}
	s->sasl = mech;
	smtp_reply(s, mech == SMTP_SASL_PLAIN ? "334 " : "334 VXNlcm5hbWU6");
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
