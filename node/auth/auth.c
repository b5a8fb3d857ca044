/*
 * auth.c - password verification against the store; see auth.h.
 *
 * The hash is copied out of the read transaction, which is ended before
 * yescrypt runs, so no reader slot is held for the expensive part.
 */
#include "auth/auth.h"

#include <stdio.h>
#include <string.h>

#include "auth/auth_delay.h"
#include "auth/passwd.h"
#include "conf/conf.h"
#include "net/net.h"
#include "svc/svc.h"
#include "util/log.h"

/* safe_user - the user name fit for a log line: printable, bounded */
static void
safe_user(const char *user, char out[80])
{
	size_t i;

	for (i = 0; user[i] != '\0' && i < 79; i++)
		out[i] = (user[i] > 0x20 && user[i] < 0x7f) ? user[i] : '?';
	out[i] = '\0';
}

int
auth_verify(struct svc_env *env, const struct auth_client *cl, const char *user,
    const char *pass, char addr_r[STORE_ADDR_MAX + 1], unsigned *delay_ms_r)
{
	char hash[PASSWD_HASH_MAX], shown[80];
	const char *h = NULL;
	struct store_rtxn *r;
	bool known = false, ok;
	int rc;

	*delay_ms_r = 0;
	addr_r[0] = '\0';
	hash[0] = '\0';
	safe_user(user, shown);
	if (store_addr_normalize(user, addr_r) == 0) {
		if ((rc = store_rtxn_begin(env->st, &r)) < 0) {
			log_error(cl->session_id, "%s: login of %s from %s: store: %s", cl->proto,
			    shown, cl->peer, store_strerror(rc));
			return AUTH_ETEMP;
		}
		rc = store_user_password_hash(r, addr_r, &h);
		if (rc == 0 && strlen(h) < sizeof(hash)) {
			strcpy(hash, h);
			known = true;
		}
		store_rtxn_end(&r);
		if (rc < 0 && rc != STORE_ENOTFOUND) {
			log_error(cl->session_id, "%s: login of %s from %s: store: %s", cl->proto,
			    shown, cl->peer, store_strerror(rc));
			return AUTH_ETEMP;
		}
	}
	/* an unknown user is checked against a dummy hash: the same cost */
	ok = passwd_verify(pass, known ? hash : NULL) && known;
	explicit_bzero(hash, sizeof(hash));
	if (ok) {
		auth_delay_ok(auth_delay_global(), cl->peer);
		log_info(cl->session_id, "%s: login %s from %s", cl->proto, addr_r, cl->peer);
		return AUTH_OK;
	}
	*delay_ms_r = auth_delay_fail(auth_delay_global(), cl->peer, auth_delay_now_ms());
	log_warn(cl->session_id, "%s: authentication failed for %s from %s (%s); answering in %u ms",
	    cl->proto, shown, cl->peer, known ? "wrong password" : "unknown user", *delay_ms_r);
	addr_r[0] = '\0';
	return AUTH_EFAIL;
}

void
auth_attempt_init(struct auth_attempt *a, struct svc_env *env, const char *proto,
    const char *session_id, const char *peer, const char *user, const char *pass, size_t passlen)
{
	a->env = env;
	a->proto = proto;
	snprintf(a->id, sizeof(a->id), "%s", session_id);
	snprintf(a->peer, sizeof(a->peer), "%s", peer);
	snprintf(a->user, sizeof(a->user), "%s", user);
	if (passlen > PASSWD_MAX)
		passlen = PASSWD_MAX;
	memcpy(a->pass, pass, passlen);
	a->pass[passlen] = '\0';
}

void
auth_attempt_run(struct auth_attempt *a)
{
	struct auth_client cl = { a->id, a->peer, a->proto };

	a->rc = auth_verify(a->env, &cl, a->user, a->pass, a->addr, &a->delay_ms);
	explicit_bzero(a->pass, sizeof(a->pass));
}

bool
auth_plaintext_allowed(const struct net_conn *c, const struct conf *conf)
{
	return net_conn_is_tls(c) || conf->allow_plaintext_auth;
}
