/*
 * imap_cmd_auth.c - getting into the authenticated state: STARTTLS, LOGIN
 * and AUTHENTICATE PLAIN / LOGIN with SASL-IR (RFC 4959).
 *
 * Passwords are checked by auth_attempt_run() on the auth pool, never on
 * the loop, from a struct auth_attempt of copies: the job never touches
 * the session or the connection, which a shutdown may free meanwhile. A
 * failure (an overlong password included) is answered after the
 * per-address delay from auth_delay, from a net timer while the session
 * stays busy. Without TLS, password mechanisms are refused unless
 * allow_plaintext_auth = yes (LOGINDISABLED is then advertised).
 *
 * Hazard: the auth context holds a password; it is wiped as soon as the
 * check is done, and on every exit path.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth/auth.h"
#include "auth/sasl.h"
#include "imap/imap_cmd.h"
#include "net/net.h"
#include "svc/svc.h"
#include "util/log.h"
#include "util/xalloc.h"

enum auth_mech { MECH_NONE, MECH_PLAIN, MECH_LOGIN };

struct auth_ctx {
	enum auth_mech mech;
	struct sasl_creds cr;		/* the client's answers so far */
	struct auth_attempt at;		/* copies for the job, made by auth_start() */
};

/* auth_ctx_free - wipe the password and free */
static void
auth_ctx_free(struct auth_ctx *a)
{
	explicit_bzero(a, sizeof(*a));
	free(a);
}

/* auth_job - on the auth pool: yescrypt and the store read */
static void
auth_job(void *arg)
{
	auth_attempt_run(&((struct auth_ctx *)arg)->at);
}

/* auth_fail_timer - the delay is over: say no */
static void
auth_fail_timer(void *arg)
{
	struct imap_session *s = arg;

	s->timer = NULL;
	imap_reply(s, "NO", "[AUTHENTICATIONFAILED] Authentication failed");
	imap_finish(s);
}

/* auth_done - back on the loop with the verdict */
static enum imap_result
auth_done(struct imap_session *s, void *arg)
{
	struct auth_ctx *a = arg;
	struct buf b = BUF_INIT;
	int rc = a->at.rc;
	unsigned delay = a->at.delay_ms;

	if (rc == AUTH_OK)
		strcpy(s->user, a->at.addr);
	auth_ctx_free(a);
	if (rc == AUTH_ETEMP) {
		imap_reply(s, "NO", "[UNAVAILABLE] Temporary failure, try again later");
		return IMAP_DONE;
	}
	if (rc != AUTH_OK) {
		s->timer = net_timer_add(net_conn_loop(s->c), delay ? delay : 1, auth_fail_timer, s);
		return IMAP_WAIT;
	}
	imap_logged_in(s);
	imap_capabilities(s, &b);
	imap_reply(s, "OK", "[%s] Logged in", buf_cstr(&b));
	buf_free(&b);
	return IMAP_DONE;
}

/* auth_new - a context for one attempt */
static struct auth_ctx *
auth_new(enum auth_mech mech)
{
	struct auth_ctx *a = xcalloc(1, sizeof(*a));

	a->mech = mech;
	return a;
}

/*
 * auth_start - check the credentials in a->cr on the auth pool; passlen is
 * the password's length, AUTH_PASS_TOOLONG when it did not fit
 */
static enum imap_result
auth_start(struct imap_session *s, struct auth_ctx *a, size_t passlen)
{
	s->in_auth = false;
	s->cmd_ctx = NULL;
	auth_attempt_init(&a->at, s->env, "imap", s->id, net_conn_peer(s->c), a->cr.authcid,
	    a->cr.passwd, passlen);
	sasl_creds_clear(&a->cr);
	if (imap_wait_auth(s, auth_job, auth_done, a) == 0)
		return IMAP_WAIT;
	auth_ctx_free(a);
	imap_reply(s, "NO", "[UNAVAILABLE] Too many login attempts in progress, try again later");
	return IMAP_DONE;
}

/* plaintext_refused - the policy check shared by LOGIN and AUTHENTICATE */
static bool
plaintext_refused(struct imap_session *s)
{
	if (auth_plaintext_allowed(s->c, s->env->conf))
		return false;
	imap_reply(s, "NO", "[PRIVACYREQUIRED] Plaintext authentication disallowed without TLS");
	return true;
}

IMAP_CMD(starttls)
{
	if (net_conn_is_tls(s->c) || !net_conn_can_starttls(s->c)) {
		imap_reply(s, "BAD", "TLS is not available here");
		return IMAP_DONE;
	}
	imap_reply(s, "OK", "Begin TLS negotiation now");
	if (net_conn_starttls(s->c) < 0) {
		net_conn_close(s->c);
		s->state = IMAP_STATE_LOGOUT;
		return IMAP_DONE;
	}
	/* nothing the client sent in plain text is executed under TLS */
	buf_reset(&s->in);
	s->in_off = 0;
	imap_parser_reset(s->parser);
	return IMAP_DONE;
}

