/*
 * pop3_session.c - a POP3 connection: greeting, the command loop, limits,
 * timeouts and goodbyes. Commands are handled in pop3_auth.c (logging in),
 * pop3_cmd.c (the maildrop) and pop3_stream.c (multi-line replies).
 *
 * The loop takes one line at a time and stops as soon as a command waits
 * (a store call pauses the connection; a streamed reply waits for on_drain),
 * so pipelined commands run strictly in order and their replies never mix.
 * Hazard: nothing here may block; see svc.h for how blocking work is done.
 */
#include "pop3/pop3.h"
#include "pop3/pop3_int.h"

#include <stdarg.h>
#include <stdlib.h>

#include "conf/conf.h"
#include "net/net.h"
#include "svc/svc.h"
#include "util/log.h"
#include "util/xalloc.h"

void
pop3_reply(struct pop3_session *s, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = svc_line_vformat(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n >= 0)
		net_conn_write(s->c, line, (size_t)n);
}

/* pop3_bad - answer a bad command; false (stop) once there were too many */
bool
pop3_bad(struct pop3_session *s, const char *why)
{
	if (++s->bad >= POP3_MAX_BAD) {
		log_info(s->id, "pop3: too many bad commands; disconnecting");
		pop3_reply(s, "-ERR Too many bad commands.");
		net_conn_close(s->c);
		return false;
	}
	pop3_reply(s, "-ERR %s", why);
	return true;
}

/* pop3_open - a new connection: limits and the greeting */
static void *
pop3_open(struct net_conn *c)
{
	struct pop3_session *s = xcalloc(1, sizeof(*s));

	s->c = c;
	s->env = net_conn_listener_arg(c);
	s->id = net_conn_id(c);
	s->state = POP3_ST_AUTH;
	net_conn_set_max_line(c, POP3_MAX_LINE);
	net_conn_set_idle_timeout(c, (unsigned)s->env->conf->pop3_login_timeout * 1000);
	pop3_reply(s, "+OK %s%sDuplex POP3 ready.", s->env->hostname ? s->env->hostname : "",
	    s->env->hostname ? " " : "");
	return s;
}

/* pop3_dispatch - one parsed command in the session's state; false: stop reading */
static bool
pop3_dispatch(struct pop3_session *s, const struct pop3_cmd *cmd)
{
	switch (cmd->verb) {
	case POP3_CAPA:
		return pop3_cmd_capa(s);
	case POP3_QUIT:
		return pop3_cmd_quit(s);
	case POP3_NOOP:
		if (s->state != POP3_ST_TRANS)
			break;
		pop3_reply(s, "+OK");
		return true;
	case POP3_STLS:
		return pop3_cmd_stls(s);
	case POP3_USER:
		return pop3_cmd_user(s, cmd);
	case POP3_PASS:
		return pop3_cmd_pass(s, cmd);
	case POP3_AUTH:
		return pop3_cmd_auth(s, cmd);
	default:
		if (s->state == POP3_ST_TRANS)
			return pop3_cmd_trans(s, cmd);
		break;
	}
	return pop3_bad(s, s->state == POP3_ST_AUTH ? "Unknown command." :
	    "Command not valid in this state.");
}

/* pop3_line - one input line, in the AUTHORIZATION, SASL or TRANSACTION state */
static bool
pop3_line(struct pop3_session *s, const char *line, size_t len)
{
	struct pop3_cmd cmd;
	int rc;

	if (s->state == POP3_ST_SASL)
		return pop3_sasl_line(s, line, len);
	switch ((rc = pop3_parse(line, len, &cmd))) {
	case POP3_PARSE_OK:
		log_debug(s->id, "pop3: %s", pop3_verb_name(cmd.verb));
		return pop3_dispatch(s, &cmd);
	case POP3_PARSE_EUNKNOWN:
	case POP3_PARSE_EEMPTY:
		return pop3_bad(s, "Unknown command.");
	case POP3_PARSE_EBINARY:
		return pop3_bad(s, "Invalid characters in command.");
	default:
		return pop3_bad(s, "Invalid arguments.");
	}
}

void
pop3_input(struct net_conn *c, void *session)
{
	struct pop3_session *s = session;
	char *line;
	size_t len;
	int rc;

	while (!s->busy && s->st.kind == POP3_STREAM_NONE && s->state != POP3_ST_UPDATE &&
	    (rc = net_conn_getline(c, &line, &len)) != NET_EAGAIN) {
		if (rc == NET_ETOOLONG) {
			if (s->state == POP3_ST_SASL)
				s->state = POP3_ST_AUTH;
			if (!pop3_bad(s, "Line too long."))
				return;
			continue;
		}
		if (rc < 0 || !pop3_line(s, line, len))
			return;
	}
}

/* pop3_drain - the output went out: feed a streamed reply, then pipelined commands */
static void
pop3_drain(struct net_conn *c, void *session)
{
	struct pop3_session *s = session;

	if (s->st.kind == POP3_STREAM_NONE)
		return;
	pop3_stream_pump(s);
	if (s->st.kind == POP3_STREAM_NONE && net_conn_input_len(c) > 0)
		pop3_input(c, s);
}

/* pop3_shutdown - net_stop(): say why, without committing any deletion */
static void
pop3_shutdown(struct net_conn *c, void *session)
{
	struct pop3_session *s = session;

	if (s->st.kind != POP3_STREAM_NONE) {
		/* mid-reply: a line now would corrupt it; the close says enough */
		s->st.kind = POP3_STREAM_NONE;
		return;
	}
	if (s->busy) {
		pop3_auth_shutdown(s);	/* a running store call answers for itself */
		return;
	}
	pop3_reply(s, "-ERR [SYS/TEMP] Server shutting down.");
}

/* pop3_timeout - idle too long: RFC 1939 says close without the UPDATE state */
static void
pop3_timeout(struct net_conn *c, void *session)
{
	struct pop3_session *s = session;

	if (s->st.kind == POP3_STREAM_NONE)
		pop3_reply(s, "-ERR Disconnected for inactivity.");
}

/* pop3_close - the destructor: timers, the maildrop lock, memory */
static void
pop3_close(struct net_conn *c, void *session)
{
	struct pop3_session *s = session;

	net_timer_cancel(&s->delay);
	if (s->locked)
		pop3_lock_release(s->md.addr);
	if (s->state == POP3_ST_TRANS)
		log_info(s->id, "pop3: %s: session ended without QUIT; nothing deleted", s->md.addr);
	pop3_maildrop_free(&s->md);
	buf_free(&s->out);
	free(s);
}

/* pop3_too_many - max_connections_per_ip, or (all) max_connections */
static void
pop3_too_many(struct net_conn *c, bool all)
{
	net_conn_printf(c, "-ERR [SYS/TEMP] Too many connections%s.\r\n",
	    all ? ", try again later" : " from your address");
}

const struct net_proto pop3_proto = {
	.name = "pop3",
	.on_open = pop3_open,
	.on_input = pop3_input,
	.on_shutdown = pop3_shutdown,
	.on_timeout = pop3_timeout,
	.on_drain = pop3_drain,
	.on_close = pop3_close,
	.on_too_many = pop3_too_many,
};
