/*
 * store_int.h - internals shared by the files of node/store: the store
 * handle, the database handles, the writer request, the record types and
 * the helpers every operation uses.
 *
 * This is the only header besides the .c files of node/store that includes
 * lmdb.h; nothing outside node/store may include it. Every helper taking an
 * MDB_txn works in a read or a write transaction alike; helpers taking a
 * struct store_wtxn write. Helpers return 0 or a negative store_err, never
 * an MDB_* code (store_err_from_mdb maps them).
 *
 * Hazard: pointers decoded from records (names, keywords, targets) point
 * into the map and die with the transaction that produced them, or with
 * the next write to the same database in a write transaction.
 */
#ifndef DUPLEX_STORE_INT_H
#define DUPLEX_STORE_INT_H

#include <lmdb.h>
#include <pthread.h>

#include "store/store.h"

/* the named databases, in the order store_env opens them */
enum store_db {
	DB_META, DB_DOMAINS, DB_USERS, DB_USER_BY_ID, DB_ALIASES, DB_FORWARDS,
	DB_MAILBOXES, DB_MBOX_BY_ID, DB_MESSAGES, DB_MODSEQ, DB_TOMBSTONES,
	DB_BODIES, DB_BODYREFS, DB_CACHE, DB_USAGE, DB_QUEUE, DB_QUEUE_DUE, DB_QUEUE_MSG,
	DB_RECENT, DB_SUBSCRIPTIONS, DB_METADATA, DB_ACL, DB_SIEVE, DB_SIEVE_DOMAIN,
	DB_SIEVE_SEEN, DB_COUNT
};

struct store_req;

struct store {
	MDB_env *env;
	MDB_dbi dbi[DB_COUNT];
	struct store_opts opts;
	char *dir;
	char *purge_folders;		/* copy of opts.quota_purge_folders */
	char *srs_secret;		/* copy of opts.srs_secret; "" when off */

	/* the writer (store_writer.c) */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	bool writer_running;
	bool stopping;
	struct store_req *head, *tail;
	uint64_t commits, requests;

	/* the change hook (store_hook.c); hook_* under mu, changed the writer's own */
	void (*hook_fn)(uint64_t mailbox_id, void *arg);
	void *hook_arg;
	uint64_t *changed;		/* mailboxes the batch changed so far */
	size_t nchanged, capchanged;
	struct store_note *notes;	/* log lines about the batch's changes, the writer's own */
	size_t nnotes, capnotes;
};

struct store_rtxn {
	struct store *st;
	MDB_txn *txn;
	void **allocs;			/* freed at store_rtxn_end */
	size_t nallocs;
};

/* what a write request sees: the store and its own nested transaction */
struct store_wtxn {
	struct store *st;
	MDB_txn *txn;
};

typedef int (*store_req_fn)(struct store_wtxn *w, void *arg);

/*
 * One queued write. done is called by the writer thread once the batch
 * holding the request has committed (or failed), with the request's
 * result; it must not block. The sync API waits on a condition variable,
 * an event loop may instead post the completion to itself.
 */
struct store_req {
	store_req_fn fn;
	void *arg;
	void (*done)(struct store_req *req, int err);
	void *done_arg;
	int err;
	struct store_req *next;
};

/* ---- store_writer.c ---- */
int store_writer_start(struct store *st);
void store_writer_stop(struct store *st);
/* store_writer_submit - queue req; req->done runs on the writer thread */
int store_writer_submit(struct store *st, struct store_req *req);
/* store_writer_run - queue fn(arg) and wait until its batch committed */
int store_writer_run(struct store *st, store_req_fn fn, void *arg);

/* ---- store_hook.c: which mailboxes a batch changed, and what to log of it ---- */
/* a log line that waits for its batch's commit */
struct store_note {
	char *id;
	char *text;
};
/* how far the marks and notes went: what a rollback goes back to */
struct store_hook_pos {
	size_t changed, notes;
};
/* store_hook_mark - a write request changed mailbox_id (writer thread) */
void store_hook_mark(struct store *st, uint64_t mailbox_id);
/*
 * store_hook_note - a line (log_info, under id) about a change the request
 * made, logged only once its batch has committed (writer thread)
 */
