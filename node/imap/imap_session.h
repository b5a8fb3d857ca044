/*
 * imap_session.h - the IMAP server's session and what its command files
 * share: the state machine, replies, the selected mailbox view and the
 * wait for the store.
 *
 * node/imap is the IMAP server: this session and its command files
 * (imap_cmd.h), the selected mailbox view (imap_view.c), its keywords
 * (imap_keywords.c), \Recent (imap_recent.c), the notices between sessions (imap_notify.c), SEARCH
 * keys (imap_search.h), FETCH body sections (imap_fetch.h) and flags
 * between IMAP and the store (imap_flags.h). The syntax it speaks (parser,
 * quoting, modified UTF-7, dates, sequence sets) is node/imapsyn's, which
 * knows no session.
 *
 * One struct imap_session per connection, owned by its loop thread. The
 * session core (imap_session.c) feeds the parser, dispatches each command
 * to its handler by name and state (imap_cmd_*.c, one family per file) and
 * sends the tagged reply. A handler either finishes at once (returns
 * IMAP_DONE after imap_reply()) or starts a store call with imap_wait()
 * and finishes in its done callback; nothing more is parsed until it has.
 *
 * Hazards: the command's args point into the parser and stay valid only
 * until the handler finishes; a job running on the pool must use copies.
 * A read transaction is never held across a callback.
 */
#ifndef DUPLEX_IMAP_SESSION_H
#define DUPLEX_IMAP_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "imapsyn/imap_parser.h"
#include "imapsyn/imap_seqset.h"
#include "store/store.h"
#include "util/buf.h"

struct net_conn;
struct net_proto;
struct svc_env;
struct net_timer;
struct imap_notify_state;

/* the protocol plugged into net for imap_listen and imaps_listen */
extern const struct net_proto imap_proto;

enum imap_state {
	IMAP_STATE_NOAUTH = 1 << 0,
	IMAP_STATE_AUTH = 1 << 1,
	IMAP_STATE_SELECTED = 1 << 2,
	IMAP_STATE_LOGOUT = 1 << 3,
};

#define IMAP_STATE_ANY	(IMAP_STATE_NOAUTH | IMAP_STATE_AUTH | IMAP_STATE_SELECTED)
#define IMAP_STATE_IN	(IMAP_STATE_AUTH | IMAP_STATE_SELECTED)

/* ENABLE'd extensions */
#define IMAP_EN_CONDSTORE	0x1
#define IMAP_EN_QRESYNC		0x2
#define IMAP_EN_REV2		0x4
#define IMAP_EN_UTF8		0x8

/* when a command's reply carries the other sessions' changes */
enum imap_sync {
	IMAP_SYNC_NONE,		/* no mailbox, or the command syncs by itself */
	IMAP_SYNC_NOEXPUNGE,	/* FETCH, STORE, SEARCH by sequence number: no EXPUNGE */
	IMAP_SYNC_FULL,
};

/* what a handler tells the core */
enum imap_result {
	IMAP_DONE,	/* replied; go on with the next command */
	IMAP_WAIT,	/* a store call or stream is running; it calls imap_finish() */
};

/* one message of the selected mailbox, as this session last told the client */
struct imap_vmsg {
	uint32_t uid;
	uint32_t flags;
	uint64_t modseq;
};

/* the selected mailbox as this session sees it; seq n is msgs[n - 1] */
struct imap_view {
	uint64_t id;
	char owner[STORE_ADDR_MAX + 1];	/* the session user, or a shared mailbox's owner */
	char name[STORE_MBOX_NAME_MAX + 1];	/* the owner's name for it */
	uint32_t rights;	/* the user's on it (imapsyn/imap_acl.h bits) */
	bool rights_stale;	/* a change notice came: reread them (imap_view_rights) */
	bool readonly;
	uint32_t uidvalidity;
	uint32_t uidnext;
	uint64_t highestmodseq;
	struct imap_vmsg *msgs;
	size_t n, cap;
	uint64_t notify_serial;	/* registered in imap_notify; 0: not */
	struct imap_seqset saved;	/* SEARCHRES "$": UIDs; goes with the view */
	struct imap_seqset recent;	/* \Recent in this session: UIDs (imap_recent.c) */
	uint32_t settled;	/* read-write: arrivals below are claimed; none above is shown */
	size_t recent_told;	/* the RECENT count the client has */
	struct buf keywords;	/* told in FLAGS, space-separated (imap_keywords.c) */
	struct imap_update **updates;	/* updating searches (imap_context.c) */
	size_t nupdates;
};

