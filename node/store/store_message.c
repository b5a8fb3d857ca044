/*
 * store_message.c - messages, bodies and the per-mailbox bookkeeping of
 * UIDs and modseqs.
 *
 * A message is keyed by mailbox id + UID and points at a body by id.
 * Bodies are stored once (CRLF, with the parsed-structure cache beside
 * them) and reference-counted: store_msg_insert takes a reference and
 * store_msg_remove drops it; the body, its count and its cache go when the
 * count reaches zero. UIDs come from the mailbox's UIDNEXT and are never
 * reused. Every change (append, flag change, expunge) takes the next
 * modseq of the mailbox: the modseq index maps mailbox id + modseq to the
 * UID changed, and an expunge leaves a tombstone (mailbox id + UID ->
 * modseq) for QRESYNC. Mailbox counters and user usage follow every
 * insert and remove.
 *
 * Hazard: a decoded record points into the map; it is re-encoded before
 * any other write in the same transaction, as LMDB invalidates such
 * pointers on update.
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mime/mime.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xalloc.h"

#define KEYWORDS_MAX 4096
#define FLAGS_ALL (STORE_F_SEEN | STORE_F_ANSWERED | STORE_F_FLAGGED | STORE_F_DELETED | \
	STORE_F_DRAFT)

struct msg_req {
	uint64_t mbox_id;
	const uint32_t *uids;
	size_t n;
	uint32_t flags;
	const char *keywords;
};

struct append_req {
	char addr[STORE_ADDR_MAX + 1];
	char mailbox[STORE_MBOX_NAME_MAX + 1];
	const struct store_append_msg *msgs;	/* n messages, all or none */
	struct store_body_in *body;		/* n prepared bodies */
	size_t n;
	uint32_t uidvalidity;
	uint32_t *uids;				/* n new UIDs */
};

/* store_body_put - a body with no references yet; each message adds one */
int
store_body_put(struct store_wtxn *w, const char *data, size_t len, const void *cache,
    size_t cache_len, uint64_t *id_r)
{
	unsigned char zero[4] = { 0 };
	struct store_key k;
	int rc;

	if ((rc = store_counter_next(w, "next_body", id_r)) != 0)
		return rc;
	store_key_id(&k, *id_r);
	if ((rc = store_put(w, DB_BODIES, &k, data, len)) != 0 ||
	    (rc = store_put(w, DB_CACHE, &k, cache, cache_len)) != 0)
		return rc;
	return store_put(w, DB_BODYREFS, &k, zero, 4);
}

/* store_body_ref - change the count; at zero the body, count and cache go */
int
store_body_ref(struct store_wtxn *w, uint64_t body_id, int delta)
{
	unsigned char b[4];
	struct store_key k;
	int64_t refs;
	MDB_val v;
	int rc;

	store_key_id(&k, body_id);
	if ((rc = store_get(w->txn, w->st, DB_BODYREFS, &k, &v)) != 0)
		return rc == STORE_ENOTFOUND ? STORE_ECORRUPT : rc;
	if (v.mv_size != 4)
		return STORE_ECORRUPT;
	refs = (int64_t)store_get32(v.mv_data) + delta;
	if (refs > 0) {
		store_put32(b, (uint32_t)refs);
		return store_put(w, DB_BODYREFS, &k, b, 4);
	}
	if ((rc = store_del(w, DB_BODYREFS, &k)) != 0 || (rc = store_del(w, DB_BODIES, &k)) != 0)
		return rc;
	rc = store_del(w, DB_CACHE, &k);
	return rc == STORE_ENOTFOUND ? 0 : rc;
}

/* msg_put - the message record and its modseq index entry */
static int
msg_put(struct store_wtxn *w, uint64_t mbox_id, uint32_t uid, const struct store_msg_rec *m)
{
	struct store_key k;
	struct buf b = BUF_INIT;
	unsigned char u[4];
	int rc;

	store_key_id_uid(&k, mbox_id, uid);
	store_msg_enc(m, &b);
	rc = store_put(w, DB_MESSAGES, &k, b.data, b.len);
	buf_free(&b);
	if (rc != 0)
		return rc;
	store_key_id_u64(&k, mbox_id, m->modseq);
	store_put32(u, uid);
	return store_put(w, DB_MODSEQ, &k, u, 4);
}

