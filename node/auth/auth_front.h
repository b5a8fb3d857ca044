/*
 * auth_front.h - the one way a protocol session logs a client in, for
 * IMAP, POP3 and submission alike: the SASL PLAIN and LOGIN exchanges,
 * the gate to the auth pool and the password check there.
 *
 * A protocol keeps only its framing. It checks the plaintext policy
 * (auth_plaintext_allowed(), auth.h) and words its refusal, names the
 * mechanism the client asked for (auth_mech_find()), then passes the
 * initial response to auth_sasl_start() and each continuation line to
 * auth_sasl_line(). The answer is one of enum auth_sasl_rc, or a
 * sasl_err below 0 when the response does not decode: the protocol frames
 * the challenge ("+ ", "334 ") or the reply. A password over the limits
 * is never a decoding error: it goes on as a failed login, answered after
 * the delay like a wrong one (auth.h). A command that carries the user
 * and password itself (IMAP LOGIN, POP3 USER/PASS) calls auth_login().
 *
 * The login: auth_login() takes copies of who is logging in (a struct
 * auth_attempt), passes the gate (auth_gate.h) and runs the check on the
 * auth pool with svc_pool_call(); then front->done runs on the
 * connection's loop with the verdict. Past a bound of the gate nothing
 * runs: the refusal is logged and the protocol answers a temporary
 * failure at once. The failure delay (a->delay_ms) is the protocol's to
 * apply, from a net timer, as its shutdown decides.
 *
 * Hazard: net_stop() out of its grace period destroys a paused connection
 * while its login waits on the pool; done never runs then. front->then
 * runs on the pool and must use only the attempt and its extra bytes,
 * never the session or the connection.
 */
#ifndef DUPLEX_AUTH_FRONT_H
#define DUPLEX_AUTH_FRONT_H

#include <stdbool.h>
#include <stddef.h>

#include "auth/auth.h"
#include "auth/sasl.h"

struct net_conn;

enum auth_mech { AUTH_MECH_NONE, AUTH_MECH_PLAIN, AUTH_MECH_LOGIN };

#define AUTH_SASL_PASSWORD "UGFzc3dvcmQ6"	/* LOGIN's second challenge, "Password:" */

enum auth_sasl_rc {
	AUTH_SASL_LOGIN = 0,	/* the credentials are complete: the login runs, done answers */
	AUTH_SASL_MORE = 1,	/* send the challenge (base64, maybe "") and pass the next line */
	AUTH_SASL_BUSY = 2,	/* complete, but the gate refused the login: a temporary failure */
	AUTH_SASL_CANCEL = 3,	/* the client sent "*" */
};

/* what a protocol supplies for its logins; one constant per protocol */
struct auth_front {
	const char *proto;		/* "imap", "pop3", "submission": for logs */
	/*
	 * then - on the auth pool after a good password, NULL for none: the
	 * protocol's own blocking part on copies (a and extra only); it may
	 * set a->rc to a failure, its own codes above AUTH_OK included
	 */
	void (*then)(struct auth_attempt *a, void *extra);
	size_t extra_size;		/* zeroed bytes for then and done; freed after done */
	/* done - on the connection's loop: the verdict in a->rc, a->delay_ms, a->addr */
	void (*done)(void *session, const struct auth_attempt *a, void *extra);
};

/* one SASL exchange of a session; zeroed, then auth_sasl_init() */
struct auth_sasl {
	const struct auth_front *front;
	struct net_conn *c;
	void *session;			/* given to front->done */
	enum auth_mech mech;		/* the mechanism of the last auth_sasl_start() */
	bool more;			/* a challenge was sent: the next line is a response */
	bool have_user;			/* LOGIN: the user name is read */
	char user[SASL_ID_MAX + 1];
};

/* auth_mech_find - PLAIN or LOGIN by name, in any case; AUTH_MECH_NONE for others */
enum auth_mech auth_mech_find(const char *name, size_t len);
/*
 * auth_login - check user's password from c's client: 0 when the login
 * runs (done answers), -1 when the gate refused it (logged; nothing runs).
 * A passlen over PASSWD_MAX (AUTH_PASS_TOOLONG) is a failed login; pass
 * is then not read and may be NULL.
 */
int auth_login(const struct auth_front *front, struct net_conn *c, void *session,
    const char *user, const char *pass, size_t passlen);
/* auth_sasl_init - bind x to the protocol, the connection and the session */
void auth_sasl_init(struct auth_sasl *x, const struct auth_front *front, struct net_conn *c,
    void *session);
/*
 * auth_sasl_start - begin mech with the initial response ir (NULL when
 * none; "=" is an empty one): AUTH_SASL_MORE with the challenge in
 * *challenge_r (a constant), AUTH_SASL_LOGIN, AUTH_SASL_BUSY, or a sasl_err
 */
int auth_sasl_start(struct auth_sasl *x, enum auth_mech mech, const char *ir, size_t irlen,
    const char **challenge_r);
/* auth_sasl_line - a continuation line, as auth_sasl_start(); "*" is AUTH_SASL_CANCEL */
int auth_sasl_line(struct auth_sasl *x, const char *line, size_t len, const char **challenge_r);

#endif
