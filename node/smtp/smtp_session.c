/*
 * smtp_session.c - the LMTP/SMTP session on the network core: open,
 * greeting, the input loop, limits, timeouts, shutdown, close.
 *
 * Input: raw bytes are pulled from net into s->in only when the session
 * cannot progress with what it holds, so the buffer stays bounded by one
 * command line or one read chunk. Command lines are cut here (with the
 * smtp_max_line limit); message bytes go through the dot-unstuffing
 * machine (DATA) or are counted out (BDAT) and appended by smtp_cmd.c.
 *
 * Hazard: a session that is busy (delivery in flight) must not consume
 * input; smtp_deliver.c calls smtp_process() again once the replies are
 * out, because net only calls on_input for bytes it still holds itself.
 */
#include "smtp/smtp.h"
#include "smtp/smtp_int.h"
#include "smtp/smtp_parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf.h"
#include "net/net.h"
#include "svc/svc.h"
#include "util/cidr.h"
#include "util/hostname.h"
#include "util/log.h"
#include "util/xalloc.h"

#define SMTP_READ_CHUNK (16 * 1024)

void
smtp_reply(struct smtp_session *s, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = svc_line_vformat(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	log_debug(s->mail ? s->qid : s->id, "> %.*s", n - 2, line);
	net_conn_write(s->c, line, (size_t)n);
}

void
smtp_close(struct smtp_session *s)
{
	s->state = SMTP_S_DONE;
	net_conn_close(s->c);
}

void
smtp_bad(struct smtp_session *s)
{
	if (++s->bad < SMTP_BAD_MAX)
		return;
	log_warn(s->id, "%u bad commands in a row from %s; closing", s->bad, net_conn_peer(s->c));
	smtp_reply(s, "421 4.7.0 %s Too many errors, closing connection", s->hostname);
	smtp_close(s);
}

/* smtp_pull - more bytes from net into s->in; the count taken */
static size_t
smtp_pull(struct smtp_session *s)
{
	size_t n;

	if (s->in_off > 0 && s->in_off == s->in.len) {
		buf_reset(&s->in);
		s->in_off = 0;
	} else if (s->in_off > SMTP_READ_CHUNK) {
		memmove(s->in.data, s->in.data + s->in_off, s->in.len - s->in_off);
		s->in.len -= s->in_off;
		s->in_off = 0;
	}
	buf_reserve(&s->in, SMTP_READ_CHUNK);
	n = net_conn_read(s->c, s->in.data + s->in.len, SMTP_READ_CHUNK);
	s->in.len += n;
	return n;
}

/* smtp_take_line - one command line off s->in; false when none is complete */
static bool
smtp_take_line(struct smtp_session *s)
{
	size_t max = (size_t)s->env->conf->smtp_max_line;
	size_t avail = s->in.len - s->in_off, n;
	char *p, *nl;
	struct smtp_cmd cmd;
	int rc;

	if (avail == 0)
		return false;	/* and in.data may still be NULL */
	p = s->in.data + s->in_off;
	nl = memchr(p, '\n', avail);
	if (s->skipping) {
		s->in_off += nl ? (size_t)(nl - p) + 1 : avail;
		s->skipping = nl == NULL;
		return nl != NULL;
	}
	if (nl == NULL) {
		if (avail <= max + 1)
			return false;
		s->in_off += avail;
		s->skipping = true;
		n = avail;
		goto toolong;
	}
	n = (size_t)(nl - p);
	s->in_off += n + 1;
	if (n > 0 && p[n - 1] == '\r')
		n--;
	if (n > max)
		goto toolong;
	if (s->sasl.more) {
		smtp_auth_line(s, p, n);	/* not logged: it holds a password */
		return true;
	}
	log_debug(s->mail ? s->qid : s->id, "< %.*s", (int)(n > 200 ? 200 : n), p);
	if ((rc = smtp_parse_line(p, n, &cmd)) != 0) {
		log_info(s->id, "bad command from %s: %s", net_conn_peer(s->c),
		    smtp_parse_reply(rc));
		smtp_reply(s, "%s", smtp_parse_reply(rc));
		smtp_bad(s);
		return true;
	}
	smtp_command(s, &cmd);
	return true;

toolong:
	log_info(s->id, "command line over %zu bytes from %s", max, net_conn_peer(s->c));
	smtp_reply(s, "500 5.5.2 Line too long (at most %zu bytes)", max);
	smtp_bad(s);
	return true;
}

/* smtp_take_data - DATA bytes through the unstuffer; false when none */
static bool
smtp_take_data(struct smtp_session *s)
{
	size_t avail = s->in.len - s->in_off, outlen, used;
	char out[SMTP_READ_CHUNK + 1];
	bool done;

	if (avail == 0)
		return false;
	if (avail > SMTP_READ_CHUNK)
		avail = SMTP_READ_CHUNK;
	used = smtp_dot_feed(&s->dot, s->in.data + s->in_off, avail, out, &outlen, &done);
	s->in_off += used;
	smtp_body_append(s, out, outlen);
	if (done)
		smtp_data_end(s);
	return true;
}

/* smtp_take_bdat - bytes of the current chunk; false when none */
static bool
smtp_take_bdat(struct smtp_session *s)
{
	size_t avail = s->in.len - s->in_off;

	if (s->bdat_left == 0) {
		smtp_data_end(s);
		return true;
	}
	if (avail == 0)
		return false;
	if (avail > s->bdat_left)
		avail = (size_t)s->bdat_left;
	smtp_body_append(s, s->in.data + s->in_off, avail);
	s->in_off += avail;
	s->bdat_left -= avail;
	if (s->bdat_left == 0)
		smtp_data_end(s);
	return true;
}

void
smtp_process(struct smtp_session *s)
{
	while (!s->busy && s->state != SMTP_S_DONE) {
		bool progress;

		switch (s->state) {
		case SMTP_S_CMD:
			progress = smtp_take_line(s);
			break;
		case SMTP_S_DATA:
			progress = smtp_take_data(s);
			break;
		case SMTP_S_BDAT:
			progress = smtp_take_bdat(s);
			break;
		default:
			return;
		}
		if (!progress && smtp_pull(s) == 0)
			break;
	}
}

/* smtp_flavour_name - for logs */
static const char *
smtp_flavour_name(enum smtp_flavour fl)
{
	return fl == SMTP_LMTP ? "lmtp" : fl == SMTP_SMTP ? "smtp" : "submission";
}

/* smtp_refused - a peer outside networks (the config key named key): 554, logged */
static bool
smtp_refused(struct smtp_session *s, const char *networks, const char *key)
{
	int trusted = cidr_match(networks, net_conn_peer(s->c));

	if (trusted < 0)
		log_error(s->id, "%s '%s' is malformed: refusing everybody", key, networks);
	if (trusted == 1)
		return false;
	log_warn(s->id, "%s: %s is not in %s; refused", smtp_flavour_name(s->fl), net_conn_peer(s->c),
	    key);
	smtp_reply(s, "554 5.7.1 %s Access denied: not a trusted relay", s->hostname);
	return true;
}

/* smtp_open - the greeting, or a refusal for an untrusted LMTP or SMTP client */
static void *
smtp_open(struct net_conn *c, enum smtp_flavour fl)
{
	struct smtp_session *s = xcalloc(1, sizeof(*s));
	const struct conf *cf;

	s->c = c;
	s->env = net_conn_listener_arg(c);
	s->fl = fl;
	s->id = net_conn_id(c);
	cf = s->env->conf;
	hostname_pick(s->env->hostname, s->hostname, sizeof(s->hostname));
	net_conn_set_idle_timeout(c, (unsigned)cf->smtp_idle_timeout * 1000);
	if ((fl == SMTP_SMTP && smtp_refused(s, cf->smtp_trusted_networks, "smtp_trusted_networks")) ||
	    (fl == SMTP_LMTP && smtp_refused(s, cf->lmtp_trusted_networks, "lmtp_trusted_networks"))) {
		smtp_close(s);
		return s;
	}
	log_info(s->id, "%s: connect from %s port %u", smtp_flavour_name(fl), net_conn_peer(c),
	    net_conn_peer_port(c));
	smtp_reply(s, "220 %s Duplex %s ready", s->hostname, fl == SMTP_LMTP ? "LMTP" : "ESMTP");
	return s;
}

static void *
smtp_open_submission(struct net_conn *c)
{
	return smtp_open(c, SMTP_SUBMISSION);
}

static void *
smtp_open_lmtp(struct net_conn *c)
{
	return smtp_open(c, SMTP_LMTP);
}

static void *
smtp_open_smtp(struct net_conn *c)
{
	return smtp_open(c, SMTP_SMTP);
}

static void
smtp_input(struct net_conn *c, void *session)
{
	smtp_process(session);
}

/* smtp_shutdown - 421 now, or after the in-flight delivery has answered */
static void
smtp_shutdown(struct net_conn *c, void *session)
{
	struct smtp_session *s = session;

	if (s->state == SMTP_S_DONE)
		return;
	smtp_auth_shutdown(s);
	if (s->busy) {
		s->shutdown = true;	/* smtp_deliver.c says goodbye */
		return;
	}
	if (s->mail)
		log_info(s->qid, "transaction abandoned: server shutting down");
	smtp_reply(s, "421 4.3.2 %s Service shutting down", s->hostname);
	s->state = SMTP_S_DONE;
}

static void
smtp_timeout(struct net_conn *c, void *session)
{
	struct smtp_session *s = session;

	log_info(s->id, "idle timeout; closing");
	smtp_reply(s, "421 4.4.2 %s Idle timeout, closing connection", s->hostname);
	s->state = SMTP_S_DONE;
}

static void
smtp_session_close(struct net_conn *c, void *session)
{
	struct smtp_session *s = session;

	if (s->mail)
		log_info(s->qid, "transaction abandoned: connection closed");
	log_info(s->id, "disconnect from %s", net_conn_peer(c));
	net_timer_cancel(&s->delay);
	smtp_txn_reset(s);
	buf_free(&s->in);
	buf_free(&s->msg);
	free(s);
}

/* smtp_too_many - max_connections_per_ip, or (all) max_connections */
static void
smtp_too_many(struct net_conn *c, bool all)
{
	if (all)
		net_conn_printf(c, "421 4.3.2 Too many connections, try again later\r\n");
	else
		net_conn_printf(c, "421 4.7.0 Too many connections from %s\r\n", net_conn_peer(c));
}

const struct net_proto smtp_proto_lmtp = {
	.name = "lmtp",
	.on_open = smtp_open_lmtp,
	.on_input = smtp_input,
	.on_shutdown = smtp_shutdown,
	.on_timeout = smtp_timeout,
	.on_close = smtp_session_close,
	.on_too_many = smtp_too_many,
};

const struct net_proto smtp_proto_smtp = {
	.name = "smtp",
	.on_open = smtp_open_smtp,
	.on_input = smtp_input,
	.on_shutdown = smtp_shutdown,
	.on_timeout = smtp_timeout,
	.on_close = smtp_session_close,
	.on_too_many = smtp_too_many,
};

const struct net_proto smtp_proto_submission = {
	.name = "submission",
	.on_open = smtp_open_submission,
	.on_input = smtp_input,
	.on_shutdown = smtp_shutdown,
	.on_timeout = smtp_timeout,
	.on_close = smtp_session_close,
	.on_too_many = smtp_too_many,
};
