/*
 * imap_cmd_append.c - APPEND with flags and date, APPENDLIMIT (the
 * parser refuses a literal over max_message_size with [TOOBIG]) and
 * UIDPLUS's APPENDUID. Into the selected mailbox, the view takes the new
 * message in before the tagged OK, so the client may fetch it at once.
 *
 * RFC 3516's binary APPEND: a literal8 (~{n}) message is stored exactly
 * as sent (store_append_exact), bare LF and NUL included, so BINARY[] and
 * BINARY.SIZE give back its bytes; a normal literal is made CRLF.
 *
 * The message is the parser's literal, used in place: the session feeds
 * the parser nothing while the store call runs, so it stays valid.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "imap/imap_cmd.h"
#include "imap/imap_flags.h"
#include "imapsyn/imap_date.h"
#include "svc/svc.h"
#include "util/xalloc.h"

struct append_job {
	struct store *st;
	char user[STORE_ADDR_MAX + 1];
	char name[STORE_MBOX_NAME_MAX + 1];
	const char *msg;
	size_t len;
	bool binary;		/* a literal8: kept byte for byte */
	uint32_t flags;
	struct buf kw;
	int64_t date;
	uint32_t uidvalidity, uid;
	int rc;
};

/* append_run - on the pool: the durable append */
static void
append_run(void *arg)
{
	struct append_job *j = arg;

	j->rc = (j->binary ? store_append_exact : store_append)(j->st, j->user, j->name, j->msg,
	    j->len, j->flags, buf_cstr(&j->kw), j->date, &j->uidvalidity, &j->uid);
}

/* append_reply - APPENDUID, or why not */
static enum imap_result
append_reply(struct imap_session *s, void *arg)
{
	struct append_job *j = arg;

	if (j->rc == STORE_ENOTFOUND)
		imap_reply(s, "NO", "[TRYCREATE] No such mailbox");
	else if (j->rc != 0)
		imap_reply_store_err(s, j->rc);
	else
		imap_reply(s, "OK", "[APPENDUID %u %u] APPEND completed", j->uidvalidity, j->uid);
	buf_free(&j->kw);
	free(j);
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

	if (j->rc == 0 && imap_view_is(s, j->name))
		return imap_recent_settle(s, append_reply, j);
	return append_reply(s, j);
}

IMAP_CMD(append)
{
	struct append_job *j = xcalloc(1, sizeof(*j));
	size_t i = 1;
	bool ok = n >= 2 && imap_mailbox_in(s, &args[0], j->name) == 0;

	j->st = s->env->st;
	strcpy(j->user, s->user);
	j->date = time(NULL);
	if (ok && args[i].type == IMAP_ARG_LIST)
		ok = imap_flags_parse(&args[i++], &j->flags, &j->kw) == 0;
	if (ok && i < n && args[i].type == IMAP_ARG_STRING)
		ok = imap_date_parse_datetime(args[i].str, args[i].len, &j->date, NULL) == 0 && ++i;
	if (!ok || i + 1 != n || args[i].type != IMAP_ARG_LITERAL) {
		buf_free(&j->kw);
		free(j);
		imap_reply(s, "BAD", "APPEND needs a mailbox, optional flags and date, and a literal");
		return IMAP_DONE;
	}
	j->msg = args[i].str;
	j->len = args[i].len;
	j->binary = args[i].literal8;
	return imap_wait(s, append_run, append_done, j);
}
