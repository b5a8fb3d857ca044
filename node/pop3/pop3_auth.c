/*
 * pop3_auth.c - logging in: USER/PASS (RFC 1939) and AUTH PLAIN/LOGIN
 * (RFC 5034), then taking the maildrop lock and its snapshot.
 *
 * The exchange and the login are auth's front door (auth/auth_front.h);
 * this file frames them ("+ " and +OK/-ERR) and adds the lock and the
 * snapshot to the login job, on a struct pop3_maildrop of its own. A
 * failure (an overlong password included) is answered after the
 * per-address delay from auth_delay.h, from a net timer while the
 * connection stays paused.
 * Plaintext mechanisms are refused without TLS unless allow_plaintext_auth.
 */
#include "pop3/pop3_int.h"

#include <string.h>

#include "auth/auth_front.h"
#include "conf/conf.h"
#include "net/net.h"
#include "svc/svc.h"
#include "util/log.h"

#define POP3_LOGIN_INUSE 1	/* beside enum auth_result: locked by another session */

#define MSG_PLAINTEXT "-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections."
#define MSG_AUTHFAIL "-ERR [AUTH] Authentication failed."
#define MSG_BUSY "-ERR [SYS/TEMP] Too many login attempts in progress, try again later."

/* login_then - on the auth pool after a good password: lock, snapshot */
static void
login_then(struct auth_attempt *a, void *extra)
{
	struct pop3_maildrop *md = extra;
	int rc;

	if (!pop3_lock_acquire(a->addr)) {
		log_info(a->id, "pop3: %s: maildrop in use by another session", a->addr);
		a->rc = POP3_LOGIN_INUSE;
		return;
	}
	if ((rc = pop3_maildrop_load(a->env->st, a->addr, md)) < 0) {
		log_error(a->id, "pop3: %s: cannot read INBOX: %s", a->addr, store_strerror(rc));
		pop3_lock_release(a->addr);
		a->rc = AUTH_ETEMP;
	}
}

/* login_delayed - the failure delay is over: answer and read on */
static void
login_delayed(void *arg)
{
	struct pop3_session *s = arg;

	s->delay = NULL;
	s->busy = false;
	net_conn_write(s->c, MSG_AUTHFAIL "\r\n", sizeof(MSG_AUTHFAIL) + 1);
	net_conn_resume(s->c);
}

/* login_done - back on the loop: enter TRANSACTION, or say why not */
static void
login_done(void *session, const struct auth_attempt *a, void *extra)
{
	struct pop3_session *s = session;
	const struct pop3_maildrop *md = extra;
	uint64_t bytes = 0;

	s->busy = false;
	s->have_user = false;
	switch (a->rc) {
	case AUTH_OK:
		s->md = *md;
		s->locked = true;
		s->state = POP3_ST_TRANS;
		s->bad = 0;
		net_conn_set_idle_timeout(s->c, (unsigned)s->env->conf->pop3_idle_timeout * 1000);
		for (size_t i = 0; i < s->md.n; i++)
			bytes += s->md.msgs[i].size;
		log_info(s->id, "pop3: %s: maildrop has %zu messages, %llu bytes", s->md.addr,
		    s->md.n, (unsigned long long)bytes);
		pop3_reply(s, "+OK Logged in.");
		break;
	case AUTH_EFAIL:
		if (a->delay_ms > 0) {
			s->busy = true;
			net_conn_pause(s->c);
			s->delay = net_timer_add(net_conn_loop(s->c), a->delay_ms, login_delayed, s);
		} else {
			pop3_reply(s, MSG_AUTHFAIL);
		}
		break;
	case POP3_LOGIN_INUSE:
		pop3_reply(s, "-ERR [IN-USE] Mailbox is locked by another POP3 session.");
		break;
	default:
		pop3_reply(s, "-ERR [SYS/TEMP] Temporary authentication failure, try again later.");
		break;
	}
}

static const struct auth_front pop3_front = {
	.proto = "pop3",
	.then = login_then,
	.extra_size = sizeof(struct pop3_maildrop),
	.done = login_done,
};

/* login_waits - a login runs: the session waits for its answer; false: stop reading */
static bool
login_waits(struct pop3_session *s)
{
	s->busy = true;
	return false;
}

