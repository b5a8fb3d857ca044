/*
 * managesieve_auth.c - logging in and out: STARTTLS, AUTHENTICATE PLAIN
 * and LOGIN (RFC 5804 2.1, 2.2), UNAUTHENTICATE (2.14).
 *
 * The exchange and the login are auth's front door (auth/auth_front.h),
 * as for IMAP and POP3: the same policy (plaintext mechanisms only under
 * TLS unless allow_plaintext_auth), the same gate, logs and per-address
 * failure delay, applied from a net timer while the connection stays
 * paused. This file frames them: challenges go out as quoted strings,
 * responses come back as strings (quoted or literal), "*" cancels.
 */
#include "managesieve/managesieve_int.h"

#include <string.h>

#include "auth/auth_front.h"
#include "conf/conf.h"
#include "net/net.h"
#include "svc/svc.h"
#include "util/log.h"

#define MSG_AUTHFAIL "Authentication failed."

/* login_delayed - the failure delay is over: answer and read on */
static void
login_delayed(void *arg)
{
	struct ms_session *s = arg;

	s->delay = NULL;
	s->busy = false;
	ms_reply(s, "NO", NULL, MSG_AUTHFAIL);
	net_conn_resume(s->c);
}

/* login_done - back on the loop: logged in, or say why not */
static void
login_done(void *session, const struct auth_attempt *a, void *extra)
{
	struct ms_session *s = session;

	(void)extra;
	s->busy = false;
	switch (a->rc) {
	case AUTH_OK:
		snprintf(s->user, sizeof(s->user), "%s", a->addr);
		s->state = MS_ST_AUTH;
		s->bad = 0;
		net_conn_set_idle_timeout(s->c,
		    (unsigned)s->env->conf->managesieve_idle_timeout * 1000);
		ms_reply(s, "OK", NULL, "Logged in.");
		break;
	case AUTH_EFAIL:
		if (a->delay_ms > 0) {
			s->busy = true;
			net_conn_pause(s->c);
			s->delay = net_timer_add(net_conn_loop(s->c), a->delay_ms, login_delayed, s);
		} else {
			ms_reply(s, "NO", NULL, MSG_AUTHFAIL);
		}
		break;
	default:
		ms_reply(s, "NO", "TRYLATER", "Temporary authentication failure, try again later.");
		break;
	}
}

static const struct auth_front ms_front = {
	.proto = "managesieve",
	.done = login_done,
};

/* sasl_answer - frame the front door's answer; false: stop reading */
static bool
sasl_answer(struct ms_session *s, int rc, const char *challenge)
{
	struct buf b = BUF_INIT;

	s->state = MS_ST_ANON;
	switch (rc) {
	case AUTH_SASL_MORE:
		s->state = MS_ST_SASL;
		ms_quote(&b, challenge);
		buf_puts(&b, "\r\n");
		net_conn_write(s->c, b.data, b.len);
		buf_free(&b);
		return true;
	case AUTH_SASL_LOGIN:
		s->busy = true;
		return false;
	case AUTH_SASL_BUSY:
		ms_reply(s, "NO", "TRYLATER", "Too many login attempts in progress, try again later.");
		return true;
	case AUTH_SASL_CANCEL:
		return ms_bad(s, "Authentication aborted by client.");
	}
	log_info(s->id, "managesieve: AUTHENTICATE from %s: %s", net_conn_peer(s->c),
	    sasl_strerror(rc));
	return ms_bad(s, sasl_strerror(rc));	/* a response that does not decode */
}

bool
ms_cmd_authenticate(struct ms_session *s, const struct ms_cmd *cmd)
{
	const char *challenge = NULL, *ir = NULL;
	enum auth_mech mech;
	size_t irlen = 0;
	int rc;

	if (s->state != MS_ST_ANON)
		return ms_bad(s, "Already logged in.");
	if ((mech = auth_mech_find(cmd->arg[0].s, cmd->arg[0].len)) == AUTH_MECH_NONE)
		return ms_bad(s, "Unsupported authentication mechanism.");
	if (!auth_plaintext_allowed(s->c, s->env->conf)) {
		ms_reply(s, "NO", "ENCRYPT-NEEDED",
		    "Plaintext authentication disallowed on non-secure (SSL/TLS) connections.");
		return true;
	}
	if (cmd->nargs > 1) {
		ir = cmd->arg[1].len > 0 ? cmd->arg[1].s : "=";	/* "=": an empty response */
		irlen = cmd->arg[1].len > 0 ? cmd->arg[1].len : 1;
	}
	auth_sasl_init(&s->sasl, &ms_front, s->c, s);
	rc = auth_sasl_start(&s->sasl, mech, ir, irlen, &challenge);
	return sasl_answer(s, rc, challenge);
}

bool
ms_sasl_response(struct ms_session *s, char *text, size_t len)
{
	const char *challenge = NULL;
	struct ms_arg a;
	int rc;

	if (ms_parse_string(text, len, &a) != 0) {
		s->state = MS_ST_ANON;
		return ms_bad(s, "Invalid SASL response.");
	}
	rc = auth_sasl_line(&s->sasl, a.s, a.len, &challenge);
	return sasl_answer(s, rc, challenge);
}

bool
ms_cmd_starttls(struct ms_session *s)
{
	if (s->state != MS_ST_ANON)
		return ms_bad(s, "STARTTLS is only allowed before logging in.");
	if (net_conn_is_tls(s->c))
		return ms_bad(s, "TLS is already active.");
	if (!net_conn_can_starttls(s->c))
		return ms_bad(s, "TLS support isn't enabled.");
	ms_reply(s, "OK", NULL, "Begin TLS negotiation now.");
	net_conn_starttls(s->c);
	return false;
}

bool
ms_cmd_unauthenticate(struct ms_session *s)
{
	if (s->state != MS_ST_AUTH)
		return ms_bad(s, "Not logged in.");
	log_info(s->id, "managesieve: %s logged out (UNAUTHENTICATE)", s->user);
	s->user[0] = '\0';
	s->state = MS_ST_ANON;
	net_conn_set_idle_timeout(s->c, (unsigned)s->env->conf->managesieve_login_timeout * 1000);
	ms_reply(s, "OK", NULL, "Unauthenticate completed.");
	return true;
}

void
ms_auth_shutdown(struct ms_session *s)
{
	/* a pending failure delay ends now; a login or store job answers by itself */
	if (s->delay != NULL) {
		net_timer_cancel(&s->delay);
		s->busy = false;
		ms_reply(s, "NO", NULL, MSG_AUTHFAIL);
		net_conn_resume(s->c);
	}
}