/* store_msg_load - copied out of the map, so later writes cannot move it */
int
store_msg_load(MDB_txn *txn, struct store *st, uint64_t mbox_id, uint32_t uid,
    struct store_msg_rec *m, struct buf *kw)
{
	struct store_key k;
	MDB_val v;
	int rc;

	store_key_id_uid(&k, mbox_id, uid);
	if ((rc = store_get(txn, st, DB_MESSAGES, &k, &v)) != 0 || (rc = store_msg_dec(&v, m)) != 0)
		return rc;
	buf_reset(kw);
	buf_puts(kw, m->keywords);
	m->keywords = buf_cstr(kw);
	return 0;
}

/* msg_unindex - drop the modseq index entry of a message's current modseq */
static int
msg_unindex(struct store_wtxn *w, uint64_t mbox_id, uint64_t modseq)
{
	struct store_key k;

	store_key_id_u64(&k, mbox_id, modseq);
	return store_del(w, DB_MODSEQ, &k);
}

int
store_msg_insert(struct store_wtxn *w, struct store_mbox *mb, const struct store_msg_rec *m,
    uint32_t *uid_r)
{
	struct store_msg_rec rec = *m;
	uint32_t uid = mb->m.uidnext;
	int rc;

	if (uid == UINT32_MAX)
		return STORE_EFULL;	/* UIDs exhausted: the mailbox must be recreated */
	mb->m.uidnext++;
	rec.modseq = ++mb->m.highestmodseq;
	rec.save_date = (int64_t)time(NULL);	/* COPY and MOVE save anew too (RFC 8514) */
	mb->m.messages++;
	mb->m.unseen += !(rec.flags & STORE_F_SEEN);
	mb->m.bytes += rec.size;
	store_hook_mark(w->st, mb->m.id);
	if ((rc = msg_put(w, mb->m.id, uid, &rec)) != 0 ||
	    (rc = store_body_ref(w, rec.body_id, 1)) != 0 ||
	    (rc = store_usage_add(w, mb->user_id, (int64_t)rec.size, 1)) != 0 ||
	    (rc = store_mbox_save(w, mb)) != 0)
		return rc;
	if (uid_r)
		*uid_r = uid;
	return 0;
}

int
store_msg_remove(struct store_wtxn *w, struct store_mbox *mb, uint32_t uid)
{
	struct store_msg_rec m;
	struct buf kw = BUF_INIT;
	struct store_key k;
	unsigned char ms[8];
	int rc;

	rc = store_msg_load(w->txn, w->st, mb->m.id, uid, &m, &kw);
	buf_free(&kw);
	if (rc != 0)
		return rc;
	store_hook_mark(w->st, mb->m.id);
	store_key_id_uid(&k, mb->m.id, uid);
	if ((rc = store_del(w, DB_MESSAGES, &k)) != 0 || (rc = msg_unindex(w, mb->m.id, m.modseq)) != 0)
		return rc;
	store_put64(ms, ++mb->m.highestmodseq);
	if ((rc = store_put(w, DB_TOMBSTONES, &k, ms, 8)) != 0)
		return rc;
	mb->m.messages--;
	mb->m.unseen -= !(m.flags & STORE_F_SEEN);
	mb->m.bytes -= m.size;
	if ((rc = store_body_ref(w, m.body_id, -1)) != 0 ||
	    (rc = store_usage_add(w, mb->user_id, -(int64_t)m.size, -1)) != 0)
		return rc;
	return store_mbox_save(w, mb);
}

static int
msg_first_one(const MDB_val *k, const MDB_val *v, void *arg)
{
	*(uint32_t *)arg = store_get32((const unsigned char *)k->mv_data + 8);
	return 1;
}

