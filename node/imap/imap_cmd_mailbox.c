/*
 * imap_cmd_mailbox.c - changing the folder tree: CREATE, DELETE, RENAME,
 * SUBSCRIBE and UNSUBSCRIBE.
 *
 * Each is one durable store call on the pool. Names arrive in modified
 * UTF-7 (or UTF-8 once enabled) and are stored as UTF-8; a trailing "/" on
 * CREATE only says that children are intended (RFC 3501 6.3.3). CREATE
 * may name special uses (RFC 6154 3: "(USE (\Sent))"); \All and \Flagged
 * are virtual mailboxes, which the store does not have, so they are NO
 * [USEATTR].
 */
#include <stdlib.h>
#include <string.h>

#include "imap/imap_cmd.h"
#include "svc/svc.h"
#include "util/log.h"
#include "util/xalloc.h"

enum mbox_op { OP_CREATE, OP_DELETE, OP_RENAME, OP_SUBSCRIBE, OP_UNSUBSCRIBE };

static const char *const op_names[] = { "CREATE", "DELETE", "RENAME", "SUBSCRIBE", "UNSUBSCRIBE" };

struct mbox_job {
	enum mbox_op op;
	struct store *st;
	char user[STORE_ADDR_MAX + 1];
	char name[STORE_MBOX_NAME_MAX + 1];
	char to[STORE_MBOX_NAME_MAX + 1];
	unsigned special_use;		/* CREATE: enum store_special_use bits */
	uint64_t id;			/* CREATE: the new mailbox's, for MAILBOXID; 0 if unknown */
	int rc;
};

#define USEATTR_UNKNOWN (-2)

/* create_uses - the special uses in CREATE's "(USE (...))"; -1 if malformed, USEATTR_UNKNOWN */
static int
create_uses(const struct imap_arg *params, unsigned *su_r)
{
	static const struct { unsigned bit; const char *name; } uses[] = {
		{ STORE_SU_ARCHIVE, "\\Archive" }, { STORE_SU_DRAFTS, "\\Drafts" },
		{ STORE_SU_JUNK, "\\Junk" }, { STORE_SU_SENT, "\\Sent" }, { STORE_SU_TRASH, "\\Trash" },
	};
	enum { NUSES = sizeof(uses) / sizeof(uses[0]) };
	int rc = 0;

	*su_r = 0;
	if (params->type != IMAP_ARG_LIST || params->count % 2 != 0)
		return -1;
	for (size_t i = 0; i < params->count; i += 2) {
		const struct imap_arg *list = &params->list[i + 1];

		if (!imap_arg_atom_is(&params->list[i], "USE") || list->type != IMAP_ARG_LIST)
			return -1;
		for (size_t k = 0; k < list->count; k++) {
			size_t u = 0;

			if (list->list[k].type != IMAP_ARG_ATOM)
				return -1;
			while (u < NUSES && !imap_arg_atom_is(&list->list[k], uses[u].name))
				u++;
			if (u == NUSES)
				rc = USEATTR_UNKNOWN;
			else
				*su_r |= uses[u].bit;
		}
	}
	return rc;
}

/* mbox_id - a mailbox's id, read back after CREATE; 0 if it cannot be read */
static uint64_t
mbox_id(struct store *st, const char *user, const char *name)
{
	struct store_rtxn *r;
	struct store_mailbox mb;
	uint64_t id = 0;

	if (store_rtxn_begin(st, &r) != 0)
		return 0;
	if (store_mailbox_get(r, user, name, &mb) == 0)
		id = mb.id;
	store_rtxn_end(&r);
	return id;
}