/* login_refused - the gate refused the login: say so at once and read on */
static bool
login_refused(struct pop3_session *s)
{
	s->have_user = false;
	pop3_reply(s, MSG_BUSY);
	return true;
}

/* plaintext_ok - the policy, answered for the client when it says no */
static bool
plaintext_ok(struct pop3_session *s)
{
	if (auth_plaintext_allowed(s->c, s->env->conf))
		return true;
	pop3_reply(s, MSG_PLAINTEXT);
	return false;
}

bool
pop3_cmd_user(struct pop3_session *s, const struct pop3_cmd *cmd)
{
	if (s->state != POP3_ST_AUTH)
		return pop3_bad(s, "Command not valid in this state.");
	if (!plaintext_ok(s))
		return true;
	memcpy(s->user, cmd->arg, cmd->arglen);
	s->user[cmd->arglen] = '\0';
	s->have_user = true;
	pop3_reply(s, "+OK");
	return true;
}

bool
pop3_cmd_pass(struct pop3_session *s, const struct pop3_cmd *cmd)
{
	if (s->state != POP3_ST_AUTH)
		return pop3_bad(s, "Command not valid in this state.");
	if (!plaintext_ok(s))
		return true;
	if (!s->have_user)
		return pop3_bad(s, "No username given.");
	if (auth_login(&pop3_front, s->c, s, s->user, cmd->arg, cmd->arglen) == 0)
		return login_waits(s);
	return login_refused(s);
}

/* sasl_answer - frame the front door's answer; false: stop reading */
static bool
sasl_answer(struct pop3_session *s, int rc, const char *challenge)
{
	switch (rc) {
	case AUTH_SASL_MORE:
		s->state = POP3_ST_SASL;
		pop3_reply(s, "+ %s", challenge);
		return true;
	case AUTH_SASL_LOGIN:
		return login_waits(s);
	case AUTH_SASL_BUSY:
		return login_refused(s);
	case AUTH_SASL_CANCEL:
		return pop3_bad(s, "[AUTH] Authentication aborted by client.");
	}
	if (s->sasl.mech == AUTH_MECH_PLAIN)
		log_info(s->id, "pop3: AUTH PLAIN from %s: %s", net_conn_peer(s->c),
		    sasl_strerror(rc));
	return pop3_bad(s, rc == SASL_EAUTHZ ? "[AUTH] Authorization identity not allowed." :
	    "[AUTH] Invalid SASL response.");
}

bool
pop3_cmd_auth(struct pop3_session *s, const struct pop3_cmd *cmd)
{
	bool plain_ok = auth_plaintext_allowed(s->c, s->env->conf);
	const char *challenge = NULL;
	enum auth_mech mech;
	int rc;

	if (s->state != POP3_ST_AUTH)
		return pop3_bad(s, "Command not valid in this state.");
	if (cmd->arg == NULL) {
		/* the mechanism list, as many clients probe it */
		pop3_reply(s, "+OK");
		if (plain_ok)
			pop3_reply(s, "PLAIN\r\nLOGIN");
		pop3_reply(s, ".");
		return true;
	}
	if ((mech = auth_mech_find(cmd->arg, cmd->arglen)) == AUTH_MECH_NONE)
		return pop3_bad(s, "Unsupported authentication mechanism.");
	if (!plaintext_ok(s))
		return true;
	s->have_user = false;
	auth_sasl_init(&s->sasl, &pop3_front, s->c, s);
	rc = auth_sasl_start(&s->sasl, mech, cmd->initial, cmd->initiallen, &challenge);
	return sasl_answer(s, rc, challenge);
}

bool
pop3_sasl_line(struct pop3_session *s, const char *line, size_t len)
{
	const char *challenge = NULL;
	int rc;

	s->state = POP3_ST_AUTH;
	rc = auth_sasl_line(&s->sasl, line, len, &challenge);
	return sasl_answer(s, rc, challenge);
}

void
pop3_auth_shutdown(struct pop3_session *s)
{
	/* a pending failure delay ends now; a login job answers by itself */
	if (s->delay != NULL) {
		net_timer_cancel(&s->delay);
		s->busy = false;
		net_conn_write(s->c, MSG_AUTHFAIL "\r\n", sizeof(MSG_AUTHFAIL) + 1);
		net_conn_resume(s->c);
	}
}