IMAP_CMD(login)
{
	const char *user, *pass;
	struct auth_ctx *a;

	if (n != 2 || (user = imap_arg_astring(&args[0])) == NULL ||
	    (pass = imap_arg_astring(&args[1])) == NULL) {
		imap_reply(s, "BAD", "LOGIN needs a user name and a password");
		return IMAP_DONE;
	}
	if (plaintext_refused(s))
		return IMAP_DONE;
	if (args[0].len > SASL_ID_MAX || args[0].has_nul || args[1].has_nul) {
		imap_reply(s, "NO", "[AUTHENTICATIONFAILED] Authentication failed");
		return IMAP_DONE;
	}
	a = auth_new(MECH_NONE);
	strcpy(a->cr.authcid, user);
	if (args[1].len > PASSWD_MAX)
		return auth_start(s, a, AUTH_PASS_TOOLONG);
	strcpy(a->cr.passwd, pass);
	return auth_start(s, a, args[1].len);
}

/* auth_step - one base64 answer of the client (initial response or line) */
static enum imap_result
auth_step(struct imap_session *s, struct auth_ctx *a, const char *b64, size_t len)
{
	bool pass_step = a->mech == MECH_PLAIN || a->cr.authcid[0] != '\0';
	int rc;

	if (len == 1 && b64[0] == '=')
		len = 0;
	if (a->mech == MECH_PLAIN)
		rc = sasl_plain_decode(b64, len, &a->cr);
	else if (!pass_step)
		rc = sasl_login_decode(b64, len, a->cr.authcid, sizeof(a->cr.authcid));
	else
		rc = sasl_login_decode(b64, len, a->cr.passwd, sizeof(a->cr.passwd));
	if (rc == 0 && a->mech == MECH_LOGIN && a->cr.authcid[0] == '\0')
		rc = SASL_ESYNTAX;
	/* an answer carrying the password that is over the limits: a failed login */
	if (rc == SASL_ETOOLONG && pass_step)
		return auth_start(s, a, AUTH_PASS_TOOLONG);
	if (rc != 0) {
		s->in_auth = false;
		s->cmd_ctx = NULL;
		auth_ctx_free(a);
		imap_reply(s, "BAD", "%s", sasl_strerror(rc));
		return IMAP_DONE;
	}
	if (a->mech == MECH_LOGIN && a->cr.passwd[0] == '\0') {
		s->in_auth = true;
		s->cmd_ctx = a;
		net_conn_printf(s->c, "+ UGFzc3dvcmQ6\r\n");
		return IMAP_DONE;
	}
	return auth_start(s, a, strlen(a->cr.passwd));
}

IMAP_CMD(authenticate)
{
	enum auth_mech mech = MECH_NONE;
	struct auth_ctx *a;

	if (n >= 1 && imap_arg_atom_is(&args[0], "PLAIN"))
		mech = MECH_PLAIN;
	else if (n >= 1 && imap_arg_atom_is(&args[0], "LOGIN"))
		mech = MECH_LOGIN;
	if (n < 1 || n > 2 || args[0].type != IMAP_ARG_ATOM ||
	    (n == 2 && args[1].type != IMAP_ARG_ATOM)) {
		imap_reply(s, "BAD", "AUTHENTICATE needs a mechanism");
		return IMAP_DONE;
	}
	if (mech == MECH_NONE) {
		imap_reply(s, "NO", "Unsupported authentication mechanism");
		return IMAP_DONE;
	}
	if (plaintext_refused(s))
		return IMAP_DONE;
	a = auth_new(mech);
	if (n == 2)
		return auth_step(s, a, args[1].str, args[1].len);
	s->in_auth = true;
	s->cmd_ctx = a;
	net_conn_printf(s->c, mech == MECH_PLAIN ? "+ \r\n" : "+ VXNlcm5hbWU6\r\n");
	return IMAP_DONE;
}

enum imap_result
imap_cmd_auth_line(struct imap_session *s, const char *line, size_t len)
{
	struct auth_ctx *a = s->cmd_ctx;

	if (len == 1 && line[0] == '*') {
		s->in_auth = false;
		s->cmd_ctx = NULL;
		auth_ctx_free(a);
		imap_reply(s, "BAD", "Authentication cancelled");
		return IMAP_DONE;
	}
	return auth_step(s, a, line, len);
}

void
imap_cmd_auth_abort(struct imap_session *s)
{
	if (s->cmd_ctx != NULL)
		auth_ctx_free(s->cmd_ctx);
	s->cmd_ctx = NULL;
}
