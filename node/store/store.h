/*
 * store.h - the Duplex mail store: one LMDB environment holding domains,
 * users, aliases, forwards, mailboxes, messages, bodies, the parsed-structure
 * cache, modseq index, expunge tombstones and the outbound queue.
 *
 * Rules (LMDB's caveats are ours):
 * - Every mutating call is synchronous and durable: it returns only after
 *   the LMDB transaction holding it has committed (default sync; no NOSYNC,
 *   NOMETASYNC or WRITEMAP). Calls from many threads are batched by one
 *   writer thread into a single transaction (group commit); each request
 *   runs in a nested transaction, so one failing request does not spoil
 *   the others in its batch.
 * - Reads happen inside a read transaction (struct store_rtxn). Pointers a
 *   read returns into the map stay valid until store_rtxn_end(). Keep read
 *   transactions short; the env is opened with MDB_NOTLS, so a read
 *   transaction may move between threads but must be used by one at a time.
 * - No use after fork(): open the store in the process that uses it.
 * - Errors are semantic (enum store_err); MDB_* codes never leave the store.
 *
 * Names: addresses are "local@domain", stored lower-cased, at most
 * STORE_ADDR_MAX bytes. Mailbox names are UTF-8, hierarchy separator '/',
 * "INBOX" matched case-insensitively.
 */
#ifndef DUPLEX_STORE_H
#define DUPLEX_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sieve/sieve.h"

struct buf;

#define STORE_ADDR_MAX 254
#define STORE_QUEUE_ID_LEN 12		/* the outbound queue's ids, and log_new_id()'s */
/*
 * A mailbox name is at most STORE_MBOX_NAME_MAX bytes of UTF-8, so that
 * every key holding one fits LMDB's 511-byte keys: a user id (8 bytes),
 * the name and the '/' that starts its children.
 */
#define STORE_MBOX_NAME_MAX 502
#define STORE_SCHEMA_VERSION 8	/* 2: the queue's due index and message database; 3: recent;
				   4: subscriptions apart from mailboxes; 5: metadata; 6: ACLs;
				   7: Sieve scripts; 8: Sieve's vacation and duplicate records */

enum store_err {
	STORE_OK = 0,
	STORE_ETEMP = -1,	/* transient: try again later (I/O, lock, busy) */
	STORE_ENOTFOUND = -2,
	STORE_EEXISTS = -3,
	STORE_ENOQUOTA = -4,	/* over quota under the reject policy */
	STORE_EFULL = -5,	/* map or disk full: temporary for clients */
	STORE_ECORRUPT = -6,	/* not a Duplex store, or damaged */
	STORE_EINVAL = -7,	/* bad name, address or argument */
	STORE_ETOOBIG = -8,	/* message over max_message_size */
	STORE_ENOTEMPTY = -9,	/* e.g. a domain that still has users */
	STORE_EEXTERNAL = -10,	/* an external target where no envelope sender allows relaying it */
	STORE_ENAMETOOLONG = -11,	/* a mailbox name over STORE_MBOX_NAME_MAX bytes */
	STORE_EINUSE = -12,	/* e.g. deleting the active Sieve script */
	STORE_EREJECTED = -13,	/* a recipient's Sieve script rejected the message */
};

/* store_strerror - a short English reason for a store_err (store_err.c) */
const char *store_strerror(int err);
/*
 * store_err_is_temporary - whether a client should retry (4xx vs 5xx). A
 * damaged record (ECORRUPT) is: the operator repairs it, and mail waits
 * at its sender meanwhile instead of bouncing.
 */
bool store_err_is_temporary(int err);

enum store_quota_policy {
	STORE_QUOTA_INHERIT = 0,	/* user: take the domain's; domain: reject */
	STORE_QUOTA_REJECT = 1,
	STORE_QUOTA_PURGE_OLDEST = 2,
};
const char *store_quota_policy_name(enum store_quota_policy p);
int store_quota_policy_parse(const char *s);	/* -1 if unknown */

/* system flags, as bits */
enum store_flag {
	STORE_F_SEEN = 1 << 0,
	STORE_F_ANSWERED = 1 << 1,
	STORE_F_FLAGGED = 1 << 2,
	STORE_F_DELETED = 1 << 3,
	STORE_F_DRAFT = 1 << 4,
};

/* special-use attributes (RFC 6154), as bits */
enum store_special_use {
	STORE_SU_SENT = 1 << 0,
	STORE_SU_DRAFTS = 1 << 1,
	STORE_SU_TRASH = 1 << 2,
	STORE_SU_JUNK = 1 << 3,
	STORE_SU_ARCHIVE = 1 << 4,
	STORE_SU_ALL = 1 << 5,
	STORE_SU_FLAGGED = 1 << 6,
};

