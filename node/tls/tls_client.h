/*
 * tls_client.h - client-side TLS on a blocking socket, for the relay
 * worker's STARTTLS to the smart host.
 *
 * Policy: TLS 1.2 at least, as for the server. The smart host's
 * certificate is not verified (opportunistic or mandatory encryption, as
 * Postfix's "may" and "encrypt" levels): the smart host is a configured
 * host on the inside network, and the goal is to keep passwords and mail
 * off the wire in clear.
 *
 * Every call blocks on the socket (bounded by the socket's own timeouts,
 * SO_RCVTIMEO/SO_SNDTIMEO, which the caller sets). The fd stays the
 * caller's: tls_client_free() does not close it.
 */
#ifndef DUPLEX_TLS_CLIENT_H
#define DUPLEX_TLS_CLIENT_H

#include <stddef.h>
#include <sys/types.h>

struct tls_client;

/* tls_client_start - the handshake on fd; NULL with the reason in err */
struct tls_client *tls_client_start(int fd, const char *servername, char *err, size_t errlen);
/* tls_client_read - up to n bytes; 0 at end of stream, -1 on error */
ssize_t tls_client_read(struct tls_client *t, void *buf, size_t n);
/* tls_client_write - all n bytes; 0 or -1 */
int tls_client_write(struct tls_client *t, const void *buf, size_t n);
/* tls_client_version - "TLSv1.3" and the like, for the log */
const char *tls_client_version(const struct tls_client *t);
/* tls_client_free - close_notify, then free; clears *tp; NULL is fine */
void tls_client_free(struct tls_client **tp);

#endif
