/*
 * imap_session.c - the IMAP session core: greeting, the input loop that
 * feeds the parser, dispatch by command name and state, tagged replies,
 * waiting for the store, goodbyes on shutdown and timeout.
 *
 * Input is taken from net into s->in and fed to the parser; bytes past a
 * complete command stay there until that command has finished, so a
 * command waiting on the store (s->busy) holds back everything after it.
 * IDLE and AUTHENTICATE put the parser in line mode for their next line.
 * A command that syncs the selected view runs after the view has claimed
 * its \Recent arrivals (imap_recent_settle), which may wait for the store.
 *
 * Hazard: a handler's args die with the next feed; handlers that wait copy
 * what their job needs. Replies after STARTTLS must never come from bytes
 * the client sent in plain text, so the local input is dropped with it.
 */
#include "imap/imap_session.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/conf.h"
#include "imap/imap_cmd.h"
#include "imap/imap_shared.h"
#include "imapsyn/imap_utf7.h"
#include "imapsyn/imap_write.h"
#include "net/net.h"
#include "svc/svc.h"
#include "util/log.h"
#include "util/xalloc.h"

#define READ_CHUNK	(64 * 1024)

/*
 * Before login a command is small (LOGIN, AUTHENTICATE, ID, CAPABILITY):
 * lines of 8 KiB, literals of 4 KiB under LITERAL-, 16 KiB in all, as
 * Dovecot's login process allows, so an unauthenticated client holds a
 * few KiB of the parser's memory, never max_message_size.
 */
#define LOGIN_MAX_LINE		8192
#define LOGIN_MAX_COMMAND	(16 * 1024)
#define LOGIN_MAX_ARGS		128
#define LOGIN_MAX_DEPTH		8

struct cmd_row {
	const char *name;
	imap_cmd_fn fn;
	unsigned states;
	bool uid_ok;		/* has a UID form */
	enum imap_sync sync;
};

