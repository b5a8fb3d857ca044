/*
 * svc.h - what every protocol server (IMAP, POP3, LMTP/SMTP, submission)
 * shares: the service environment, the one way to wait for the store, and
 * the reply-line formatting of the line-based protocols.
 *
 * duplexd makes one struct svc_env and passes it as the listener argument
 * of every net_bind(); a session finds it with net_conn_listener_arg().
 *
 * Waiting for the store: a session never blocks its loop. svc_store_call()
 * pauses the connection, runs job(arg) (which may block on a durable commit)
 * on the worker pool, then runs done(arg) back on the connection's own loop
 * thread and resumes the connection. The session stays alive in between
 * (net.h: a paused connection is never destroyed).
 *
 * svc_pool_call() is the same on another pool: auth's front door runs the
 * password checks on auth_pool with it, apart from the store pool so that
 * yescrypt never delays a commit.
 *
 * Hazard: net_stop() out of its grace period destroys a paused connection
 * while its job still waits on a pool, and done is then never called. A
 * job must use only copies, never the session or the connection.
 */
#ifndef DUPLEX_SVC_H
#define DUPLEX_SVC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct auth_gate;
struct conf;
struct net_conn;
struct store;
struct workpool;

struct svc_env {
	struct store *st;		/* set before net_start() */
	const struct conf *conf;
	struct workpool *pool;		/* runs blocking store calls */
	struct workpool *auth_pool;	/* runs password checks */
	struct auth_gate *auth_gate;	/* bounds the attempts on auth_pool (auth's) */
	const char *hostname;		/* for greetings and Received: headers */
};

/* svc_store_call - job on the pool, then done on c's loop; see above */
void svc_store_call(struct net_conn *c, void (*job)(void *arg), void (*done)(void *arg), void *arg);
/* svc_pool_call - svc_store_call() with job on pool rather than the store pool */
void svc_pool_call(struct net_conn *c, struct workpool *pool, void (*job)(void *arg),
    void (*done)(void *arg), void *arg);

/*
 * svc_line_vformat - a reply line into line[size] (size >= 3), cut to fit,
 * with CRLF and a NUL after it; the length with CRLF, or -1 on a bad format
 */
int svc_line_vformat(char *line, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

#endif
