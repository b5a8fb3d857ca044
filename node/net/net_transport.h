/*
 * net_transport.h - what a transport (plain TCP, TLS) implements for net.
 *
 * For node/tls and net_conn_plain.c only; protocols use net.h. A transport
 * moves bytes between the socket and the connection's buffers without ever
 * blocking: read and write return a count (read: 0 at end of stream),
 * NET_WANT_READ or NET_WANT_WRITE to be retried when the socket is ready
 * (TLS may need to write to read, and the other way round), or NET_EIO.
 * The core chooses the epoll interest from those answers.
 */
#ifndef DUPLEX_NET_TRANSPORT_H
#define DUPLEX_NET_TRANSPORT_H

#include <stdbool.h>
#include <sys/types.h>

struct net;
struct net_conn;

struct net_transport {
	const char *name;
	ssize_t (*read)(struct net_conn *c, void *ctx, void *p, size_t n);
	ssize_t (*write)(struct net_conn *c, void *ctx, const void *p, size_t n);
	/* 0 when done, NET_WANT_*, or NET_EIO; NULL if there is none */
	int (*handshake)(struct net_conn *c, void *ctx);
	/* best effort, just before close(): TLS close_notify, FIN */
	void (*shutdown)(struct net_conn *c, void *ctx);
	void (*free)(void *ctx);
};

extern const struct net_transport net_transport_plain;

/*
 * net_set_tls - how net starts TLS on a conn: start(tls, c) must install a
 * TLS transport with net_conn_set_transport(); 0 or a NET_E* code. Call
 * before net_bind() of a TLS listener and before net_start().
 */
void net_set_tls(struct net *n, int (*start)(void *tls, struct net_conn *c), void *tls);
/* net_conn_set_transport - replace c's transport (the old one is freed) */
void net_conn_set_transport(struct net_conn *c, const struct net_transport *t, void *ctx,
    bool is_tls);
/* net_conn_fd - the socket, for the transport's system calls */
int net_conn_fd(const struct net_conn *c);

#endif
