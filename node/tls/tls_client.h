/*
 * tls_client.h - client-side TLS on a blocking socket, for the relay
 * worker's STARTTLS to the smart host.
 *
 * Policy: TLS 1.2 at least, as for the server. Without verification
 * (Postfix's "may" and "encrypt" levels) any certificate is taken: that
 * keeps mail off the wire in clear, but not away from a man in the middle.
 * With verification (Postfix's "secure") the chain must lead to a trusted
 * CA and the certificate must carry the expected name, or the handshake
 * fails and err names OpenSSL's verify error.
 *
 * Every call blocks on the socket (bounded by the socket's own timeouts,
 * SO_RCVTIMEO/SO_SNDTIMEO, which the caller sets). The fd stays the
 * caller's: tls_client_free() does not close it.
 */
#ifndef DUPLEX_TLS_CLIENT_H
#define DUPLEX_TLS_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct tls_client;

/*
 * tls_client_start - the handshake on fd, with name as SNI unless it is an
 * IP address. With verify, the chain must lead to a CA of ca_file ("": the
 * system's trust store) and the certificate must carry name (a DNS name or
 * an IP address). NULL with the reason in err.
 */
struct tls_client *tls_client_start(int fd, const char *name, bool verify, const char *ca_file,
    char *err, size_t errlen);
/* tls_client_ca_check - 0 when path is a readable PEM file of certificates; -1 with why in err */
int tls_client_ca_check(const char *path, char *err, size_t errlen);
/* tls_client_read - up to n bytes; 0 at end of stream, -1 on error */
ssize_t tls_client_read(struct tls_client *t, void *buf, size_t n);
/* tls_client_write - all n bytes; 0 or -1 */
int tls_client_write(struct tls_client *t, const void *buf, size_t n);
/* tls_client_version - "TLSv1.3" and the like, for the log */
const char *tls_client_version(const struct tls_client *t);
/* tls_client_free - close_notify, then free; clears *tp; NULL is fine */
void tls_client_free(struct tls_client **tp);

#endif
