/*
 * store_codec.c - keys and records of the store, encoded by hand.
 *
 * Keys are fixed-width big-endian integers (and names), so LMDB's byte
 * order is numeric order: UIDs and modseqs iterate in order. Records start
 * with a version byte and are packed field by field, also big-endian;
 * raw structs are never written, so padding and host byte order never
 * reach the disk. Strings in records are NUL-terminated, so a decoded
 * string may point straight into the map.
 *
 * Hazard: a decoder that meets a short record or an unknown version
 * returns STORE_ECORRUPT; callers pass that on rather than guess.
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"

#define REC_VERSION 1
#define DOMAIN_REC_SPAM 2	/* a domain record with a spam header */
#define QUEUE_REC_ENVELOPE 2	/* a queue record without its message (schema 2) */
#define MBOX_REC_NOSUB 2	/* a mailbox record without the subscription flag (schema 4) */
#define MSG_REC_SAVEDATE 2	/* a message record ending in its save date */

/* a bounds-checked reader over one record */
struct rd {
	const unsigned char *p;
	size_t left;
	bool bad;
};

void
store_put64(unsigned char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)v;
}

void
store_put32(unsigned char *p, uint32_t v)
{
	for (int i = 3; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)v;
}

uint64_t
store_get64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

uint32_t
store_get32(const unsigned char *p)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v = v << 8 | p[i];
	return v;
}

/* store_key_id - a bare 64-bit id key (body, user, mailbox) */
void
store_key_id(struct store_key *k, uint64_t id)
{
	store_put64(k->b, id);
	k->len = 8;
}

/* store_key_id_uid - mailbox id + uid: messages in UID order */
void
store_key_id_uid(struct store_key *k, uint64_t id, uint32_t uid)
{
	store_put64(k->b, id);
	store_put32(k->b + 8, uid);
	k->len = 12;
}

/* store_key_id_u64 - mailbox id + modseq: the modseq index */
void
store_key_id_u64(struct store_key *k, uint64_t id, uint64_t v)
{
	store_put64(k->b, id);
	store_put64(k->b + 8, v);
	k->len = 16;
}

/* store_key_id_name - user id + mailbox name: a user's mailboxes in name order */
void
store_key_id_name(struct store_key *k, uint64_t id, const char *name)
{
	size_t n = strlen(name);

	if (n > STORE_MBOX_NAME_MAX)
		n = STORE_MBOX_NAME_MAX;
	store_put64(k->b, id);
	memcpy(k->b + 8, name, n);
	k->len = 8 + n;
}

/* store_key_str - an address or counter name */
void
store_key_str(struct store_key *k, const char *s)
{
	size_t n = strlen(s);

	if (n > STORE_KEY_MAX)
		n = STORE_KEY_MAX;
	memcpy(k->b, s, n);
	k->len = n;
}

MDB_val
store_key_val(struct store_key *k)
{
	return (MDB_val){ .mv_size = k->len, .mv_data = k->b };
}

/* ---- writing ---- */

static void
wr8(struct buf *b, unsigned v)
{
	buf_putc(b, (char)(unsigned char)v);
}

static void
wr32(struct buf *b, uint32_t v)
{
	unsigned char t[4];

	store_put32(t, v);
	buf_append(b, t, 4);
}

static void
wr64(struct buf *b, uint64_t v)
{
	unsigned char t[8];

	store_put64(t, v);
	buf_append(b, t, 8);
}

static void
wrstr(struct buf *b, const char *s)
{
	buf_append(b, s ? s : "", strlen(s ? s : "") + 1);
}

/* ---- reading ---- */

/* rd_open_upto - start reading v of version 1..max, given in *ver_r; others mark it bad */
static struct rd
rd_open_upto(const MDB_val *v, unsigned max, unsigned *ver_r)
{
	struct rd r = { v->mv_data, v->mv_size, false };

	*ver_r = r.left < 1 ? 0 : r.p[0];
	if (*ver_r < REC_VERSION || *ver_r > max)
		r.bad = true;
	else {
		r.p++;
		r.left--;
	}
	return r;
}

/* rd_open - start reading v; a version other than REC_VERSION marks the reader bad */
static struct rd
rd_open(const MDB_val *v)
{
	unsigned ver;

	return rd_open_upto(v, REC_VERSION, &ver);
}

/* rd_take - n bytes, or NULL and bad when the record is short */
static const unsigned char *
rd_take(struct rd *r, size_t n)
{
	const unsigned char *p = r->p;

	if (r->bad || r->left < n) {
		r->bad = true;
		return NULL;
	}
	r->p += n;
	r->left -= n;
	return p;
}

static unsigned
rd8(struct rd *r)
{
	const unsigned char *p = rd_take(r, 1);

	return p ? *p : 0;
}

static uint32_t
rd32(struct rd *r)
{
	const unsigned char *p = rd_take(r, 4);

	return p ? store_get32(p) : 0;
}