static const struct cmd_row cmd_table[] = {
	{ "CAPABILITY", imap_cmd_capability, IMAP_STATE_ANY, false, IMAP_SYNC_FULL },
	{ "NOOP", imap_cmd_noop, IMAP_STATE_ANY, false, IMAP_SYNC_FULL },
	{ "LOGOUT", imap_cmd_logout, IMAP_STATE_ANY, false, IMAP_SYNC_NONE },
	{ "ID", imap_cmd_id, IMAP_STATE_ANY, false, IMAP_SYNC_FULL },
	{ "STARTTLS", imap_cmd_starttls, IMAP_STATE_NOAUTH, false, IMAP_SYNC_NONE },
	{ "LOGIN", imap_cmd_login, IMAP_STATE_NOAUTH, false, IMAP_SYNC_NONE },
	{ "AUTHENTICATE", imap_cmd_authenticate, IMAP_STATE_NOAUTH, false, IMAP_SYNC_NONE },
	{ "ENABLE", imap_cmd_enable, IMAP_STATE_AUTH, false, IMAP_SYNC_NONE },
	{ "COMPRESS", imap_cmd_compress, IMAP_STATE_IN, false, IMAP_SYNC_NONE },
	{ "UNAUTHENTICATE", imap_cmd_unauthenticate, IMAP_STATE_IN, false, IMAP_SYNC_NONE },
	{ "NAMESPACE", imap_cmd_namespace, IMAP_STATE_IN, false, IMAP_SYNC_FULL },
	{ "CREATE", imap_cmd_create, IMAP_STATE_IN, false, IMAP_SYNC_FULL },
	{ "DELETE", imap_cmd_delete, IMAP_STATE_IN, false, IMAP_SYNC_FULL },
	{ "RENAME", imap_cmd_rename, IMAP_STATE_IN, false, IMAP_SYNC_FULL },
	{ "SUBSCRIBE", imap_cmd_subscribe, IMAP_STATE_IN, false, IMAP_SYNC_FULL },
	{ "UNSUBSCRIBE", imap_cmd_unsubscribe, IMAP_STATE_IN, false, IMAP_SYNC_FULL },
	{ "LIST", imap_cmd_list, IMAP_STATE_IN, false, IMAP_SYNC_FULL },
	{ "LSUB", imap_cmd_lsub, IMAP_STATE_IN, false, IMAP_SYNC_FULL },
	{ "STATUS", imap_cmd_status, IMAP_STATE_IN, false, IMAP_SYNC_FULL },
	{ "SELECT", imap_cmd_select, IMAP_STATE_IN, false, IMAP_SYNC_NONE },
	{ "EXAMINE", imap_cmd_examine, IMAP_STATE_IN, false, IMAP_SYNC_NONE },
	{ "APPEND", imap_cmd_append, IMAP_STATE_IN, false, IMAP_SYNC_FULL },
	{ "IDLE", imap_cmd_idle, IMAP_STATE_IN, false, IMAP_SYNC_FULL },
	{ "NOTIFY", imap_cmd_notify, IMAP_STATE_IN, false, IMAP_SYNC_FULL },
	{ "GETQUOTA", imap_cmd_getquota, IMAP_STATE_IN, false, IMAP_SYNC_FULL },
	{ "GETQUOTAROOT", imap_cmd_getquotaroot, IMAP_STATE_IN, false, IMAP_SYNC_FULL },
	{ "SETQUOTA", imap_cmd_setquota, IMAP_STATE_IN, false, IMAP_SYNC_FULL },
	{ "GETMETADATA", imap_cmd_getmetadata, IMAP_STATE_IN, false, IMAP_SYNC_FULL },
	{ "SETMETADATA", imap_cmd_setmetadata, IMAP_STATE_IN, false, IMAP_SYNC_FULL },
	{ "SETACL", imap_cmd_setacl, IMAP_STATE_IN, false, IMAP_SYNC_FULL },
	{ "DELETEACL", imap_cmd_deleteacl, IMAP_STATE_IN, false, IMAP_SYNC_FULL },
	{ "GETACL", imap_cmd_getacl, IMAP_STATE_IN, false, IMAP_SYNC_FULL },
	{ "LISTRIGHTS", imap_cmd_listrights, IMAP_STATE_IN, false, IMAP_SYNC_FULL },
	{ "MYRIGHTS", imap_cmd_myrights, IMAP_STATE_IN, false, IMAP_SYNC_FULL },
	{ "CLOSE", imap_cmd_close, IMAP_STATE_SELECTED, false, IMAP_SYNC_NONE },
	{ "UNSELECT", imap_cmd_unselect, IMAP_STATE_SELECTED, false, IMAP_SYNC_NONE },
	{ "CHECK", imap_cmd_check, IMAP_STATE_SELECTED, false, IMAP_SYNC_FULL },
	{ "FETCH", imap_cmd_fetch, IMAP_STATE_SELECTED, true, IMAP_SYNC_NOEXPUNGE },
	{ "STORE", imap_cmd_store, IMAP_STATE_SELECTED, true, IMAP_SYNC_NOEXPUNGE },
	{ "EXPUNGE", imap_cmd_expunge, IMAP_STATE_SELECTED, true, IMAP_SYNC_FULL },
	{ "SEARCH", imap_cmd_search, IMAP_STATE_SELECTED, true, IMAP_SYNC_NOEXPUNGE },
	{ "SORT", imap_cmd_sort, IMAP_STATE_SELECTED, true, IMAP_SYNC_NOEXPUNGE },
	{ "THREAD", imap_cmd_thread, IMAP_STATE_SELECTED, true, IMAP_SYNC_NOEXPUNGE },
	{ "COPY", imap_cmd_copy, IMAP_STATE_SELECTED, true, IMAP_SYNC_NOEXPUNGE },
	{ "MOVE", imap_cmd_move, IMAP_STATE_SELECTED, true, IMAP_SYNC_FULL },
	{ "CANCELUPDATE", imap_cmd_cancelupdate, IMAP_STATE_SELECTED, false, IMAP_SYNC_FULL },
};

#define NCMDS (sizeof(cmd_table) / sizeof(cmd_table[0]))

static void session_process(struct imap_session *s);

