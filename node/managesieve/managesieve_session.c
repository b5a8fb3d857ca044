/*
 * managesieve_session.c - a ManageSieve connection: the capability
 * greeting, reading commands with their literals, the states, limits,
 * timeouts and goodbyes. Logging in is managesieve_auth.c's, the script
 * commands managesieve_cmd.c's.
 *
 * A command is read whole before it runs: a line, and when it ends with a
 * literal ("{n+}" or "{n}"; the server sends no continuation for either)
 * the n bytes and the next line, into s->cmd. A line over MS_MAX_LINE ends
 * the connection (BYE): what follows it cannot be told from commands. A
 * literal over ms_max_literal() (sieve_max_script_size, or less
 * sieve_max_user_size) is read and dropped, and the command answered NO
 * (QUOTA/MAXSIZE). The loop stops while a command waits on the
 * store, so pipelined commands run strictly in order.
 * Hazard: nothing here may block; see svc.h for how blocking work is done.
 */
#include "managesieve/managesieve.h"
#include "managesieve/managesieve_int.h"

#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "net/net.h"
#include "sieve/sieve.h"
#include "sieve/sieve_conf.h"
#include "svc/svc.h"
#include "util/log.h"
#include "util/xalloc.h"

void
ms_quote(struct buf *b, const char *text)
{
	buf_putc(b, '"');
	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			buf_putc(b, '\\');
		buf_putc(b, *p == '\r' || *p == '\n' ? ' ' : *p);
	}
	buf_putc(b, '"');
}

void
ms_reply(struct ms_session *s, const char *status, const char *code, const char *text)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, status);
	if (code != NULL)
		buf_printf(&b, " (%s)", code);
	if (text != NULL) {
		buf_putc(&b, ' ');
		ms_quote(&b, text);
	}
	buf_puts(&b, "\r\n");
	net_conn_write(s->c, b.data, b.len);
	buf_free(&b);
}

bool
ms_bad(struct ms_session *s, const char *why)
{
	if (++s->bad >= MS_MAX_BAD) {
		log_info(s->id, "managesieve: too many bad commands; disconnecting");
		ms_reply(s, "BYE", NULL, "Too many bad commands.");
		net_conn_close(s->c);
		return false;
	}
	ms_reply(s, "NO", NULL, why);
	return true;
}

uint64_t
ms_max_literal(const struct ms_session *s)
{
	uint64_t user = s->env->conf->sieve_max_user_size;
	uint64_t script = s->env->conf->sieve_max_script_size;

	return user > 0 && user < script ? user : script;
}

void
ms_capability(struct ms_session *s)
{
	struct sieve_limits lim;
	bool plain = auth_plaintext_allowed(s->c, s->env->conf);

	sieve_limits_conf(&lim, s->env->conf);
	net_conn_printf(s->c, "\"IMPLEMENTATION\" \"Duplex\"\r\n"
	    "\"SASL\" \"%s\"\r\n"
	    "\"SIEVE\" \"%s\"\r\n", s->state == MS_ST_ANON && plain ? "PLAIN LOGIN" : "",
	    sieve_capability());
	if (s->state == MS_ST_ANON && !net_conn_is_tls(s->c) && net_conn_can_starttls(s->c))
		net_conn_printf(s->c, "\"STARTTLS\"\r\n");
	net_conn_printf(s->c, "\"MAXREDIRECTS\" \"%u\"\r\n\"UNAUTHENTICATE\"\r\n"
	    "\"VERSION\" \"1.0\"\r\n", lim.max_redirects);
	if (s->state == MS_ST_AUTH)
		net_conn_printf(s->c, "\"OWNER\" \"%s\"\r\n", s->user);
}

/* ms_open - a new connection: limits and the capability greeting */
static void *
ms_open(struct net_conn *c)
{
	struct ms_session *s = xcalloc(1, sizeof(*s));

	s->c = c;
	s->env = net_conn_listener_arg(c);
	s->id = net_conn_id(c);
	s->state = MS_ST_ANON;
	net_conn_set_max_line(c, MS_MAX_LINE);
	net_conn_set_idle_timeout(c, (unsigned)s->env->conf->managesieve_login_timeout * 1000);
	ms_capability(s);
	ms_reply(s, "OK", NULL, "Duplex ManageSieve ready.");
	return s;
}

/* ms_cmd_noop - OK, with the client's tag echoed (RFC 5804 2.13) */
static bool
ms_cmd_noop(struct ms_session *s, const struct ms_cmd *cmd)
{
	struct buf code = BUF_INIT;

	if (cmd->nargs == 0) {
		ms_reply(s, "OK", NULL, "NOOP completed.");
		return true;
	}
	buf_puts(&code, "TAG ");
	ms_quote(&code, cmd->arg[0].s);
	ms_reply(s, "OK", buf_cstr(&code), "Done");
	buf_free(&code);
	return true;
}

/* ms_dispatch - one parsed command in the session's state; false: stop reading */
static bool
ms_dispatch(struct ms_session *s, const struct ms_cmd *cmd)
{
	switch (cmd->verb) {
	case MS_CAPABILITY:
		ms_capability(s);
		ms_reply(s, "OK", NULL, "Capability completed.");
		return true;
	case MS_NOOP:
		return ms_cmd_noop(s, cmd);
	case MS_LOGOUT:
		ms_reply(s, "OK", NULL, "Logout completed.");
		net_conn_close(s->c);
		return false;
	case MS_STARTTLS:
		return ms_cmd_starttls(s);
	case MS_AUTHENTICATE:
		return ms_cmd_authenticate(s, cmd);
	case MS_UNAUTHENTICATE:
		return ms_cmd_unauthenticate(s);
	default:
		if (s->state == MS_ST_AUTH)
			return ms_cmd_script(s, cmd);
		return ms_bad(s, "Log in first.");
	}
}

