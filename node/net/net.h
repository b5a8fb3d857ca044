/*
 * net.h - the network core: listeners, worker loops, connections.
 *
 * duplexd binds its listeners with net_bind() while still root, drops
 * privileges, then net_start() runs the worker threads. Each worker owns an
 * epoll loop and every connection accepted on it; a connection never moves
 * to another loop. A protocol plugs in as a struct net_proto: net calls it
 * on the connection's own loop thread, and the protocol reads lines and
 * writes replies through the net_conn_* calls below, never through a socket
 * or OpenSSL. TLS (node/tls) implements the transport behind the same calls;
 * attach it with tls_attach() before net_start().
 *
 * Threads: every net_conn_* call must be made on the connection's loop
 * thread (inside a net_proto callback, a timer, or a net_loop_post()
 * callback). net_loop_post() is the one call any thread may make: it is how
 * the store's commit writer resumes a paused session on its own loop.
 *
 * Lifetime: on_open() returns the session; on_close() is its destructor and
 * runs exactly once, on the loop thread, after which the struct net_conn is
 * gone. A paused connection (net_conn_pause()) is never destroyed: a client
 * that disconnects while its session waits for a commit is closed only
 * after net_conn_resume(), so the completion may safely use the session.
 * The one exception is net_stop() running out of its grace period.
 *
 * Errors: functions return 0 (or a count) on success and a negative
 * NET_E* code on failure; net_strerror() names them.
 */
#ifndef DUPLEX_NET_H
#define DUPLEX_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum net_err {
	NET_OK = 0,
	NET_EAGAIN = -1,	/* no complete line buffered yet */
	NET_ETOOLONG = -2,	/* line over the limit; it was discarded */
	NET_EFULL = -3,		/* output bound exceeded; the conn is dropped */
	NET_ECLOSED = -4,	/* the connection is closing */
	NET_ESTOPPED = -5,	/* the loop has stopped */
	NET_ENOTLS = -6,	/* no TLS configured, or already TLS */
	NET_EADDR = -7,		/* bad "host:port" */
	NET_ESYS = -8,		/* a system call failed; see the log */
	NET_EIO = -9,		/* transport error (reset, bad TLS record) */
	NET_WANT_READ = -10,	/* transport: retry when readable */
	NET_WANT_WRITE = -11,	/* transport: retry when writable */
};

struct net;
struct net_loop;
struct net_conn;

/*
 * A protocol. Every callback runs on the connection's loop thread and may
 * call any net_conn_* function for that conn; closing is deferred until the
 * callback returns. Only on_open and on_input are required.
 */
struct net_proto {
	const char *name;	/* "imap", "pop3", ...; for logs */
	/* a new connection: write the greeting, return the session (or NULL) */
	void *(*on_open)(struct net_conn *c);
	/* more input is buffered: consume it with net_conn_getline()/_read() */
	void (*on_input)(struct net_conn *c, void *session);
	/* net_stop(): say goodbye ("* BYE"); the conn closes after the flush */
	void (*on_shutdown)(struct net_conn *c, void *session);
	/* idle timeout: say why; the conn closes after the flush */
	void (*on_timeout)(struct net_conn *c, void *session);
	/*
	 * a STARTTLS handshake completed: what the protocol says first under
	 * TLS (ManageSieve's capabilities again); NULL for nothing
	 */
	void (*on_starttls)(struct net_conn *c, void *session);
	/* the queued output has all been sent (for streaming large replies) */
	void (*on_drain)(struct net_conn *c, void *session);
	/* the destructor: free the session; called exactly once */
	void (*on_close)(struct net_conn *c, void *session);
	/*
	 * a connection limit hit, max_conn_per_ip or (all) max_conn: write a
	 * refusal line; no session is opened
	 */
	void (*on_too_many)(struct net_conn *c, bool all);
};

struct net_config {
	unsigned threads;		/* worker loops; 0 means 2 */
	unsigned max_conn_per_ip;	/* 0 means unlimited */
	unsigned max_conn;		/* in all, over every listener; 0 means unlimited */
	size_t max_input;		/* bytes buffered in per conn; 0: 64 KiB */
	size_t max_output;		/* bytes queued out per conn; 0: 4 MiB */
	unsigned handshake_timeout_ms;	/* TLS handshake; 0: 30 s */
	unsigned drain_timeout_ms;	/* closing conn's last flush; 0: 10 s */
	unsigned shutdown_grace_ms;	/* net_stop() wait for paused work; 0: 10 s */
};

/* flags for net_bind() */
#define NET_LISTEN_TLS	0x1	/* implicit TLS (993, 995, 465) */

/* net_new - an idle network core; cfg is copied (NULL for defaults) */
struct net *net_new(const struct net_config *cfg);
/*
 * net_bind - listen on "host:port" ("[::1]:143" for IPv6) for proto. Call
 * before dropping privileges and before net_start(). arg is the protocol's
 * server context, given back by net_conn_listener_arg(). NET_EADDR,
 * NET_ENOTLS (TLS flag with no tls attached) or NET_ESYS, logged.
 */