/* session_out - queue a built reply; net drops a client that does not read */
void
imap_send(struct imap_session *s, const void *p, size_t n)
{
	net_conn_write(s->c, p, n);
}

/* session_vsend - "prefix text\r\n" */
static void
session_vsend(struct imap_session *s, const char *prefix, const char *fmt, va_list ap)
{
	struct buf b = BUF_INIT;
	char *text;

	if (vasprintf(&text, fmt, ap) < 0)
		log_panic("vasprintf: out of memory");
	buf_printf(&b, "%s %s\r\n", prefix, text);
	imap_send(s, b.data, b.len);
	buf_free(&b);
	free(text);
}

void
imap_untagged(struct imap_session *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	session_vsend(s, "*", fmt, ap);
	va_end(ap);
}

void
imap_reply(struct imap_session *s, const char *status, const char *fmt, ...)
{
	char prefix[256];
	va_list ap;

	if (s->selected && s->sync_mode != IMAP_SYNC_NONE)
		imap_view_sync(s, s->sync_mode == IMAP_SYNC_FULL);
	snprintf(prefix, sizeof(prefix), "%s %s", s->tag ? s->tag : "*", status);
	va_start(ap, fmt);
	session_vsend(s, prefix, fmt, ap);
	va_end(ap);
}

/* session_parser_opts - the parser's limits for the session's state */
static void
session_parser_opts(const struct imap_session *s, struct imap_parser_opts *po)
{
	const struct conf *cf = s->env->conf;

	memset(po, 0, sizeof(*po));
	po->max_line = (size_t)cf->imap_max_line;
	if (s->state != IMAP_STATE_NOAUTH) {
		po->max_literal = cf->max_message_size;
		po->literal_plus = IMAP_LITERAL_PLUS;
		return;
	}
	if (po->max_line > LOGIN_MAX_LINE)
		po->max_line = LOGIN_MAX_LINE;
	po->max_literal = IMAP_LITERAL_MINUS_MAX;
	po->max_command = LOGIN_MAX_COMMAND;
	po->max_args = LOGIN_MAX_ARGS;
	po->max_depth = LOGIN_MAX_DEPTH;
	po->literal_plus = IMAP_LITERAL_MINUS;
}

void
imap_logged_in(struct imap_session *s)
{
	struct imap_parser_opts po;

	s->state = IMAP_STATE_AUTH;
	session_parser_opts(s, &po);
	imap_parser_set_opts(s->parser, &po);
	net_conn_set_idle_timeout(s->c, (unsigned)s->env->conf->imap_idle_timeout * 1000);
}

void
imap_logged_out(struct imap_session *s)
{
	struct imap_parser_opts po;

	imap_cmd_notify_end(s);
	imap_view_clear(s);
	s->user[0] = '\0';
	s->enabled = 0;
	s->state = IMAP_STATE_NOAUTH;
	session_parser_opts(s, &po);
	imap_parser_set_opts(s->parser, &po);
	net_conn_set_idle_timeout(s->c, (unsigned)s->env->conf->imap_login_timeout * 1000);
}

