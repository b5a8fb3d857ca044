/*
 * imap_cmd_notify.c - NOTIFY (RFC 5465): the events a session is told
 * without asking, for its selected mailbox and for the others.
 *
 * The selected mailbox (SELECTED, SELECTED-DELAYED) goes the way of IDLE:
 * the registry's notice runs the view's sync between commands as IDLE's
 * does (imap_cmd_idle.c), EXPUNGE held back outside IDLE under
 * SELECTED-DELAYED, then a FETCH with MessageNew's attributes for each new
 * message. The other mailboxes are a snapshot: each of the user's
 * mailboxes by id with its name and counters, and the subscribed names.
 * A notice (a watched mailbox's messages changed, or the user's names or
 * subscriptions did) takes a new snapshot and tells the difference: STATUS
 * (MESSAGES UIDNEXT UIDVALIDITY UNSEEN, HIGHESTMODSEQ under CONDSTORE) for
 * MessageNew/MessageExpunge and FlagChange, LIST for MailboxName (a name
 * new, gone as \NonExistent, or renamed with OLDNAME) and for
 * SubscriptionChange. The first event group that matches a mailbox says
 * which events it has; the selected mailbox never gets a STATUS.
 *
 * Notices are told only between commands: one that comes while a command
 * runs waits for imap_finish. A client that does not read its output past
 * NOTIFY_OUT_MAX gets NOTIFICATIONOVERFLOW and NOTIFY NONE.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imap/imap_cmd.h"
#include "imap/imap_notify_spec.h"
#include "imapsyn/imap_write.h"
#include "net/net.h"
#include "svc/svc.h"
#include "util/log.h"
#include "util/xalloc.h"

#define NOTIFY_OUT_MAX	(1024 * 1024)	/* queued output a NOTIFY client may leave unread (net drops at 4 MiB) */

/* one of the user's mailboxes, as last told */
struct notify_mbox {
	struct store_mailbox mb;
	unsigned events;	/* of the first group that matched */
};

/* a snapshot of the user's mailboxes and subscriptions */
struct notify_snap {
	struct notify_mbox *mbs;
	size_t n, cap;
	char **subs;		/* subscribed names, in name order */
	size_t nsubs, capsubs;
};

struct imap_notify_state {
	struct imap_notify_spec spec;	/* names in the store's UTF-8 */
	int selected;			/* the SELECTED group's index, -1: none */
	struct imap_fetch_atts *fetch;	/* MessageNew's, for the selected mailbox */
	struct notify_snap snap;
	bool pending;			/* a notice waits for the running command */
};

/* snap_free - the snapshot's memory */
static void
snap_free(struct notify_snap *sn)
{
	for (size_t i = 0; i < sn->nsubs; i++)
		free(sn->subs[i]);
	free(sn->subs);
	free(sn->mbs);
	memset(sn, 0, sizeof(*sn));
}

/* snap_mbox - store_mailbox_list callback */
static int
snap_mbox(const struct store_mailbox *mb, void *arg)
{
	struct notify_snap *sn = arg;

	if (sn->n == sn->cap) {
		sn->cap = sn->cap ? sn->cap * 2 : 16;
		sn->mbs = xrealloc(sn->mbs, sn->cap * sizeof(*sn->mbs));
	}
	sn->mbs[sn->n++] = (struct notify_mbox){ .mb = *mb };
	return 0;
}

/* snap_sub - store_subscription_list callback */
static int
snap_sub(const char *name, void *arg)
{
	struct notify_snap *sn = arg;

	if (sn->nsubs == sn->capsubs) {
		sn->capsubs = sn->capsubs ? sn->capsubs * 2 : 16;
		sn->subs = xrealloc(sn->subs, sn->capsubs * sizeof(*sn->subs));
	}
	sn->subs[sn->nsubs++] = xstrdup(name);
	return 0;
}