int
store_msg_first(MDB_txn *txn, struct store *st, uint64_t mbox_id, uint32_t *uid_r)
{
	unsigned char prefix[8];
	int rc;

	store_put64(prefix, mbox_id);
	rc = store_each(txn, st, DB_MESSAGES, prefix, 8, NULL, msg_first_one, uid_r);
	return rc == 1 ? 0 : rc == 0 ? STORE_ENOTFOUND : rc;
}

/* msg_prepare_body - size-check and parse the body as it is into bufs */
static int
msg_prepare_body(struct store *st, const char *data, size_t len, struct buf *cache,
    struct store_body_in *in)
{
	uint64_t max = st->opts.max_message_size;

	if (max != 0 && len > max)
		return STORE_ETOOBIG;
	mime_cache_build(data, len, cache);
	in->data = data;
	in->len = len;
	in->cache = cache->data ? cache->data : "";
	in->cache_len = cache->len;
	return 0;
}

/* store_msg_prepare - the CPU work (CRLF, parse) is done by the caller's thread, not the writer */
int
store_msg_prepare(struct store *st, const char *msg, size_t len, struct buf *crlf,
    struct buf *cache, struct store_body_in *in)
{
	uint64_t max = st->opts.max_message_size;

	if (max != 0 && len > max)
		return STORE_ETOOBIG;
	mime_to_crlf(msg, len, crlf);
	return msg_prepare_body(st, crlf->data ? crlf->data : "", crlf->len, cache, in);
}

int
store_msg_add(struct store_wtxn *w, const char *addr, const struct store_user_rec *u,
    struct store_mbox *mb, struct store_msg_rec *m, const char *qid, uint32_t *uid_r)
{
	int rc;

	if ((rc = store_quota_admit(w, addr, u, m->size, qid)) != 0)
		return rc;
	/* a purge may have changed this very mailbox */
	if ((rc = store_mbox_load_id(w->txn, w->st, mb->m.id, mb)) != 0 ||
	    (rc = store_msg_insert(w, mb, m, uid_r)) != 0)
		return rc;
	return store_quota_warn(w, addr, u, qid);
}

/* msg_append_fn - on the writer: every message, or (any failing) none */
static int
msg_append_fn(struct store_wtxn *w, void *arg)
{
	struct append_req *a = arg;
	struct store_user_rec u;
	struct store_mbox mb;
	size_t i;
	int rc;

	if ((rc = store_user_load(w->txn, w->st, a->addr, &u)) != 0 ||
	    (rc = store_mbox_load(w->txn, w->st, u.id, a->mailbox, &mb)) != 0)
		return rc;
	a->uidvalidity = mb.m.uidvalidity;
	for (i = 0; i < a->n; i++) {
		const struct store_append_msg *in = &a->msgs[i];
		struct store_msg_rec m = { .flags = in->flags & FLAGS_ALL,
		    .internal_date = in->internal_date, .size = a->body[i].len,
		    .keywords = in->keywords ? in->keywords : "" };

		if ((rc = store_body_put(w, a->body[i].data, a->body[i].len, a->body[i].cache,
		    a->body[i].cache_len, &m.body_id)) != 0 ||
		    (rc = store_msg_add(w, a->addr, &u, &mb, &m, "-", &a->uids[i])) != 0)
			return rc;
	}
	return 0;
}

/* store_msg_keywords_ok - bounded, printable, so a record never carries junk */
bool
store_msg_keywords_ok(const char *kw)
{
	if (kw == NULL)
		return true;
	if (strlen(kw) > KEYWORDS_MAX)
		return false;
	for (; *kw; kw++)
		if ((unsigned char)*kw < 0x20 || *kw == 0x7f)
			return false;
	return true;
}

/* append_prepare - CRLF (unless exact) and the structure cache of every message, on the caller's thread */
static int
append_prepare(struct store *st, const struct store_append_msg *msgs, size_t n,
    struct buf *crlf, struct buf *cache, struct store_body_in *body)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		if (msgs[i].msg == NULL || !store_msg_keywords_ok(msgs[i].keywords))
			return STORE_EINVAL;
		rc = msgs[i].exact ?
		    msg_prepare_body(st, msgs[i].msg, msgs[i].len, &cache[i], &body[i]) :
		    store_msg_prepare(st, msgs[i].msg, msgs[i].len, &crlf[i], &cache[i], &body[i]);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int