struct store_opts {
	uint64_t map_size;
	uint64_t max_message_size;
	unsigned quota_warn_percent;	/* 1..100 */
	const char *quota_purge_folders;	/* "Trash,Junk,INBOX" */
	unsigned commit_batch_max;
	bool read_only;			/* open for reading only (verify on a copy) */
	const char *lock_dir;		/* LMDB's lock file here, not beside the data; NULL/"": beside */
	struct sieve_limits sieve;	/* for the scripts run at delivery; all 0: the defaults */
	const char *srs_secret;		/* SRS for forwards and redirects; NULL or "": off */
};

struct store;
struct store_rtxn;

/* ---- environment (store_env.c), statistics (store_stat.c), backup (store_backup.c) ---- */

/*
 * store_open - open or create the environment in dir and start the writer.
 * A foreign or damaged file there gives STORE_ECORRUPT with a reason in err.
 */
int store_open(const char *dir, const struct store_opts *opts, struct store **st_r,
    char *err, size_t errlen);
/* store_close - finish queued writes, stop the writer, close; clears *st */
void store_close(struct store **st);

int store_rtxn_begin(struct store *st, struct store_rtxn **r_r);
void store_rtxn_end(struct store_rtxn **r);

struct store_stat {
	uint64_t map_size;	/* configured */
	uint64_t map_used;	/* bytes of the map in use (last page * page size) */
	uint64_t file_size;	/* data.mdb on disk */
	uint64_t page_size;
	uint64_t entries;	/* records in all databases */
	uint64_t commits;	/* transactions committed by this process */
	uint64_t requests;	/* write requests served by this process */
	unsigned readers_used, readers_max;
};
int store_stat(struct store *st, struct store_stat *s);

/*
 * store_backup_fd - a consistent, compacted hot copy of the environment
 * written to fd (an LMDB data file), while writers go on.
 */
int store_backup_fd(struct store *st, int fd);

/* store_probe - one durable write through the group-commit path (health checks) */
int store_probe(struct store *st);

/*
 * store_verify - walk every database and check its invariants: reference
 * counts, UIDNEXT above every UID, counters, modseqs, caches that decode,
 * indexes that match. Each problem is one line to report; returns the
 * number of problems (0: clean) or a negative store_err.
 */
int store_verify(struct store *st, FILE *report);

/* ---- domains and users (store_account.c) ---- */

#define STORE_SPAM_NAME_MAX 76		/* a header field name (RFC 5322: line length) */
#define STORE_SPAM_VALUE_MAX 128

struct store_domain {
	char name[STORE_ADDR_MAX + 1];
	enum store_quota_policy policy;
	unsigned users;
	/* spam filing: "" when off; see store_domain_set_spam */
	char spam_name[STORE_SPAM_NAME_MAX + 1];
	char spam_value[STORE_SPAM_VALUE_MAX + 1];
};

struct store_user {
	char address[STORE_ADDR_MAX + 1];
	uint64_t id;
	uint64_t quota_bytes;		/* 0: unlimited */
	uint64_t quota_messages;	/* 0: unlimited */
	enum store_quota_policy policy;	/* as set; see effective_policy */
	enum store_quota_policy effective_policy;
	uint64_t used_bytes;
	uint64_t used_messages;
	int64_t created;		/* unix time */
	bool quota_warned;		/* warning sent since usage last fell below */
};

/* store_addr_normalize - validate and lower-case an address; 0 or EINVAL */
int store_addr_normalize(const char *in, char out[STORE_ADDR_MAX + 1]);

int store_domain_add(struct store *st, const char *domain);
int store_domain_del(struct store *st, const char *domain);	/* ENOTEMPTY with users */
int store_domain_set_policy(struct store *st, const char *domain, enum store_quota_policy p);
/*
 * store_domain_set_spam - file mail for the domain's users into Junk when
 * it carries header, "Name: value" (the value compared case-insensitively
 * and trimmed, as the relay's spam filter tags it); "" turns it off.
 * EINVAL for a malformed header or one over the STORE_SPAM_* limits.
 */
int store_domain_set_spam(struct store *st, const char *domain, const char *header);
int store_domain_get(struct store_rtxn *r, const char *domain, struct store_domain *d_r);
/* callbacks return 0 to go on, non-zero to stop (that value is returned) */
int store_domain_list(struct store_rtxn *r, int (*cb)(const struct store_domain *, void *), void *arg);

