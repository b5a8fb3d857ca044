/*
 * auth.h - checking a user's password, for every protocol that logs in
 * (POP3, IMAP, submission).
 *
 * A login attempt is a struct auth_attempt of copies, filled on the loop
 * by auth_attempt_init() and run by auth_attempt_run() in the login job
 * of auth_front.h, never on an event loop: it reads the user's hash in
 * a store read transaction and runs yescrypt (tens of ms of CPU). It logs
 * the outcome with the session id, the client's address and the user name
 * (never the password) and feeds the per-address failure delay
 * (auth_delay.h); the caller answers a failure after a->delay_ms.
 *
 * A password over PASSWD_MAX bytes is never cut to fit: it is refused as
 * a failed login, counted and answered after the same delay as a wrong one.
 *
 * auth_plaintext_allowed() is the policy for mechanisms that send the
 * password in the clear (USER/PASS, LOGIN, PLAIN): only under TLS unless
 * allow_plaintext_auth = yes.
 */
#ifndef DUPLEX_AUTH_H
#define DUPLEX_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#include "auth/sasl.h"
#include "store/store.h"

struct conf;
struct net_conn;
struct svc_env;

enum auth_result {
	AUTH_OK = 0,
	AUTH_EFAIL = -1,	/* unknown user, wrong password, login disabled */
	AUTH_ETEMP = -2,	/* the store failed; try again later */
};

/* a passlen for auth_attempt_init() when the decoder already found the password too long */
#define AUTH_PASS_TOOLONG (PASSWD_MAX + 1)

/*
 * One login attempt, filled with copies on the loop and run on the auth
 * pool by auth_attempt_run(), which wipes the password. It holds nothing
 * of the connection, which may be gone when the job runs (svc.h). The
 * login job of auth_front.h holds it; the protocol sees it in then and done.
 */
struct auth_attempt {
	struct svc_env *env;
	const char *proto;		/* a string literal */
	char id[16];
	char peer[64];
	char user[SASL_ID_MAX + 1];
	char pass[PASSWD_MAX + 1];
	bool pass_too_long;		/* over PASSWD_MAX: refused, never checked */
	/* results */
	int rc;				/* enum auth_result */
	unsigned delay_ms;		/* on AUTH_EFAIL: wait this long to answer */
	char addr[STORE_ADDR_MAX + 1];	/* on AUTH_OK: the normalized address */
};

/*
 * auth_attempt_init - copy who is logging in. A passlen over PASSWD_MAX
 * (AUTH_PASS_TOOLONG when the decoder refused it) marks the attempt as
 * refused; pass is then not read and may be NULL.
 */
void auth_attempt_init(struct auth_attempt *a, struct svc_env *env, const char *proto,
    const char *session_id, const char *peer, const char *user, const char *pass, size_t passlen);
/*
 * auth_attempt_run - on the auth pool: check the password and set rc,
 * delay_ms and addr; the password is wiped. Unknown users cost as much as
 * known ones.
 */
void auth_attempt_run(struct auth_attempt *a);
/* auth_plaintext_allowed - may a password be sent in the clear on c? */
bool auth_plaintext_allowed(const struct net_conn *c, const struct conf *conf);

#endif
