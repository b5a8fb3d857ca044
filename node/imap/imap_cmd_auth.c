/*
 * imap_cmd_auth.c - getting into the authenticated state: STARTTLS, LOGIN
 * and AUTHENTICATE PLAIN / LOGIN with SASL-IR (RFC 4959).
 *
 * The exchange and the login are auth's front door (auth/auth_front.h);
 * this file frames them: "+ " continuations and tagged replies. The login
 * job works on copies, never on the session or the connection, which a
 * shutdown may free meanwhile. A failure (an overlong password included)
 * is answered after the per-address delay from auth_delay, from a net
 * timer while the session stays busy. Without TLS, password mechanisms
 * are refused unless allow_plaintext_auth = yes (LOGINDISABLED is then
 * advertised).
 */
#include <stdlib.h>
#include <string.h>

#include "auth/auth_front.h"
#include "imap/imap_cmd.h"
#include "net/net.h"
#include "svc/svc.h"
#include "util/xalloc.h"

#define MSG_BUSY "[UNAVAILABLE] Too many login attempts in progress, try again later"

/* auth_fail_timer - the delay is over: say no */
static void
auth_fail_timer(void *arg)
{
	struct imap_session *s = arg;

	s->timer = NULL;
	imap_reply(s, "NO", "[AUTHENTICATIONFAILED] Authentication failed");
	imap_finish(s);
}

/* login_done - back on the loop with the verdict */
static void
login_done(void *session, const struct auth_attempt *a, void *extra)
{
	struct imap_session *s = session;
	struct buf b = BUF_INIT;

	if (a->rc == AUTH_ETEMP) {
		imap_reply(s, "NO", "[UNAVAILABLE] Temporary failure, try again later");
		imap_finish(s);
		return;
	}
	if (a->rc != AUTH_OK) {
		s->timer = net_timer_add(net_conn_loop(s->c), a->delay_ms ? a->delay_ms : 1,
		    auth_fail_timer, s);
		return;
	}
	strcpy(s->user, a->addr);
	imap_logged_in(s);
	imap_capabilities(s, &b);
	imap_reply(s, "OK", "[%s] Logged in", buf_cstr(&b));
	buf_free(&b);
	imap_finish(s);
}

static const struct auth_front imap_front = { .proto = "imap", .done = login_done };

/* sasl_free - the exchange is over: drop its state */
static void
sasl_free(struct imap_session *s)
{
	s->in_auth = false;
	if (s->cmd_ctx != NULL) {
		explicit_bzero(s->cmd_ctx, sizeof(struct auth_sasl));
		free(s->cmd_ctx);
	}
	s->cmd_ctx = NULL;
}

/* sasl_answer - frame the front door's answer to a response */
static enum imap_result
sasl_answer(struct imap_session *s, int rc, const char *challenge)
{
	if (rc == AUTH_SASL_MORE) {
		s->in_auth = true;
		net_conn_printf(s->c, "+ %s\r\n", challenge);
		return IMAP_DONE;
	}
	sasl_free(s);
	switch (rc) {
	case AUTH_SASL_LOGIN:
		return IMAP_WAIT;
	case AUTH_SASL_BUSY:
		imap_reply(s, "NO", MSG_BUSY);
		return IMAP_DONE;
	case AUTH_SASL_CANCEL:
		imap_reply(s, "BAD", "Authentication cancelled");
		return IMAP_DONE;
	}
	imap_reply(s, "BAD", "%s", sasl_strerror(rc));
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
	/* a password over PASSWD_MAX is a failed login, answered after the delay */
	if (auth_login(&imap_front, s->c, s, user, pass, args[1].len) == 0)
		return IMAP_WAIT;
	imap_reply(s, "NO", MSG_BUSY);
	return IMAP_DONE;
}

IMAP_CMD(authenticate)
{
	enum auth_mech mech;
	const char *challenge = NULL;
	int rc;

	if (n < 1 || n > 2 || args[0].type != IMAP_ARG_ATOM ||
	    (n == 2 && args[1].type != IMAP_ARG_ATOM)) {
		imap_reply(s, "BAD", "AUTHENTICATE needs a mechanism");
		return IMAP_DONE;
	}
	if ((mech = auth_mech_find(args[0].str, args[0].len)) == AUTH_MECH_NONE) {
		imap_reply(s, "NO", "Unsupported authentication mechanism");
		return IMAP_DONE;
	}
	if (plaintext_refused(s))
		return IMAP_DONE;
	s->cmd_ctx = xmalloc(sizeof(struct auth_sasl));
	auth_sasl_init(s->cmd_ctx, &imap_front, s->c, s);
	rc = auth_sasl_start(s->cmd_ctx, mech, n == 2 ? args[1].str : NULL, n == 2 ? args[1].len : 0,
	    &challenge);
	return sasl_answer(s, rc, challenge);
}

/* empty_answer - whether a response decodes to nothing */
static bool
empty_answer(const char *line, size_t len)
{
	return len == 0 || (len == 1 && line[0] == '=');
}

enum imap_result
imap_cmd_auth_line(struct imap_session *s, const char *line, size_t len)
{
	struct auth_sasl *x = s->cmd_ctx;
	const char *challenge = NULL;
	int rc;

	/* an empty LOGIN password is asked for again */
	if (x->mech == AUTH_MECH_LOGIN && x->have_user && empty_answer(line, len)) {
		net_conn_printf(s->c, "+ %s\r\n", AUTH_SASL_PASSWORD);
		return IMAP_DONE;
	}
	rc = auth_sasl_line(x, line, len, &challenge);
	return sasl_answer(s, rc, challenge);
}

void
imap_cmd_auth_abort(struct imap_session *s)
{
	sasl_free(s);
}