/* imap_capabilities - what works, for the session's state and transport */
void
imap_capabilities(struct imap_session *s, struct buf *out)
{
	bool tls = net_conn_is_tls(s->c);
	bool plain_ok = tls || s->env->conf->allow_plaintext_auth;

	buf_printf(out, "CAPABILITY IMAP4rev1 IMAP4rev2 %s SASL-IR ID ENABLE IDLE",
	    s->state == IMAP_STATE_NOAUTH ? "LITERAL-" : "LITERAL+");
	if (s->state == IMAP_STATE_NOAUTH) {
		if (!tls && net_conn_can_starttls(s->c))
			buf_puts(out, " STARTTLS");
		buf_puts(out, plain_ok ? " AUTH=PLAIN AUTH=LOGIN" : " LOGINDISABLED");
		return;
	}
	buf_printf(out, " NAMESPACE UIDPLUS SPECIAL-USE LIST-EXTENDED LIST-STATUS CHILDREN"
	    " UNSELECT MOVE ESEARCH SEARCHRES BINARY CONDSTORE QRESYNC QUOTA QUOTA=RES-STORAGE QUOTA=RES-MESSAGE"
	    " UTF8=ACCEPT APPENDLIMIT=%llu",
	    (unsigned long long)s->env->conf->max_message_size);
	if (!net_conn_is_compressed(s->c))
		buf_puts(out, " COMPRESS=DEFLATE");
	buf_puts(out, " UNAUTHENTICATE");
	buf_puts(out, " WITHIN");
	buf_puts(out, " STATUS=SIZE");
	buf_puts(out, " CREATE-SPECIAL-USE");
	buf_puts(out, " OBJECTID");
	buf_puts(out, " SAVEDATE");
	buf_puts(out, " PREVIEW");
	buf_puts(out, " MULTIAPPEND");
	buf_puts(out, " CATENATE");
	buf_puts(out, " SORT SORT=DISPLAY THREAD=ORDEREDSUBJECT THREAD=REFERENCES THREAD=REFS ESORT");
	buf_puts(out, " NOTIFY");
	buf_puts(out, " PARTIAL");
	buf_puts(out, " CONTEXT=SEARCH CONTEXT=SORT");
	buf_puts(out, " METADATA");
	buf_puts(out, " ACL RIGHTS=texk");
	buf_puts(out, " LIST-MYRIGHTS");
}

void
imap_reply_store_err(struct imap_session *s, int err)
{
	switch (err) {
	case STORE_ENOTFOUND:
		imap_reply(s, "NO", "[NONEXISTENT] No such mailbox or message");
		break;
	case STORE_EEXISTS:
		imap_reply(s, "NO", "[ALREADYEXISTS] Mailbox already exists");
		break;
	case STORE_ENOQUOTA:
		imap_reply(s, "NO", "[OVERQUOTA] Quota exceeded");
		break;
	case STORE_ETOOBIG:
		imap_reply(s, "NO", "[TOOBIG] Message too large");
		break;
	case STORE_EINVAL:
		imap_reply(s, "NO", "[CANNOT] %s", store_strerror(err));
		break;
	case STORE_ENAMETOOLONG:
		log_info(s->id, "mailbox name over %d bytes refused", STORE_MBOX_NAME_MAX);
		imap_reply(s, "NO", "[CANNOT] Mailbox name too long (at most %d bytes of UTF-8)",
		    STORE_MBOX_NAME_MAX);
		break;
	default:
		log_warn(s->id, "store: %s", store_strerror(err));
		imap_reply(s, "NO", "[UNAVAILABLE] %s, try again later", store_strerror(err));
		break;
	}
}

bool
imap_utf8_names(const struct imap_session *s)
{
	return (s->enabled & (IMAP_EN_REV2 | IMAP_EN_UTF8)) != 0;
}

void
imap_condstore_on(struct imap_session *s)
{
	if (s->enabled & IMAP_EN_CONDSTORE)
		return;
	s->enabled |= IMAP_EN_CONDSTORE;
	if (s->selected)
		imap_untagged(s, "OK [HIGHESTMODSEQ %llu] Highest",
		    (unsigned long long)s->view.highestmodseq);
}

int
imap_name_decode(const struct imap_session *s, const char *name, size_t len, struct buf *out)
{
	buf_reset(out);
	if (imap_utf8_names(s) && imap_utf8_valid(name, len) == 0) {
		buf_append(out, name, len);
		return 0;
	}
	if (imap_utf7_to_utf8(name, len, out) == 0)
		return 0;
	buf_reset(out);
	if (imap_utf8_valid(name, len) != 0)
		return -1;
	buf_append(out, name, len);
	return IMAP_NAME_PLAIN;
}

