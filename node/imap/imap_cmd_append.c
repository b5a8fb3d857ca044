/*
 * imap_cmd_append.c - APPEND with flags and date, APPENDLIMIT (the
 * parser refuses a literal over max_message_size with [TOOBIG]),
 * UIDPLUS's APPENDUID, MULTIAPPEND (RFC 3502) and CATENATE (RFC 4469).
 *
 * MULTIAPPEND: one APPEND may carry several messages, each with its own
 * flags and date. They are stored in one store write (store_append_many),
 * so either all of them are there or, when any is refused (a bad flag or
 * date, size, quota), none is; APPENDUID then gives the UIDs as a set
 * (RFC 4315). All the messages of one command together are bounded by the
 * parser's command limit (max_message_size and a little more).
 *
 * CATENATE: a message may be a list of TEXT literals and URL parts, put
 * together on the pool (imap_catenate.c) before the store write; a URL
 * that names nothing this user can read fails the whole APPEND with
 * NO [BADURL url], a result over max_message_size with NO [TOOBIG].
 *
 * RFC 3516's binary APPEND: a literal8 (~{n}) message is stored exactly
 * as sent (store_append_msg's exact), bare LF and NUL included, so BINARY[]
 * and BINARY.SIZE give back its bytes; a normal literal is made CRLF. Into
 * the selected mailbox, the view takes the new messages in before the
 * tagged OK, so the client may fetch them at once.
 *
 * Into another user's mailbox (the shared namespace) APPEND needs the "i"
 * right; flags the user may not set there ("s" for \Seen, "t" for
 * \Deleted, "w" for the others and keywords) are left off (RFC 4314 4).
 * CATENATE's URLs still name the user's own messages.
 *
 * The messages are the parser's literals, used in place: the session
 * feeds the parser nothing while the store call runs, so they stay valid.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "imap/imap_cmd.h"
#include "conf/conf.h"
#include "imap/imap_flags.h"
#include "imap/imap_shared.h"
#include "imapsyn/imap_date.h"
#include "imapsyn/imap_url.h"
#include "svc/svc.h"
#include "util/log.h"
#include "util/xalloc.h"

/* one message of an APPEND: its flags, keywords and date, and its data */
struct append_msg {
	struct buf kw;
	struct store_append_msg m;	/* m.msg: the literal, or built */
	struct imap_cat_part *parts;	/* CATENATE: nparts parts, else NULL */
	size_t nparts;
	struct buf built;		/* CATENATE: the message the parts make */
};

struct append_job {
	struct store *st;
	char user[STORE_ADDR_MAX + 1];
	struct imap_mbox_ref to;	/* the mailbox appended to, and whose */
	char selected[STORE_MBOX_NAME_MAX + 1];	/* for relative URLs; "" if none */
	uint64_t max;			/* max_message_size */
	struct append_msg *msgs;
	size_t n;
	uint32_t uidvalidity;
	uint32_t *uids;		/* n new UIDs, consecutive */
	int rc;
	const struct imap_cat_part *bad;	/* IMAP_CATENATE_BADURL: the part */
};

/* append_free - the job and what it owns */
static void
append_free(struct append_job *j)
{
	size_t i;

	for (i = 0; i < j->n; i++) {
		buf_free(&j->msgs[i].kw);
		buf_free(&j->msgs[i].built);
		free(j->msgs[i].parts);
	}
	free(j->msgs);
	free(j->uids);
	free(j);
}

/* append_build - on the pool: each CATENATE message put together; 0 or why not */
static int
append_build(struct append_job *j)
{
	size_t i, bad;
	int rc;

	for (i = 0; i < j->n; i++) {
		struct append_msg *am = &j->msgs[i];

		if (am->parts == NULL)
			continue;
		rc = imap_catenate(j->st, j->user, j->selected, am->parts, am->nparts, j->max,
		    &am->built, &bad);
		if (rc == IMAP_CATENATE_BADURL)
			j->bad = &am->parts[bad];
		if (rc != 0)
			return rc;
		am->m.msg = buf_cstr(&am->built);
		am->m.len = am->built.len;
	}
	return 0;
}

/* append_run - on the pool: the durable append of every message, or none */
static void
append_run(void *arg)
{
	struct append_job *j = arg;
	struct store_append_msg *m;
	size_t i;

	if ((j->rc = append_build(j)) != 0)
		return;
	m = xcalloc(j->n, sizeof(*m));
	for (i = 0; i < j->n; i++) {
		m[i] = j->msgs[i].m;
		m[i].keywords = buf_cstr(&j->msgs[i].kw);
	}
	j->rc = store_append_many(j->st, j->to.owner, j->to.name, m, j->n, &j->uidvalidity, j->uids);
	free(m);
}

