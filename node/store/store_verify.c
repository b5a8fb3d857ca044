/*
 * store_verify.c - walk the whole store in one read transaction and check
 * its invariants; one line per problem.
 *
 * Checked: every user has its id mapping and usage, and usage equals the
 * sum of its mailboxes; every mailbox belongs to an existing user, is in
 * mbox_by_id, has UIDNEXT above every UID and tombstone, HIGHESTMODSEQ at
 * or above every modseq, counters that match its messages and a modseq
 * index that matches them exactly; every body has a count, a cache that
 * mime_cache_validate accepts, and a count equal to the number of messages
 * referencing it; no count, cache or mbox_by_id entry is orphaned; every
 * queue envelope decodes and has its message and its due index entry, and
 * every index entry and message has its envelope (the index entry at the
 * envelope's next_attempt); every \Recent mark belongs to a mailbox and
 * is at most its UIDNEXT.
 *
 * Hazard: memory grows with the number of messages (one body id each);
 * run it on a quiet store or on a backup copy.
 */
#include "store/store_int.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mime/mime.h"
#include "util/xalloc.h"

struct vfy {
	struct store *st;
	MDB_txn *txn;
	FILE *out;
	int problems;
	uint64_t *refs;		/* body id of every message */
	size_t nrefs;
	/* the mailbox and user being walked */
	const struct store_mailbox *mb;
	uint32_t messages, unseen;
	uint64_t bytes, user_bytes, user_messages;
};