/* mailbox_decode - imap_mailbox_in, and whether the name was taken as it is */
static int
mailbox_decode(struct imap_session *s, const struct imap_arg *a,
    char out[STORE_MBOX_NAME_MAX + 1], bool *plain_r)
{
	const char *name = imap_arg_astring(a);
	struct buf b = BUF_INIT;
	int rc;

	if (name == NULL || a->has_nul)
		return -1;
	rc = imap_name_decode(s, name, a->len, &b);
	*plain_r = rc == IMAP_NAME_PLAIN;
	rc = rc < 0 || b.len == 0 ? -1 : b.len > STORE_MBOX_NAME_MAX ? IMAP_NAME_TOO_LONG : 0;
	if (rc == 0) {
		memcpy(out, b.data, b.len);
		out[b.len] = '\0';
		if (strcasecmp(out, "INBOX") == 0)
			strcpy(out, "INBOX");
	}
	buf_free(&b);
	return rc;
}

int
imap_mailbox_in(struct imap_session *s, const struct imap_arg *a,
    char out[STORE_MBOX_NAME_MAX + 1])
{
	bool plain;

	return mailbox_decode(s, a, out, &plain);
}

int
imap_mailbox_new(struct imap_session *s, const struct imap_arg *a,
    char out[STORE_MBOX_NAME_MAX + 1])
{
	bool plain;
	int rc = mailbox_decode(s, a, out, &plain);

	return rc == 0 && plain ? IMAP_NAME_NOT_UTF7 : rc;
}

int
imap_rtxn(struct imap_session *s, struct store_rtxn **r_r)
{
	int rc = store_rtxn_begin(s->env->st, r_r);

	if (rc != 0)
		imap_reply_store_err(s, rc);
	return rc;
}

/* one imap_wait in flight */
struct imap_waiter {
	struct imap_session *s;
	void (*job)(void *arg);
	enum imap_result (*done)(struct imap_session *s, void *arg);
	void *arg;
};

/* waiter_job - on a pool thread */
static void
waiter_job(void *arg)
{
	struct imap_waiter *w = arg;

	w->job(w->arg);
}

/* waiter_done - back on the loop: the handler's second half */
static void
waiter_done(void *arg)
{
	struct imap_waiter *w = arg;
	struct imap_session *s = w->s;
	enum imap_result r = w->done(s, w->arg);

	free(w);
	if (r == IMAP_DONE)
		imap_finish(s);
}

/* waiter_new - one imap_wait in flight, not yet started */
static struct imap_waiter *
waiter_new(struct imap_session *s, void (*job)(void *arg),
    enum imap_result (*done)(struct imap_session *s, void *arg), void *arg)
{
	struct imap_waiter *w = xmalloc(sizeof(*w));

	w->s = s;
	w->job = job;
	w->done = done;
	w->arg = arg;
	return w;
}

enum imap_result
imap_wait(struct imap_session *s, void (*job)(void *arg),
    enum imap_result (*done)(struct imap_session *s, void *arg), void *arg)
{
	svc_store_call(s->c, waiter_job, waiter_done, waiter_new(s, job, done, arg));
	return IMAP_WAIT;
}

void
imap_finish(struct imap_session *s)
{
	s->busy = false;
	imap_cmd_notify_flush(s);
	session_process(s);
}

/* cmd_find - the table row of a command name */
static const struct cmd_row *
cmd_find(const char *name)
{
	for (size_t i = 0; i < NCMDS; i++)
		if (strcasecmp(cmd_table[i].name, name) == 0)
			return &cmd_table[i];
	return NULL;
}

/* session_call - run the parsed command of the session's parser (after a settle) */
static enum imap_result
session_call(struct imap_session *s, void *arg)
{
	const struct cmd_row *row = arg;
	const struct imap_cmd *cmd = imap_parser_cmd(s->parser);
	bool uid = strcasecmp(cmd->name, "UID") == 0;

	return row->fn(s, cmd->args + uid, cmd->count - uid, uid);
}