store_append_many(struct store *st, const char *address, const char *mailbox,
    const struct store_append_msg *msgs, size_t n, uint32_t *uidvalidity_r, uint32_t *uids_r)
{
	struct append_req a = { .msgs = msgs, .n = n, .uids = uids_r };
	struct buf *crlf, *cache;
	size_t i;
	int rc;

	if (n == 0 || store_addr_normalize(address, a.addr) != 0 ||
	    store_mbox_name_normalize(mailbox ? mailbox : "INBOX", a.mailbox) != 0)
		return STORE_EINVAL;
	crlf = xcalloc(n, sizeof(*crlf));
	cache = xcalloc(n, sizeof(*cache));
	a.body = xcalloc(n, sizeof(*a.body));
	if ((rc = append_prepare(st, msgs, n, crlf, cache, a.body)) == 0)
		rc = store_writer_run(st, msg_append_fn, &a);
	for (i = 0; i < n; i++) {
		buf_free(&crlf[i]);
		buf_free(&cache[i]);
	}
	free(crlf);
	free(cache);
	free(a.body);
	if (rc == 0)
		*uidvalidity_r = a.uidvalidity;
	return rc;
}

int
store_append(struct store *st, const char *address, const char *mailbox, const char *msg,
    size_t len, uint32_t flags, const char *keywords, int64_t internal_date,
    uint32_t *uidvalidity_r, uint32_t *uid_r)
{
	struct store_append_msg m = { msg, len, flags, keywords, internal_date, false };
	uint32_t uidvalidity, uid;
	int rc;

	if (msg == NULL)
		return STORE_EINVAL;
	if ((rc = store_append_many(st, address, mailbox, &m, 1, &uidvalidity, &uid)) != 0)
		return rc;
	if (uidvalidity_r)
		*uidvalidity_r = uidvalidity;
	if (uid_r)
		*uid_r = uid;
	return 0;
}

struct msg_list_ctx {
	int (*cb)(const struct store_msg *, void *);
	void *arg;
};

static int
msg_list_one(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct msg_list_ctx *c = arg;
	struct store_msg_rec m;
	struct store_msg pub;

	if (k->mv_size != 12 || store_msg_dec(v, &m) != 0)
		return STORE_ECORRUPT;
	pub = (struct store_msg){
		.uid = store_get32((const unsigned char *)k->mv_data + 8), .flags = m.flags,
		.modseq = m.modseq, .internal_date = m.internal_date, .size = m.size,
		.body_id = m.body_id, .keywords = m.keywords, .save_date = m.save_date,
	};
	return c->cb(&pub, c->arg);
}

int
store_msg_list(struct store_rtxn *r, uint64_t mailbox_id, uint32_t uid_from,
    int (*cb)(const struct store_msg *, void *), void *arg)
{
	struct msg_list_ctx c = { cb, arg };
	struct store_key start;
	struct store_mbox mb;
	int rc;

	if ((rc = store_mbox_load_id(r->txn, r->st, mailbox_id, &mb)) != 0)
		return rc;
	store_key_id_uid(&start, mailbox_id, uid_from);
	return store_each(r->txn, r->st, DB_MESSAGES, start.b, 8, &start, msg_list_one, &c);
}

/* msg_blob - a body or its cache by body id */
static int
msg_blob(struct store_rtxn *r, enum store_db db, uint64_t body_id, const void **p, size_t *len)
{
	struct store_key k;
	MDB_val v;
	int rc;

	store_key_id(&k, body_id);
	if ((rc = store_get(r->txn, r->st, db, &k, &v)) != 0)
		return rc;
	*p = v.mv_data;
	*len = v.mv_size;
	return 0;
}

int
store_msg_body(struct store_rtxn *r, uint64_t body_id, const char **data_r, size_t *len_r)
{
	const void *p;
	int rc = msg_blob(r, DB_BODIES, body_id, &p, len_r);

	if (rc == 0)
		*data_r = p;
	return rc;
}

