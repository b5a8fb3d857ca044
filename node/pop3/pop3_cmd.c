/*
 * pop3_cmd.c - CAPA, STLS, QUIT and the TRANSACTION commands: STAT, LIST,
 * UIDL, RETR, TOP, DELE, RSET, NOOP.
 *
 * DELE only marks a message; QUIT enters the UPDATE state and commits the
 * deletions (and \Seen for retrieved messages, as Dovecot does) in one
 * svc_store_call() job, answering +OK only after the durable commit. A
 * failed commit answers -ERR [SYS/TEMP] and deletes nothing.
 */
#include "pop3/pop3_int.h"

#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "net/net.h"
#include "svc/svc.h"
#include "util/log.h"
#include "util/xalloc.h"


bool
pop3_cmd_capa(struct pop3_session *s)
{
	bool auth = s->state == POP3_ST_AUTH;

	pop3_reply(s, "+OK");
	pop3_reply(s, "CAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE");
	if (auth && net_conn_can_starttls(s->c) && !net_conn_is_tls(s->c))
		pop3_reply(s, "STLS");
	if (auth && auth_plaintext_allowed(s->c, s->env->conf))
		pop3_reply(s, "USER\r\nSASL PLAIN LOGIN");
	pop3_reply(s, "IMPLEMENTATION Duplex");
	pop3_reply(s, ".");
	return true;
}

bool
pop3_cmd_stls(struct pop3_session *s)
{
	if (s->state != POP3_ST_AUTH)
		return pop3_bad(s, "Command not valid in this state.");
	if (net_conn_is_tls(s->c))
		return pop3_bad(s, "TLS is already active.");
	if (!net_conn_can_starttls(s->c))
		return pop3_bad(s, "TLS support isn't enabled.");
	pop3_reply(s, "+OK Begin TLS negotiation now.");
	s->have_user = false;	/* nothing from before TLS carries over */
	net_conn_starttls(s->c);
	return false;
}

struct pop3_commit {
	struct pop3_session *s;		/* for done only */
	struct store *st;
	char id[16];
	struct pop3_maildrop md;	/* a copy: the job never reads the session */
	size_t deleted;
	int rc;
};

/* commit_job - on a pool thread: the UPDATE state's durable writes */
static void
commit_job(void *arg)
{
	struct pop3_commit *k = arg;

	k->rc = pop3_maildrop_commit(k->st, k->id, &k->md, &k->deleted);
}

/* commit_done - answer QUIT only now, then hang up */
static void
commit_done(void *arg)
{
	struct pop3_commit *k = arg;
	struct pop3_session *s = k->s;

	s->busy = false;
	/* unlock before the reply: a client that reconnects at once finds it free */
	pop3_lock_release(s->md.addr);
	s->locked = false;
	if (k->rc < 0) {
		log_error(s->id, "pop3: %s: QUIT: commit failed: %s; nothing deleted", s->md.addr,
		    store_strerror(k->rc));
		pop3_reply(s, "-ERR [SYS/TEMP] Could not delete messages, none were removed.");
	} else {
		log_info(s->id, "pop3: %s: logout, %zu deleted", s->md.addr, k->deleted);
		pop3_reply(s, k->deleted ? "+OK Logging out, messages deleted." : "+OK Logging out.");
	}
	net_conn_close(s->c);
	pop3_maildrop_free(&k->md);
	free(k);
}

bool
pop3_cmd_quit(struct pop3_session *s)
{
	struct pop3_commit *k;
	bool work = false;

	if (s->state != POP3_ST_TRANS) {
		pop3_reply(s, "+OK Logging out.");
		net_conn_close(s->c);
		return false;
	}
	s->state = POP3_ST_UPDATE;
	for (size_t i = 0; i < s->md.n && !work; i++)
		work = s->md.msgs[i].deleted || s->md.msgs[i].retrieved;
	k = xcalloc(1, sizeof(*k));
	k->s = s;
	k->st = s->env->st;
	strncpy(k->id, s->id, sizeof(k->id) - 1);
	k->md = s->md;
	k->md.msgs = NULL;
	k->md.n = 0;
	if (!work) {
		commit_done(k);
		return false;
	}
	k->md.msgs = xmalloc(s->md.n * sizeof(*k->md.msgs));
	memcpy(k->md.msgs, s->md.msgs, s->md.n * sizeof(*k->md.msgs));
	k->md.n = s->md.n;
	s->busy = true;
	svc_store_call(s->c, commit_job, commit_done, k);
	return false;
}