void store_hook_note(struct store *st, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* store_hook_pos - where the marks and notes are, before a (nested) transaction */
struct store_hook_pos store_hook_pos(const struct store *st);
/* store_hook_rollback - forget the marks and notes made since pos (that transaction rolled back) */
void store_hook_rollback(struct store *st, struct store_hook_pos pos);
/*
 * store_hook_fire - after the batch: if it committed, call the hook for
 * each mark and log the notes; then forget them
 */
void store_hook_fire(struct store *st, bool committed);
/* store_hook_free - at close */
void store_hook_free(struct store *st);

/* ---- store_env.c ---- */
/* store_rtxn_keep - free p when the read transaction ends */
void store_rtxn_keep(struct store_rtxn *r, void *p);
/* store_env_fail - "dir: what" into errbuf for store_open's caller; returns err */
int store_env_fail(int err, char *errbuf, size_t errlen, const char *dir, const char *what);

/* ---- store_err.c ---- */
int store_err_from_mdb(int rc);

/* ---- store_schema.c: run in store_open's transaction ---- */
/* store_schema_init - the magic, schema version and UIDVALIDITY base of a brand-new store */
int store_schema_init(struct store *st, MDB_txn *txn);
/* store_schema_check - ECORRUPT, with a reason in err, unless ours and not newer than us */
int store_schema_check(struct store *st, MDB_txn *txn, char *err, size_t errlen);
/* store_schema_upgrade - the writer's open: queue index rebuilt if lost, schema made current */
int store_schema_upgrade(struct store *st, MDB_txn *txn);

/* ---- store_codec.c: keys and records ---- */

#define STORE_KEY_MAX (8 + STORE_MBOX_NAME_MAX + 8)

struct store_key {
	unsigned char b[STORE_KEY_MAX];
	size_t len;
};

void store_put64(unsigned char *p, uint64_t v);
void store_put32(unsigned char *p, uint32_t v);
uint64_t store_get64(const unsigned char *p);
uint32_t store_get32(const unsigned char *p);
void store_key_id(struct store_key *k, uint64_t id);
void store_key_id_uid(struct store_key *k, uint64_t id, uint32_t uid);
void store_key_id_u64(struct store_key *k, uint64_t id, uint64_t v);
void store_key_id_name(struct store_key *k, uint64_t id, const char *name);
void store_key_str(struct store_key *k, const char *s);
MDB_val store_key_val(struct store_key *k);

struct store_user_rec {
	uint64_t id;
	uint64_t quota_bytes, quota_messages;
	enum store_quota_policy policy;
	int64_t created;
	const char *hash;		/* into the record */
};

struct store_usage_rec {
	uint64_t bytes, messages;
	bool warned;
};

struct store_msg_rec {
	uint32_t flags;
	uint64_t modseq;
	int64_t internal_date;
	uint64_t size;
	uint64_t body_id;
	const char *keywords;		/* into the record */
	int64_t save_date;		/* unix time it came into its mailbox; 0: unknown */
};

/* a mailbox as the write paths handle it */
struct store_mbox {
	uint64_t user_id;
	struct store_mailbox m;
};

struct buf;
void store_user_enc(const struct store_user_rec *u, struct buf *b);
int store_user_dec(const MDB_val *v, struct store_user_rec *u);
void store_usage_enc(const struct store_usage_rec *u, struct buf *b);
int store_usage_dec(const MDB_val *v, struct store_usage_rec *u);
void store_msg_enc(const struct store_msg_rec *m, struct buf *b);
int store_msg_dec(const MDB_val *v, struct store_msg_rec *m);
void store_mbox_enc(const struct store_mailbox *m, struct buf *b);
int store_mbox_dec(const MDB_val *v, struct store_mailbox *m);
/* store_mbox_dec_subscribed_v1 - the subscription flag a record of schema 3 held (the upgrade only) */
int store_mbox_dec_subscribed_v1(const MDB_val *v, bool *subscribed_r);
void store_domain_enc(const struct store_domain *d, struct buf *b);
int store_domain_dec(const MDB_val *v, struct store_domain *d);
/* a list of addresses: version, flag byte, then NUL-terminated strings */
void store_list_enc(bool flag, const char *const *s, size_t n, struct buf *b);
/* store_list_dec - targets_r (n_r pointers into v) is xmalloc'ed */
int store_list_dec(const MDB_val *v, bool *flag_r, const char ***s_r, size_t *n_r);

/* ---- small database helpers (store_db.c) ---- */
int store_get(MDB_txn *txn, struct store *st, enum store_db db, struct store_key *k, MDB_val *v);
int store_put(struct store_wtxn *w, enum store_db db, struct store_key *k, const void *data,
    size_t len);
/* store_put_new - put k only if it is not there yet; EEXISTS if it is */
int store_put_new(struct store_wtxn *w, enum store_db db, struct store_key *k, const void *data,
    size_t len);
int store_del(struct store_wtxn *w, enum store_db db, struct store_key *k);
/* store_counter_next - the next value of a meta counter (starts at 1) */
int store_counter_next(struct store_wtxn *w, const char *name, uint64_t *v_r);
typedef int (*store_each_fn)(const MDB_val *k, const MDB_val *v, void *arg);
/*
 * store_each - fn on every record whose key starts with prefix (plen bytes;
 * 0: all), in key order from the key start (NULL: prefix). Stops at the
 * first non-zero return and gives it back. fn must not write to db.
 */
int store_each(MDB_txn *txn, struct store *st, enum store_db db, const void *prefix,
    size_t plen, const struct store_key *start, store_each_fn fn, void *arg);
/* store_del_prefix - every record of db whose key starts with id (8 bytes, big-endian) */
int store_del_prefix(struct store_wtxn *w, enum store_db db, uint64_t id);
/* store_del_range - every record of db whose key starts with prefix (plen bytes) */
int store_del_range(struct store_wtxn *w, enum store_db db, const void *prefix, size_t plen);

/* ---- store_account.c ---- */
int store_domain_normalize(const char *in, char out[STORE_ADDR_MAX + 1]);
/* store_addr_domain - the domain part of a normalized address */
const char *store_addr_domain(const char *addr);
int store_domain_exists(MDB_txn *txn, struct store *st, const char *domain);
/* store_addr_available - 0 if addr's domain exists and no user or alias has addr */
int store_addr_available(MDB_txn *txn, struct store *st, const char *addr);
/* store_domain_load - the record of a normalized domain name; ENOTFOUND if none */
int store_domain_load(MDB_txn *txn, struct store *st, const char *name, struct store_domain *d);
int store_user_load(MDB_txn *txn, struct store *st, const char *addr, struct store_user_rec *u);
/*
 * store_user_each - fn on every record of db (mailboxes, subscriptions)
 * keyed by the user id of address + a name, in name order
 */
int store_user_each(struct store_rtxn *r, const char *address, enum store_db db, store_each_fn fn,
    void *arg);
/* store_user_address - the address of a user id, into out */
int store_user_address(MDB_txn *txn, struct store *st, uint64_t user_id,
    char out[STORE_ADDR_MAX + 1]);
enum store_quota_policy store_user_effective_policy(MDB_txn *txn, struct store *st,
    const char *addr, enum store_quota_policy own);

/* ---- store_mailbox.c ---- */
int store_mbox_name_normalize(const char *in, char out[STORE_MBOX_NAME_MAX + 1]);
int store_mbox_load(MDB_txn *txn, struct store *st, uint64_t user_id, const char *name,
    struct store_mbox *mb);
int store_mbox_load_id(MDB_txn *txn, struct store *st, uint64_t mbox_id, struct store_mbox *mb);
int store_mbox_save(struct store_wtxn *w, const struct store_mbox *mb);
int store_mbox_create_in(struct store_wtxn *w, uint64_t user_id, const char *name,
    unsigned special_use);
int store_mbox_remove(struct store_wtxn *w, struct store_mbox *mb);

/* ---- store_message.c ---- */
int store_body_put(struct store_wtxn *w, const char *data, size_t len, const void *cache,
    size_t cache_len, uint64_t *id_r);
int store_body_ref(struct store_wtxn *w, uint64_t body_id, int delta);
/* store_msg_insert - a new message at UIDNEXT; counters and usage follow */
int store_msg_insert(struct store_wtxn *w, struct store_mbox *mb, const struct store_msg_rec *m,
    uint32_t *uid_r);
/* store_msg_remove - expunge one uid, with tombstone; ENOTFOUND if absent */
int store_msg_remove(struct store_wtxn *w, struct store_mbox *mb, uint32_t uid);
/* store_msg_load - a message record, its keywords copied into kw; ENOTFOUND if absent */
int store_msg_load(MDB_txn *txn, struct store *st, uint64_t mbox_id, uint32_t uid,
    struct store_msg_rec *m, struct buf *kw);
/*
 * store_msg_flag - new flags (and keywords unless NULL) and a new modseq
 * for one message; the caller saves mb. An absent uid is skipped (0).
 */
int store_msg_flag(struct store_wtxn *w, struct store_mbox *mb, uint32_t uid, uint32_t flags,
    const char *keywords);
/* store_msg_keywords_ok - a keyword list a record may hold (NULL is fine) */
bool store_msg_keywords_ok(const char *kw);
/* store_msg_first - the lowest uid of a mailbox; ENOTFOUND when empty */
int store_msg_first(MDB_txn *txn, struct store *st, uint64_t mbox_id, uint32_t *uid_r);

/* a message body ready for the writer: CRLF text and its cache blob */
struct store_body_in {
	const char *data;
	size_t len;
	const void *cache;
	size_t cache_len;
};
/* store_msg_prepare - CRLF-normalize, size-check and parse msg into bufs */
int store_msg_prepare(struct store *st, const char *msg, size_t len, struct buf *crlf,
    struct buf *cache, struct store_body_in *in);
/* store_msg_add - quota, then insert a message for an existing body */
int store_msg_add(struct store_wtxn *w, const char *addr, const struct store_user_rec *u,
    struct store_mbox *mb, struct store_msg_rec *m, const char *qid, uint32_t *uid_r);

/* ---- SRS (store_alias.c) ---- */
/*
 * store_srs_original - the original sender an SRS0 address stands for,
 * when forward_srs_secret is set and its hash and age are right; 0 or
 * ENOTFOUND
 */
int store_srs_original(struct store *st, const char *addr, char out[STORE_ADDR_MAX + 1]);
/*
 * store_srs_sender - the sender forwarded mail leaves with: from rewritten
 * by SRS for our domain ours (into out) when forward_srs_secret is set and
 * from is a foreign address; from itself otherwise (the null sender too)
 */
const char *store_srs_sender(MDB_txn *txn, struct store *st, const char *from, const char *ours,
    char out[STORE_ADDR_MAX + 1]);

/* ---- store_sieve_dlv.c: Sieve's runs, records and vacation's reply ---- */
/*
 * store_sieve_eval - run the domain's script, then (as Pigeonhole's
 * sieve_before) the user's active one, for the user at addr (user_id),
 * envelope sender from (NULL: none) and recipient to (NULL: addr), with
 * the callbacks answered from txn
 */
int store_sieve_eval(MDB_txn *txn, struct store *st, const char *addr, uint64_t user_id,
    const char *from, const char *to, const char *msg, size_t len, int64_t now,
    struct store_sieve_eval *ev);
/* store_sieve_seen - whether the user's record kind/id was written less than seconds before now */
bool store_sieve_seen(MDB_txn *txn, struct store *st, uint64_t user_id, const char *kind,
    const char *id, uint64_t seconds, int64_t now);
/* store_sieve_record - write the user's record kind/id at now, expiring after seconds */
int store_sieve_record(struct store_wtxn *w, uint64_t user_id, const char *kind, const char *id,
    uint64_t seconds, int64_t now);
/*
 * store_sieve_reply - vacation's reply (action a) to the message msg (len
 * bytes) from user, under Message-ID msgid, dated now, appended to out
 */
void store_sieve_reply(const struct sieve_action *a, const char *user, const char *msg, size_t len,
    const char *msgid, int64_t now, struct buf *out);

/* ---- store_queue.c ---- */
#define STORE_QUEUE_DUE_KEY_LEN (8 + STORE_QUEUE_ID_LEN)
/* store_queue_due_key - the queue_due key of an entry: big-endian next_attempt, qid */
void store_queue_due_key(struct store_key *k, int64_t next_attempt, const char *qid);
/*
 * store_queue_insert - a new entry (envelope, due index and message) under
 * a new queue id, written into e->qid; never replaces one
 */
int store_queue_insert(struct store_wtxn *w, struct store_queue_entry *e);
/*
 * store_queue_reindex - at a writer's open: when queue_due is empty and the
 * queue is not (a store of schema 1, or a lost index), rebuild the index,
 * moving schema-1 messages out of their records; the count in *n_r
 */
int store_queue_reindex(struct store_wtxn *w, size_t *n_r);
/* store_queue_rec_dec_v1 - a schema-1 record, its message inside (the upgrade only) */
int store_queue_rec_dec_v1(const void *data, size_t len, struct store_queue_entry *e);

/* ---- store_subscribe.c ---- */
/* store_sub_put - subscribe a user to a normalized name */
int store_sub_put(struct store_wtxn *w, uint64_t user_id, const char *name);
/*
 * store_sub_upgrade - at a writer's open of a store older than schema 4:
 * the subscription flag of every mailbox record becomes a subscription;
 * the count in *n_r
 */
int store_sub_upgrade(struct store_wtxn *w, size_t *n_r);

/* ---- store_metadata.c ---- */
/* store_meta_del_mbox - the entries of one mailbox (with the mailbox) */
int store_meta_del_mbox(struct store_wtxn *w, uint64_t user_id, uint64_t mbox_id);

/* ---- store_acl.c ---- */
/* store_acl_rec_dec - the rights of an acl record; ECORRUPT if it is not one */
int store_acl_rec_dec(const MDB_val *v, uint32_t *rights_r);
/* store_acl_forget - every entry naming a (normalized) user address, at the user's deletion */
int store_acl_forget(struct store_wtxn *w, const char *address);
/* store_acl_inherit - a new mailbox gets a copy of its parent's entries */
int store_acl_inherit(struct store_wtxn *w, const struct store_mbox *mb);
/* store_acl_anyone - the rights of "anyone" on a mailbox (0 without an entry) */
int store_acl_anyone(MDB_txn *txn, struct store *st, uint64_t mbox_id, uint32_t *rights_r);
/*
 * store_detail_split - a normalized "local+detail@domain" into
 * "local@domain" and "detail"; false when it has no (non-empty) detail
 */
bool store_detail_split(const char *addr, char base[STORE_ADDR_MAX + 1],
    char detail[STORE_MBOX_NAME_MAX + 1]);

/* ---- store_sieve.c ---- */
/* store_sieve_rec_ok - a sieve record (user's or domain's) that decodes */
bool store_sieve_rec_ok(const MDB_val *v);
/* store_sieve_domain_forget - a domain's script, at the domain's deletion */
int store_sieve_domain_forget(struct store_wtxn *w, const char *domain);

/* ---- store_recent.c ---- */
/* store_recent_load - a mailbox's first unclaimed UID; 1 when it has no mark */
int store_recent_load(MDB_txn *txn, struct store *st, uint64_t mbox_id, uint32_t *first_r);

/* ---- store_quota.c ---- */
int store_usage_load(MDB_txn *txn, struct store *st, uint64_t user_id, struct store_usage_rec *u);
/* store_usage_save - write a user's whole usage record */
int store_usage_save(struct store_wtxn *w, uint64_t user_id, const struct store_usage_rec *u);
/* store_usage_add - change a user's usage; clears the warning flag below the mark */
int store_usage_add(struct store_wtxn *w, uint64_t user_id, int64_t dbytes, int64_t dmsgs);
/* store_quota_admit - make room for size bytes, or ENOQUOTA */
int store_quota_admit(struct store_wtxn *w, const char *addr, const struct store_user_rec *u,
    uint64_t size, const char *qid);
/* store_quota_warn - deliver the warning when usage crossed the mark */
int store_quota_warn(struct store_wtxn *w, const char *addr, const struct store_user_rec *u,
    const char *qid);

#endif
