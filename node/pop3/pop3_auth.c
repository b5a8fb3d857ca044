/*
 * pop3_auth.c - logging in: USER/PASS (RFC 1939) and AUTH PLAIN/LOGIN
 * (RFC 5034), then taking the maildrop lock and its snapshot.
 *
 * Verification (yescrypt) and the snapshot run in one svc_auth_call() job
 * with a struct pop3_login of copies; the password is wiped as soon as the
 * job is done with it. A failure (an overlong password included) is
 * answered after the per-address delay from auth_delay.h, from a net timer
 * while the connection stays paused.
 * Plaintext mechanisms are refused without TLS unless allow_plaintext_auth.
 */
#include "pop3/pop3_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth/auth.h"
#include "conf/conf.h"
#include "net/net.h"
#include "svc/svc.h"
#include "util/log.h"
#include "util/xalloc.h"

#define POP3_LOGIN_INUSE 1	/* beside enum auth_result: locked by another session */

#define MSG_PLAINTEXT "-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections."
#define MSG_AUTHFAIL "-ERR [AUTH] Authentication failed."
#define MSG_BUSY "-ERR [SYS/TEMP] Too many login attempts in progress, try again later."

struct pop3_login {
	struct auth_attempt a;
	struct pop3_session *s;		/* for done only */
	struct pop3_maildrop md;	/* on AUTH_OK */
};

/* login_job - on a pool thread: verify, lock, snapshot */
static void
login_job(void *arg)
{
	struct pop3_login *l = arg;
	int rc;

	auth_attempt_run(&l->a);
	if (l->a.rc != AUTH_OK)
		return;
	if (!pop3_lock_acquire(l->a.addr)) {
		log_info(l->a.id, "pop3: %s: maildrop in use by another session", l->a.addr);
		l->a.rc = POP3_LOGIN_INUSE;
		return;
	}
	if ((rc = pop3_maildrop_load(l->a.env->st, l->a.addr, &l->md)) < 0) {
		log_error(l->a.id, "pop3: %s: cannot read INBOX: %s", l->a.addr, store_strerror(rc));
		pop3_lock_release(l->a.addr);
		l->a.rc = AUTH_ETEMP;
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
login_done(void *arg)
{
	struct pop3_login *l = arg;
	struct pop3_session *s = l->s;
	uint64_t bytes = 0;

	s->busy = false;
	s->have_user = false;
	switch (l->a.rc) {
	case AUTH_OK:
		s->md = l->md;
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
		if (l->a.delay_ms > 0) {
			s->busy = true;
			net_conn_pause(s->c);
			s->delay = net_timer_add(net_conn_loop(s->c), l->a.delay_ms, login_delayed, s);
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
	free(l);
}

/*
 * login_start - hand user and password to the job; the conn pauses
 * meanwhile. passlen is AUTH_PASS_TOOLONG when the decoder refused it.
 * Returns whether the session may read on now (the gate refused).
 */
static bool
login_start(struct pop3_session *s, const char *user, const char *pass, size_t passlen)
{
	struct pop3_login *l = xcalloc(1, sizeof(*l));

	l->s = s;
	auth_attempt_init(&l->a, s->env, "pop3", s->id, net_conn_peer(s->c), user, pass, passlen);
	s->busy = true;
	if (svc_auth_call(s->c, login_job, login_done, l) == 0)
		return false;
	s->busy = false;
	s->have_user = false;
	explicit_bzero(l, sizeof(*l));
	free(l);
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
	return login_start(s, s->user, cmd->arg, cmd->arglen);
}

/* sasl_plain - a PLAIN response (initial or continued) */
static bool
sasl_plain(struct pop3_session *s, const char *b64, size_t len)
{
	struct sasl_creds cr;
	bool more;
	int rc;

	/* over the limits: a failed login, answered after the delay */
	if ((rc = sasl_plain_decode(b64, len, &cr)) == SASL_ETOOLONG)
		return login_start(s, "", NULL, AUTH_PASS_TOOLONG);
	if (rc < 0) {
		log_info(s->id, "pop3: AUTH PLAIN from %s: %s", net_conn_peer(s->c),
		    sasl_strerror(rc));
		return pop3_bad(s, rc == SASL_EAUTHZ ? "[AUTH] Authorization identity not allowed." :
		    "[AUTH] Invalid SASL response.");
	}
	more = login_start(s, cr.authcid, cr.passwd, strlen(cr.passwd));
	sasl_creds_clear(&cr);
	return more;
}

/* sasl_login - a LOGIN answer: the user name, then the password */
static bool
sasl_login(struct pop3_session *s, const char *b64, size_t len)
{
	char pass[PASSWD_MAX + 1];
	bool more;
	int rc;

	if (s->sasl == POP3_SASL_LOGIN_USER) {
		if (sasl_login_decode(b64, len, s->user, sizeof(s->user)) < 0 || s->user[0] == '\0')
			return pop3_bad(s, "[AUTH] Invalid SASL response.");
		s->sasl = POP3_SASL_LOGIN_PASS;
		s->state = POP3_ST_SASL;
		pop3_reply(s, "+ UGFzc3dvcmQ6");
		return true;
	}
	if ((rc = sasl_login_decode(b64, len, pass, sizeof(pass))) == SASL_ETOOLONG)
		return login_start(s, s->user, NULL, AUTH_PASS_TOOLONG);
	if (rc < 0)
		return pop3_bad(s, "[AUTH] Invalid SASL response.");
	more = login_start(s, s->user, pass, strlen(pass));
	explicit_bzero(pass, sizeof(pass));
	return more;
}

/* sasl_response - one response, initial or continued; "=" is an empty one */
static bool
sasl_response(struct pop3_session *s, const char *b64, size_t len)
{
	if (len == 1 && b64[0] == '=')
		len = 0;
	if (s->sasl == POP3_SASL_PLAIN)
		return sasl_plain(s, b64, len);
	return sasl_login(s, b64, len);
}

bool
pop3_cmd_auth(struct pop3_session *s, const struct pop3_cmd *cmd)
{
	bool plain_ok = auth_plaintext_allowed(s->c, s->env->conf);

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
	if (cmd->arglen == 5 && strncasecmp(cmd->arg, "PLAIN", 5) == 0)
		s->sasl = POP3_SASL_PLAIN;
	else if (cmd->arglen == 5 && strncasecmp(cmd->arg, "LOGIN", 5) == 0)
		s->sasl = POP3_SASL_LOGIN_USER;
	else
		return pop3_bad(s, "Unsupported authentication mechanism.");
	if (!plaintext_ok(s))
		return true;
	s->have_user = false;
	if (cmd->initial != NULL) {
		s->state = POP3_ST_AUTH;
		return sasl_response(s, cmd->initial, cmd->initiallen);
	}
	s->state = POP3_ST_SASL;
	pop3_reply(s, s->sasl == POP3_SASL_PLAIN ? "+ " : "+ VXNlcm5hbWU6");
	return true;
}

bool
pop3_sasl_line(struct pop3_session *s, const char *line, size_t len)
{
	s->state = POP3_ST_AUTH;
	if (len == 1 && line[0] == '*')
		return pop3_bad(s, "[AUTH] Authentication aborted by client.");
	return sasl_response(s, line, len);
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
