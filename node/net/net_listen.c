/*
 * net_listen.c - binding listeners and accepting connections.
 *
 * net_bind() runs before privileges are dropped and before the loops
 * exist; each loop then watches every listener with EPOLLEXCLUSIVE, so the
 * kernel wakes one loop per arrival and spreads clients over the loops. The
 * per-IP and total limits are checked here: a client over one still gets a
 * connection, but one that only carries the protocol's refusal line.
 *
 * Out of descriptors (EMFILE, ENFILE) or kernel memory, accept fails while
 * the listener stays readable: the loop then stops watching its listeners
 * for NET_ACCEPT_PAUSE_MS instead of spinning on them, as nginx does, and
 * the clients wait in the backlog until descriptors come back. The error is
 * logged at most once a second per loop.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/net_int.h"
#include "net/net_limit.h"
#include "util/hostport.h"
#include "util/log.h"
#include "util/mono.h"
#include "util/xalloc.h"

#define NET_ACCEPT_BURST 16
#define NET_ACCEPT_PAUSE_MS 100

/* net_listen_socket - a bound, listening, non-blocking socket for ai */
static int
net_listen_socket(const struct addrinfo *ai, const char *name)
{
	int one = 1;
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);

	if (fd < 0) {
		log_error("-", "net: socket for %s: %s", name, strerror(errno));
		return NET_ESYS;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ai->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 511) < 0) {
		log_error("-", "net: cannot listen on %s: %s", name, strerror(errno));
		close(fd);
		return NET_ESYS;
	}
	return fd;
}

int
net_bind(struct net *n, const char *hostport, const struct net_proto *proto,
    unsigned flags, void *arg)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE };
	struct addrinfo *ai;
	struct net_listener *ls;
	char host[256], port[8];
	unsigned portnum;
	int fd, rc;

	if (n->started) {
		log_error("-", "net: %s: net_bind() after net_start()", hostport);
		return NET_ESYS;
	}
	if (hostport_split(hostport, host, sizeof(host), &portnum) < 0) {
		log_error("-", "net: '%s' is not host:port", hostport);
		return NET_EADDR;
	}
	if ((flags & NET_LISTEN_TLS) && n->tls_start == NULL) {
		log_error("-", "net: %s wants TLS but no certificate is loaded", hostport);
		return NET_ENOTLS;
	}
	snprintf(port, sizeof(port), "%u", portnum);
	if ((rc = getaddrinfo(host, port, &hints, &ai)) != 0) {
		log_error("-", "net: %s: %s", hostport, gai_strerror(rc));
		return NET_EADDR;
	}
	fd = net_listen_socket(ai, hostport);
	freeaddrinfo(ai);
	if (fd < 0)
		return fd;
	ls = xcalloc(1, sizeof(*ls));
	ls->kind = NET_EV_LISTENER;
	ls->fd = fd;
	ls->proto = proto;
	ls->flags = flags;
	ls->arg = arg;
	ls->name = xstrdup(hostport);
	ls->next = n->listeners;
	n->listeners = ls;
	log_info("-", "net: %s listening on %s%s", proto->name, hostport,
	    (flags & NET_LISTEN_TLS) ? " (TLS)" : "");
	return 0;
}

/* net_listen_watch - start or stop accepting on loop l */
void
net_listen_watch(struct net_loop *l, bool on)
{
	for (struct net_listener *ls = l->net->listeners; ls; ls = ls->next) {
		struct epoll_event ev = { .events = EPOLLIN | EPOLLEXCLUSIVE, .data.ptr = ls };

		if (epoll_ctl(l->epfd, on ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, ls->fd, &ev) < 0)
			log_error("-", "net: epoll_ctl listener %s: %s", ls->name, strerror(errno));
	}
}

/* net_listen_peer - the client's address as text; v4-mapped shown as IPv4 */
static void
net_listen_peer(const struct sockaddr_storage *ss, char *peer, size_t len, unsigned *port)
{
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)ss;

		*port = ntohs(s6->sin6_port);
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr))
			inet_ntop(AF_INET, &s6->sin6_addr.s6_addr[12], peer, (socklen_t)len);
		else
			inet_ntop(AF_INET6, &s6->sin6_addr, peer, (socklen_t)len);
	} else {
		const struct sockaddr_in *s4 = (const void *)ss;

		*port = ntohs(s4->sin_port);
		inet_ntop(AF_INET, &s4->sin_addr, peer, (socklen_t)len);
	}
}

/* net_listen_resume - the pause is over: watch the listeners again */
static void
net_listen_resume(void *arg)
{
	struct net_loop *l = arg;

	l->accept_pause = NULL;
	net_listen_watch(l, true);
}

/* net_listen_pause - accept failed for want of resources: stop watching for a while */
static void
net_listen_pause(struct net_loop *l, const struct net_listener *ls, int err)
{
	static __thread uint64_t last_log;
	uint64_t now = mono_ms();

	if (now - last_log > 1000) {
		last_log = now;
		log_error("-", "net: accept on %s: %s; pausing accepts for %d ms", ls->name,
		    strerror(err), NET_ACCEPT_PAUSE_MS);
	}
	net_listen_watch(l, false);
	l->accept_pause = net_timer_add(l, NET_ACCEPT_PAUSE_MS, net_listen_resume, l);
}

/* net_listen_accept - take a burst of new clients on loop l */
void
net_listen_accept(struct net_loop *l, struct net_listener *ls)
{
	for (int i = 0; i < NET_ACCEPT_BURST && !l->stopping && l->accept_pause == NULL; i++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		char peer[INET6_ADDRSTRLEN];
		unsigned port;
		enum net_limit_full full;
		int fd = accept4(ls->fd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
				net_listen_pause(l, ls, errno);
			return;
		}
		net_listen_peer(&ss, peer, sizeof(peer), &port);
		full = net_limit_take(l->net->limit, peer);
		net_conn_new(l, ls, fd, peer, port, full);
	}
}
