/*
 * relay_client.c - the SMTP client of the relay worker: EHLO, STARTTLS
 * (relay_tls), MAIL, one RCPT per recipient, DATA with dot-stuffing, QUIT,
 * over a blocking socket with RELAY_IO_TIMEOUT_S on every step.
 *
 * No pipelining: one command, one reply, which keeps the per-recipient
 * bookkeeping obvious; the relay runs off the request path.
 */
#include "relay/relay_int.h"

#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "conf/conf.h"
#include "tls/tls_client.h"
#include "util/buf.h"
#include "util/hostport.h"
#include "util/log.h"

#define RELAY_LINE_MAX 4096

struct relay_conn {
	int fd;
	struct tls_client *tls;
	const char *qid;
	char in[RELAY_LINE_MAX];
	size_t len, off;
	char err[RELAY_REPLY_TEXT_MAX + 1];	/* why the conversation stopped */
};

/* conn_fail - remember why; -1 */
static int
conn_fail(struct relay_conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
conn_fail(struct relay_conn *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	return -1;
}

/* conn_open - a TCP connection to host:port with the I/O timeout set */
static int
conn_open(struct relay_conn *c, const char *hostport)
{
	struct timeval tv = { .tv_sec = RELAY_IO_TIMEOUT_S };
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai, *a;
	char host[256], port[8];
	unsigned p;
	int rc;

	if (hostport_split(hostport, host, sizeof(host), &p) < 0)
		return conn_fail(c, "relay_host '%s' is not host:port", hostport);
	snprintf(port, sizeof(port), "%u", p);
	if ((rc = getaddrinfo(host, port, &hints, &ai)) != 0)
		return conn_fail(c, "%s: %s", host, gai_strerror(rc));
	c->fd = -1;
	for (a = ai; a != NULL && c->fd < 0; a = a->ai_next) {
		if ((c->fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, 0)) < 0)
			continue;
		setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (connect(c->fd, a->ai_addr, a->ai_addrlen) != 0) {
			conn_fail(c, "connect to %s: %s", hostport, strerror(errno));
			close(c->fd);
			c->fd = -1;
		}
	}
	freeaddrinfo(ai);
	return c->fd < 0 ? -1 : 0;
}