/*
 * store_user_add - create a user in an existing domain, with the default
 * folders INBOX, Sent, Drafts, Trash, Junk and Archive (special-use set,
 * all subscribed). password_hash is a crypt(3) string (auth/passwd.h).
 */
int store_user_add(struct store *st, const char *address, const char *password_hash,
    uint64_t quota_bytes, uint64_t quota_messages);
/* store_user_del - the user, its mailboxes, messages, subscriptions, forward, ACL entries; bodies unref'd */
int store_user_del(struct store *st, const char *address);
int store_user_set_password(struct store *st, const char *address, const char *password_hash);
int store_user_set_quota(struct store *st, const char *address, uint64_t bytes, uint64_t messages,
    enum store_quota_policy policy);
int store_user_get(struct store_rtxn *r, const char *address, struct store_user *u_r);
/* store_user_password_hash - the stored hash; valid until the rtxn ends */
int store_user_password_hash(struct store_rtxn *r, const char *address, const char **hash_r);
/* store_user_list - all users, or those of one domain when domain != NULL */
int store_user_list(struct store_rtxn *r, const char *domain,
    int (*cb)(const struct store_user *, void *), void *arg);

/* ---- aliases and forwards (store_alias.c) ---- */

/*
 * An alias is an address with no account that expands to targets, local or
 * external. A forward belongs to a user: its mail goes to targets, and a
 * copy stays in the user's INBOX when keep is set. Targets are addresses.
 */
int store_alias_add(struct store *st, const char *address, const char *const *targets, size_t n);
int store_alias_del(struct store *st, const char *address);
/* cb gets the alias and its targets (valid during the callback) */
int store_alias_list(struct store_rtxn *r,
    int (*cb)(const char *address, const char *const *targets, size_t n, void *), void *arg);
int store_forward_set(struct store *st, const char *address, const char *const *targets, size_t n,
    bool keep);
int store_forward_clear(struct store *st, const char *address);
/* store_forward_get - targets valid until the rtxn ends; ENOTFOUND if none */
int store_forward_get(struct store_rtxn *r, const char *address, const char ***targets_r,
    size_t *n_r, bool *keep_r);
/*
 * store_alias_owned_by - whether user may send as address: it is user's own
 * address, or an alias listing user as one of its targets (the check behind
 * submission's sender rule). 0, ENOTFOUND (not user's), EINVAL, ECORRUPT.
 */
int store_alias_owned_by(struct store_rtxn *r, const char *address, const char *user);

/* ---- mailboxes (store_mailbox.c) ---- */

struct store_mailbox {
	uint64_t id;
	char name[STORE_MBOX_NAME_MAX + 1];
	uint32_t uidvalidity;
	uint32_t uidnext;
	uint64_t highestmodseq;
	uint32_t messages;
	uint32_t unseen;
	uint64_t bytes;
	unsigned special_use;	/* enum store_special_use bits */
};

int store_mailbox_create(struct store *st, const char *address, const char *name,
    unsigned special_use);
/* store_mailbox_delete - INBOX cannot be deleted (EINVAL) */
int store_mailbox_delete(struct store *st, const char *address, const char *name);
/* store_mailbox_rename - keeps the id and UIDVALIDITY; children move too */
int store_mailbox_rename(struct store *st, const char *address, const char *from, const char *to);
int store_mailbox_get(struct store_rtxn *r, const char *address, const char *name,
    struct store_mailbox *mb_r);
/* store_mailbox_list - a user's mailboxes in name order */
int store_mailbox_list(struct store_rtxn *r, const char *address,
    int (*cb)(const struct store_mailbox *, void *), void *arg);

/* ---- subscriptions (store_subscribe.c) ---- */

/*
 * A user's subscriptions are a set of mailbox names of their own (RFC 3501
 * 6.3.6): a name may be subscribed whether or not a mailbox has it, and
 * creating, deleting or renaming a mailbox leaves the set alone. Deleting
 * the user removes them.
 */
/* store_mailbox_subscribe - add (on) or remove a name; either is 0 if it already was so */
int store_mailbox_subscribe(struct store *st, const char *address, const char *name, bool on);
/* store_subscription_list - a user's subscribed names in name order (valid during cb) */
int store_subscription_list(struct store_rtxn *r, const char *address,
    int (*cb)(const char *name, void *), void *arg);

/* ---- metadata (store_metadata.c) ---- */