struct imap_session;
/* a command handler: args past the name (and past "UID x"), uid for UID forms */
typedef enum imap_result (*imap_cmd_fn)(struct imap_session *s, const struct imap_arg *args,
    size_t n, bool uid);

/* a running streamed reply (FETCH): more() is called as output drains */
struct imap_stream {
	enum imap_result (*more)(struct imap_session *s);
	void (*free)(void *ctx);
	void *ctx;
};

struct imap_session {
	struct net_conn *c;
	struct svc_env *env;
	const char *id;			/* the connection id, for logs */
	struct imap_parser *parser;
	enum imap_state state;
	unsigned enabled;		/* IMAP_EN_* */
	char user[STORE_ADDR_MAX + 1];
	struct buf in;			/* input read from net, not yet parsed */
	size_t in_off;
	bool busy;			/* a handler is waiting (IMAP_WAIT) */
	bool idling;			/* in IDLE, waiting for DONE */
	bool in_auth;			/* in AUTHENTICATE, waiting for a line */
	bool sync_pending;		/* another session changed the mailbox, or arrivals wait for a claim */
	bool line_mode;			/* the parser was put in line mode */
	char *tag;			/* of the running command, for late replies */
	enum imap_sync sync_mode;	/* the running command's view sync */
	struct imap_view view;
	bool selected;
	struct imap_stream stream;
	struct net_timer *timer;	/* a failed login's delay */
	void *cmd_ctx;			/* the running command's state (auth, ...) */
	struct imap_notify_state *notify;	/* NOTIFY SET's (imap_cmd_notify.c); NULL: NONE */
	uint64_t watch_serial;		/* its entries in imap_notify; 0: none */
};

/* ---- imap_session.c ---- */