/* session_run - dispatch one parsed command */
static enum imap_result
session_run(struct imap_session *s, const struct imap_cmd *cmd)
{
	const struct imap_arg *args = cmd->args;
	const char *name = cmd->name;
	const struct cmd_row *row;
	bool uid = false;

	free(s->tag);
	s->tag = xstrdup(cmd->tag);
	s->sync_mode = IMAP_SYNC_NONE;
	if (strcasecmp(name, "UID") == 0) {
		if (cmd->count == 0 || args[0].type != IMAP_ARG_ATOM) {
			imap_reply(s, "BAD", "UID needs a command");
			return IMAP_DONE;
		}
		uid = true;
		name = args[0].str;
	}
	row = cmd_find(name);
	if (row == NULL || (uid && !row->uid_ok)) {
		imap_reply(s, "BAD", "Unknown command");
		return IMAP_DONE;
	}
	if (!(row->states & s->state)) {
		imap_reply(s, "BAD", s->state == IMAP_STATE_NOAUTH ? "Log in first" :
		    s->state == IMAP_STATE_AUTH ? "Select a mailbox first" :
		    "Not allowed now");
		return IMAP_DONE;
	}
	/* a SETACL since the last command: the rights it left, or a BYE */
	if (!imap_view_rights(s))
		return IMAP_DONE;
	/* UID forms may always see expunges; sequence numbers must stay put */
	s->sync_mode = uid && row->sync == IMAP_SYNC_NOEXPUNGE ? IMAP_SYNC_FULL : row->sync;
	if (s->selected && row->sync != IMAP_SYNC_NONE)
		return imap_recent_settle(s, session_call, (void *)row);
	return session_call(s, (void *)row);
}

/* session_parse_error - answer a bad command; fatal errors end the session */
static void
session_parse_error(struct imap_session *s)
{
	const struct imap_parse_error *e = imap_parser_error(s->parser);
	const char *tag = imap_parser_tag(s->parser);

	if (e->fatal) {
		log_info(s->id, "imap: closing on a fatal protocol error%s: %s",
		    s->state == IMAP_STATE_NOAUTH ? " before login" : "", e->msg);
		/* RFC 7888: a non-synchronizing literal too big is BAD [TOOBIG]; its data is not read */
		if (e->toobig && tag)
			net_conn_printf(s->c, "%s BAD [TOOBIG] %s\r\n", tag, e->msg);
		imap_untagged(s, "BYE %s", e->msg);
		s->state = IMAP_STATE_LOGOUT;
		net_conn_close(s->c);
		return;
	}
	if (e->toobig) {
		log_info(s->id, "imap: refused%s: %s", s->state == IMAP_STATE_NOAUTH ?
		    " before login" : "", e->msg);
		net_conn_printf(s->c, "%s NO [TOOBIG] %s\r\n", tag ? tag : "*", e->msg);
	} else {
		net_conn_printf(s->c, "%s BAD %s\r\n", tag ? tag : "*", e->msg);
	}
}

/* session_line - a raw line for IDLE or AUTHENTICATE */
static enum imap_result
session_line(struct imap_session *s)
{
	size_t len;
	const char *line = imap_parser_line(s->parser, &len);

	s->line_mode = false;
	if (s->idling)
		return imap_cmd_idle_line(s, line, len);
	if (s->in_auth)
		return imap_cmd_auth_line(s, line, len);
	return IMAP_DONE;
}

/* session_fill - take what net has buffered when ours is used up */
static bool
session_fill(struct imap_session *s)
{
	size_t got;

	if (s->in_off < s->in.len)
		return true;
	buf_reset(&s->in);
	s->in_off = 0;
	buf_reserve(&s->in, READ_CHUNK);
	got = net_conn_read(s->c, s->in.data, READ_CHUNK);
	s->in.len = got;
	if (s->in.cap > 4 * READ_CHUNK && got == 0)
		buf_free(&s->in);
	return got > 0;
}

/* session_process - parse and run commands until input runs out or one waits */
static void
session_process(struct imap_session *s)
{
	while (!s->busy && s->state != IMAP_STATE_LOGOUT) {
		enum imap_parse_status st;
		size_t used = 0;

		if ((s->idling || s->in_auth) && !s->line_mode) {
			imap_parser_line_mode(s->parser);
			s->line_mode = true;
		}
		if (!session_fill(s))
			return;
		st = imap_parser_feed(s->parser, s->in.data + s->in_off, s->in.len - s->in_off, &used);
		s->in_off += used;
		switch (st) {
		case IMAP_PARSE_NEED_MORE:
			break;
		case IMAP_PARSE_CONTINUATION:
			net_conn_printf(s->c, "+ Ready for literal data\r\n");
			break;
		case IMAP_PARSE_LINE:
			if (session_line(s) == IMAP_WAIT)
				s->busy = true;
			break;
		case IMAP_PARSE_ERROR:
			session_parse_error(s);
			break;
		case IMAP_PARSE_DONE:
			if (session_run(s, imap_parser_cmd(s->parser)) == IMAP_WAIT)
				s->busy = true;
			break;
		}
	}
}