/*
 * Annotations (RFC 5464): entries named like "/private/comment", each
 * holding a value of bytes, on a mailbox of a user or on the user's server
 * (mailbox ""). A RENAME keeps a mailbox's entries; deleting the mailbox
 * or the user removes them. Names are checked (and lower-cased) by the
 * protocol; the store only wants a leading '/' and at most
 * STORE_META_NAME_MAX bytes (EINVAL).
 */
#define STORE_META_NAME_MAX 255
struct store_meta_entry {
	const char *name;
	const void *value;	/* NULL: remove the entry */
	size_t len;
};
/* a user's limits, over all of their entries, server and mailboxes */
struct store_meta_limits {
	uint64_t max_bytes;	/* the values together */
	uint64_t max_entries;
};
/*
 * store_metadata_set - set or remove n entries in one write, all or none.
 * A change that grows the user's entries past a limit is refused: ENOQUOTA
 * past max_entries, ETOOBIG past max_bytes with *room_r the most bytes the
 * largest value could have had. ENOTFOUND: no such mailbox.
 */
int store_metadata_set(struct store *st, const char *address, const char *mailbox,
    const struct store_meta_entry *e, size_t n, const struct store_meta_limits *lim,
    uint64_t *room_r);
/* a metadata entry found: its value is valid during the call; non-zero stops the walk */
typedef int (*store_meta_fn)(const char *name, const void *value, size_t len, void *arg);
/*
 * store_metadata_get - cb on the entry name, if it is set, then on the
 * entries below it down to depth levels (0: none; UINT_MAX: all), in name
 * order. ENOTFOUND: no such user or mailbox.
 */
int store_metadata_get(struct store_rtxn *r, const char *address, const char *mailbox,
    const char *name, unsigned depth, store_meta_fn cb, void *arg);

/* ---- access control lists (store_acl.c) ---- */

/*
 * Who besides its owner may use a mailbox (RFC 4314). Rights are bits the
 * store keeps without reading them (imapsyn/imap_acl.h names them). An
 * identifier is "anyone", "authenticated" (any case) or the address of
 * another user of the owner's domain; the owner always holds every right,
 * users of other domains none.
 * A new mailbox starts with a copy of its parent's entries. Entries go
 * with the mailbox (kept by RENAME) and with the user they name.
 */
#define STORE_ACL_ANYONE "anyone"
#define STORE_ACL_AUTHENTICATED "authenticated"
#define STORE_ACL_OWNER UINT32_MAX	/* store_acl_rights for the owner: everything */
/*
 * store_acl_set - identifier's rights on owner's mailbox name become
 * (old & ~remove) | add, in one write (none left: the entry goes); the
 * result in *rights_r (may be NULL). ENOTFOUND: no such owner, mailbox or
 * user; EINVAL: a bad identifier, one of another domain, or the owner.
 */
int store_acl_set(struct store *st, const char *owner, const char *name, const char *identifier,
    uint32_t add, uint32_t remove, uint32_t *rights_r);
/* store_acl_list - a mailbox's entries in identifier order (valid during cb) */
int store_acl_list(struct store_rtxn *r, uint64_t mailbox_id,
    int (*cb)(const char *identifier, uint32_t rights, void *), void *arg);
/*
 * store_acl_rights - what user (NULL: someone not logged in, who has only
 * "anyone"'s) may do on a mailbox: STORE_ACL_OWNER for its owner, nothing
 * for a user of another domain, else the union of the user's,
 * "authenticated"'s and "anyone"'s entries
 */
int store_acl_rights(struct store_rtxn *r, const char *user, uint64_t mailbox_id,
    uint32_t *rights_r);
/*
 * store_acl_shared - cb for every mailbox of another user on which user
 * holds some right, with its owner and those rights; by mailbox id
 */
int store_acl_shared(struct store_rtxn *r, const char *user,
    int (*cb)(const char *owner, const struct store_mailbox *mb, uint32_t rights, void *),
    void *arg);

/* ---- Sieve scripts (store_sieve.c) ---- */

/*
 * A user's Sieve scripts by name (RFC 5804 names: 1 to STORE_SIEVE_NAME_MAX
 * bytes of UTF-8 without control characters), each its source and its
 * compiled form side by side, at most one of them active; and one script
 * per domain, run before the user's. The store does not compile: callers
 * pass both forms. The limits count a user's scripts and the bytes of
 * their sources. Deleting a user or a domain removes theirs.
 */