/* mbox_run - on the pool */
static void
mbox_run(void *arg)
{
	struct mbox_job *j = arg;

	switch (j->op) {
	case OP_CREATE:
		j->rc = store_mailbox_create(j->st, j->user, j->name, j->special_use);
		if (j->rc == 0)
			j->id = mbox_id(j->st, j->user, j->name);
		break;
	case OP_DELETE:
		j->rc = store_mailbox_delete(j->st, j->user, j->name);
		break;
	case OP_RENAME:
		j->rc = store_mailbox_rename(j->st, j->user, j->name, j->to);
		break;
	case OP_SUBSCRIBE:
	case OP_UNSUBSCRIBE:
		j->rc = store_mailbox_subscribe(j->st, j->user, j->name, j->op == OP_SUBSCRIBE);
		break;
	}
}

/* mbox_done - the answer */
static enum imap_result
mbox_done(struct imap_session *s, void *arg)
{
	struct mbox_job *j = arg;

	if (j->rc == 0)
		imap_cmd_notify_changed(s);
	if (j->rc == STORE_ENOTEMPTY)
		imap_reply(s, "NO", "[INUSE] Mailbox has children");
	else if (j->rc != 0)
		imap_reply_store_err(s, j->rc);
	else if (j->id != 0)
		imap_reply(s, "OK", "[MAILBOXID (" IMAP_MAILBOXID_FMT ")] %s completed",
		    (unsigned long long)j->id, op_names[j->op]);
	else
		imap_reply(s, "OK", "%s completed", op_names[j->op]);
	free(j);
	return IMAP_DONE;
}

/* mbox_start - check the arguments and queue the call */
static enum imap_result
mbox_start(struct imap_session *s, const struct imap_arg *args, size_t n, enum mbox_op op)
{
	struct mbox_job *j = xcalloc(1, sizeof(*j));
	size_t want = op == OP_RENAME ? 2 : 1;
	size_t len;
	int rc = n != want && !(op == OP_CREATE && n == 2) ? -1 :
	    op == OP_CREATE ? imap_mailbox_new(s, &args[0], j->name) :
	    imap_mailbox_in(s, &args[0], j->name);

	j->op = op;
	j->st = s->env->st;
	strcpy(j->user, s->user);
	if (rc == 0 && op == OP_RENAME)
		rc = imap_mailbox_new(s, &args[1], j->to);
	if (rc == 0 && op == OP_CREATE && n == 2 && (rc = create_uses(&args[1], &j->special_use)) != 0) {
		free(j);
		if (rc == USEATTR_UNKNOWN)
			imap_reply(s, "NO", "[USEATTR] Only \\Archive, \\Drafts, \\Junk, \\Sent and"
			    " \\Trash mailboxes can be created");
		else
			imap_reply(s, "BAD", "CREATE takes (USE (attributes)) after the name");
		return IMAP_DONE;
	}
	if (rc != 0) {
		free(j);
		if (rc == IMAP_NAME_TOO_LONG) {
			imap_reply_store_err(s, STORE_ENAMETOOLONG);
		} else if (rc == IMAP_NAME_NOT_UTF7) {
			log_info(s->id, "imap: mailbox name not valid modified UTF-7 refused");
			imap_reply(s, "NO", "[CANNOT] Mailbox name is not valid modified UTF-7");
		} else
			imap_reply(s, "BAD", "Bad mailbox name");
		return IMAP_DONE;
	}
	len = strlen(j->name);
	if (op == OP_CREATE && len > 1 && j->name[len - 1] == '/')
		j->name[len - 1] = '\0';
	if (s->selected && (op == OP_DELETE) && strcmp(s->view.name, j->name) == 0)
		imap_view_clear(s);
	return imap_wait(s, mbox_run, mbox_done, j);
}

IMAP_CMD(create)
{
	return mbox_start(s, args, n, OP_CREATE);
}

IMAP_CMD(delete)
{
	return mbox_start(s, args, n, OP_DELETE);
}

IMAP_CMD(rename)
{
	return mbox_start(s, args, n, OP_RENAME);
}

IMAP_CMD(subscribe)
{
	return mbox_start(s, args, n, OP_SUBSCRIBE);
}

IMAP_CMD(unsubscribe)
{
	return mbox_start(s, args, n, OP_UNSUBSCRIBE);
}