/* conn_write - all of p, in clear or over TLS */
static int
conn_write(struct relay_conn *c, const void *p, size_t n)
{
	const char *s = p;

	if (c->tls != NULL)
		return tls_client_write(c->tls, p, n) == 0 ? 0 : conn_fail(c, "TLS write failed");
	while (n > 0) {
		ssize_t w = send(c->fd, s, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return conn_fail(c, "write: %s", w < 0 ? strerror(errno) : "closed");
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* conn_fill - more bytes into c->in; -1 at end, error or timeout */
static int
conn_fill(struct relay_conn *c)
{
	ssize_t n;

	if (c->off > 0) {
		memmove(c->in, c->in + c->off, c->len - c->off);
		c->len -= c->off;
		c->off = 0;
	}
	if (c->len == sizeof(c->in))
		return conn_fail(c, "reply line over %d bytes", RELAY_LINE_MAX);
	do {
		n = c->tls != NULL ? tls_client_read(c->tls, c->in + c->len, sizeof(c->in) - c->len) :
		    recv(c->fd, c->in + c->len, sizeof(c->in) - c->len, 0);
	} while (n < 0 && c->tls == NULL && errno == EINTR);
	if (n <= 0)
		return conn_fail(c, "no reply from the smart host (%s)",
		    n == 0 ? "connection closed" : c->tls ? "TLS read failed" : strerror(errno));
	c->len += (size_t)n;
	return 0;
}

/* conn_reply - one whole reply into r; -1 with c->err when there is none */
static int
conn_reply(struct relay_conn *c, struct relay_reply *r)
{
	relay_reply_init(r);
	for (;;) {
		char *line = c->in + c->off, *nl = memchr(line, '\n', c->len - c->off);
		size_t n;
		int rc;

		if (nl == NULL) {
			if (conn_fill(c) < 0)
				return -1;
			continue;
		}
		n = (size_t)(nl - line);
		c->off += n + 1;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		log_debug(c->qid, "relay < %.*s", (int)(n > 200 ? 200 : n), line);
		if ((rc = relay_reply_line(r, line, n)) == RELAY_REPLY_EBAD)
			return conn_fail(c, "malformed reply from the smart host");
		if (rc == RELAY_REPLY_DONE)
			return 0;
	}
}

/* conn_cmd - one command line, then its reply */
static int
conn_cmd(struct relay_conn *c, struct relay_reply *r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
conn_cmd(struct relay_conn *c, struct relay_reply *r, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 2, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line) - 2)
		return conn_fail(c, "command too long");
	log_debug(c->qid, "relay > %s", line);
	memcpy(line + n, "\r\n", 2);
	if (conn_write(c, line, (size_t)n + 2) < 0)
		return -1;
	return conn_reply(c, r);
}

/* conn_starttls - RFC 3207 as the client, the certificate checked as relay_tls says */
static int
conn_starttls(struct relay_conn *c, const struct conf *cf, const char *helo, struct relay_reply *r)
{
	char why[sizeof(c->err)], host[256];
	unsigned port;

	if (conn_cmd(c, r, "STARTTLS") < 0)
		return -1;
	if (r->code != 220)
		return conn_fail(c, "STARTTLS refused: %s", r->text);
	hostport_split(cf->relay_host, host, sizeof(host), &port);
	if ((c->tls = tls_client_start(c->fd, cf->relay_tls_name[0] ? cf->relay_tls_name : host,
	    cf->relay_tls == CONF_RELAY_TLS_VERIFY, cf->relay_tls_ca_file, why, sizeof(why))) == NULL)
		return conn_fail(c, "%s", why);
	log_info(c->qid, "relay: %s with the smart host%s", tls_client_version(c->tls),
	    cf->relay_tls == CONF_RELAY_TLS_VERIFY ? ", certificate verified" : "");
	c->len = c->off = 0;
	if (conn_cmd(c, r, "EHLO %s", helo) < 0)
		return -1;
	return r->code / 100 == 2 ? 0 : conn_fail(c, "EHLO after STARTTLS: %s", r->text);
}

/* conn_hello - greeting, EHLO, and STARTTLS as relay_tls says */
static int
conn_hello(struct relay_conn *c, const struct conf *cf, const char *helo, struct relay_reply *r)
{
	if (conn_reply(c, r) < 0 || r->code / 100 != 2)
		return -1;
	if (conn_cmd(c, r, "EHLO %s", helo) < 0 || r->code / 100 != 2)
		return -1;
	if (cf->relay_tls == CONF_RELAY_TLS_NONE ||
	    (!r->starttls && cf->relay_tls == CONF_RELAY_TLS_MAY))
		return 0;
	if (!r->starttls)
		return conn_fail(c, "the smart host does not offer STARTTLS (relay_tls = %s)",
		    cf->relay_tls == CONF_RELAY_TLS_VERIFY ? "verify" : "starttls-required");
	return conn_starttls(c, cf, helo, r);
}

/* stuff - the message as DATA sends it: CRLF lines, leading dots doubled, the end marker */
static void
stuff(const char *msg, size_t len, struct buf *out)
{
	bool bol = true;

	for (size_t i = 0; i < len; i++) {
		if (bol && msg[i] == '.')
			buf_putc(out, '.');
		if (msg[i] == '\n' && (i == 0 || msg[i - 1] != '\r'))
			buf_putc(out, '\r');
		buf_putc(out, msg[i]);
		bol = msg[i] == '\n';
	}
	buf_puts(out, bol || len == 0 ? ".\r\n" : "\r\n.\r\n");
}

/* set_all - the same outcome for every recipient still waiting for one */
static void
set_all(const struct store_queue_entry *e, struct relay_rcpt_result *res, int code,
    const char *text, bool only_accepted)
{
	for (size_t i = 0; i < e->nrcpt; i++) {
		if (only_accepted && res[i].code / 100 != 2)
			continue;
		res[i].code = code;
		snprintf(res[i].text, sizeof(res[i].text), "%s", text);
	}
}

/* conn_data - DATA, the stuffed message, and the answer for the accepted recipients */
static int
conn_data(struct relay_conn *c, const struct store_queue_entry *e,
    struct relay_rcpt_result *res, struct relay_reply *r)
{
	struct buf body = BUF_INIT;
	int rc;

	if (conn_cmd(c, r, "DATA") < 0)
		return -1;
	if (r->code != 354) {
		set_all(e, res, r->code, r->text, true);
		return 0;
	}
	stuff(e->msg, e->msglen, &body);
	rc = conn_write(c, body.data, body.len);
	buf_free(&body);
	if (rc < 0 || conn_reply(c, r) < 0)
		return -1;
	set_all(e, res, r->code, r->text, true);
	return 0;
}

/* conn_envelope - MAIL and RCPT; the count of recipients the smart host took */
static int
conn_envelope(struct relay_conn *c, const struct store_queue_entry *e,
    struct relay_rcpt_result *res, struct relay_reply *r)
{
	int ok = 0;

	if (conn_cmd(c, r, "MAIL FROM:<%s>", e->from) < 0)
		return -1;
	if (r->code / 100 != 2) {
		set_all(e, res, r->code, r->text, false);
		return 0;
	}
	for (size_t i = 0; i < e->nrcpt; i++) {
		if (conn_cmd(c, r, "RCPT TO:<%s>", e->rcpts[i]) < 0)
			return -1;
		res[i].code = r->code;
		snprintf(res[i].text, sizeof(res[i].text), "%s", r->text);
		ok += r->code / 100 == 2;
	}
	return ok;
}

void
relay_client_send(const struct conf *cf, const char *helo, const struct store_queue_entry *e,
    struct relay_rcpt_result *res)
{
	struct relay_conn c = { .fd = -1, .qid = e->qid };
	struct relay_reply r;
	int ok;

	relay_reply_init(&r);
	set_all(e, res, 0, "", false);
	if (conn_open(&c, cf->relay_host) < 0 || conn_hello(&c, cf, helo, &r) < 0)
		goto stopped;
	if ((ok = conn_envelope(&c, e, res, &r)) < 0)
		goto stopped;
	if (ok > 0 && conn_data(&c, e, res, &r) < 0)
		goto stopped;
	conn_cmd(&c, &r, "QUIT");
	goto out;
stopped:
	/*
	 * Nothing was delivered. A recipient the smart host refused for good
	 * keeps that answer; the others get the refusal that stopped us (a
	 * greeting or EHLO reply), or why the conversation broke off.
	 */
	for (size_t i = 0; i < e->nrcpt; i++) {
		if (res[i].code / 100 == 5)
			continue;
		res[i].code = c.err[0] ? 0 : r.code;
		snprintf(res[i].text, sizeof(res[i].text), "%s", c.err[0] ? c.err : r.text);
	}
out:
	tls_client_free(&c.tls);
	if (c.fd >= 0)
		close(c.fd);
}