#define STORE_SIEVE_NAME_MAX 128
struct store_sieve_limits {
	uint64_t max_scripts;		/* 0: unlimited */
	uint64_t max_user_size;		/* source bytes of all scripts; 0: unlimited */
};
/* why a script does not fit (store_sieve_put, store_sieve_room) */
enum store_sieve_over { STORE_SIEVE_FITS, STORE_SIEVE_MAXSCRIPTS, STORE_SIEVE_MAXSIZE };
/* a script read from the store: the pointers live as long as the read transaction */
struct store_sieve_script {
	char name[STORE_SIEVE_NAME_MAX + 1];
	bool active;
	const char *src;
	size_t srclen;
	const unsigned char *bin;
	size_t binlen;
};
/* store_sieve_name_ok - a name RFC 5804 allows and the store holds */
bool store_sieve_name_ok(const char *name);
/*
 * store_sieve_put - create or replace a script, both forms in one write;
 * a replaced script stays active if it was. ENOQUOTA with *over_r when it
 * would pass a limit; EINVAL for a bad name; ENOTFOUND: no such user.
 */
int store_sieve_put(struct store *st, const char *address, const char *name, const char *src,
    size_t srclen, const void *bin, size_t binlen, const struct store_sieve_limits *lim,
    enum store_sieve_over *over_r);
/* store_sieve_room - whether a script of size bytes under name would fit (HAVESPACE) */
int store_sieve_room(struct store_rtxn *r, const char *address, const char *name, uint64_t size,
    const struct store_sieve_limits *lim, enum store_sieve_over *over_r);
/* store_sieve_get - one script; ENOTFOUND when the user has none by that name */
int store_sieve_get(struct store_rtxn *r, const char *address, const char *name,
    struct store_sieve_script *s_r);
/* store_sieve_get_active - the active script; ENOTFOUND when none is */
int store_sieve_get_active(struct store_rtxn *r, const char *address,
    struct store_sieve_script *s_r);
/* store_sieve_list - cb on each script, in name order; non-zero from cb stops the walk */
int store_sieve_list(struct store_rtxn *r, const char *address,
    int (*cb)(const struct store_sieve_script *s, void *arg), void *arg);
/* store_sieve_activate - make name the active script; NULL or "" deactivates all */
int store_sieve_activate(struct store *st, const char *address, const char *name);
/* store_sieve_rename - ENOTFOUND without from, EEXISTS with to; the active flag moves along */
int store_sieve_rename(struct store *st, const char *address, const char *from, const char *to);
/* store_sieve_delete - ENOTFOUND without it, EINUSE when it is the active one */
int store_sieve_delete(struct store *st, const char *address, const char *name);
/* store_sieve_domain_set - the domain's script; src NULL clears it (ENOTFOUND if none) */
int store_sieve_domain_set(struct store *st, const char *domain, const char *src, size_t srclen,
    const void *bin, size_t binlen);
/* store_sieve_domain_get - the domain's script (s_r->name is ""); ENOTFOUND when none */
int store_sieve_domain_get(struct store_rtxn *r, const char *domain,
    struct store_sieve_script *s_r);
/*
 * What a user's scripts decide about one message, as delivery runs them
 * (store_sieve_dlv.c): the domain's script, then the user's active one
 * unless the domain's stopped, failed or cancelled the implicit keep. A
 * result is set only when its script ran; the domain's implicit keep
 * gives way to the user's script when that ran.
 */
struct store_sieve_eval {
	bool dom_ran, user_ran;
	char user_script[STORE_SIEVE_NAME_MAX + 1];
	struct sieve_result dom, user;
};
/*
 * store_sieve_test - what the scripts of the user at address would do with
 * msg (len bytes) from envelope sender from to envelope recipient to (NULL:
 * address), without delivering: the records read, none written.
 * ENOTFOUND: no such user. Free ev with store_sieve_eval_free, whatever
 * the return.
 */
int store_sieve_test(struct store_rtxn *r, const char *address, const char *from, const char *to,
    const char *msg, size_t len, struct store_sieve_eval *ev);
/* store_sieve_eval_free - free both results */
void store_sieve_eval_free(struct store_sieve_eval *ev);

/* ---- messages (store_message.c) ---- */

struct store_msg {
	uint32_t uid;
	uint32_t flags;		/* enum store_flag bits */
	uint64_t modseq;
	int64_t internal_date;	/* unix time */
	uint64_t size;		/* bytes of the (CRLF, unless appended exact) body */
	uint64_t body_id;
	const char *keywords;	/* space-separated; valid until the rtxn ends */
	int64_t save_date;	/* unix time it came into this mailbox; 0: unknown (older records) */
};