/* session_open - a new connection: the greeting */
static void *
session_open(struct net_conn *c)
{
	struct imap_session *s = xcalloc(1, sizeof(*s));
	struct imap_parser_opts po;
	struct buf b = BUF_INIT;

	s->c = c;
	s->env = net_conn_listener_arg(c);
	s->id = net_conn_id(c);
	s->state = IMAP_STATE_NOAUTH;
	session_parser_opts(s, &po);
	s->parser = imap_parser_new(&po);
	net_conn_set_idle_timeout(c, (unsigned)s->env->conf->imap_login_timeout * 1000);
	buf_puts(&b, "OK [");
	imap_capabilities(s, &b);
	buf_puts(&b, "] Duplex IMAP ready");
	imap_untagged(s, "%s", buf_cstr(&b));
	buf_free(&b);
	log_info(s->id, "imap: connect from %s%s", net_conn_peer(c),
	    net_conn_is_tls(c) ? " (TLS)" : "");
	return s;
}

/* session_input - more bytes from the client */
static void
session_input(struct net_conn *c, void *arg)
{
	session_process(arg);
}

/* session_drain - output flushed: a streamed reply goes on */
static void
session_drain(struct net_conn *c, void *arg)
{
	struct imap_session *s = arg;

	if (s->stream.more == NULL)
		return;
	if (s->stream.more(s) == IMAP_DONE) {
		if (s->stream.free)
			s->stream.free(s->stream.ctx);
		memset(&s->stream, 0, sizeof(s->stream));
		imap_finish(s);
	}
}

/* session_shutdown - the daemon stops */
static void
session_shutdown(struct net_conn *c, void *arg)
{
	struct imap_session *s = arg;

	imap_untagged(s, "BYE Server shutting down");
	s->state = IMAP_STATE_LOGOUT;
}

/* session_timeout - the client was silent too long */
static void
session_timeout(struct net_conn *c, void *arg)
{
	struct imap_session *s = arg;

	if (s->state == IMAP_STATE_NOAUTH) {
		log_info(s->id, "imap: no login within imap_login_timeout; closing");
		imap_untagged(s, "BYE Disconnected for inactivity");
	} else {
		log_info(s->id, "imap: idle timeout, user %s", s->user);
		imap_untagged(s, "BYE Autologout; idle for too long");
	}
	s->state = IMAP_STATE_LOGOUT;
}

/* session_close - the destructor */
static void
session_close(struct net_conn *c, void *arg)
{
	struct imap_session *s = arg;

	if (s->stream.free)
		s->stream.free(s->stream.ctx);
	imap_cmd_notify_end(s);
	imap_view_clear(s);
	net_timer_cancel(&s->timer);
	imap_parser_free(&s->parser);
	buf_free(&s->in);
	free(s->tag);
	imap_cmd_auth_abort(s);
	log_info(s->id, "imap: disconnect, user %s", *s->user ? s->user : "-");
	free(s);
}

/* session_too_many - max_connections_per_ip, or (all) max_connections */
static void
session_too_many(struct net_conn *c, bool all)
{
	net_conn_printf(c, "* BYE [UNAVAILABLE] Too many connections%s\r\n",
	    all ? ", try again later" : " from your address");
}

const struct net_proto imap_proto = {
	.name = "imap",
	.on_open = session_open,
	.on_input = session_input,
	.on_shutdown = session_shutdown,
	.on_timeout = session_timeout,
	.on_drain = session_drain,
	.on_close = session_close,
	.on_too_many = session_too_many,
};