/* snap_subscribed - whether name is in the snapshot's subscriptions */
static bool
snap_subscribed(const struct notify_snap *sn, const char *name)
{
	for (size_t i = 0; i < sn->nsubs; i++)
		if (strcmp(sn->subs[i], name) == 0)
			return true;
	return false;
}

/* group_matches - whether a (non-selected) group covers the mailbox name */
static bool
group_matches(const struct imap_notify_group *g, const struct notify_snap *sn, const char *name)
{
	switch (g->filter) {
	case IMAP_NF_INBOXES:
		return strcmp(name, "INBOX") == 0;
	case IMAP_NF_PERSONAL:
		return true;
	case IMAP_NF_SUBSCRIBED:
		return snap_subscribed(sn, name);
	case IMAP_NF_SUBTREE:
	case IMAP_NF_MAILBOXES:
		for (size_t i = 0; i < g->nnames; i++) {
			size_t len = strlen(g->names[i]);

			if (strncmp(name, g->names[i], len) == 0 && (name[len] == '\0' ||
			    (g->filter == IMAP_NF_SUBTREE && name[len] == '/')))
				return true;
		}
		return false;
	default:
		return false;
	}
}

/* name_events - the events of the first group that covers name */
static unsigned
name_events(const struct imap_notify_state *st, const struct notify_snap *sn, const char *name)
{
	for (size_t i = 0; i < st->spec.ngroups; i++)
		if ((int)i != st->selected && group_matches(&st->spec.groups[i], sn, name))
			return st->spec.groups[i].events;
	return 0;
}

/* snap_take - a new snapshot of the user's mailboxes; 0 or a store error */
static int
snap_take(struct imap_session *s, struct notify_snap *sn)
{
	struct store_rtxn *r;
	int rc;

	memset(sn, 0, sizeof(*sn));
	if ((rc = store_rtxn_begin(s->env->st, &r)) != 0)
		return rc;
	rc = store_mailbox_list(r, s->user, snap_mbox, sn);
	if (rc == 0)
		rc = store_subscription_list(r, s->user, snap_sub, sn);
	store_rtxn_end(&r);
	if (rc != 0) {
		snap_free(sn);
		return rc;
	}
	for (size_t i = 0; i < sn->n; i++)
		sn->mbs[i].events = name_events(s->notify, sn, sn->mbs[i].mb.name);
	return 0;
}

/* snap_ids - the ids of the snapshot's mailboxes that have message events, into ids (sn->n slots) */
static size_t
snap_ids(const struct notify_snap *sn, uint64_t *ids)
{
	size_t n = 0;

	for (size_t i = 0; i < sn->n; i++)
		if (sn->mbs[i].events & IMAP_NEV_MESSAGE)
			ids[n++] = sn->mbs[i].mb.id;
	return n;
}

/*
 * snap_watch - register for the messages of now's mailboxes that have
 * events; nothing to do when they are those of was (NULL: none yet), as
 * after most notices, so the registry's lock is not taken for nothing
 */
static void
snap_watch(struct imap_session *s, const struct notify_snap *was, const struct notify_snap *now)
{
	uint64_t *ids = xcalloc(now->n + 1, sizeof(*ids));
	uint64_t *old = xcalloc((was ? was->n : 0) + 1, sizeof(*old));
	size_t n = snap_ids(now, ids), nold = was ? snap_ids(was, old) : 0;

	if (was == NULL || n != nold || memcmp(ids, old, n * sizeof(*ids)) != 0)
		imap_notify_watch(s, ids, n);
	free(ids);
	free(old);
}

/* snap_find - the mailbox of id in the snapshot, or NULL */
static const struct notify_mbox *
snap_find(const struct notify_snap *sn, uint64_t id)
{
	for (size_t i = 0; i < sn->n; i++)
		if (sn->mbs[i].mb.id == id)
			return &sn->mbs[i];
	return NULL;
}

