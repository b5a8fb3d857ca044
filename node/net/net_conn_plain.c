/*
 * net_conn_plain.c - the plain TCP transport; see net_transport.h.
 *
 * Every connection starts on it; STARTTLS replaces it in place.
 */
#include <errno.h>
#include <sys/socket.h>

#include "net/net.h"
#include "net/net_transport.h"

/* plain_result - map a recv/send result to the transport convention */
static ssize_t
plain_result(ssize_t r, int want)
{
	if (r >= 0)
		return r;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return want;
	return NET_EIO;
}

static ssize_t
plain_read(struct net_conn *c, void *ctx, void *p, size_t n)
{
	return plain_result(recv(net_conn_fd(c), p, n, 0), NET_WANT_READ);
}

static ssize_t
plain_write(struct net_conn *c, void *ctx, const void *p, size_t n)
{
	/* MSG_NOSIGNAL: a vanished client is an error here, not a SIGPIPE */
	return plain_result(send(net_conn_fd(c), p, n, MSG_NOSIGNAL), NET_WANT_WRITE);
}

/* plain_shutdown - a FIN before close, so the client sees the last bytes */
static void
plain_shutdown(struct net_conn *c, void *ctx)
{
	shutdown(net_conn_fd(c), SHUT_WR);
}

/* plain_free - nothing: the plain transport has no state */
static void
plain_free(void *ctx)
{
}

const struct net_transport net_transport_plain = {
	.name = "plain",
	.read = plain_read,
	.write = plain_write,
	.handshake = NULL,
	.shutdown = plain_shutdown,
	.free = plain_free,
};
