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
 *
 * In the shared namespace (imap_shared.c) CREATE needs the "k" right on
 * the new mailbox's parent, DELETE "x" on the mailbox, RENAME both, within
 * one owner's mailboxes (RFC 4314 4). A name of the user's own in the
 * shared namespace ("shared", "shared/<own address>/...", "shared/x") is
 * refused to CREATE and RENAME with NO [CANNOT], as Dovecot refuses it:
 * LIST would show the namespace there, never the mailbox. Subscriptions
 * are the user's own names, whatever they name.
 */
#include <stdlib.h>
#include <string.h>

#include "imap/imap_cmd.h"
#include "imap/imap_shared.h"
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

/* mbox_right - the user holds need on owner's mailbox name; else -1 after the reply */
static int
mbox_right(struct imap_session *s, const char *owner, const char *name, uint32_t need,
    const char *what)
{
	struct imap_mbox_ref ref = { .shared = true };
	struct store_mailbox mb;
	struct store_rtxn *r;
	uint32_t rights = 0;
	int rc;

	snprintf(ref.owner, sizeof(ref.owner), "%s", owner);
	snprintf(ref.name, sizeof(ref.name), "%s", name);
	if (imap_rtxn(s, &r) != 0)
		return -1;
	rc = imap_mbox_get(s, r, &ref, &mb, &rights);
	store_rtxn_end(&r);
	if (rc != 0)
		imap_reply_store_err(s, rc);
	else if (imap_rights_deny(s, rights, need, what))
		rc = -1;
	return rc != 0 ? -1 : 0;
}

/* mbox_parent_right - "k" on the parent of owner's name; a top-level name is the owner's alone */
static int
mbox_parent_right(struct imap_session *s, const char *owner, const char *name, const char *what)
{
	char parent[STORE_MBOX_NAME_MAX + 1];
	const char *slash = strrchr(name, '/');

	if (slash == NULL)
		return imap_rights_deny(s, 0, IMAP_ACL_CREATE, what) ? -1 : 0;
	memcpy(parent, name, (size_t)(slash - name));
	parent[slash - name] = '\0';
	return mbox_right(s, owner, parent, IMAP_ACL_CREATE, what);
}

/*
 * mbox_shared - resolve the names of j (owner into j->user, the owner's
 * names into j->name and j->to) and check the rights a shared mailbox
 * takes; -1 after the reply
 */
static int
mbox_shared(struct imap_session *s, struct mbox_job *j)
{
	struct imap_mbox_ref from, to;
	const char *what = op_names[j->op];

	if (j->op == OP_SUBSCRIBE || j->op == OP_UNSUBSCRIBE)
		return 0;
	if (imap_mbox_ref(s, j->name, &from) != 0 ||
	    (j->op == OP_RENAME && imap_mbox_ref(s, j->to, &to) != 0)) {
		imap_reply(s, "BAD", "Bad mailbox name");
		return -1;
	}
	if (j->op == OP_RENAME && strcasecmp(from.owner, to.owner) != 0) {
		imap_reply(s, "NO", "[CANNOT] Mailboxes cannot be renamed from one owner to another");
		return -1;
	}
	/* the shared namespace shows other users' mailboxes: one's own there would be hidden */
	if ((j->op == OP_CREATE && !from.shared && imap_mbox_in_shared_ns(j->name)) ||
	    (j->op == OP_RENAME && !to.shared && imap_mbox_in_shared_ns(j->to))) {
		log_info(s->id, "imap: %s of a name in the shared namespace refused", what);
		imap_reply(s, "NO", "[CANNOT] Mailboxes of one's own cannot be created in the"
		    " shared namespace");
		return -1;
	}
	if (!from.shared)
		return 0;
	strcpy(j->user, from.owner);
	strcpy(j->name, from.name);
	if (j->op == OP_RENAME)
		strcpy(j->to, to.name);
	if (j->op == OP_CREATE)
		return mbox_parent_right(s, from.owner, from.name, what);
	if (mbox_right(s, from.owner, from.name, IMAP_ACL_DELETE, what) != 0)
		return -1;
	return j->op == OP_RENAME ? mbox_parent_right(s, to.owner, to.name, what) : 0;
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
	if (mbox_shared(s, j) != 0) {
		free(j);
		return IMAP_DONE;
	}
	if (op == OP_DELETE && imap_view_is(s, j->user, j->name))
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