static uint64_t
rd64(struct rd *r)
{
	const unsigned char *p = rd_take(r, 8);

	return p ? store_get64(p) : 0;
}

/* rdstr - a NUL-terminated string inside the record */
static const char *
rdstr(struct rd *r)
{
	const unsigned char *nul;

	if (r->bad || (nul = memchr(r->p, 0, r->left)) == NULL) {
		r->bad = true;
		return "";
	}
	return (const char *)rd_take(r, (size_t)(nul - r->p) + 1);
}

static int
rd_end(const struct rd *r)
{
	return r->bad ? STORE_ECORRUPT : 0;
}

/* ---- records ---- */

void
store_user_enc(const struct store_user_rec *u, struct buf *b)
{
	wr8(b, REC_VERSION);
	wr8(b, u->policy);
	wr64(b, u->id);
	wr64(b, u->quota_bytes);
	wr64(b, u->quota_messages);
	wr64(b, (uint64_t)u->created);
	wrstr(b, u->hash);
}

int
store_user_dec(const MDB_val *v, struct store_user_rec *u)
{
	struct rd r = rd_open(v);

	u->policy = rd8(&r);
	u->id = rd64(&r);
	u->quota_bytes = rd64(&r);
	u->quota_messages = rd64(&r);
	u->created = (int64_t)rd64(&r);
	u->hash = rdstr(&r);
	return rd_end(&r);
}

void
store_usage_enc(const struct store_usage_rec *u, struct buf *b)
{
	wr8(b, REC_VERSION);
	wr8(b, u->warned);
	wr64(b, u->bytes);
	wr64(b, u->messages);
}

int
store_usage_dec(const MDB_val *v, struct store_usage_rec *u)
{
	struct rd r = rd_open(v);

	u->warned = rd8(&r) != 0;
	u->bytes = rd64(&r);
	u->messages = rd64(&r);
	return rd_end(&r);
}

void
store_msg_enc(const struct store_msg_rec *m, struct buf *b)
{
	wr8(b, MSG_REC_SAVEDATE);
	wr32(b, m->flags);
	wr64(b, m->modseq);
	wr64(b, (uint64_t)m->internal_date);
	wr64(b, m->size);
	wr64(b, m->body_id);
	wrstr(b, m->keywords);
	wr64(b, (uint64_t)m->save_date);
}

int
store_msg_dec(const MDB_val *v, struct store_msg_rec *m)
{
	unsigned ver;
	struct rd r = rd_open_upto(v, MSG_REC_SAVEDATE, &ver);

	m->flags = rd32(&r);
	m->modseq = rd64(&r);
	m->internal_date = (int64_t)rd64(&r);
	m->size = rd64(&r);
	m->body_id = rd64(&r);
	m->keywords = rdstr(&r);
	/* version 1, from before save dates were kept: unknown */
	m->save_date = ver == MSG_REC_SAVEDATE ? (int64_t)rd64(&r) : 0;
	return rd_end(&r);
}

/* store_mbox_enc - everything but the name, which is in the key */
void
store_mbox_enc(const struct store_mailbox *m, struct buf *b)
{
	wr8(b, MBOX_REC_NOSUB);
	wr64(b, m->id);
	wr32(b, m->uidvalidity);
	wr32(b, m->uidnext);
	wr64(b, m->highestmodseq);
	wr32(b, m->messages);
	wr32(b, m->unseen);
	wr64(b, m->bytes);
	wr8(b, m->special_use);
}

/* mbox_dec - a record of either version; a version 1 record ends in its subscription flag */
static int
mbox_dec(const MDB_val *v, struct store_mailbox *m, bool *subscribed_v1)
{
	unsigned ver;
	struct rd r = rd_open_upto(v, MBOX_REC_NOSUB, &ver);

	m->id = rd64(&r);
	m->uidvalidity = rd32(&r);
	m->uidnext = rd32(&r);
	m->highestmodseq = rd64(&r);
	m->messages = rd32(&r);
	m->unseen = rd32(&r);
	m->bytes = rd64(&r);
	m->special_use = rd8(&r);
	*subscribed_v1 = ver == REC_VERSION && rd8(&r) != 0;
	return rd_end(&r);
}

int
store_mbox_dec(const MDB_val *v, struct store_mailbox *m)
{
	bool ignored;

	return mbox_dec(v, m, &ignored);
}

int
store_mbox_dec_subscribed_v1(const MDB_val *v, bool *subscribed_r)
{
	struct store_mailbox m;

	return mbox_dec(v, &m, subscribed_r);
}

/*
 * store_domain_enc - version 1 without a spam header, so that a store
 * which never used spam filing still opens with an older duplexd
 */
void
store_domain_enc(const struct store_domain *d, struct buf *b)
{
	bool spam = d->spam_name[0] != '\0';

	wr8(b, spam ? DOMAIN_REC_SPAM : REC_VERSION);
	wr8(b, d->policy);
	wr32(b, d->users);
	if (spam) {
		wrstr(b, d->spam_name);
		wrstr(b, d->spam_value);
	}
}