/* msg_arg - the message numbered n, or NULL after saying why */
static struct pop3_msg *
msg_arg(struct pop3_session *s, uint32_t n)
{
	struct pop3_msg *m;

	if (n == 0 || n > s->md.n) {
		pop3_reply(s, "-ERR There's no message %u.", n);
		return NULL;
	}
	m = &s->md.msgs[n - 1];
	if (m->deleted) {
		pop3_reply(s, "-ERR Message %u is deleted.", n);
		return NULL;
	}
	return m;
}

/* cmd_stat - count and octets of the messages not marked deleted */
static bool
cmd_stat(struct pop3_session *s)
{
	uint64_t bytes = 0;
	size_t count = 0;

	for (size_t i = 0; i < s->md.n; i++) {
		if (!s->md.msgs[i].deleted) {
			count++;
			bytes += s->md.msgs[i].size;
		}
	}
	pop3_reply(s, "+OK %zu %llu", count, (unsigned long long)bytes);
	return true;
}

/* cmd_list_uidl - LIST or UIDL, for one message or all */
static bool
cmd_list_uidl(struct pop3_session *s, const struct pop3_cmd *cmd)
{
	bool uidl = cmd->verb == POP3_UIDL;
	struct pop3_msg *m;
	char id[17];

	if (cmd->nargs == 1) {
		if ((m = msg_arg(s, cmd->n)) == NULL)
			return true;
		if (uidl) {
			pop3_uidl(&s->md, m, id);
			pop3_reply(s, "+OK %u %s", cmd->n, id);
		} else {
			pop3_reply(s, "+OK %u %llu", cmd->n, (unsigned long long)m->size);
		}
		return true;
	}
	pop3_reply(s, "+OK");
	pop3_stream_begin(s, uidl ? POP3_STREAM_UIDL : POP3_STREAM_LIST, 0, false, 0);
	return s->st.kind == POP3_STREAM_NONE;
}

/* cmd_retr_top - RETR n, or TOP n lines */
static bool
cmd_retr_top(struct pop3_session *s, const struct pop3_cmd *cmd)
{
	struct pop3_msg *m;

	if ((m = msg_arg(s, cmd->n)) == NULL)
		return true;
	pop3_stream_begin(s, POP3_STREAM_BODY, (size_t)(m - s->md.msgs), cmd->verb == POP3_TOP,
	    cmd->lines);
	return s->st.kind == POP3_STREAM_NONE;
}

bool
pop3_cmd_trans(struct pop3_session *s, const struct pop3_cmd *cmd)
{
	struct pop3_msg *m;

	switch (cmd->verb) {
	case POP3_STAT:
		return cmd_stat(s);
	case POP3_LIST:
	case POP3_UIDL:
		return cmd_list_uidl(s, cmd);
	case POP3_RETR:
	case POP3_TOP:
		return cmd_retr_top(s, cmd);
	case POP3_DELE:
		if ((m = msg_arg(s, cmd->n)) != NULL) {
			m->deleted = true;
			pop3_reply(s, "+OK Marked to be deleted.");
		}
		return true;
	case POP3_RSET:
		/* undo DELE, and the \Seen that RETR would set, as Dovecot does */
		for (size_t i = 0; i < s->md.n; i++)
			s->md.msgs[i].deleted = s->md.msgs[i].retrieved = false;
		pop3_reply(s, "+OK");
		return true;
	default:
		return pop3_bad(s, "Command not valid in this state.");
	}
}