int
store_msg_cache(struct store_rtxn *r, uint64_t body_id, const void **blob_r, size_t *len_r)
{
	return msg_blob(r, DB_CACHE, body_id, blob_r, len_r);
}

/* store_msg_flag - the one place a message's flags change, so the change is marked */
int
store_msg_flag(struct store_wtxn *w, struct store_mbox *mb, uint32_t uid, uint32_t flags,
    const char *keywords)
{
	struct store_msg_rec m;
	struct buf kw = BUF_INIT;
	int rc;

	rc = store_msg_load(w->txn, w->st, mb->m.id, uid, &m, &kw);
	if (rc == 0)
		rc = msg_unindex(w, mb->m.id, m.modseq);
	if (rc == 0) {
		mb->m.unseen += !(flags & STORE_F_SEEN) - !(m.flags & STORE_F_SEEN);
		m.flags = flags;
		if (keywords != NULL)
			m.keywords = keywords;
		m.modseq = ++mb->m.highestmodseq;
		store_hook_mark(w->st, mb->m.id);
		rc = msg_put(w, mb->m.id, uid, &m);
	}
	buf_free(&kw);
	return rc == STORE_ENOTFOUND ? 0 : rc;
}

static int
msg_flags_fn(struct store_wtxn *w, void *arg)
{
	struct msg_req *a = arg;
	struct store_mbox mb;
	int rc;

	if ((rc = store_mbox_load_id(w->txn, w->st, a->mbox_id, &mb)) != 0)
		return rc;
	for (size_t i = 0; i < a->n; i++)
		if ((rc = store_msg_flag(w, &mb, a->uids[i], a->flags, a->keywords)) != 0)
			return rc;
	return store_mbox_save(w, &mb);
}

static int
msg_expunge_fn(struct store_wtxn *w, void *arg)
{
	struct msg_req *a = arg;
	struct store_mbox mb;
	int rc;

	if ((rc = store_mbox_load_id(w->txn, w->st, a->mbox_id, &mb)) != 0)
		return rc;
	for (size_t i = 0; i < a->n; i++)
		if ((rc = store_msg_remove(w, &mb, a->uids[i])) != 0 && rc != STORE_ENOTFOUND)
			return rc;
	return 0;
}

int
store_msg_set_flags(struct store *st, uint64_t mailbox_id, const uint32_t *uids, size_t n,
    uint32_t flags, const char *keywords)
{
	struct msg_req a = { .mbox_id = mailbox_id, .uids = uids, .n = n,
	    .flags = flags & FLAGS_ALL, .keywords = keywords };

	if ((uids == NULL && n > 0) || !store_msg_keywords_ok(keywords))
		return STORE_EINVAL;
	return store_writer_run(st, msg_flags_fn, &a);
}

int
store_expunge(struct store *st, uint64_t mailbox_id, const uint32_t *uids, size_t n)
{
	struct msg_req a = { .mbox_id = mailbox_id, .uids = uids, .n = n };

	if (uids == NULL && n > 0)
		return STORE_EINVAL;
	return store_writer_run(st, msg_expunge_fn, &a);
}

struct msg_vanished_ctx {
	uint64_t from;
	int (*cb)(uint32_t, uint64_t, void *);
	void *arg;
};

static int
msg_vanished_one(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct msg_vanished_ctx *c = arg;
	uint64_t modseq;

	if (k->mv_size != 12 || v->mv_size != 8)
		return STORE_ECORRUPT;
	modseq = store_get64(v->mv_data);
	if (modseq <= c->from)
		return 0;
	return c->cb(store_get32((const unsigned char *)k->mv_data + 8), modseq, c->arg);
}

int
store_msg_vanished(struct store_rtxn *r, uint64_t mailbox_id, uint64_t modseq_from,
    int (*cb)(uint32_t uid, uint64_t modseq, void *), void *arg)
{
	struct msg_vanished_ctx c = { modseq_from, cb, arg };
	unsigned char prefix[8];

	store_put64(prefix, mailbox_id);
	return store_each(r->txn, r->st, DB_TOMBSTONES, prefix, 8, NULL, msg_vanished_one, &c);
}