/* rd_strcpy - a record string into a fixed array; too long marks the reader bad */
static void
rd_strcpy(struct rd *r, char *out, size_t size)
{
	const char *s = rdstr(r);

	if (strlen(s) >= size)
		r->bad = true;
	else
		memcpy(out, s, strlen(s) + 1);
}

int
store_domain_dec(const MDB_val *v, struct store_domain *d)
{
	unsigned ver;
	struct rd r = rd_open_upto(v, DOMAIN_REC_SPAM, &ver);

	d->policy = rd8(&r);
	d->users = rd32(&r);
	d->spam_name[0] = d->spam_value[0] = '\0';
	if (ver == DOMAIN_REC_SPAM) {
		rd_strcpy(&r, d->spam_name, sizeof(d->spam_name));
		rd_strcpy(&r, d->spam_value, sizeof(d->spam_value));
	}
	return rd_end(&r);
}

void
store_list_enc(bool flag, const char *const *s, size_t n, struct buf *b)
{
	wr8(b, REC_VERSION);
	wr8(b, flag);
	wr32(b, (uint32_t)n);
	for (size_t i = 0; i < n; i++)
		wrstr(b, s[i]);
}

int
store_list_dec(const MDB_val *v, bool *flag_r, const char ***s_r, size_t *n_r)
{
	struct rd r = rd_open(v);
	bool flag = rd8(&r) != 0;
	uint32_t n = rd32(&r);
	const char **s;

	if (r.bad || n > r.left)
		return STORE_ECORRUPT;
	s = xcalloc(n + 1, sizeof(*s));
	for (uint32_t i = 0; i < n; i++)
		s[i] = rdstr(&r);
	if (rd_end(&r) != 0) {
		free(s);
		return STORE_ECORRUPT;
	}
	if (flag_r)
		*flag_r = flag;
	*s_r = s;
	*n_r = n;
	return 0;
}

/*
 * The queue record (an envelope): created, next_attempt, attempts, from,
 * last_error, the recipients. The message is in queue_msg, so a retry
 * rewrites only this. A schema-1 record (version 1) also held the message,
 * as a length and its bytes (not a string: a message may hold NULs).
 */
void
store_queue_rec_enc(const struct store_queue_entry *e, struct buf *b)
{
	wr8(b, QUEUE_REC_ENVELOPE);
	wr64(b, (uint64_t)e->created);
	wr64(b, (uint64_t)e->next_attempt);
	wr32(b, e->attempts);
	wrstr(b, e->from);
	wrstr(b, e->last_error);
	wr32(b, (uint32_t)e->nrcpt);
	for (size_t i = 0; i < e->nrcpt; i++)
		wrstr(b, e->rcpts[i]);
}

/* queue_rec_dec - a record of version ver only; the message read from version 1 */
static int
queue_rec_dec(const void *data, size_t len, unsigned ver, struct store_queue_entry *e)
{
	MDB_val v = { .mv_size = len, .mv_data = (void *)data };
	unsigned got;
	struct rd r = rd_open_upto(&v, QUEUE_REC_ENVELOPE, &got);
	uint32_t n;
	uint64_t msglen = 0;

	e->created = (int64_t)rd64(&r);
	e->next_attempt = (int64_t)rd64(&r);
	e->attempts = rd32(&r);
	e->from = rdstr(&r);
	e->last_error = rdstr(&r);
	n = rd32(&r);
	e->rcpts = NULL;
	e->nrcpt = 0;
	/* each recipient takes at least its NUL: a bigger count is a lie */
	if (r.bad || got != ver || n > r.left || n > STORE_QUEUE_RCPTS_MAX)
		return STORE_ECORRUPT;
	e->rcpts = xcalloc((size_t)n + 1, sizeof(*e->rcpts));
	for (uint32_t i = 0; i < n; i++)
		e->rcpts[i] = rdstr(&r);
	e->msg = NULL;
	if (ver == REC_VERSION) {
		msglen = rd64(&r);
		e->msg = r.bad || msglen > r.left ? NULL : (const char *)rd_take(&r, (size_t)msglen);
		r.bad |= e->msg == NULL;
	}
	if (r.left != 0 || rd_end(&r) != 0) {
		store_queue_entry_free(e);
		return STORE_ECORRUPT;
	}
	e->nrcpt = n;
	e->msglen = (size_t)msglen;
	return 0;
}

int
store_queue_rec_dec(const void *data, size_t len, struct store_queue_entry *e)
{
	return queue_rec_dec(data, len, QUEUE_REC_ENVELOPE, e);
}

int
store_queue_rec_dec_v1(const void *data, size_t len, struct store_queue_entry *e)
{
	return queue_rec_dec(data, len, REC_VERSION, e);
}

void
store_queue_entry_free(struct store_queue_entry *e)
{
	free(e->rcpts);
	e->rcpts = NULL;
	e->nrcpt = 0;
}
