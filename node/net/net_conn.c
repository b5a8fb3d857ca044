/*
 * net_conn.c - one client connection: buffers, lines, flushing, closing.
 *
 * The loop calls net_conn_process() whenever the socket is ready or the
 * protocol changed something (wrote, resumed, closed). One pass finishes a
 * handshake, flushes output, reads what fits in the input bound, hands it
 * to on_input, flushes again, and re-registers the epoll interest. Reading
 * stops while paused, closing, starting TLS, or with the input full; a conn
 * with no interest at all leaves the epoll set so a hang-up cannot spin.
 *
 * Closing is always deferred: protocol calls only set flags, and the conn
 * is destroyed here or by the timeout sweep, never while paused (except by
 * net_stop() out of grace) and never inside a protocol callback.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "net/net_int.h"
#include "net/net_limit.h"
#include "util/log.h"
#include "util/mono.h"
#include "util/xalloc.h"

#define NET_MAX_LINE_DEFAULT 8192

/* net_conn_closing - from now on: no reading, close once flushed */
static void
net_conn_closing(struct net_conn *c, const char *reason)
{
	if (c->closing)
		return;
	c->closing = true;
	c->reason = reason;
	c->close_since = mono_ms();
	net_loop_mark(c);
}

/* net_conn_fail - the transport is unusable or the client misbehaved: drop output */
static void
net_conn_fail(struct net_conn *c, const char *reason)
{
	c->failed = true;
	net_buf_clear(&c->out);
	net_buf_clear(&c->in);
	c->starttls = false;
	net_conn_closing(c, reason);
	c->reason = reason;
	net_loop_mark(c);	/* even if it was already closing */
}

/* net_conn_refuse - over a connection limit: the protocol's refusal, then close */
static void
net_conn_refuse(struct net_conn *c, enum net_limit_full full)
{
	const struct net_proto *p = c->listener->proto;

	if (full == NET_LIMIT_ALL)
		log_warn(c->id, "net: %u connections open, max_connections is %u; refusing %s",
		    net_limit_total(c->loop->net->limit), c->loop->net->cfg.max_conn, c->peer);
	else
		log_info(c->id, "too many connections from %s", c->peer);
	if (p->on_too_many)
		p->on_too_many(c, full == NET_LIMIT_ALL);
	net_conn_closing(c, "too many connections");
}

void
net_conn_new(struct net_loop *l, struct net_listener *ls, int fd,
    const char *peer, unsigned port, enum net_limit_full full)
{
	struct net *n = l->net;
	struct net_conn *c = xcalloc(1, sizeof(*c));

	c->kind = NET_EV_CONN;
	c->fd = fd;
	c->loop = l;
	c->listener = ls;
	c->tr = &net_transport_plain;
	log_new_id(c->id);
	snprintf(c->peer, sizeof(c->peer), "%s", peer);
	c->port = port;
	net_buf_init(&c->in, n->cfg.max_input);
	net_buf_init(&c->out, n->cfg.max_output);
	c->max_line = NET_MAX_LINE_DEFAULT;
	c->last_active = c->state_since = mono_ms();
	c->state = NET_CONN_OPEN;
	c->counted = full == NET_LIMIT_OK;
	c->next = l->conns;
	if (l->conns)
		l->conns->prev = c;
	l->conns = c;
	l->nconns++;
	log_info(c->id, "connect from %s port %u to %s (%s)", peer, port, ls->name, ls->proto->name);
	net_loop_mark(c);
	if ((ls->flags & NET_LISTEN_TLS) && n->tls_start(n->tls, c) < 0) {
		net_conn_fail(c, "TLS setup failed");
		return;
	}
	if (full != NET_LIMIT_OK) {
		net_conn_refuse(c, full);
		return;
	}
	c->opened = true;
	c->session = ls->proto->on_open(c);
}