/* badurl - NO [BADURL url]: the URL as resp-text allows it (no CR, LF, "]" or 8-bit) */
static void
badurl(struct imap_session *s, const struct imap_cat_part *p)
{
	struct buf b = BUF_INIT;
	size_t i, n = p->len < IMAP_URL_MAX ? p->len : IMAP_URL_MAX;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p->data[i];

		buf_putc(&b, ch < 0x20 || ch >= 0x7f || ch == ']' ? '?' : (char)ch);
	}
	if (b.len == 0)
		buf_putc(&b, '?');
	log_info(s->id, "imap: CATENATE: bad URL %s", buf_cstr(&b));
	imap_reply(s, "NO", "[BADURL %s] CATENATE URL names no message of yours", buf_cstr(&b));
	buf_free(&b);
}

/* append_reply - APPENDUID with the new UID or UID range, or why not */
static enum imap_result
append_reply(struct imap_session *s, void *arg)
{
	struct append_job *j = arg;

	if (j->rc == IMAP_CATENATE_BADURL)
		badurl(s, j->bad);
	else if (j->rc == STORE_ENOTFOUND)
		imap_reply(s, "NO", "[TRYCREATE] No such mailbox");
	else if (j->rc != 0)
		imap_reply_store_err(s, j->rc);
	else if (j->n == 1)
		imap_reply(s, "OK", "[APPENDUID %u %u] APPEND completed", j->uidvalidity, j->uids[0]);
	else
		imap_reply(s, "OK", "[APPENDUID %u %u:%u] APPEND completed", j->uidvalidity,
		    j->uids[0], j->uids[j->n - 1]);
	append_free(j);
	return IMAP_DONE;
}

/*
 * append_done - into the selected mailbox, the view claims the new message
 * first, so its EXISTS (and RECENT) precede the tagged OK (RFC 3501 7)
 */
static enum imap_result
append_done(struct imap_session *s, void *arg)
{
	struct append_job *j = arg;

	if (j->rc == 0 && imap_view_is(s, j->to.owner, j->to.name))
		return imap_recent_settle(s, append_reply, j);
	return append_reply(s, j);
}

/* append_data - a literal, or CATENATE and its part list; 0 with *i past it, or -1 */
static int
append_data(const struct imap_arg *args, size_t n, size_t *i, struct append_msg *am)
{
	if (*i < n && args[*i].type == IMAP_ARG_LITERAL) {
		am->m.msg = args[*i].str;
		am->m.len = args[*i].len;
		am->m.exact = args[*i].literal8;
		(*i)++;
		return 0;
	}
	if (*i + 1 < n && imap_arg_atom_is(&args[*i], "CATENATE") &&
	    imap_catenate_parse(&args[*i + 1], &am->parts, &am->nparts) == 0) {
		*i += 2;
		return 0;
	}
	return -1;
}

/*
 * append_one - one message's [flags] [date] data from args[*i];
 * 0 with *i past it, or -1
 */
static int
append_one(const struct imap_arg *args, size_t n, size_t *i, struct append_msg *am)
{
	am->m.internal_date = time(NULL);
	if (*i < n && args[*i].type == IMAP_ARG_LIST &&
	    imap_flags_parse(&args[(*i)++], &am->m.flags, &am->kw) != 0)
		return -1;
	if (*i < n && args[*i].type == IMAP_ARG_STRING &&
	    imap_date_parse_datetime(args[*i].str, args[*i].len, &am->m.internal_date, NULL) != 0)
		return -1;
	if (*i < n && args[*i].type == IMAP_ARG_STRING)
		(*i)++;
	return append_data(args, n, i, am);
}

/* append_rights - NO unless the user may insert into the mailbox; flags it may not set left off */
static int
append_rights(struct imap_session *s, struct append_job *j)
{
	uint32_t rights;

	if (imap_mbox_need(s, &j->to, IMAP_ACL_INSERT, "APPEND", &rights) != 0)
		return -1;
	for (size_t i = 0; i < j->n; i++)
		imap_rights_flags(rights, &j->msgs[i].m.flags, &j->msgs[i].kw);
	return 0;
}

IMAP_CMD(append)
{
	struct append_job *j = xcalloc(1, sizeof(*j));
	size_t i = 1;
	bool ok = n >= 2 && imap_mbox_in(s, &args[0], &j->to) == 0;

	j->st = s->env->st;
	strcpy(j->user, s->user);
	if (s->selected && strcmp(s->view.owner, s->user) == 0)
		strcpy(j->selected, s->view.name);
	j->max = s->env->conf->max_message_size;
	/* each message takes at least one argument, so n - 1 is enough */
	j->msgs = xcalloc(n, sizeof(*j->msgs));
	while (ok && i < n)
		ok = append_one(args, n, &i, &j->msgs[j->n++]) == 0;
	if (!ok) {
		append_free(j);
		log_info(s->id, "imap: APPEND refused: bad syntax");
		imap_reply(s, "BAD", "APPEND needs a mailbox and one or more messages, each with "
		    "optional flags and date and a literal or CATENATE list");
		return IMAP_DONE;
	}
	if (append_rights(s, j) != 0) {
		append_free(j);
		return IMAP_DONE;
	}
	j->uids = xcalloc(j->n, sizeof(*j->uids));
	return imap_wait(s, append_run, append_done, j);
}