/* tell_status - "* STATUS name (...)" of a mailbox other than the selected one */
static void
tell_status(struct imap_session *s, const struct store_mailbox *mb, struct buf *out)
{
	if (s->selected && s->view.id == mb->id)
		return;
	buf_puts(out, "* STATUS ");
	imap_write_mailbox(out, mb->name, strlen(mb->name), imap_utf8_names(s));
	buf_printf(out, " (MESSAGES %u UIDNEXT %u UIDVALIDITY %u UNSEEN %u", mb->messages,
	    mb->uidnext, mb->uidvalidity, mb->unseen);
	if (s->enabled & IMAP_EN_CONDSTORE)
		buf_printf(out, " HIGHESTMODSEQ %llu", (unsigned long long)mb->highestmodseq);
	buf_puts(out, ")\r\n");
}

/* tell_list - "* LIST (attrs) "/" name", with OLDNAME when renamed */
static void
tell_list(struct imap_session *s, const char *attrs, const char *name, const char *old,
    struct buf *out)
{
	bool utf8 = imap_utf8_names(s);

	buf_printf(out, "* LIST (%s) \"/\" ", attrs);
	imap_write_mailbox(out, name, strlen(name), utf8);
	if (old != NULL) {
		buf_puts(out, " (\"OLDNAME\" (");
		imap_write_mailbox(out, old, strlen(old), utf8);
		buf_puts(out, "))");
	}
	buf_puts(out, "\r\n");
}

/* diff_mbox - what changed for one mailbox of the new snapshot */
static void
diff_mbox(struct imap_session *s, const struct notify_snap *was, const struct notify_mbox *now,
    struct buf *out)
{
	const struct notify_mbox *old = snap_find(was, now->mb.id);
	const struct store_mailbox *a, *b = &now->mb;
	unsigned ev = now->events | (old != NULL ? old->events : 0);
	bool counts, flags;

	if (old == NULL) {
		if (ev & IMAP_NEV_NAME)
			tell_list(s, "", b->name, NULL, out);
		return;
	}
	a = &old->mb;
	if (strcmp(a->name, b->name) != 0 && (ev & IMAP_NEV_NAME))
		tell_list(s, "", b->name, a->name, out);
	counts = a->messages != b->messages || a->uidnext != b->uidnext ||
	    a->uidvalidity != b->uidvalidity;
	flags = a->unseen != b->unseen || a->highestmodseq != b->highestmodseq;
	if ((counts && (now->events & IMAP_NEV_NEW)) || (flags && (now->events & IMAP_NEV_FLAGS)))
		tell_status(s, b, out);
}

/* diff_subs - SubscriptionChange: names subscribed or unsubscribed since */
static void
diff_subs(struct imap_session *s, const struct notify_snap *was, const struct notify_snap *now,
    struct buf *out)
{
	for (size_t i = 0; i < now->nsubs; i++)
		if (!snap_subscribed(was, now->subs[i]) &&
		    (name_events(s->notify, now, now->subs[i]) & IMAP_NEV_SUBS))
			tell_list(s, "\\Subscribed", now->subs[i], NULL, out);
	for (size_t i = 0; i < was->nsubs; i++)
		if (!snap_subscribed(now, was->subs[i]) &&
		    (name_events(s->notify, was, was->subs[i]) & IMAP_NEV_SUBS))
			tell_list(s, "", was->subs[i], NULL, out);
}

/* notify_behind - the client fell too far behind: NOTIFICATIONOVERFLOW and NOTIFY NONE */
static bool
notify_behind(struct imap_session *s)
{
	size_t queued = net_conn_output_len(s->c);

	if (queued <= NOTIFY_OUT_MAX)
		return false;
	log_info(s->id, "imap: NOTIFY: %s left %zu bytes unread; notifications off", s->user, queued);
	imap_cmd_notify_end(s);
	imap_untagged(s, "OK [NOTIFICATIONOVERFLOW] Too many notifications; NOTIFY is now NONE");
	return true;
}

