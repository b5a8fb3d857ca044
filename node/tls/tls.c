/*
 * tls.c - OpenSSL contexts and the non-blocking TLS transport; see tls.h.
 *
 * Each connection gets an SSL made from the current SSL_CTX under a mutex;
 * SSL_new() takes a reference on the context, so swapping in a reloaded
 * context and dropping ours leaves older connections working. The
 * transport maps SSL_ERROR_WANT_READ/WRITE to NET_WANT_READ/WRITE and the
 * loop waits accordingly. OpenSSL's error queue is per thread: it is
 * cleared before every call so a stale error is never blamed on a client.
 *
 * SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER because net may compact its output
 * queue between a WANT_WRITE and the retry.
 */
#include "tls/tls.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "net/net.h"
#include "net/net_transport.h"
#include "util/log.h"
#include "util/xalloc.h"

#define TLS12_CIPHERS \
	"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:" \
	"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:" \
	"ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:" \
	"DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384"

struct tls {
	pthread_mutex_t mu;	/* guards ctx */
	SSL_CTX *ctx;
	char *cert, *key;
};

/* tls_errstr - the oldest queued OpenSSL error as text, then clear the queue */
static void
tls_errstr(char *err, size_t errlen)
{
	unsigned long e = ERR_get_error();

	if (e)
		ERR_error_string_n(e, err, errlen);
	else
		snprintf(err, errlen, "unknown error");
	ERR_clear_error();
}

/* tls_ctx_load - a fresh server context for cert and key, or NULL and err */
static SSL_CTX *
tls_ctx_load(const char *cert, const char *key, char *err, size_t errlen)
{
	static const unsigned char sid_ctx[] = "duplex";
	SSL_CTX *ctx;
	char why[256];

	ERR_clear_error();
	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL) {
		tls_errstr(why, sizeof(why));
		snprintf(err, errlen, "SSL_CTX_new: %s", why);
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	/* clients rarely send close_notify; line protocols detect truncation */
	SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
	    SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
	    SSL_MODE_RELEASE_BUFFERS);
	SSL_CTX_set_session_id_context(ctx, sid_ctx, sizeof(sid_ctx) - 1);
	if (SSL_CTX_set_cipher_list(ctx, TLS12_CIPHERS) != 1) {
		tls_errstr(why, sizeof(why));
		snprintf(err, errlen, "cipher list: %s", why);
	} else if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
		tls_errstr(why, sizeof(why));
		snprintf(err, errlen, "certificate %s: %s", cert, why);
	} else if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
		tls_errstr(why, sizeof(why));
		snprintf(err, errlen, "key %s: %s", key, why);
	} else if (SSL_CTX_check_private_key(ctx) != 1) {
		tls_errstr(why, sizeof(why));
		snprintf(err, errlen, "key %s does not match certificate %s: %s", key, cert, why);
	} else {
		return ctx;
	}
	SSL_CTX_free(ctx);
	return NULL;
}

struct tls *
tls_new(const char *cert, const char *key, char *err, size_t errlen)
{
	SSL_CTX *ctx = tls_ctx_load(cert, key, err, errlen);
	struct tls *t;

	if (ctx == NULL)
		return NULL;
	t = xcalloc(1, sizeof(*t));
	pthread_mutex_init(&t->mu, NULL);
	t->ctx = ctx;
	t->cert = xstrdup(cert);
	t->key = xstrdup(key);
	return t;
}

int
tls_reload(struct tls *t, char *err, size_t errlen)
{
	SSL_CTX *ctx = tls_ctx_load(t->cert, t->key, err, errlen), *old;

	if (ctx == NULL) {
		log_error("-", "tls: reload failed, keeping the old certificate: %s", err);
		return -1;
	}
	pthread_mutex_lock(&t->mu);
	old = t->ctx;
	t->ctx = ctx;
	pthread_mutex_unlock(&t->mu);
	SSL_CTX_free(old);
	log_info("-", "tls: reloaded %s", t->cert);
	return 0;
}

void
tls_free(struct tls **tp)
{
	struct tls *t = *tp;

	if (t == NULL)
		return;
	SSL_CTX_free(t->ctx);
	pthread_mutex_destroy(&t->mu);
	free(t->cert);
	free(t->key);
	free(t);
	*tp = NULL;
}

/* tls_result - map an SSL_* return to the transport convention */
static int
tls_result(struct net_conn *c, SSL *ssl, int r, const char *what)
{
	char why[256];
	int e = SSL_get_error(ssl, r);

	switch (e) {
	case SSL_ERROR_WANT_READ:
		return NET_WANT_READ;
	case SSL_ERROR_WANT_WRITE:
		return NET_WANT_WRITE;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	default:
		tls_errstr(why, sizeof(why));
		log_info(net_conn_id(c), "TLS %s: %s", what, why);
		return NET_EIO;
	}
}

static ssize_t
tls_read(struct net_conn *c, void *ctx, void *p, size_t n)
{
	SSL *ssl = ctx;
	size_t got = 0;
	int r;

	ERR_clear_error();
	if ((r = SSL_read_ex(ssl, p, n, &got)) == 1)
		return (ssize_t)got;
	return tls_result(c, ssl, r, "read");
}

static ssize_t
tls_write(struct net_conn *c, void *ctx, const void *p, size_t n)
{
	SSL *ssl = ctx;
	size_t put = 0;
	int r;

	ERR_clear_error();
	if ((r = SSL_write_ex(ssl, p, n, &put)) == 1)
		return (ssize_t)put;
	r = tls_result(c, ssl, r, "write");
	return r == 0 ? NET_EIO : r;
}

static int
tls_handshake(struct net_conn *c, void *ctx)
{
	SSL *ssl = ctx;
	int r;

	ERR_clear_error();
	if ((r = SSL_do_handshake(ssl)) == 1) {
		log_info(net_conn_id(c), "TLS established: %s %s", SSL_get_version(ssl),
		    SSL_get_cipher_name(ssl));
		return 0;
	}
	r = tls_result(c, ssl, r, "handshake");
	return r == 0 ? NET_EIO : r;
}

/* tls_shutdown - send close_notify once; the peer's answer is not awaited */
static void
tls_shutdown(struct net_conn *c, void *ctx)
{
	ERR_clear_error();
	SSL_shutdown(ctx);
	ERR_clear_error();
}

static void
tls_conn_free(void *ctx)
{
	SSL_free(ctx);
}

static const struct net_transport tls_transport = {
	.name = "tls",
	.read = tls_read,
	.write = tls_write,
	.handshake = tls_handshake,
	.shutdown = tls_shutdown,
	.free = tls_conn_free,
};

/* tls_start - net's hook: put c on TLS with the current context */
static int
tls_start(void *arg, struct net_conn *c)
{
	struct tls *t = arg;
	SSL *ssl;
	char why[256];

	ERR_clear_error();
	pthread_mutex_lock(&t->mu);
	ssl = SSL_new(t->ctx);
	pthread_mutex_unlock(&t->mu);
	if (ssl == NULL || SSL_set_fd(ssl, net_conn_fd(c)) != 1) {
		tls_errstr(why, sizeof(why));
		log_error(net_conn_id(c), "TLS setup: %s", why);
		SSL_free(ssl);
		return NET_EIO;
	}
	SSL_set_accept_state(ssl);
	net_conn_set_transport(c, &tls_transport, ssl, true);
	return 0;
}

void
tls_attach(struct tls *t, struct net *n)
{
	net_set_tls(n, tls_start, t);
}
