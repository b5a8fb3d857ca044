/*
 * auth.h - checking a user's password, for every protocol that logs in
 * (POP3, IMAP, submission).
 *
 * auth_verify() blocks: it reads the user's hash in a store read
 * transaction and runs yescrypt (tens of ms of CPU). Call it only inside a
 * svc_store_call() job, never on an event loop. It logs the outcome with
 * the session id, the client's address and the user name (never the
 * password) and feeds the per-address failure delay (auth_delay.h); the
 * caller answers a failure after *delay_ms_r.
 *
 * auth_plaintext_allowed() is the policy for mechanisms that send the
 * password in the clear (USER/PASS, LOGIN, PLAIN): only under TLS unless
 * allow_plaintext_auth = yes.
 */
#ifndef DUPLEX_AUTH_H
#define DUPLEX_AUTH_H

#include <stdbool.h>

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

/* the who of one attempt, copied from the connection before the job runs */
struct auth_client {
	const char *session_id;		/* net_conn_id() */
	const char *peer;		/* net_conn_peer() */
	const char *proto;		/* "pop3", "imap", ... */
};

/*
 * auth_verify - whether pass is user's password. On AUTH_OK the normalized
 * address is in addr_r. On AUTH_EFAIL *delay_ms_r is how long to wait
 * before answering (0 otherwise). Unknown users cost as much as known ones.
 */
int auth_verify(struct svc_env *env, const struct auth_client *cl, const char *user,
    const char *pass, char addr_r[STORE_ADDR_MAX + 1], unsigned *delay_ms_r);
/*
 * One login attempt of a line protocol (POP3, submission), filled with
 * copies on the loop and run on the store pool by auth_attempt_run(),
 * which wipes the password. Embed it first in the protocol's job struct.
 */
struct auth_attempt {
	struct svc_env *env;
	const char *proto;		/* a string literal */
	char id[16];
	char peer[64];
	char user[SASL_ID_MAX + 1];
	char pass[PASSWD_MAX + 1];
	/* results */
	int rc;				/* enum auth_result */
	unsigned delay_ms;		/* on AUTH_EFAIL: wait this long to answer */
	char addr[STORE_ADDR_MAX + 1];	/* on AUTH_OK: the normalized address */
};

/* auth_attempt_init - copy who is logging in; pass is cut at PASSWD_MAX */
void auth_attempt_init(struct auth_attempt *a, struct svc_env *env, const char *proto,
    const char *session_id, const char *peer, const char *user, const char *pass, size_t passlen);
/* auth_attempt_run - on a pool thread: auth_verify(), then wipe the password */
void auth_attempt_run(struct auth_attempt *a);
/* auth_plaintext_allowed - may a password be sent in the clear on c? */
bool auth_plaintext_allowed(const struct net_conn *c, const struct conf *conf);

#endif