void
net_conn_destroy(struct net_conn *c, const char *reason)
{
	struct net_loop *l = c->loop;
	const struct net_proto *p = c->listener->proto;

	if (c->dead)
		return;
	c->dead = true;
	if (c->registered)
		epoll_ctl(l->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	if (!c->failed && c->state == NET_CONN_OPEN)
		c->tr->shutdown(c, c->trctx);
	c->tr->free(c->trctx);
	close(c->fd);
	if (c->opened && p->on_close)
		p->on_close(c, c->session);
	c->session = NULL;
	if (c->counted)
		net_limit_put(l->net->limit, c->peer);
	log_info(c->id, "disconnect from %s: %s (in %llu, out %llu bytes)", c->peer, reason,
	    (unsigned long long)c->bytes_in, (unsigned long long)c->bytes_out);
	net_buf_free(&c->in);
	net_buf_free(&c->out);
	if (c->in_dirty) {
		struct net_conn **pp = &l->dirty;

		while (*pp != c)
			pp = &(*pp)->dirty_next;
		*pp = c->dirty_next;
	}
	if (c->prev)
		c->prev->next = c->next;
	else
		l->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	l->nconns--;
	c->next = l->zombies;
	l->zombies = c;
}

/* net_conn_reading - whether input should be read from the transport now */
static bool
net_conn_reading(const struct net_conn *c)
{
	return c->state == NET_CONN_OPEN && !c->paused && !c->closing && !c->starttls &&
	    !c->eof && !c->failed;
}

/* net_conn_interest - register what the conn now waits for with epoll */
static void
net_conn_interest(struct net_conn *c)
{
	uint32_t ev = 0;
	int want = 0;

	if (c->failed)
		want = 0;
	else if (c->state == NET_CONN_HANDSHAKE)
		want = c->hs_want;
	else if (net_buf_len(&c->out) > 0)
		want = c->wr_want ? c->wr_want : NET_WANT_WRITE;
	if (want == NET_WANT_READ)
		ev |= EPOLLIN;
	else if (want == NET_WANT_WRITE)
		ev |= EPOLLOUT;
	if (net_conn_reading(c) && net_buf_len(&c->in) < c->in.max)
		ev |= c->rd_want == NET_WANT_WRITE ? EPOLLOUT : EPOLLIN;
	if (c->registered && ev == c->events)
		return;
	if (ev == 0) {
		epoll_ctl(c->loop->epfd, EPOLL_CTL_DEL, c->fd, NULL);
		c->registered = false;
	} else {
		struct epoll_event e = { .events = ev, .data.ptr = c };

		if (epoll_ctl(c->loop->epfd, c->registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, c->fd, &e) < 0) {
			log_error(c->id, "net: epoll_ctl: %s", strerror(errno));
			net_conn_fail(c, "epoll_ctl failed");
			return;
		}
		c->registered = true;
	}
	c->events = ev;
}

/* net_conn_handshake - advance the transport handshake; false while not done */
static bool
net_conn_handshake(struct net_conn *c)
{
	int rc = c->tr->handshake(c, c->trctx);

	if (rc == NET_WANT_READ || rc == NET_WANT_WRITE) {
		c->hs_want = rc;
		return false;
	}
	if (rc < 0) {
		net_conn_fail(c, "TLS handshake failed");
		return false;
	}
	c->hs_want = 0;
	c->state = NET_CONN_OPEN;
	c->last_active = mono_ms();
	if (c->opened && c->listener->proto->on_starttls != NULL)
		c->listener->proto->on_starttls(c, c->session);
	return true;
}

/* net_conn_send - write queued output; then maybe start TLS or drain callbacks */
static void
net_conn_send(struct net_conn *c)
{
	const struct net_proto *p = c->listener->proto;
	bool sent = false;

	while (net_buf_len(&c->out) > 0) {
		ssize_t r = c->tr->write(c, c->trctx, net_buf_peek(&c->out), net_buf_len(&c->out));

		if (r == NET_WANT_READ || r == NET_WANT_WRITE) {
			c->wr_want = (int)r;
			return;
		}
		if (r <= 0) {
			net_conn_fail(c, "write error");
			return;
		}
		net_buf_consume(&c->out, (size_t)r);
		c->bytes_out += (uint64_t)r;
		c->last_active = mono_ms();	/* a slow download is not idle */
		sent = true;
	}
	c->wr_want = 0;
	if (c->starttls) {
		struct net *n = c->loop->net;

		c->starttls = false;
		if (n->tls_start(n->tls, c) < 0)
			net_conn_fail(c, "TLS setup failed");
		return;
	}
	if (sent && c->opened && !c->closing && p->on_drain)
		p->on_drain(c, c->session);
}

/* net_conn_receive - fill the input up to its bound, then let the protocol at it */
static void
net_conn_receive(struct net_conn *c)
{
	const struct net_proto *p = c->listener->proto;
	bool got = false, full = false;
	char *buf;
	size_t room;

	while (net_conn_reading(c)) {
		ssize_t r;

		if ((room = net_buf_space(&c->in, &buf)) == 0) {
			full = true;
			break;
		}
		r = c->tr->read(c, c->trctx, buf, room);
		if (r == NET_WANT_READ || r == NET_WANT_WRITE) {
			c->rd_want = (int)r;
			break;
		}
		c->rd_want = 0;
		if (r == 0) {
			c->eof = true;
			break;
		}
		if (r < 0) {
			net_conn_fail(c, "read error");
			return;
		}
		net_buf_commit(&c->in, (size_t)r);
		c->bytes_in += (uint64_t)r;
		c->last_active = mono_ms();
		got = true;
	}
	/* after end of stream, lines already buffered still count */
	if ((got || c->kick) && c->opened && (net_conn_reading(c) || (c->eof && !c->paused &&
	    !c->closing && !c->starttls && !c->failed))) {
		c->kick = false;
		p->on_input(c, c->session);
		/* a TLS layer may hold decrypted bytes epoll cannot see: come back */
		if (full && net_buf_len(&c->in) < c->in.max)
			net_loop_mark(c);
	}
	if (c->eof && !c->paused && !c->closing)
		net_conn_closing(c, "client closed");
}

void
net_conn_process(struct net_conn *c)
{
	if (c->dead)
		return;
	if (c->state == NET_CONN_HANDSHAKE && !c->failed && !net_conn_handshake(c))
		goto done;
	if (!c->failed)
		net_conn_send(c);
	if (c->state == NET_CONN_HANDSHAKE) {
		net_loop_mark(c);	/* STARTTLS just began: handshake next round */
		goto done;
	}
	if (!c->failed) {
		net_conn_receive(c);
		if (!c->failed)
			net_conn_send(c);
	}
done:
	if (c->closing && !c->paused && (c->failed || (net_buf_len(&c->out) == 0 &&
	    !c->starttls && c->state == NET_CONN_OPEN))) {
		net_conn_destroy(c, c->reason);
		return;
	}
	net_conn_interest(c);
}

void
net_conn_sweep(struct net_conn *c, uint64_t now)
{
	const struct net_proto *p = c->listener->proto;
	struct net *n = c->loop->net;

	/* here, not after every read or flush: a busy conn keeps its buffers */
	net_buf_trim(&c->in);
	net_buf_trim(&c->out);
	if (c->paused || c->failed)
		return;
	if ((c->state == NET_CONN_HANDSHAKE || c->starttls) &&
	    now - c->state_since > n->cfg.handshake_timeout_ms) {
		net_conn_fail(c, "TLS handshake timeout");
	} else if (c->closing) {
		if (now - c->close_since > n->cfg.drain_timeout_ms)
			net_conn_fail(c, "timeout sending the last reply");
	} else if (c->idle_ms && c->state == NET_CONN_OPEN && now - c->last_active > c->idle_ms) {
		if (c->opened && p->on_timeout)
			p->on_timeout(c, c->session);
		net_conn_closing(c, "idle timeout");
	}
}

void
net_conn_stop(struct net_conn *c)
{
	const struct net_proto *p = c->listener->proto;

	if (c->closing)
		return;
	/* a goodbye now would reach a client expecting a TLS handshake */
	if (c->starttls) {
		net_conn_fail(c, "server shutdown");
		return;
	}
	if (c->opened && p->on_shutdown)
		p->on_shutdown(c, c->session);
	net_conn_closing(c, "server shutdown");
}

void
net_conn_set_transport(struct net_conn *c, const struct net_transport *t, void *ctx, bool is_tls)
{
	c->tr->free(c->trctx);
	c->tr = t;
	c->trctx = ctx;
	c->tls = is_tls;
	c->rd_want = c->wr_want = c->hs_want = 0;
	if (t->handshake) {
		c->state = NET_CONN_HANDSHAKE;
		c->state_since = mono_ms();
	}
	net_loop_mark(c);
}

int
net_conn_fd(const struct net_conn *c)
{
	return c->fd;
}

const char *
net_conn_id(const struct net_conn *c)
{
	return c->id;
}

const char *
net_conn_peer(const struct net_conn *c)
{
	return c->peer;
}

unsigned
net_conn_peer_port(const struct net_conn *c)
{
	return c->port;
}

bool
net_conn_is_tls(const struct net_conn *c)
{
	return c->tls;
}

bool
net_conn_can_starttls(const struct net_conn *c)
{
	return !c->tls && !c->starttls && !net_conn_is_compressed(c) && c->loop->net->tls_start != NULL;
}

void *
net_conn_listener_arg(const struct net_conn *c)
{
	return c->listener->arg;
}

struct net_loop *
net_conn_loop(const struct net_conn *c)
{
	return c->loop;
}

void
net_conn_set_idle_timeout(struct net_conn *c, unsigned ms)
{
	c->idle_ms = ms;
	c->last_active = mono_ms();
}

void
net_conn_set_max_line(struct net_conn *c, size_t max)
{
	c->max_line = max;
}

int
net_conn_getline(struct net_conn *c, char **line_r, size_t *len_r)
{
	return net_buf_getline(&c->in, c->max_line, line_r, len_r);
}

size_t
net_conn_read(struct net_conn *c, void *dst, size_t n)
{
	size_t len = net_buf_len(&c->in);

	if (n > len)
		n = len;
	memcpy(dst, net_buf_peek(&c->in), n);
	net_buf_consume(&c->in, n);
	return n;
}

size_t
net_conn_input_len(const struct net_conn *c)
{
	return net_buf_len(&c->in);
}

int
net_conn_write(struct net_conn *c, const void *p, size_t n)
{
	if (c->failed || c->dead)
		return NET_ECLOSED;
	if (net_buf_append(&c->out, p, n) < 0) {
		log_warn(c->id, "output over %zu bytes: client not reading", c->out.max);
		net_conn_fail(c, "output buffer full");
		return NET_EFULL;
	}
	net_loop_mark(c);
	return 0;
}

int
net_conn_printf(struct net_conn *c, const char *fmt, ...)
{
	char small[512], *s = small;
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return NET_EIO;
	if ((size_t)n >= sizeof(small)) {
		s = xmalloc((size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(s, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	rc = net_conn_write(c, s, (size_t)n);
	if (s != small)
		free(s);
	return rc;
}

size_t
net_conn_output_len(const struct net_conn *c)
{
	return net_buf_len(&c->out);
}

void
net_conn_pause(struct net_conn *c)
{
	c->paused++;
}

void
net_conn_resume(struct net_conn *c)
{
	if (c->paused == 0)
		log_panic("net_conn_resume: %s is not paused", c->id);
	if (--c->paused == 0) {
		c->kick = net_buf_len(&c->in) > 0;
		net_loop_mark(c);
	}
}

int
net_conn_starttls(struct net_conn *c)
{
	size_t n = net_buf_len(&c->in);

	if (!net_conn_can_starttls(c) || c->closing)
		return NET_ENOTLS;
	/* anything pipelined after STARTTLS was sent in clear: never run it */
	if (n > 0)
		log_warn(c->id, "discarding %zu bytes sent after STARTTLS", n);
	net_buf_clear(&c->in);
	c->starttls = true;
	c->state_since = mono_ms();
	net_loop_mark(c);
	return 0;
}

void
net_conn_close(struct net_conn *c)
{
	net_conn_closing(c, "closed by server");
}

void
net_conn_abort(struct net_conn *c)
{
	net_conn_fail(c, "aborted by server");
}

const char *
net_strerror(int err)
{
	static const char *const msg[] = {
		"success", "no complete line yet", "line too long", "output buffer full",
		"connection closing", "loop stopped", "TLS not available", "bad address",
		"system error", "I/O error", "want read", "want write",
	};

	if (err > 0 || -err >= (int)(sizeof(msg) / sizeof(msg[0])))
		return "unknown error";
	return msg[-err];
}
