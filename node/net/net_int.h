/*
 * net_int.h - the network core's own structures, shared by the files of node/net.
 *
 * Nothing outside node/net includes this. Every struct reached from epoll
 * begins with an enum net_ev_kind, so an event's data pointer says what it
 * points at. A struct net_conn is only touched on its loop's thread; the
 * loop's post queue (mu) is the one thing other threads reach.
 */
#ifndef DUPLEX_NET_INT_H
#define DUPLEX_NET_INT_H

#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <stdint.h>

#include "net/net.h"
#include "net/net_buf.h"
#include "net/net_limit.h"
#include "net/net_transport.h"

enum net_ev_kind { NET_EV_LISTENER = 1, NET_EV_CONN, NET_EV_WAKE };

struct net_listener {
	enum net_ev_kind kind;
	int fd;
	const struct net_proto *proto;
	unsigned flags;
	void *arg;
	char *name;			/* "127.0.0.1:143" as configured */
	struct net_listener *next;
};

struct net_post {
	void (*fn)(void *arg);
	void *arg;
	struct net_post *next;
};

struct net_timer {
	struct net_loop *loop;
	uint64_t when;			/* mono_ms() */
	void (*fn)(void *arg);
	void *arg;
	struct net_timer *next;		/* sorted by when */
};

struct net_loop {
	enum net_ev_kind kind;		/* NET_EV_WAKE: the eventfd's tag */
	struct net *net;
	unsigned index;
	int epfd;
	int evfd;
	pthread_t thread;

	pthread_mutex_t mu;		/* guards posts and exited */
	struct net_post *posts, **posts_tail;
	bool exited;

	struct net_conn *conns;		/* every live conn, doubly linked */
	unsigned nconns;
	struct net_conn *dirty;		/* conns to run net_conn_process() on */
	struct net_conn *zombies;	/* closed this round; freed after it */
	struct net_timer *timers;
	struct net_timer *accept_pause;	/* listeners unwatched until it fires */
	uint64_t next_sweep;
	bool stopping;
	uint64_t stop_deadline;
};

struct net {
	struct net_config cfg;
	struct net_listener *listeners;
	struct net_loop *loops;
	unsigned nloops;
	struct net_limit *limit;
	int (*tls_start)(void *tls, struct net_conn *c);
	void *tls;
	bool started;
};

enum net_conn_state {
	NET_CONN_HANDSHAKE,		/* transport handshake under way */
	NET_CONN_OPEN,
};

struct net_conn {
	enum net_ev_kind kind;
	int fd;
	struct net_loop *loop;
	struct net_listener *listener;
	const struct net_transport *tr;
	void *trctx;
	bool tls;

	void *session;
	bool opened;			/* on_open ran, so on_close must */
	bool counted;			/* holds a per-IP slot */
	char id[13];
	char peer[INET6_ADDRSTRLEN];
	unsigned port;

	struct net_buf in, out;
	size_t max_line;
	unsigned idle_ms;
	uint64_t last_active, state_since, close_since;

	enum net_conn_state state;
	unsigned paused;
	bool starttls;			/* switch to TLS once out is flushed */
	bool closing;			/* close once out is flushed */
	bool eof;			/* the peer finished sending */
	bool dead;			/* destroyed; waiting among the zombies */
	bool kick;			/* call on_input even without new bytes */
	bool in_dirty;
	bool failed;			/* transport unusable: no more I/O */
	bool registered;		/* fd is in the loop's epoll set */
	int hs_want, rd_want, wr_want;	/* last NET_WANT_* of each, or 0 */
	uint32_t events;		/* the epoll interest now registered */
	const char *reason;		/* why it closed, for the log */
	uint64_t bytes_in, bytes_out;

	struct net_conn *prev, *next, *dirty_next;
};

/* net_loop.c */
void net_loop_mark(struct net_conn *c);

/* net_listen.c */
void net_listen_accept(struct net_loop *l, struct net_listener *ls);
void net_listen_watch(struct net_loop *l, bool on);

/* net_conn.c */
void net_conn_new(struct net_loop *l, struct net_listener *ls, int fd,
    const char *peer, unsigned port, enum net_limit_full full);
void net_conn_process(struct net_conn *c);
void net_conn_sweep(struct net_conn *c, uint64_t now);
void net_conn_stop(struct net_conn *c);
void net_conn_destroy(struct net_conn *c, const char *reason);

#endif