int net_bind(struct net *n, const char *hostport, const struct net_proto *proto,
    unsigned flags, void *arg);
/* net_start - start the worker threads; they accept on every bound listener */
int net_start(struct net *n);
/*
 * net_stop - stop accepting, call on_shutdown for every session, flush,
 * wait up to shutdown_grace_ms for paused sessions, close the rest, join
 * the threads. Call once, from the thread that called net_start().
 */
void net_stop(struct net *n);
/* net_connections - connections open now, over every listener; thread-safe */
unsigned net_connections(struct net *n);
/* net_free - after net_stop() (or instead of net_start()); clears *np */
void net_free(struct net **np);

/*
 * net_loop_post - run fn(arg) on loop's thread soon. Any thread may call
 * it. NET_ESTOPPED once the loop has exited: fn is then never called.
 */
int net_loop_post(struct net_loop *l, void (*fn)(void *arg), void *arg);

/* net_timer_add - fn(arg) once, on l's thread, after ms; loop thread only */
struct net_timer *net_timer_add(struct net_loop *l, unsigned ms,
    void (*fn)(void *arg), void *arg);
/* net_timer_cancel - before it fired; clears *tp; NULL is fine */
void net_timer_cancel(struct net_timer **tp);

/* the connection's identity; the strings live as long as the conn */
const char *net_conn_id(const struct net_conn *c);	/* log_new_id() */
const char *net_conn_peer(const struct net_conn *c);	/* "192.0.2.1", "2001:db8::1" */
unsigned net_conn_peer_port(const struct net_conn *c);
bool net_conn_is_tls(const struct net_conn *c);
bool net_conn_can_starttls(const struct net_conn *c);
void *net_conn_listener_arg(const struct net_conn *c);
struct net_loop *net_conn_loop(const struct net_conn *c);

/* net_conn_set_idle_timeout - close after ms with no byte read or sent; 0 disables */
void net_conn_set_idle_timeout(struct net_conn *c, unsigned ms);
/* net_conn_set_max_line - longest line net_conn_getline() returns (default 8192) */
void net_conn_set_max_line(struct net_conn *c, size_t max);

/*
 * net_conn_getline - take the next line off the input, without its CRLF
 * (or bare LF), NUL-terminated in place. The line may hold NUL bytes: use
 * *len_r. It stays valid until the callback returns. NET_EAGAIN when no
 * complete line is buffered; NET_ETOOLONG once per overlong line, whose
 * bytes are discarded up to and including its LF, so the protocol can answer
 * an error and carry on.
 */
int net_conn_getline(struct net_conn *c, char **line_r, size_t *len_r);
/* net_conn_read - take up to n raw input bytes (literals); returns the count */
size_t net_conn_read(struct net_conn *c, void *dst, size_t n);
/* net_conn_input_len - bytes buffered and not yet taken */
size_t net_conn_input_len(const struct net_conn *c);

/*
 * net_conn_write - queue bytes; they are sent without blocking. Past
 * max_output the connection is dropped (a client that does not read) and
 * NET_EFULL returned. NET_ECLOSED after an abort.
 */
int net_conn_write(struct net_conn *c, const void *p, size_t n);
int net_conn_printf(struct net_conn *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* net_conn_output_len - bytes queued and not yet sent */
size_t net_conn_output_len(const struct net_conn *c);

/*
 * net_conn_pause - stop reading and calling on_input (waiting on a commit).
 * Pauses nest; every pause needs one net_conn_resume(). Resuming calls
 * on_input again if input is buffered. While paused the conn is never
 * destroyed and idle timeouts do not fire.
 */
void net_conn_pause(struct net_conn *c);
void net_conn_resume(struct net_conn *c);

/*
 * net_conn_starttls - after queueing the "begin TLS" reply: flush it in
 * plain text, then handshake. Input buffered past the STARTTLS line is
 * discarded (never executed under TLS) and nothing more is read in plain
 * text. NET_ENOTLS if no TLS is configured or the conn is already TLS.
 */
int net_conn_starttls(struct net_conn *c);
/*
 * net_conn_compress - after queueing the reply that starts compression
 * (RFC 4978): what was queued goes out as is, everything after it is
 * deflated, and all input from now on is inflated. pre holds npre bytes
 * the protocol had already taken off the input past its command: they were
 * compressed, and are inflated first, as is anything net still buffers.
 * Bad compressed input ends the connection with a log line. NET_ECLOSED
 * when already compressed, closing or starting TLS; NET_ESYS if zlib fails.
 */
int net_conn_compress(struct net_conn *c, const void *pre, size_t npre);
/* net_conn_is_compressed - whether net_conn_compress() is in effect */
bool net_conn_is_compressed(const struct net_conn *c);
/* net_conn_close - stop reading; close once the queued output is sent */
void net_conn_close(struct net_conn *c);
/* net_conn_abort - close now, dropping queued output */
void net_conn_abort(struct net_conn *c);

/* net_strerror - a constant string for a NET_E* code */
const char *net_strerror(int err);

#endif