/*
 * store_append - add a message to one mailbox of one user (IMAP APPEND,
 * import). msg is normalized to CRLF. Returns the new UID in uid_r and the
 * mailbox's UIDVALIDITY in uidvalidity_r (either may be NULL). Quota is
 * checked with the user's policy.
 */
int store_append(struct store *st, const char *address, const char *mailbox, const char *msg,
    size_t len, uint32_t flags, const char *keywords, int64_t internal_date,
    uint32_t *uidvalidity_r, uint32_t *uid_r);
/* one message of a store_append_many() */
struct store_append_msg {
	const char *msg;	/* len bytes, normalized to CRLF when stored unless exact */
	size_t len;
	uint32_t flags;
	const char *keywords;	/* space-separated; NULL for none */
	int64_t internal_date;
	bool exact;		/* kept byte for byte (binary APPEND, RFC 3516) */
};

/*
 * store_append_many - add n messages (n >= 1) to one mailbox of one user
 * in ONE write request (IMAP MULTIAPPEND): either all of them are stored
 * or, if any is refused (size, quota, keywords), none is. uids_r (n
 * entries) gets the new UIDs in order, which are consecutive;
 * uidvalidity_r the mailbox's UIDVALIDITY (neither may be NULL).
 */
int store_append_many(struct store *st, const char *address, const char *mailbox,
    const struct store_append_msg *msgs, size_t n, uint32_t *uidvalidity_r, uint32_t *uids_r);
/* store_msg_list - the messages of a mailbox in UID order, from uid_from */
int store_msg_list(struct store_rtxn *r, uint64_t mailbox_id, uint32_t uid_from,
    int (*cb)(const struct store_msg *, void *), void *arg);
/* store_msg_body - the CRLF body bytes, valid until the rtxn ends */
int store_msg_body(struct store_rtxn *r, uint64_t body_id, const char **data_r, size_t *len_r);
/* store_msg_cache - the parsed-structure cache blob (mime_cache.h), valid until the rtxn ends */
int store_msg_cache(struct store_rtxn *r, uint64_t body_id, const void **blob_r, size_t *len_r);
/*
 * store_msg_set_flags - replace the flags (and keywords, unless NULL) of
 * uids; each changed message gets a new modseq. Absent uids are skipped.
 */
int store_msg_set_flags(struct store *st, uint64_t mailbox_id, const uint32_t *uids, size_t n,
    uint32_t flags, const char *keywords);
/* store_expunge - remove uids, leaving tombstones with a modseq */
int store_expunge(struct store *st, uint64_t mailbox_id, const uint32_t *uids, size_t n);
/*
 * store_msg_vanished - the expunge tombstones of a mailbox with a modseq
 * above modseq_from, in UID order (QRESYNC VANISHED)
 */
int store_msg_vanished(struct store_rtxn *r, uint64_t mailbox_id, uint64_t modseq_from,
    int (*cb)(uint32_t uid, uint64_t modseq, void *), void *arg);

/* ---- atomic flag changes (store_flags.c) ---- */

enum store_flags_op { STORE_FLAGS_SET, STORE_FLAGS_ADD, STORE_FLAGS_REMOVE };

/* what store_flags_apply did to each UID */
enum store_flags_result {
	STORE_FLAGS_CHANGED = 1,	/* new flags, new modseq */
	STORE_FLAGS_SAME,		/* already so: untouched */
	STORE_FLAGS_CONFLICT,		/* modseq above unchangedsince: untouched */
	STORE_FLAGS_ABSENT,		/* no such message (expunged) */
};

/* store_keywords_has - keyword k (len bytes) in a space-separated list, any case */
bool store_keywords_has(const char *list, const char *k, size_t len);

/*
 * store_flags_apply - set, add or remove flags and keywords (space-
 * separated, compared case-insensitively; NULL for none) on n uids of a
 * mailbox in ONE write request: either all of it commits or none. A
 * message whose modseq is above unchangedsince is left alone (CONDSTORE's
 * UNCHANGEDSINCE, decided inside the write; UINT64_MAX: no condition). res_r (n entries, may be NULL)
 * says what happened to each uid.
 */
int store_flags_apply(struct store *st, uint64_t mailbox_id, const uint32_t *uids, size_t n,
    enum store_flags_op op, uint32_t flags, const char *keywords, uint64_t unchangedsince,
    enum store_flags_result *res_r);

/*
 * store_flags_expunge - expunge those of n uids whose \Deleted flag is set
 * at the time of the write (IMAP EXPUNGE), leaving tombstones
 */