/* ms_command - a whole command read into s->cmd; false: stop reading */
static bool
ms_command(struct ms_session *s)
{
	struct ms_cmd cmd;
	size_t len = s->cmd.len;

	buf_cstr(&s->cmd);	/* the parser ends strings with a NUL at the text's end */
	if (s->state == MS_ST_SASL)
		return ms_sasl_response(s, s->cmd.data, len);
	switch (ms_parse(s->cmd.data, len, &cmd)) {
	case MS_PARSE_OK:
		log_debug(s->id, "managesieve: %s", ms_verb_name(cmd.verb));
		return ms_dispatch(s, &cmd);
	case MS_PARSE_EEMPTY:
	case MS_PARSE_EUNKNOWN:
		return ms_bad(s, "Unknown command.");
	default:
		return ms_bad(s, "Invalid arguments.");
	}
}

/* ms_literal - read literal bytes into the command (or drop them); false: none buffered */
static bool
ms_literal(struct ms_session *s)
{
	char scratch[4096];
	size_t want = s->literal, n;

	if (!s->discard && buf_try_reserve(&s->cmd, want + 1) != 0) {
		log_error(s->id, "managesieve: no memory for a literal of %zu bytes", want);
		s->discard = true;
	}
	if (s->discard) {
		n = net_conn_read(s->c, scratch, want < sizeof(scratch) ? want : sizeof(scratch));
	} else {
		n = net_conn_read(s->c, s->cmd.data + s->cmd.len, want);
		s->cmd.len += n;
	}
	s->literal -= n;
	return n > 0;
}

/* ms_cmd_done - the command is answered: its text goes (a large one's memory too) */
static void
ms_cmd_done(struct ms_session *s)
{
	if (s->cmd.cap > MS_MAX_LINE * 4)
		buf_free(&s->cmd);
	else
		buf_reset(&s->cmd);
}

/* ms_line - one input line into the command; true when the command is whole */
static bool
ms_line(struct ms_session *s, const char *line, size_t len)
{
	uint64_t n = 0;
	bool more = ms_literal_tail(line, len, &n);

	if (!s->discard && s->cmd.len + len > MS_MAX_LINE * 4 + ms_max_literal(s))
		s->discard = true;
	if (more && n > ms_max_literal(s) && !s->discard) {
		log_info(s->id, "managesieve: a literal of %llu bytes refused",
		    (unsigned long long)n);
		s->discard = true;
	}
	if (!s->discard) {
		buf_append(&s->cmd, line, len);
		buf_puts(&s->cmd, "\r\n");
	}
	s->literal = more ? n : 0;
	return !more;
}

/* ms_input - read lines and literals; run each command once it is whole */
static void
ms_input(struct net_conn *c, void *session)
{
	struct ms_session *s = session;
	char *line;
	size_t len;
	int rc;

	while (!s->busy) {
		if (s->literal > 0) {
			if (!ms_literal(s))
				return;
			continue;
		}
		if ((rc = net_conn_getline(c, &line, &len)) == NET_EAGAIN)
			return;
		if (rc == NET_ETOOLONG) {
			log_info(s->id, "managesieve: line too long; disconnecting");
			ms_reply(s, "BYE", NULL, "Line too long.");
			net_conn_close(c);
			return;
		}
		if (rc < 0)
			return;
		if (!ms_line(s, line, len))
			continue;
		if (s->discard) {
			s->discard = false;
			ms_cmd_done(s);
			if (s->state == MS_ST_SASL)
				s->state = MS_ST_ANON;
			ms_reply(s, "NO", "QUOTA/MAXSIZE", "Command too large.");
			continue;
		}
		rc = ms_command(s);
		ms_cmd_done(s);
		if (!rc)
			return;
	}
}

/* ms_starttls_done - TLS is up: the capabilities again, as RFC 5804 2.2 wants */
static void
ms_starttls_done(struct net_conn *c, void *session)
{
	struct ms_session *s = session;

	ms_capability(s);
	ms_reply(s, "OK", NULL, "TLS negotiation successful.");
}

/* ms_shutdown - net_stop(): say why */
static void
ms_shutdown(struct net_conn *c, void *session)
{
	struct ms_session *s = session;

	if (s->busy) {
		ms_auth_shutdown(s);	/* a running store call answers for itself */
		return;
	}
	ms_reply(s, "BYE", "TRYLATER", "Server shutting down.");
}

/* ms_timeout - idle too long */
static void
ms_timeout(struct net_conn *c, void *session)
{
	ms_reply(session, "BYE", NULL, "Disconnected for inactivity.");
}

/* ms_close - the destructor */
static void
ms_close(struct net_conn *c, void *session)
{
	struct ms_session *s = session;

	net_timer_cancel(&s->delay);
	buf_free(&s->cmd);
	free(s);
}

/* ms_too_many - max_connections_per_ip, or (all) max_connections */
static void
ms_too_many(struct net_conn *c, bool all)
{
	net_conn_printf(c, "BYE (TRYLATER) \"Too many connections%s.\"\r\n",
	    all ? ", try again later" : " from your address");
}

const struct net_proto managesieve_proto = {
	.name = "managesieve",
	.on_open = ms_open,
	.on_input = ms_input,
	.on_shutdown = ms_shutdown,
	.on_timeout = ms_timeout,
	.on_starttls = ms_starttls_done,
	.on_close = ms_close,
	.on_too_many = ms_too_many,
};
