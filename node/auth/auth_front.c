/*
 * auth_front.c - the login front door: the SASL steps and the login job;
 * see auth_front.h.
 *
 * A password read from the client lives only on the stack of the step
 * that decoded it, then in the job's struct auth_attempt until the check
 * wipes it. An exchange keeps only LOGIN's user name, wiped when it ends.
 */
#include "auth/auth_front.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth/auth_gate.h"
#include "net/net.h"
#include "svc/svc.h"
#include "util/log.h"
#include "util/xalloc.h"

#define CHALLENGE_USER "VXNlcm5hbWU6"	/* LOGIN's first challenge, "Username:" */

/* one login in flight; the connection's loop and the pool take turns with it */
struct login_job {
	const struct auth_front *front;
	void *session;			/* for done only, back on the loop */
	struct auth_gate *gate;		/* left on the pool once the check is done */
	void *extra;			/* front->extra_size bytes, or NULL */
	struct auth_attempt a;
};

/* login_run - on the auth pool: the check, the protocol's part, then leave the gate */
static void
login_run(void *arg)
{
	struct login_job *j = arg;

	auth_attempt_run(&j->a);
	if (j->a.rc == AUTH_OK && j->front->then != NULL)
		j->front->then(&j->a, j->extra);
	auth_gate_leave(j->gate, j->a.peer);
}

/* login_done - back on the loop: the protocol answers, then the job is freed */
static void
login_done(void *arg)
{
	struct login_job *j = arg;

	j->front->done(j->session, &j->a, j->extra);
	free(j->extra);
	free(j);
}

enum auth_mech
auth_mech_find(const char *name, size_t len)
{
	if (len == 5 && strncasecmp(name, "PLAIN", 5) == 0)
		return AUTH_MECH_PLAIN;
	if (len == 5 && strncasecmp(name, "LOGIN", 5) == 0)
		return AUTH_MECH_LOGIN;
	return AUTH_MECH_NONE;
}

int
auth_login(const struct auth_front *front, struct net_conn *c, void *session,
    const char *user, const char *pass, size_t passlen)
{
	struct svc_env *env = net_conn_listener_arg(c);
	const char *peer = net_conn_peer(c);
	struct login_job *j;
	int rc;

	if ((rc = auth_gate_enter(env->auth_gate, peer)) < 0) {
		log_warn(net_conn_id(c), "login attempt from %s refused: %s", peer,
		    auth_gate_strerror(rc));
		return -1;
	}
	j = xcalloc(1, sizeof(*j));
	j->front = front;
	j->session = session;
	j->gate = env->auth_gate;
	j->extra = front->extra_size > 0 ? xcalloc(1, front->extra_size) : NULL;
	auth_attempt_init(&j->a, env, front->proto, net_conn_id(c), peer, user, pass, passlen);
	svc_pool_call(c, env->auth_pool, login_run, login_done, j);
	return 0;
}

void
auth_sasl_init(struct auth_sasl *x, const struct auth_front *front, struct net_conn *c,
    void *session)
{
	memset(x, 0, sizeof(*x));
	x->front = front;
	x->c = c;
	x->session = session;
}

/* sasl_end - the exchange is over: forget the user name */
static void
sasl_end(struct auth_sasl *x)
{
	x->more = false;
	x->have_user = false;
	explicit_bzero(x->user, sizeof(x->user));
}

/* sasl_login_as - the credentials are complete: AUTH_SASL_LOGIN, or AUTH_SASL_BUSY */
static int
sasl_login_as(struct auth_sasl *x, const char *user, const char *pass, size_t passlen)
{
	return auth_login(x->front, x->c, x->session, user, pass, passlen) == 0 ?
	    AUTH_SASL_LOGIN : AUTH_SASL_BUSY;
}

/* sasl_plain - the PLAIN message: log in, or why not */
static int
sasl_plain(struct auth_sasl *x, const char *b64, size_t len)
{
	struct sasl_creds cr;
	int rc;

	/* over the limits: a failed login, answered after the delay */
	if ((rc = sasl_plain_decode(b64, len, &cr)) == SASL_ETOOLONG)
		return sasl_login_as(x, "", NULL, AUTH_PASS_TOOLONG);
	if (rc < 0)
		return rc;
	rc = sasl_login_as(x, cr.authcid, cr.passwd, strlen(cr.passwd));
	sasl_creds_clear(&cr);
	return rc;
}

/* sasl_user - LOGIN's user name, never empty: then ask for the password */
static int
sasl_user(struct auth_sasl *x, const char *b64, size_t len, const char **challenge_r)
{
	int rc = sasl_login_decode(b64, len, x->user, sizeof(x->user));

	if (rc == 0 && x->user[0] == '\0')
		rc = SASL_ESYNTAX;
	if (rc < 0)
		return rc;
	x->have_user = true;
	*challenge_r = AUTH_SASL_PASSWORD;
	return AUTH_SASL_MORE;
}

/* sasl_pass - LOGIN's password: log in, or why not */
static int
sasl_pass(struct auth_sasl *x, const char *b64, size_t len)
{
	char pass[PASSWD_MAX + 1];
	int rc;

	/* over the limits: a failed login, answered after the delay */
	if ((rc = sasl_login_decode(b64, len, pass, sizeof(pass))) == SASL_ETOOLONG)
		return sasl_login_as(x, x->user, NULL, AUTH_PASS_TOOLONG);
	if (rc < 0)
		return rc;
	rc = sasl_login_as(x, x->user, pass, strlen(pass));
	explicit_bzero(pass, sizeof(pass));
	return rc;
}

/* sasl_response - one response of the client; "=" is an empty one */
static int
sasl_response(struct auth_sasl *x, const char *b64, size_t len, const char **challenge_r)
{
	int rc;

	if (len == 1 && b64[0] == '=')
		len = 0;
	if (x->mech == AUTH_MECH_PLAIN)
		rc = sasl_plain(x, b64, len);
	else if (!x->have_user)
		rc = sasl_user(x, b64, len, challenge_r);
	else
		rc = sasl_pass(x, b64, len);
	if (rc == AUTH_SASL_MORE)
		x->more = true;
	else
		sasl_end(x);
	return rc;
}

int
auth_sasl_start(struct auth_sasl *x, enum auth_mech mech, const char *ir, size_t irlen,
    const char **challenge_r)
{
	sasl_end(x);
	x->mech = mech;
	if (ir != NULL)
		return sasl_response(x, ir, irlen, challenge_r);
	x->more = true;
	*challenge_r = mech == AUTH_MECH_PLAIN ? "" : CHALLENGE_USER;
	return AUTH_SASL_MORE;
}

int
auth_sasl_line(struct auth_sasl *x, const char *line, size_t len, const char **challenge_r)
{
	if (len == 1 && line[0] == '*') {
		sasl_end(x);
		return AUTH_SASL_CANCEL;
	}
	return sasl_response(x, line, len, challenge_r);
}