/* notify_tell - take a new snapshot and tell what changed since the last */
static void
notify_tell(struct imap_session *s)
{
	struct imap_notify_state *st = s->notify;
	struct notify_snap now;
	struct buf out = BUF_INIT;

	st->pending = false;
	if (notify_behind(s))
		return;
	if (snap_take(s, &now) != 0)
		return;		/* the store is busy: the next notice tries again */
	for (size_t i = 0; i < now.n; i++)
		diff_mbox(s, &st->snap, &now.mbs[i], &out);
	for (size_t i = 0; i < st->snap.n; i++) {
		const struct notify_mbox *old = &st->snap.mbs[i];

		if (snap_find(&now, old->mb.id) == NULL && (old->events & IMAP_NEV_NAME))
			tell_list(s, "\\NonExistent", old->mb.name, NULL, &out);
	}
	diff_subs(s, &st->snap, &now, &out);
	snap_watch(s, &st->snap, &now);
	snap_free(&st->snap);
	st->snap = now;
	imap_send(s, out.data, out.len);
	buf_free(&out);
}

/* notify_can_tell - between commands: nothing running, nothing half sent */
static bool
notify_can_tell(const struct imap_session *s)
{
	return !s->busy && s->stream.more == NULL && !s->in_auth && s->state != IMAP_STATE_LOGOUT;
}

void
imap_cmd_notify_event(struct imap_session *s)
{
	if (s->notify == NULL)
		return;
	s->notify->pending = true;
	if (notify_can_tell(s))
		notify_tell(s);
}

void
imap_cmd_notify_flush(struct imap_session *s)
{
	if (s->notify != NULL && s->notify->pending && notify_can_tell(s))
		notify_tell(s);
}

/*
 * snap_keep_counts - now takes was's counters for the mailboxes both have,
 * so that message changes not yet told are told at the next notice
 */
static void
snap_keep_counts(const struct notify_snap *was, struct notify_snap *now)
{
	for (size_t i = 0; i < now->n; i++) {
		const struct notify_mbox *old = snap_find(was, now->mbs[i].mb.id);
		struct store_mailbox *mb = &now->mbs[i].mb;

		if (old == NULL)
			continue;
		mb->messages = old->mb.messages;
		mb->uidnext = old->mb.uidnext;
		mb->uidvalidity = old->mb.uidvalidity;
		mb->unseen = old->mb.unseen;
		mb->highestmodseq = old->mb.highestmodseq;
	}
}

void
imap_cmd_notify_changed(struct imap_session *s)
{
	struct notify_snap now;

	imap_notify_user(s);
	/* its own change is no news to this client: the snapshot takes its names and subscriptions */
	if (s->notify == NULL || snap_take(s, &now) != 0)
		return;
	snap_keep_counts(&s->notify->snap, &now);
	snap_watch(s, &s->notify->snap, &now);
	snap_free(&s->notify->snap);
	s->notify->snap = now;
}

bool
imap_cmd_notify_selected(const struct imap_session *s)
{
	return s->notify != NULL && s->notify->selected >= 0 &&
	    (s->notify->spec.groups[s->notify->selected].events & IMAP_NEV_MESSAGE);
}

void
imap_cmd_notify_sync(struct imap_session *s)
{
	const struct imap_notify_state *st = s->notify;
	bool delayed = st != NULL && st->selected >= 0 &&
	    st->spec.groups[st->selected].filter == IMAP_NF_SELECTED_DELAYED;
	uint32_t last = s->view.n ? s->view.msgs[s->view.n - 1].uid : 0;
	size_t i;

	imap_view_sync(s, s->idling || !delayed);
	if (st == NULL || st->fetch == NULL || !imap_cmd_notify_selected(s))
		return;
	for (i = s->view.n; i > 0 && s->view.msgs[i - 1].uid > last; i--)
		;
	for (; i < s->view.n && !notify_behind(s); i++)
		imap_fetch_atts_send(st->fetch, s->view.msgs[i].uid);
}

