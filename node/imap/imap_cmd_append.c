/*
 * imap_cmd_append.c - APPEND with flags and date, APPENDLIMIT (the
 * parser refuses a literal over max_message_size with [TOOBIG]),
 * UIDPLUS's APPENDUID and MULTIAPPEND (RFC 3502).
 *
 * MULTIAPPEND: one APPEND may carry several messages, each with its own
 * flags and date. They are stored in one store write (store_append_many),
 * so either all of them are there or, when any is refused (a bad flag or
 * date, size, quota), none is; APPENDUID then gives the UIDs as a set
 * (RFC 4315). All the messages of one command together are bounded by the
 * parser's command limit (max_message_size and a little more).
 *
 * Not done: RFC 3516's binary APPEND. A literal8 (~{n}) message is stored
 * as sent; nothing gives its 8-bit or NUL-bearing parts a transfer
 * encoding, so such a message is only as good as what the client sent.
 *
 * The messages are the parser's literals, used in place: the session
 * feeds the parser nothing while the store call runs, so they stay valid.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "imap/imap_cmd.h"
#include "imap/imap_flags.h"
#include "imapsyn/imap_date.h"
#include "svc/svc.h"
#include "util/log.h"
#include "util/xalloc.h"

/* one message of an APPEND: its flags, keywords and date */
struct append_msg {
	struct buf kw;
	struct store_append_msg m;
};

struct append_job {
	struct store *st;
	char user[STORE_ADDR_MAX + 1];
	char name[STORE_MBOX_NAME_MAX + 1];
	struct append_msg *msgs;
	size_t n;
	uint32_t uidvalidity;
	uint32_t *uids;		/* n new UIDs, consecutive */
	int rc;
};

/* append_free - the job and what it owns */
static void
append_free(struct append_job *j)
{
	size_t i;

	for (i = 0; i < j->n; i++)
		buf_free(&j->msgs[i].kw);
	free(j->msgs);
	free(j->uids);
	free(j);
}

/* append_run - on the pool: the durable append of every message, or none */
static void
append_run(void *arg)
{
	struct append_job *j = arg;
	struct store_append_msg *m = xcalloc(j->n, sizeof(*m));
	size_t i;

	for (i = 0; i < j->n; i++) {
		m[i] = j->msgs[i].m;
		m[i].keywords = buf_cstr(&j->msgs[i].kw);
	}
	j->rc = store_append_many(j->st, j->user, j->name, m, j->n, &j->uidvalidity, j->uids);
	free(m);
}

/* append_done - APPENDUID with the new UID or UID range, or why not */
static enum imap_result
append_done(struct imap_session *s, void *arg)
{
	struct append_job *j = arg;

	if (j->rc == STORE_ENOTFOUND)
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
 * append_one - one message's [flags] [date] literal from args[*i];
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
	if (*i >= n || args[*i].type != IMAP_ARG_LITERAL)
		return -1;
	am->m.msg = args[*i].str;
	am->m.len = args[*i].len;
	(*i)++;
	return 0;
}

IMAP_CMD(append)
{
	struct append_job *j = xcalloc(1, sizeof(*j));
	size_t i = 1;
	bool ok = n >= 2 && imap_mailbox_in(s, &args[0], j->name) == 0;

	j->st = s->env->st;
	strcpy(j->user, s->user);
	/* each message takes at least its literal, so n - 1 is enough */
	j->msgs = xcalloc(n, sizeof(*j->msgs));
	while (ok && i < n)
		ok = append_one(args, n, &i, &j->msgs[j->n++]) == 0;
	if (!ok) {
		append_free(j);
		log_info(s->id, "imap: APPEND refused: bad syntax");
		imap_reply(s, "BAD", "APPEND needs a mailbox and one or more messages, each with "
		    "optional flags and date and a literal");
		return IMAP_DONE;
	}
	j->uids = xcalloc(j->n, sizeof(*j->uids));
	return imap_wait(s, append_run, append_done, j);
}