/* imap_reply - "tag OK|NO|BAD text" for the running command */
void imap_reply(struct imap_session *s, const char *status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* imap_untagged - "* text" */
void imap_untagged(struct imap_session *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* imap_send - raw bytes (a built reply) */
void imap_send(struct imap_session *s, const void *p, size_t n);
/*
 * imap_wait - run job on the pool (it may block on a commit), then done on
 * the loop; done replies and returns like a handler. Returns IMAP_WAIT.
 */
enum imap_result imap_wait(struct imap_session *s, void (*job)(void *arg),
    enum imap_result (*done)(struct imap_session *s, void *arg), void *arg);
/* imap_finish - a waiting handler is done: go on parsing */
void imap_finish(struct imap_session *s);
/* imap_logged_in - enter the authenticated state, with the limits of a logged-in client */
void imap_logged_in(struct imap_session *s);
/* imap_logged_out - back to the not-authenticated state: no view, no user, pre-login limits */
void imap_logged_out(struct imap_session *s);
/*
 * OBJECTID (RFC 8474): a mailbox's id and a message body's id are store
 * counters, never reused, written with a letter in front; there are no
 * thread ids (THREADID NIL)
 */
#define IMAP_MAILBOXID_FMT	"M%llu"
#define IMAP_EMAILID_FMT	"E%llu"
/* imap_capabilities - the CAPABILITY list for the session's state, onto out */
void imap_capabilities(struct imap_session *s, struct buf *out);
/* imap_reply_store_err - map a store error to a reply (NO [code] ...) */
void imap_reply_store_err(struct imap_session *s, int err);
/*
 * imap_condstore_on - a CONDSTORE enabling command (RFC 7162 3.1): the
 * first one while a mailbox is selected sends its HIGHESTMODSEQ
 */
void imap_condstore_on(struct imap_session *s);
/* imap_utf8_names - whether mailbox names are UTF-8 on the wire */
bool imap_utf8_names(const struct imap_session *s);
#define IMAP_NAME_TOO_LONG (-2)
#define IMAP_NAME_NOT_UTF7 (-3)
#define IMAP_NAME_PLAIN 1
/*
 * imap_name_decode - a client mailbox name or LIST pattern onto out as
 * UTF-8: as it is in a UTF-8 session, else from modified UTF-7. A name
 * that is not valid modified UTF-7 is taken as it is (an atom may hold
 * any "&"): IMAP_NAME_PLAIN. 0, or -1 if it is not even UTF-8.
 */
int imap_name_decode(const struct imap_session *s, const char *name, size_t len, struct buf *out);
/*
 * imap_mailbox_in - a client mailbox name to the store's UTF-8 form, to
 * look a mailbox up; -1 if bad, IMAP_NAME_TOO_LONG over
 * STORE_MBOX_NAME_MAX bytes of UTF-8
 */
int imap_mailbox_in(struct imap_session *s, const struct imap_arg *a, char out[STORE_MBOX_NAME_MAX + 1]);
/*
 * imap_mailbox_new - the same for a name to create (CREATE, RENAME's
 * target): IMAP_NAME_NOT_UTF7 for a name that is not valid modified UTF-7,
 * which the client would see listed otherwise than it wrote it
 */
int imap_mailbox_new(struct imap_session *s, const struct imap_arg *a, char out[STORE_MBOX_NAME_MAX + 1]);
/* imap_rtxn - begin a short read transaction; replies NO on failure */
int imap_rtxn(struct imap_session *s, struct store_rtxn **r_r);

/* ---- imap_view.c ---- */

/* imap_view_load - fill the view from the store (SELECT), in the read txn r
 * that mb (owner's, on which the user holds rights) was read in, so the
 * list and the mailbox's UIDNEXT agree */
int imap_view_load(struct imap_session *s, struct store_rtxn *r, const char *owner,
    const struct store_mailbox *mb, uint32_t rights, bool readonly);
/* imap_view_clear - leave the selected state */
void imap_view_clear(struct imap_session *s);
/* imap_view_is - whether the session has owner's mailbox of that (store) name selected */
bool imap_view_is(const struct imap_session *s, const char *owner, const char *name);
/* imap_view_seq - the seq of uid, 0 if not in the view */
uint32_t imap_view_seq(const struct imap_view *v, uint32_t uid);
/*
 * imap_view_sync - compare the view with the store and tell the client:
 * EXISTS, EXPUNGE (or VANISHED), FETCH FLAGS. expunges=false defers
 * removals (during FETCH, STORE, SEARCH by sequence number).
 */
void imap_view_sync(struct imap_session *s, bool expunges);
/*
 * imap_view_sync_ex - the same, with the UIDs whose flag changes are not
 * reported (STORE .SILENT) and the UID item added (UID STORE)
 */
void imap_view_sync_ex(struct imap_session *s, bool expunges, const struct imap_seqset *silent,
    bool with_uid);
/* imap_store_msg_get - one message by UID; keywords valid until the rtxn ends */
int imap_store_msg_get(struct store_rtxn *r, uint64_t mbox_id, uint32_t uid, struct store_msg *m_r);
/* imap_vanished - "* VANISHED [(EARLIER)] uids"; nothing for an empty set */
void imap_vanished(struct imap_session *s, const struct imap_seqset *uids, bool earlier);
/*
 * imap_view_uids - the seqset (seq or UID form) as a set of UIDs in the
 * view; "$" is the saved search result (RFC 5182). -1 on bad syntax, -2
 * for a sequence number beyond the mailbox.
 */
int imap_view_uids(struct imap_session *s, const char *set, bool uid, struct imap_seqset *uids_r);

/* ---- imap_context.c: the view sync's side of updating searches ---- */

#define IMAP_UPDATES_MAX	8	/* updating searches per session (RFC 5267 4.3.1) */

/*
 * imap_update_msg - during a sync, in its read txn r: m is new to the view
 * or changed, at sequence number seq of the new view; note where it now
 * enters or leaves an updating search's result
 */
void imap_update_msg(struct imap_session *s, struct store_rtxn *r, const struct store_msg *m,
    uint32_t seq);
/* imap_update_gone - during a sync: uid is expunged */
void imap_update_gone(struct imap_session *s, uint32_t uid);
/* imap_update_removes - send the REMOVEFROMs noted; before EXPUNGE, while the old view is in place */
void imap_update_removes(struct imap_session *s);
/* imap_update_adds - send the ADDTOs noted; after EXISTS, with the new view in place */
void imap_update_adds(struct imap_session *s);
/* imap_update_drop - forget what a failed sync noted */
void imap_update_drop(struct imap_session *s);
/* imap_update_free_all - end every updating search (the view is left) */
void imap_update_free_all(struct imap_session *s);

/* ---- imap_keywords.c ---- */

/* imap_keywords_learn - add the view's unknown keywords of a message; true if any */
bool imap_keywords_learn(struct imap_view *v, const char *keywords);
/* imap_keywords_announce - "* FLAGS (...)" and "* OK [PERMANENTFLAGS (...)]" onto out */
void imap_keywords_announce(struct imap_view *v, struct buf *out);
/* imap_keywords_tell - send the announcement */
void imap_keywords_tell(struct imap_session *s);

/* ---- imap_recent.c ---- */

/* what runs once the arrivals are settled; returns like a handler */
typedef enum imap_result (*imap_recent_then)(struct imap_session *s, void *arg);
/* imap_recent_shown - whether the session speaks of \Recent (not IMAP4rev2) */
bool imap_recent_shown(const struct imap_session *s);
/* imap_recent_flags - flags with IMAP_F_RECENT added when uid is \Recent here */
uint32_t imap_recent_flags(const struct imap_session *s, uint32_t uid, uint32_t flags);
/* imap_recent_count - the view's messages that are \Recent here */
size_t imap_recent_count(const struct imap_session *s);
/* imap_recent_tell - "* n RECENT" when the count is not what the client has (or always) */
void imap_recent_tell(struct imap_session *s, bool always);
/*
 * imap_recent_settle - a read-write view claims the unclaimed arrivals
 * (a durable store call, only when there are any), then then(s, arg);
 * returns IMAP_WAIT while the claim runs, else then's result
 */
enum imap_result imap_recent_settle(struct imap_session *s, imap_recent_then then, void *arg);

/* ---- imap_notify.c ---- */

/* imap_notify_add - register the selected session for change notices */
void imap_notify_add(struct imap_session *s);
/* imap_notify_del - unregister (on unselect and close) */
void imap_notify_del(struct imap_session *s);
/*
 * imap_notify_watch - (re)register a NOTIFY session for changes to the n
 * mailboxes ids and for imap_notify_user() of its user
 */
void imap_notify_watch(struct imap_session *s, const uint64_t *ids, size_t n);
/* imap_notify_unwatch - no more of those (NOTIFY NONE, close) */
void imap_notify_unwatch(struct imap_session *s);
/*
 * imap_notify_user - tell the other NOTIFY sessions of s's user that its
 * mailboxes or subscriptions changed (the store's hook knows only messages)
 */
void imap_notify_user(struct imap_session *s);
/*
 * imap_notify_mailbox - tell every session on mailbox_id that it changed;
 * any thread. The store's change hook (store_set_change_hook; arg unused),
 * so every committed write, IMAP or delivery, reaches IDLE at once.
 */
void imap_notify_mailbox(uint64_t mailbox_id, void *arg);

#endif