int store_flags_expunge(struct store *st, uint64_t mailbox_id, const uint32_t *uids, size_t n);

/* ---- copy and move (store_copy.c) ---- */

/*
 * store_copy_msgs - copy (or move) n uids of mailbox src_id (anyone's) to
 * the user's mailbox dest in one write request, keeping flags, keywords and
 * internal date and sharing the bodies. A copy is charged to quota like an
 * append; a move within one user's mailboxes is not (it frees what it
 * takes); a move expunges the sources, leaving tombstones. new_uids_r[i] (n entries) is the new UID of uids[i], 0 if
 * that message was gone; uidvalidity_r gets dest's. src_id == dest is fine.
 */
int store_copy_msgs(struct store *st, const char *address, uint64_t src_id, const uint32_t *uids,
    size_t n, const char *dest, bool move, uint32_t *uidvalidity_r, uint32_t *new_uids_r);

/* ---- \Recent (store_recent.c) ---- */

/*
 * Each mailbox has a mark, its first unclaimed UID: messages at or above
 * it have not yet been \Recent in any IMAP session. A mailbox without a
 * mark (new, or from a store of schema 2) has all of its messages
 * unclaimed. Delivery, APPEND, COPY and MOVE leave the mark alone.
 */

/* store_recent_first - the first unclaimed UID of mailbox_id (1 without a mark) */
int store_recent_first(struct store_rtxn *r, uint64_t mailbox_id, uint32_t *uid_r);
/*
 * store_recent_claim - claim the unclaimed UIDs below limit for one session,
 * in one write request: when the mark is below limit it moves up to limit
 * and [*from_r, limit) is the caller's; when it is not, *from_r is limit
 * and nothing is written. The check and the move are one transaction, so
 * no UID is ever claimed twice. limit is a UIDNEXT the caller read (EINVAL
 * above the mailbox's); ENOTFOUND if the mailbox is gone.
 */
int store_recent_claim(struct store *st, uint64_t mailbox_id, uint32_t limit, uint32_t *from_r);

/* ---- change hook (store_hook.c) ---- */

/*
 * store_set_change_hook - fn(mailbox_id, arg) is called on the writer
 * thread after every commit, once per mailbox whose messages (or their
 * flags) or ACL the committed batch changed, whoever wrote. fn must be quick and
 * must not call the store's write functions. NULL removes the hook.
 */
void store_set_change_hook(struct store *st, void (*fn)(uint64_t mailbox_id, void *arg),
    void *arg);

/* ---- delivery (store_deliver.c) ---- */

struct store_rcpt_result {
	int err;		/* STORE_OK or a store_err */
	char detail[160];	/* human text for the protocol reply and the log */
};

/*
 * store_deliver - deliver one message to n recipients in one transaction:
 * the body is stored once and referenced by every copy. Each recipient is
 * expanded through aliases and forwards to local users (loop-safe);
 * mailbox (NULL: INBOX) is used for direct user recipients. A copy bound
 * for INBOX (directly, by -m INBOX, or through an alias or forward) goes
 * to Junk instead when the message carries the spam header of the domain
 * of the user receiving it (INBOX still when that user has no Junk). Quotas are
 * applied per user with its policy; a warning message is delivered when a
 * user crosses quota_warn_percent. results[i] is filled for each
 * recipient; the return is STORE_OK if the transaction committed (some
 * recipients may still have failed), or an error for all.
 * qid names the delivery in logs.
 */
int store_deliver(struct store *st, const char *qid, const char *msg, size_t len,
    const char *const *rcpts, size_t n, const char *mailbox, int64_t internal_date,
    struct store_rcpt_result *results);
/*
 * store_deliver_from - store_deliver() for mail with an envelope sender
 * (LMTP, SMTP, submission, bounces): addresses outside our domains reached
 * through aliases and forwards are not refused with EEXTERNAL but put in
 * the outbound queue as one entry (a new queue id, logged) with from as
 * its reverse-path ("" for <>), in the same transaction as the local
 * copies, so it is as durable as they are.
 */
int store_deliver_from(struct store *st, const char *qid, const char *from, const char *msg,
    size_t len, const char *const *rcpts, size_t n, const char *mailbox, int64_t internal_date,
    struct store_rcpt_result *results);
/*
 * store_deliver_atomic - store_deliver_from() all or nothing, for a
 * protocol with one reply per message (SMTP, submission): 0 when every
 * recipient has its copies (and queue entry); otherwise nothing is stored,
 * the return is the first failed recipient's error (or the request's),
 * and results[i] says why each recipient was not stored (STORE_ETEMP for
 * one refused only because another failed). relay_qid_r (NULL: not
 * wanted) gets the queue id of the external targets, "" if none.
 */
