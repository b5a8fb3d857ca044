/*
 * tls.h - the server's TLS: certificate loading, reloading, and the TLS
 * transport behind net's connections.
 *
 * duplexd loads the certificate and key once (tls_new), hands the result
 * to the network core (tls_attach) before net_bind() of a TLS listener,
 * and calls tls_reload() on SIGHUP. A reload builds a new context for new
 * connections; connections already open keep the context they started
 * with. A failed reload keeps the old one and says why.
 *
 * Policy: TLS 1.2 at least, forward-secret AEAD ciphers for TLS 1.2, the
 * OpenSSL defaults for TLS 1.3, no compression, no renegotiation.
 *
 * OpenSSL is included by tls.c only; nothing outside node/tls sees it.
 */
#ifndef DUPLEX_TLS_H
#define DUPLEX_TLS_H

#include <stddef.h>

struct net;
struct tls;

/* tls_new - load cert (PEM chain) and key; NULL with the reason in err */
struct tls *tls_new(const char *cert, const char *key, char *err, size_t errlen);
/* tls_reload - read the same files again; 0, or -1 keeping the old context */
int tls_reload(struct tls *t, char *err, size_t errlen);
/* tls_attach - let n start TLS (implicit listeners, STARTTLS) with t */
void tls_attach(struct tls *t, struct net *n);
/* tls_free - after net_stop(); clears *tp */
void tls_free(struct tls **tp);

#endif