void
imap_cmd_notify_end(struct imap_session *s)
{
	if (s->notify == NULL)
		return;
	imap_notify_unwatch(s);
	imap_notify_spec_free(&s->notify->spec);
	imap_fetch_atts_free(&s->notify->fetch);
	snap_free(&s->notify->snap);
	free(s->notify);
	s->notify = NULL;
}

/* spec_names - the groups' mailbox names into the store's UTF-8 form; -1 if one is bad */
static int
spec_names(struct imap_session *s, struct imap_notify_spec *spec)
{
	struct buf b = BUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < spec->ngroups && rc == 0; i++)
		for (size_t j = 0; j < spec->groups[i].nnames && rc == 0; j++) {
			char **name = &spec->groups[i].names[j];

			if (imap_name_decode(s, *name, strlen(*name), &b) < 0) {
				rc = -1;
				break;
			}
			free(*name);
			*name = xstrdup(buf_cstr(&b));
			if (strcasecmp(*name, "INBOX") == 0)
				strcpy(*name, "INBOX");
		}
	buf_free(&b);
	return rc;
}

/* notify_set - the parsed NOTIFY SET becomes the session's */
static enum imap_result
notify_set(struct imap_session *s, struct imap_notify_spec *spec)
{
	struct imap_notify_state *st = xcalloc(1, sizeof(*st));
	struct buf out = BUF_INIT;

	st->selected = -1;
	for (size_t i = 0; i < spec->ngroups; i++)
		if (spec->groups[i].filter == IMAP_NF_SELECTED ||
		    spec->groups[i].filter == IMAP_NF_SELECTED_DELAYED)
			st->selected = (int)i;
	if (spec->fetch != NULL && (st->fetch = imap_fetch_atts_new(s, spec->fetch)) == NULL) {
		free(st);
		imap_notify_spec_free(spec);
		imap_reply(s, "BAD", "Bad fetch attributes (BODY[] must be BODY.PEEK[] here)");
		return IMAP_DONE;
	}
	spec->fetch = NULL;
	st->spec = *spec;
	memset(spec, 0, sizeof(*spec));
	imap_cmd_notify_end(s);
	s->notify = st;
	if (snap_take(s, &st->snap) != 0) {
		imap_cmd_notify_end(s);
		imap_reply(s, "NO", "[UNAVAILABLE] Cannot read the mailboxes, try again later");
		return IMAP_DONE;
	}
	snap_watch(s, NULL, &st->snap);
	for (size_t i = 0; st->spec.status && i < st->snap.n; i++)
		if (st->snap.mbs[i].events & IMAP_NEV_NEW)
			tell_status(s, &st->snap.mbs[i].mb, &out);
	imap_send(s, out.data, out.len);
	buf_free(&out);
	imap_reply(s, "OK", "NOTIFY completed");
	return IMAP_DONE;
}

IMAP_CMD(notify)
{
	struct imap_notify_spec spec;
	const char *why;
	int rc = imap_notify_parse(args, n, &spec, &why);

	if (rc == 0 && spec_names(s, &spec) != 0) {
		rc = IMAP_NOTIFY_BAD;
		why = "Bad mailbox name";
	}
	if (rc != 0) {
		log_info(s->id, "imap: NOTIFY refused: %s", why);
		imap_notify_spec_free(&spec);
		if (rc == IMAP_NOTIFY_BADEVENT)
			imap_reply(s, "NO", "[BADEVENT (" IMAP_NOTIFY_EVENTS ")] %s", why);
		else
			imap_reply(s, "BAD", "%s", why);
		return IMAP_DONE;
	}
	if (spec.ngroups == 0) {
		imap_cmd_notify_end(s);
		imap_reply(s, "OK", "NOTIFY NONE completed");
		return IMAP_DONE;
	}
	return notify_set(s, &spec);
}