int store_deliver_atomic(struct store *st, const char *qid, const char *from, const char *msg,
    size_t len, const char *const *rcpts, size_t n, int64_t internal_date,
    struct store_rcpt_result *results, char relay_qid_r[STORE_QUEUE_ID_LEN + 1]);

/* ---- recipient checks (store_rcpt.c) ---- */

/*
 * store_rcpt_check - whether a delivery to address would find a mailbox,
 * following aliases and forwards as store_deliver() does, without writing.
 * 0, or ENOTFOUND (no such user or domain), EEXTERNAL (expands outside),
 * EINVAL (bad address, expansion too deep), with quota set ENOQUOTA (a
 * reject-policy user with no room for size more bytes), or ETEMP.
 */
int store_rcpt_check(struct store_rtxn *r, const char *address, bool quota, uint64_t size);

/* ---- the outbound queue (store_queue.c; records in store_codec.c) ---- */

#define STORE_QUEUE_RCPTS_MAX 100000	/* decoder bound, above any recipient limit */

/*
 * One queued message: who sent it, the recipients still to be relayed, the
 * retry state and the message itself. Decoded entries point into the
 * records they came from (see the store_queue_* functions for how long
 * that lives); only rcpts is allocated, freed by store_queue_entry_free().
 * The store keeps the message apart from the rest (the envelope), indexed
 * by next_attempt, so a retry rewrites only the envelope and finding what
 * is due reads only that.
 */
struct store_queue_entry {
	char qid[STORE_QUEUE_ID_LEN + 1];
	int64_t created;		/* unix time the message was accepted */
	int64_t next_attempt;		/* unix time of the next try; 0: at once */
	uint32_t attempts;		/* tries so far */
	const char *from;		/* reverse-path; "" for <> */
	const char *last_error;		/* "" before the first failure */
	const char **rcpts;
	size_t nrcpt;
	const char *msg;		/* CRLF lines, with the added headers */
	size_t msglen;
};

/* store_queue_rec_enc - the envelope record of e (qid and message excluded) into b */
void store_queue_rec_enc(const struct store_queue_entry *e, struct buf *b);
/*
 * store_queue_rec_dec - an envelope record into e (pointers into data, msg
 * NULL); 0 or ECORRUPT
 */
int store_queue_rec_dec(const void *data, size_t len, struct store_queue_entry *e);
/* store_queue_entry_free - the rcpts array of a decoded entry */
void store_queue_entry_free(struct store_queue_entry *e);

/*
 * store_queue_put - add e, message included, durably, as a new entry under
 * a new queue id (written into e->qid): ids come from a counter in the
 * store, so none is ever given twice and none replaces another
 */
int store_queue_put(struct store *st, struct store_queue_entry *e);
/*
 * store_queue_update - replace the envelope of e->qid (e->msg is ignored:
 * the message stays as put); ENOTFOUND when it was deleted
 */
int store_queue_update(struct store *st, const struct store_queue_entry *e);
/*
 * store_queue_get - the entry qid; its strings live until the rtxn ends,
 * its rcpts array until store_queue_entry_free()
 */
int store_queue_get(struct store_rtxn *r, const char *qid, struct store_queue_entry *e);
/* store_queue_del - remove the entry qid; ENOTFOUND if there is none */
int store_queue_del(struct store *st, const char *qid);
/* store_queue_flush - every entry due now; the count in *n_r */
int store_queue_flush(struct store *st, size_t *n_r);
/*
 * store_queue_list - cb for every entry in qid order; the entry lives until
 * cb returns. cb returns 0 to go on, non-zero to stop (that value returned).
 * Reads the whole queue: for listing, not for polling.
 */
int store_queue_list(struct store_rtxn *r,
    int (*cb)(const struct store_queue_entry *e, void *arg), void *arg);
/*
 * store_queue_due - cb for at most max entries with next_attempt <= now, in
 * next_attempt order (then qid), reading only those from the due index;
 * the entry lives until cb returns, which returns as for store_queue_list.
 * A due entry that does not decode (or lost its message) is passed over,
 * so that it cannot hold up the others, and counted in *damaged_r.
 */
int store_queue_due(struct store_rtxn *r, int64_t now, size_t max,
    int (*cb)(const struct store_queue_entry *e, void *arg), void *arg, size_t *damaged_r);

#endif