/* vfy_bad - one problem line */
static void vfy_bad(struct vfy *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
vfy_bad(struct vfy *v, const char *fmt, ...)
{
	va_list ap;

	v->problems++;
	if (v->out == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(v->out, fmt, ap);
	va_end(ap);
	fputc('\n', v->out);
}

/* vfy_has - does db hold key k? */
static bool
vfy_has(struct vfy *v, enum store_db db, struct store_key *k, MDB_val *val)
{
	MDB_val tmp;

	return store_get(v->txn, v->st, db, k, val ? val : &tmp) == 0;
}

/* vfy_msg - one message of the current mailbox */
static int
vfy_msg(const MDB_val *k, const MDB_val *val, void *arg)
{
	struct vfy *v = arg;
	const struct store_mailbox *mb = v->mb;
	uint32_t uid = store_get32((const unsigned char *)k->mv_data + 8);
	struct store_msg_rec m;
	struct store_key ik;
	MDB_val iv;

	if (store_msg_dec(val, &m) != 0) {
		vfy_bad(v, "mailbox %" PRIu64 " uid %u: undecodable record", mb->id, uid);
		return 0;
	}
	if (uid >= mb->uidnext)
		vfy_bad(v, "mailbox %" PRIu64 " uid %u: not below UIDNEXT %u", mb->id, uid, mb->uidnext);
	if (m.modseq > mb->highestmodseq)
		vfy_bad(v, "mailbox %" PRIu64 " uid %u: modseq %" PRIu64 " above HIGHESTMODSEQ",
		    mb->id, uid, m.modseq);
	store_key_id_u64(&ik, mb->id, m.modseq);
	if (!vfy_has(v, DB_MODSEQ, &ik, &iv) || iv.mv_size != 4 || store_get32(iv.mv_data) != uid)
		vfy_bad(v, "mailbox %" PRIu64 " uid %u: modseq index entry missing or wrong",
		    mb->id, uid);
	v->messages++;
	v->unseen += !(m.flags & STORE_F_SEEN);
	v->bytes += m.size;
	v->refs = xrealloc(v->refs, (v->nrefs + 1) * sizeof(*v->refs));
	v->refs[v->nrefs++] = m.body_id;
	return 0;
}

/* vfy_tomb - one tombstone of the current mailbox */
static int
vfy_tomb(const MDB_val *k, const MDB_val *val, void *arg)
{
	struct vfy *v = arg;
	uint32_t uid = store_get32((const unsigned char *)k->mv_data + 8);

	if (uid >= v->mb->uidnext || val->mv_size != 8 ||
	    store_get64(val->mv_data) > v->mb->highestmodseq)
		vfy_bad(v, "mailbox %" PRIu64 " tombstone uid %u: beyond UIDNEXT or HIGHESTMODSEQ",
		    v->mb->id, uid);
	return 0;
}

/* vfy_count - count records under a prefix */
static int
vfy_count(const MDB_val *k, const MDB_val *val, void *arg)
{
	(*(uint64_t *)arg)++;
	return 0;
}

/* vfy_mbox_walk - messages, tombstones and index of one mailbox against its record */
static void
vfy_mbox_walk(struct vfy *v, const struct store_mailbox *mb)
{
	unsigned char prefix[8];
	uint64_t indexed = 0;

	v->mb = mb;
	v->messages = v->unseen = 0;
	v->bytes = 0;
	store_put64(prefix, mb->id);
	store_each(v->txn, v->st, DB_MESSAGES, prefix, 8, NULL, vfy_msg, v);
	store_each(v->txn, v->st, DB_TOMBSTONES, prefix, 8, NULL, vfy_tomb, v);
	store_each(v->txn, v->st, DB_MODSEQ, prefix, 8, NULL, vfy_count, &indexed);
	if (v->messages != mb->messages || v->unseen != mb->unseen || v->bytes != mb->bytes)
		vfy_bad(v, "mailbox %" PRIu64 " (%s): counters %u/%u/%" PRIu64
		    ", messages say %u/%u/%" PRIu64, mb->id, mb->name, mb->messages, mb->unseen,
		    mb->bytes, v->messages, v->unseen, v->bytes);
	if (indexed != v->messages)
		vfy_bad(v, "mailbox %" PRIu64 ": %" PRIu64 " modseq index entries for %u messages",
		    mb->id, indexed, v->messages);
	v->user_bytes += v->bytes;
	v->user_messages += v->messages;
}

/* vfy_mbox - one mailbox record */
static int
vfy_mbox(const MDB_val *k, const MDB_val *val, void *arg)
{
	struct vfy *v = arg;
	struct store_mailbox mb;
	size_t n = k->mv_size - 8;
	char addr[STORE_ADDR_MAX + 1];
	struct store_key ik;
	MDB_val iv;

	if (k->mv_size < 8 || n > STORE_MBOX_NAME_MAX || store_mbox_dec(val, &mb) != 0) {
		vfy_bad(v, "mailboxes: undecodable record");
		return 0;
	}
	memcpy(mb.name, (const char *)k->mv_data + 8, n);
	mb.name[n] = '\0';
	if (store_user_address(v->txn, v->st, store_get64(k->mv_data), addr) != 0)
		vfy_bad(v, "mailbox %" PRIu64 " (%s): user %" PRIu64 " does not exist", mb.id,
		    mb.name, store_get64(k->mv_data));
	store_key_id(&ik, mb.id);
	if (!vfy_has(v, DB_MBOX_BY_ID, &ik, &iv) || iv.mv_size != k->mv_size ||
	    memcmp(iv.mv_data, k->mv_data, k->mv_size) != 0)
		vfy_bad(v, "mailbox %" PRIu64 " (%s): mbox_by_id missing or wrong", mb.id, mb.name);
	vfy_mbox_walk(v, &mb);
	return 0;
}

/* vfy_user - a user's mappings, and its usage against its mailboxes */
static int
vfy_user(const MDB_val *k, const MDB_val *val, void *arg)
{
	struct vfy *v = arg;
	struct store_user_rec u;
	struct store_usage_rec use;
	struct store_key ik;
	unsigned char prefix[8];
	MDB_val iv;

	if (store_user_dec(val, &u) != 0) {
		vfy_bad(v, "user %.*s: undecodable record", (int)k->mv_size, (const char *)k->mv_data);
		return 0;
	}
	store_key_id(&ik, u.id);
	if (!vfy_has(v, DB_USER_BY_ID, &ik, &iv) || iv.mv_size != k->mv_size ||
	    memcmp(iv.mv_data, k->mv_data, k->mv_size) != 0)
		vfy_bad(v, "user %.*s: user_by_id missing or wrong", (int)k->mv_size,
		    (const char *)k->mv_data);
	v->user_bytes = v->user_messages = 0;
	store_put64(prefix, u.id);
	store_each(v->txn, v->st, DB_MAILBOXES, prefix, 8, NULL, vfy_mbox, v);
	if (store_usage_load(v->txn, v->st, u.id, &use) != 0)
		vfy_bad(v, "user %.*s: usage missing", (int)k->mv_size, (const char *)k->mv_data);
	else if (use.bytes != v->user_bytes || use.messages != v->user_messages)
		vfy_bad(v, "user %.*s: usage %" PRIu64 " bytes %" PRIu64 " messages, mailboxes hold %"
		    PRIu64 " and %" PRIu64, (int)k->mv_size, (const char *)k->mv_data, use.bytes,
		    use.messages, v->user_bytes, v->user_messages);
	return 0;
}

/* vfy_orphan_mbox - a mailbox whose user is gone is not reached from users */
static int
vfy_orphan_mbox(const MDB_val *k, const MDB_val *val, void *arg)
{
	struct vfy *v = arg;
	char addr[STORE_ADDR_MAX + 1];

	if (k->mv_size < 8 || store_user_address(v->txn, v->st, store_get64(k->mv_data), addr) != 0)
		vfy_mbox(k, val, v);	/* reports the missing user, counts its bodies */
	return 0;
}

/* vfy_mbox_by_id - each mapping points at a mailbox with that id */
static int
vfy_mbox_by_id(const MDB_val *k, const MDB_val *val, void *arg)
{
	struct vfy *v = arg;
	struct store_key mk = { .len = val->mv_size };
	struct store_mailbox mb;
	MDB_val mv;

	if (val->mv_size > sizeof(mk.b) || (memcpy(mk.b, val->mv_data, val->mv_size),
	    !vfy_has(v, DB_MAILBOXES, &mk, &mv)) || store_mbox_dec(&mv, &mb) != 0 ||
	    mb.id != store_get64(k->mv_data))
		vfy_bad(v, "mbox_by_id %" PRIu64 ": no such mailbox", store_get64(k->mv_data));
	return 0;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* vfy_refs_of - how many messages reference body id (refs is sorted) */
static uint64_t
vfy_refs_of(const struct vfy *v, uint64_t id)
{
	const uint64_t *p;
	uint64_t n = 0;

	if (v->nrefs == 0 ||
	    (p = bsearch(&id, v->refs, v->nrefs, sizeof(*v->refs), cmp_u64)) == NULL)
		return 0;
	while (p > v->refs && p[-1] == id)
		p--;
	while (p < v->refs + v->nrefs && *p++ == id)
		n++;
	return n;
}

/* vfy_body - a body, its count and its cache */
static int
vfy_body(const MDB_val *k, const MDB_val *val, void *arg)
{
	struct vfy *v = arg;
	uint64_t id = store_get64(k->mv_data), want = vfy_refs_of(v, id);
	struct store_key ik;
	MDB_val iv;

	store_key_id(&ik, id);
	if (!vfy_has(v, DB_BODYREFS, &ik, &iv) || iv.mv_size != 4)
		vfy_bad(v, "body %" PRIu64 ": reference count missing", id);
	else if (store_get32(iv.mv_data) != want)
		vfy_bad(v, "body %" PRIu64 ": reference count %u, %" PRIu64 " messages refer to it",
		    id, store_get32(iv.mv_data), want);
	if (!vfy_has(v, DB_CACHE, &ik, &iv))
		vfy_bad(v, "body %" PRIu64 ": cache missing", id);
	else if (mime_cache_validate(iv.mv_data, iv.mv_size) != 0)
		vfy_bad(v, "body %" PRIu64 ": cache does not validate", id);
	return 0;
}

/* vfy_bodyless - a count or cache entry (db in arg) without its body */
static int
vfy_bodyless(const MDB_val *k, const MDB_val *val, void *arg)
{
	struct vfy *v = arg;
	struct store_key ik;

	store_key_id(&ik, store_get64(k->mv_data));
	if (!vfy_has(v, DB_BODIES, &ik, NULL))
		vfy_bad(v, "body %" PRIu64 ": count or cache without body", store_get64(k->mv_data));
	return 0;
}

/* vfy_missing_bodies - messages referencing a body that is not there */
static void
vfy_missing_bodies(struct vfy *v)
{
	struct store_key ik;

	for (size_t i = 0; i < v->nrefs; i++) {
		if (i > 0 && v->refs[i] == v->refs[i - 1])
			continue;
		store_key_id(&ik, v->refs[i]);
		if (!vfy_has(v, DB_BODIES, &ik, NULL))
			vfy_bad(v, "body %" PRIu64 ": referenced but missing", v->refs[i]);
	}
}

/* vfy_qid - the queue id ending a key of off + STORE_QUEUE_ID_LEN bytes; false for another size */
static bool
vfy_qid(const MDB_val *k, size_t off, char qid[STORE_QUEUE_ID_LEN + 1])
{
	if (k->mv_size != off + STORE_QUEUE_ID_LEN)
		return false;
	memcpy(qid, (const char *)k->mv_data + off, STORE_QUEUE_ID_LEN);
	qid[STORE_QUEUE_ID_LEN] = '\0';
	return true;
}

/* vfy_queue_key - the queue_due key the envelope of qid asks for; false if none decodes */
static bool
vfy_queue_key(struct vfy *v, const char *qid, struct store_key *dk)
{
	struct store_queue_entry e;
	struct store_key k;
	MDB_val val;

	store_key_str(&k, qid);
	if (!vfy_has(v, DB_QUEUE, &k, &val) || store_queue_rec_dec(val.mv_data, val.mv_size, &e) != 0)
		return false;
	store_queue_due_key(dk, e.next_attempt, qid);
	store_queue_entry_free(&e);
	return true;
}

/* vfy_queue - an envelope, with its message and its due index entry */
static int
vfy_queue(const MDB_val *k, const MDB_val *val, void *arg)
{
	struct vfy *v = arg;
	char qid[STORE_QUEUE_ID_LEN + 1];
	struct store_key dk, mk;

	if (!vfy_qid(k, 0, qid) || !vfy_queue_key(v, qid, &dk)) {
		vfy_bad(v, "queue %.*s: undecodable record", (int)k->mv_size,
		    (const char *)k->mv_data);
		return 0;
	}
	if (!vfy_has(v, DB_QUEUE_DUE, &dk, NULL))
		vfy_bad(v, "queue %s: due index entry missing", qid);
	store_key_str(&mk, qid);
	if (!vfy_has(v, DB_QUEUE_MSG, &mk, NULL))
		vfy_bad(v, "queue %s: message missing", qid);
	return 0;
}

/*
 * vfy_queue_side - a message (keyed by the queue id) or a due index entry
 * (time and queue id, at its envelope's next_attempt) with its envelope
 */
static int
vfy_queue_side(const MDB_val *k, const MDB_val *val, void *arg)
{
	struct vfy *v = arg;
	bool due = k->mv_size == STORE_QUEUE_DUE_KEY_LEN;
	char qid[STORE_QUEUE_ID_LEN + 1];
	struct store_key dk;

	if (!vfy_qid(k, due ? 8 : 0, qid))
		vfy_bad(v, "queue_msg or queue_due: malformed key");
	else if (!vfy_queue_key(v, qid, &dk) ||
	    (due && (dk.len != k->mv_size || memcmp(dk.b, k->mv_data, dk.len) != 0)))
		vfy_bad(v, "queue %s: %s without its entry", qid,
		    due ? "due index entry" : "message");
	return 0;
}

/* vfy_recent - a \Recent mark of an existing mailbox, not above its UIDNEXT */
static int
vfy_recent(const MDB_val *k, const MDB_val *val, void *arg)
{
	struct vfy *v = arg;
	struct store_mbox mb;

	if (k->mv_size != 8 || val->mv_size != 4) {
		vfy_bad(v, "recent: undecodable record");
		return 0;
	}
	if (store_mbox_load_id(v->txn, v->st, store_get64(k->mv_data), &mb) != 0)
		vfy_bad(v, "recent %" PRIu64 ": no such mailbox", store_get64(k->mv_data));
	else if (store_get32(val->mv_data) > mb.m.uidnext)
		vfy_bad(v, "mailbox %" PRIu64 " (%s): recent mark %u above UIDNEXT %u", mb.m.id,
		    mb.m.name, store_get32(val->mv_data), mb.m.uidnext);
	return 0;
}

/*
 * vfy_key_name - a key of prefix bytes (ids) and a name of 1 to max bytes:
 * the name, NUL-terminated, into name_r (max + 1 bytes); false if the key
 * is not one
 */
static bool
vfy_key_name(const MDB_val *k, size_t prefix, size_t max, char *name_r)
{
	size_t n = k->mv_size > prefix ? k->mv_size - prefix : 0;

	if (n == 0 || n > max)
		return false;
	memcpy(name_r, (const char *)k->mv_data + prefix, n);
	name_r[n] = '\0';
	return true;
}

/* vfy_sub - a subscription of an existing user, to a name a mailbox could have */
static int
vfy_sub(const MDB_val *k, const MDB_val *val, void *arg)
{
	struct vfy *v = arg;
	char addr[STORE_ADDR_MAX + 1], name[STORE_MBOX_NAME_MAX + 1], norm[STORE_MBOX_NAME_MAX + 1];

	if (!vfy_key_name(k, 8, STORE_MBOX_NAME_MAX, name)) {
		vfy_bad(v, "subscription: malformed key");
		return 0;
	}
	if (store_user_address(v->txn, v->st, store_get64(k->mv_data), addr) != 0)
		vfy_bad(v, "subscription %s: user %" PRIu64 " missing", name, store_get64(k->mv_data));
	else if (store_mbox_name_normalize(name, norm) != 0 || strcmp(name, norm) != 0)
		vfy_bad(v, "subscription of %s: invalid name", addr);
	return 0;
}

/* vfy_meta - a metadata entry of an existing user, on the server or an existing mailbox of theirs */
static int
vfy_meta(const MDB_val *k, const MDB_val *val, void *arg)
{
	struct vfy *v = arg;
	char addr[STORE_ADDR_MAX + 1], entry[STORE_META_NAME_MAX + 1];
	struct store_mbox mb;
	uint64_t mbox_id;

	if (!vfy_key_name(k, 16, STORE_META_NAME_MAX, entry) || val->mv_size < 1) {
		vfy_bad(v, "metadata: malformed record");
		return 0;
	}
	mbox_id = store_get64((const unsigned char *)k->mv_data + 8);
	if (store_user_address(v->txn, v->st, store_get64(k->mv_data), addr) != 0)
		vfy_bad(v, "metadata %s: user %" PRIu64 " missing", entry, store_get64(k->mv_data));
	else if (mbox_id != 0 && (store_mbox_load_id(v->txn, v->st, mbox_id, &mb) != 0 ||
	    mb.user_id != store_get64(k->mv_data)))
		vfy_bad(v, "metadata %s of %s: mailbox %" PRIu64 " missing", entry, addr, mbox_id);
	return 0;
}

/* vfy_acl - an ACL entry of an existing mailbox, for "anyone", "authenticated" or an existing user */
static int
vfy_acl(const MDB_val *k, const MDB_val *val, void *arg)
{
	struct vfy *v = arg;
	char ident[STORE_ADDR_MAX + 1];
	struct store_user_rec u;
	struct store_mbox mb;
	uint32_t rights;

	if (!vfy_key_name(k, 8, STORE_ADDR_MAX, ident)) {
		vfy_bad(v, "acl: malformed key");
		return 0;
	}
	if (store_mbox_load_id(v->txn, v->st, store_get64(k->mv_data), &mb) != 0)
		vfy_bad(v, "acl entry of %s: mailbox %" PRIu64 " missing", ident,
		    store_get64(k->mv_data));
	else if (strcmp(ident, STORE_ACL_ANYONE) != 0 && strcmp(ident, STORE_ACL_AUTHENTICATED) != 0 &&
	    store_user_load(v->txn, v->st, ident, &u) != 0)
		vfy_bad(v, "acl entry of mailbox %" PRIu64 ": user %s missing", mb.m.id, ident);
	else if (store_acl_rec_dec(val, &rights) != 0 || rights == 0)
		vfy_bad(v, "acl entry of %s on mailbox %" PRIu64 ": bad record", ident, mb.m.id);
	return 0;
}

/* vfy_sieve - a script of an existing user, under a valid name, that decodes */
static int
vfy_sieve(const MDB_val *k, const MDB_val *val, void *arg)
{
	struct vfy *v = arg;
	char addr[STORE_ADDR_MAX + 1], name[STORE_SIEVE_NAME_MAX + 1];
	size_t n = k->mv_size < 8 ? 0 : k->mv_size - 8;

	if (n == 0 || n > STORE_SIEVE_NAME_MAX) {
		vfy_bad(v, "sieve: malformed key");
		return 0;
	}
	memcpy(name, (const char *)k->mv_data + 8, n);
	name[n] = '\0';
	if (store_user_address(v->txn, v->st, store_get64(k->mv_data), addr) != 0)
		vfy_bad(v, "sieve script %s: user %" PRIu64 " missing", name, store_get64(k->mv_data));
	else if (!store_sieve_name_ok(name) || !store_sieve_rec_ok(val))
		vfy_bad(v, "sieve script of %s: bad name or record", addr);
	return 0;
}

/* vfy_sieve_domain - the script of an existing domain, that decodes */
static int
vfy_sieve_domain(const MDB_val *k, const MDB_val *val, void *arg)
{
	struct vfy *v = arg;
	char name[STORE_ADDR_MAX + 1];

	if (k->mv_size == 0 || k->mv_size > STORE_ADDR_MAX) {
		vfy_bad(v, "sieve_domain: malformed key");
		return 0;
	}
	memcpy(name, k->mv_data, k->mv_size);
	name[k->mv_size] = '\0';
	if (store_domain_exists(v->txn, v->st, name) != 0)
		vfy_bad(v, "sieve script of domain %s: domain missing", name);
	else if (!store_sieve_rec_ok(val))
		vfy_bad(v, "sieve script of domain %s: bad record", name);
	return 0;
}

int
store_verify(struct store *st, FILE *report)
{
	struct vfy v = { .st = st, .out = report };
	int rc;

	if ((rc = mdb_txn_begin(st->env, NULL, MDB_RDONLY, &v.txn)) != 0)
		return store_err_from_mdb(rc);
	store_each(v.txn, st, DB_USERS, NULL, 0, NULL, vfy_user, &v);
	store_each(v.txn, st, DB_MAILBOXES, NULL, 0, NULL, vfy_orphan_mbox, &v);
	store_each(v.txn, st, DB_MBOX_BY_ID, NULL, 0, NULL, vfy_mbox_by_id, &v);
	if (v.nrefs > 0)
		qsort(v.refs, v.nrefs, sizeof(*v.refs), cmp_u64);
	store_each(v.txn, st, DB_BODIES, NULL, 0, NULL, vfy_body, &v);
	store_each(v.txn, st, DB_BODYREFS, NULL, 0, NULL, vfy_bodyless, &v);
	store_each(v.txn, st, DB_CACHE, NULL, 0, NULL, vfy_bodyless, &v);
	vfy_missing_bodies(&v);
	store_each(v.txn, st, DB_QUEUE, NULL, 0, NULL, vfy_queue, &v);
	store_each(v.txn, st, DB_QUEUE_DUE, NULL, 0, NULL, vfy_queue_side, &v);
	store_each(v.txn, st, DB_QUEUE_MSG, NULL, 0, NULL, vfy_queue_side, &v);
	store_each(v.txn, st, DB_RECENT, NULL, 0, NULL, vfy_recent, &v);
	store_each(v.txn, st, DB_SUBSCRIPTIONS, NULL, 0, NULL, vfy_sub, &v);
	store_each(v.txn, st, DB_METADATA, NULL, 0, NULL, vfy_meta, &v);
	store_each(v.txn, st, DB_ACL, NULL, 0, NULL, vfy_acl, &v);
	store_each(v.txn, st, DB_SIEVE, NULL, 0, NULL, vfy_sieve, &v);
	store_each(v.txn, st, DB_SIEVE_DOMAIN, NULL, 0, NULL, vfy_sieve_domain, &v);
	mdb_txn_abort(v.txn);
	free(v.refs);
	return v.problems;
}
