/*
 * tls_client.c - client-side TLS on a blocking socket; see tls_client.h.
 *
 * One SSL_CTX per connection: the relay opens few connections, and this
 * keeps the client free of shared state between threads.
 */
#include "tls/tls_client.h"

#include <stdio.h>
#include <stdlib.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "util/xalloc.h"

struct tls_client {
	SSL_CTX *ctx;
	SSL *ssl;
};

/* client_errstr - the oldest queued OpenSSL error, then clear the queue */
static void
client_errstr(const char *what, char *err, size_t errlen)
{
	unsigned long e = ERR_get_error();
	char why[256];

	if (e)
		ERR_error_string_n(e, why, sizeof(why));
	else
		snprintf(why, sizeof(why), "connection closed or timed out");
	ERR_clear_error();
	snprintf(err, errlen, "%s: %s", what, why);
}

struct tls_client *
tls_client_start(int fd, const char *servername, char *err, size_t errlen)
{
	struct tls_client *t = xcalloc(1, sizeof(*t));

	ERR_clear_error();
	if ((t->ctx = SSL_CTX_new(TLS_client_method())) == NULL) {
		client_errstr("SSL_CTX_new", err, errlen);
		goto fail;
	}
	SSL_CTX_set_min_proto_version(t->ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(t->ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
	SSL_CTX_set_verify(t->ctx, SSL_VERIFY_NONE, NULL);
	if ((t->ssl = SSL_new(t->ctx)) == NULL || SSL_set_fd(t->ssl, fd) != 1) {
		client_errstr("SSL_new", err, errlen);
		goto fail;
	}
	SSL_set_tlsext_host_name(t->ssl, servername);
	if (SSL_connect(t->ssl) != 1) {
		client_errstr("TLS handshake", err, errlen);
		goto fail;
	}
	return t;
fail:
	tls_client_free(&t);
	return NULL;
}

ssize_t
tls_client_read(struct tls_client *t, void *buf, size_t n)
{
	size_t got = 0;
	int rc = SSL_read_ex(t->ssl, buf, n, &got);

	if (rc == 1)
		return (ssize_t)got;
	rc = SSL_get_error(t->ssl, 0);
	ERR_clear_error();
	return rc == SSL_ERROR_ZERO_RETURN ? 0 : -1;
}

int
tls_client_write(struct tls_client *t, const void *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		size_t w = 0;

		if (SSL_write_ex(t->ssl, (const char *)buf + done, n - done, &w) != 1) {
			ERR_clear_error();
			return -1;
		}
		done += w;
	}
	return 0;
}

const char *
tls_client_version(const struct tls_client *t)
{
	return SSL_get_version(t->ssl);
}

void
tls_client_free(struct tls_client **tp)
{
	struct tls_client *t = *tp;

	if (t == NULL)
		return;
	if (t->ssl != NULL) {
		SSL_shutdown(t->ssl);
		SSL_free(t->ssl);
	}
	SSL_CTX_free(t->ctx);
	ERR_clear_error();
	free(t);
	*tp = NULL;
}
