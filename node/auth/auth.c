/*
 * auth.c - password verification against the store; see auth.h.
 *
 * The hash is copied out of the read transaction, which is ended before
 * yescrypt runs, so no reader slot is held for the expensive part.
 * Failures are counted per (address, account), the account normalized
 * when it can be, so that a success clears exactly what it proves.
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
#include "util/mono.h"

/* safe_user - the user name fit for a log line: printable, bounded */
static void
safe_user(const char *user, char out[80])
{
	size_t i;

	for (i = 0; user[i] != '\0' && i < 79; i++)
		out[i] = (user[i] > 0x20 && user[i] < 0x7f) ? user[i] : '?';
	out[i] = '\0';
}

/* attempt_failed - count the failure at account, log why, set the delay */
static int
attempt_failed(struct auth_attempt *a, const char *account, const char *shown, const char *why)
{
	a->delay_ms = auth_delay_fail(auth_delay_global(), a->peer, account, mono_ms());
	log_warn(a->id, "%s: authentication failed for %s from %s (%s); answering in %u ms",
	    a->proto, shown, a->peer, why, a->delay_ms);
	a->addr[0] = '\0';
	return AUTH_EFAIL;
}

/* hash_copy - a->addr's hash into hash (*known_r) or none; AUTH_ETEMP when the store fails */
static int
hash_copy(struct auth_attempt *a, const char *shown, char hash[PASSWD_HASH_MAX], bool *known_r)
{
	const char *h = NULL;
	struct store_rtxn *r;
	int rc;

	*known_r = false;
	if ((rc = store_rtxn_begin(a->env->st, &r)) == 0) {
		rc = store_user_password_hash(r, a->addr, &h);
		if (rc == 0 && strlen(h) < PASSWD_HASH_MAX) {
			strcpy(hash, h);
			*known_r = true;
		}
		store_rtxn_end(&r);
	}
	if (rc < 0 && rc != STORE_ENOTFOUND) {
		log_error(a->id, "%s: login of %s from %s: store: %s", a->proto, shown, a->peer,
		    store_strerror(rc));
		return AUTH_ETEMP;
	}
	return 0;
}

/* attempt_verify - the verdict on a; see auth_attempt_run() */
static int
attempt_verify(struct auth_attempt *a)
{
	char hash[PASSWD_HASH_MAX], shown[80];
	bool normalized, known = false, ok;

	hash[0] = '\0';
	safe_user(a->user, shown);
	/* failures are counted at the account as it will succeed: normalized */
	normalized = store_addr_normalize(a->user, a->addr) == 0;
	if (!normalized)
		a->addr[0] = '\0';
	if (a->pass_too_long)
		return attempt_failed(a, normalized ? a->addr : a->user, shown, "password too long");
	if (normalized && hash_copy(a, shown, hash, &known) < 0) {
		a->addr[0] = '\0';
		return AUTH_ETEMP;
	}
	/* an unknown user is checked against a dummy hash: the same cost */
	ok = passwd_verify(a->pass, known ? hash : NULL) && known;
	explicit_bzero(hash, sizeof(hash));
	if (!ok)
		return attempt_failed(a, normalized ? a->addr : a->user, shown,
		    known ? "wrong password" : "unknown user");
	auth_delay_ok(auth_delay_global(), a->peer, a->addr);
	log_info(a->id, "%s: login %s from %s", a->proto, a->addr, a->peer);
	return AUTH_OK;
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
	a->pass_too_long = passlen > PASSWD_MAX;
	if (!a->pass_too_long)
		memcpy(a->pass, pass, passlen);
	a->pass[a->pass_too_long ? 0 : passlen] = '\0';
}

void
auth_attempt_run(struct auth_attempt *a)
{
	a->delay_ms = 0;
	a->rc = attempt_verify(a);
	explicit_bzero(a->pass, sizeof(a->pass));
}

bool
auth_plaintext_allowed(const struct net_conn *c, const struct conf *conf)
{
	return net_conn_is_tls(c) || conf->allow_plaintext_auth;
}
