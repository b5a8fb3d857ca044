/*
 * services.h - the protocol listeners duplexd serves: one row per
 * *_listen key, naming the protocol that serves it.
 */
#ifndef DUPLEXD_SERVICES_H
#define DUPLEXD_SERVICES_H

#include <stdbool.h>

struct conf;
struct net;
struct svc_env;

/* services_need_tls - whether any configured listener exists (all offer TLS) */
bool services_need_tls(const struct conf *c);
/* services_bind - bind every configured listener; 0 or -1 (logged) */
int services_bind(struct net *n, const struct conf *c, struct svc_env *env);

#endif
