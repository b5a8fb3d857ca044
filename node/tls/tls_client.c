/*
 * tls_client.c - client-side TLS on a blocking socket; see tls_client.h.
 *
 * One SSL_CTX per connection: the relay opens few connections, and this
 * keeps the client free of shared state between threads. The CA file is
 * read again for each connection, so a replaced one counts at once.
 */
#include "tls/tls_client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

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

/* is_ip - whether name is an IP address, which SNI must not carry and certificates match as such */
static bool
is_ip(const char *name)
{
	unsigned char a[16];

	return inet_pton(AF_INET, name, a) == 1 || inet_pton(AF_INET6, name, a) == 1;
}

/* client_verify - ask the handshake to check the chain against ca_file and the name */
static int
client_verify(struct tls_client *t, const char *name, const char *ca_file)
{
	X509_VERIFY_PARAM *p = SSL_get0_param(t->ssl);

	if (*ca_file ? SSL_CTX_load_verify_locations(t->ctx, ca_file, NULL) != 1 :
	    SSL_CTX_set_default_verify_paths(t->ctx) != 1)
		return -1;
	SSL_set_verify(t->ssl, SSL_VERIFY_PEER, NULL);
	if (is_ip(name))
		return X509_VERIFY_PARAM_set1_ip_asc(p, name) == 1 ? 0 : -1;
	SSL_set_hostflags(t->ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	return SSL_set1_host(t->ssl, name) == 1 ? 0 : -1;
}

/* handshake_errstr - why SSL_connect failed: the verify error when there is one */
static void
handshake_errstr(struct tls_client *t, const char *name, char *err, size_t errlen)
{
	long vr = SSL_get_verify_result(t->ssl);

	if (vr == X509_V_OK) {
		client_errstr("TLS handshake", err, errlen);
		return;
	}
	ERR_clear_error();
	snprintf(err, errlen, "TLS handshake: the certificate of %s is not verified: %s", name,
	    X509_verify_cert_error_string(vr));
}

struct tls_client *
tls_client_start(int fd, const char *name, bool verify, const char *ca_file, char *err,
    size_t errlen)
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
	if (verify && client_verify(t, name, ca_file) < 0) {
		client_errstr("TLS verification setup", err, errlen);
		goto fail;
	}
	if (!is_ip(name))
		SSL_set_tlsext_host_name(t->ssl, name);
	if (SSL_connect(t->ssl) != 1) {
		handshake_errstr(t, name, err, errlen);
		goto fail;
	}
	return t;
fail:
	tls_client_free(&t);
	return NULL;
}

int
tls_client_ca_check(const char *path, char *err, size_t errlen)
{
	X509_STORE *st;
	FILE *fp;
	int ok;

	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	fclose(fp);
	ERR_clear_error();
	st = X509_STORE_new();
	ok = st != NULL && X509_STORE_load_locations(st, path, NULL) == 1;
	X509_STORE_free(st);
	if (!ok) {
		client_errstr(path, err, errlen);
		return -1;
	}
	return 0;
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
