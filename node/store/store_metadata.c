/*
 * store_metadata.c - annotations (RFC 5464 METADATA): named values on a
 * user's mailbox, or on the user's server view (mailbox id 0).
 *
 * The metadata database is keyed by user id + mailbox id (0: server) +
 * entry name, so a user's entries are one key range (the limits add them
 * up, the user's deletion drops them) and a mailbox's another (deleted
 * with the mailbox; a RENAME keeps the id and so the entries). The value
 * is a version byte, then the value's bytes. Entry names arrive checked
 * and lower-cased by the protocol; here they are only bounded.
 */
#include "store/store_int.h"

#include <string.h>

#include "util/buf.h"

#define META_REC_VERSION 1
#define META_PREFIX 16		/* user id + mailbox id */

/* what a request names: the user's normalized address and mailbox ("" for the server) */
struct meta_where {
	char addr[STORE_ADDR_MAX + 1];
	char mbox[STORE_MBOX_NAME_MAX + 1];
};

struct meta_req {
	struct meta_where at;
	const struct store_meta_entry *e;
	size_t n;
	const struct store_meta_limits *lim;
	uint64_t room;
};

/* a user's entries added up */
struct meta_sum {
	uint64_t bytes, entries;
};

/* meta_where - normalize address and mailbox; EINVAL or ENAMETOOLONG */
static int
meta_where(struct meta_where *at, const char *address, const char *mailbox)
{
	if (store_addr_normalize(address, at->addr) != 0)
		return STORE_EINVAL;
	at->mbox[0] = '\0';
	return *mailbox == '\0' ? 0 : store_mbox_name_normalize(mailbox, at->mbox);
}

/* meta_ids - the key prefix (user id, mailbox id) of what at names */
static int
meta_ids(MDB_txn *txn, struct store *st, const struct meta_where *at, uint64_t *user_r,
    unsigned char prefix[META_PREFIX])
{
	struct store_user_rec u;
	struct store_mbox mb = { 0 };
	int rc;

	if ((rc = store_user_load(txn, st, at->addr, &u)) != 0)
		return rc;
	if (at->mbox[0] != '\0' && (rc = store_mbox_load(txn, st, u.id, at->mbox, &mb)) != 0)
		return rc;
	*user_r = u.id;
	store_put64(prefix, u.id);
	store_put64(prefix + 8, mb.m.id);
	return 0;
}

/* meta_key - prefix + entry name; EINVAL for a name that cannot be one */
static int
meta_key(struct store_key *k, const unsigned char prefix[META_PREFIX], const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > STORE_META_NAME_MAX || name[0] != '/')
		return STORE_EINVAL;
	memcpy(k->b, prefix, META_PREFIX);
	memcpy(k->b + META_PREFIX, name, n);
	k->len = META_PREFIX + n;
	return 0;
}

/* meta_sum_one - one entry into the sum */
static int
meta_sum_one(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct meta_sum *s = arg;

	if (v->mv_size < 1)
		return STORE_ECORRUPT;
	s->bytes += v->mv_size - 1;
	s->entries++;
	return 0;
}

/* meta_sum - a user's entries and their bytes */
static int
meta_sum(MDB_txn *txn, struct store *st, uint64_t user_id, struct meta_sum *s)
{
	unsigned char prefix[8];

	store_put64(prefix, user_id);
	*s = (struct meta_sum){ 0, 0 };
	return store_each(txn, st, DB_METADATA, prefix, 8, NULL, meta_sum_one, s);
}

/* meta_put - set or remove one entry; a removed absent one is fine */
static int
meta_put(struct store_wtxn *w, struct store_key *k, const struct store_meta_entry *e)
{
	struct buf b = BUF_INIT;
	int rc;

	if (e->value == NULL) {
		rc = store_del(w, DB_METADATA, k);
		return rc == STORE_ENOTFOUND ? 0 : rc;
	}
	buf_putc(&b, META_REC_VERSION);
	buf_append(&b, e->value, e->len);
	rc = store_put(w, DB_METADATA, k, b.data, b.len);
	buf_free(&b);
	return rc;
}

/* meta_over - whether the change grew the user's entries past a limit; the room in *room_r */
static int
meta_over(const struct meta_req *a, const struct meta_sum *before, const struct meta_sum *after,
    uint64_t *room_r)
{
	uint64_t largest = 0;

	if (after->entries > a->lim->max_entries && after->entries > before->entries)
		return STORE_ENOQUOTA;
	if (after->bytes <= a->lim->max_bytes || after->bytes <= before->bytes)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->e[i].value != NULL && a->e[i].len > largest)
			largest = a->e[i].len;
	/* the others stay: what is left of the limit beside them */
	*room_r = after->bytes - largest >= a->lim->max_bytes ? 0 :
	    a->lim->max_bytes - (after->bytes - largest);
	return STORE_ETOOBIG;
}

/* meta_set_fn - every entry of the request, then the limits */
static int
meta_set_fn(struct store_wtxn *w, void *arg)
{
	struct meta_req *a = arg;
	unsigned char prefix[META_PREFIX];
	struct meta_sum before, after;
	struct store_key k;
	uint64_t user_id;
	int rc;

	if ((rc = meta_ids(w->txn, w->st, &a->at, &user_id, prefix)) != 0 ||
	    (rc = meta_sum(w->txn, w->st, user_id, &before)) != 0)
		return rc;
	for (size_t i = 0; i < a->n; i++)
		if ((rc = meta_key(&k, prefix, a->e[i].name)) != 0 ||
		    (rc = meta_put(w, &k, &a->e[i])) != 0)
			return rc;
	if ((rc = meta_sum(w->txn, w->st, user_id, &after)) != 0)
		return rc;
	return meta_over(a, &before, &after, &a->room);
}

int
store_metadata_set(struct store *st, const char *address, const char *mailbox,
    const struct store_meta_entry *e, size_t n, const struct store_meta_limits *lim,
    uint64_t *room_r)
{
	struct meta_req a = { .e = e, .n = n, .lim = lim };
	int rc;

	if ((rc = meta_where(&a.at, address, mailbox)) != 0)
		return rc;
	rc = store_writer_run(st, meta_set_fn, &a);
	if (rc == STORE_ETOOBIG && room_r != NULL)
		*room_r = a.room;
	return rc;
}

struct meta_get_ctx {
	size_t skip;			/* key bytes before the entry name */
	size_t base;			/* bytes of the name asked for */
	unsigned depth;
	store_meta_fn cb;
	void *arg;
};

/* meta_get_one - an entry below the one asked for, if not too deep */
static int
meta_get_one(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct meta_get_ctx *c = arg;
	char name[STORE_META_NAME_MAX + 1];
	size_t n = k->mv_size - c->skip;
	unsigned levels = 0;

	if (n > STORE_META_NAME_MAX || v->mv_size < 1)
		return STORE_ECORRUPT;
	memcpy(name, (const char *)k->mv_data + c->skip, n);
	name[n] = '\0';
	for (size_t i = c->base; i < n; i++)
		levels += name[i] == '/';
	if (levels > c->depth)
		return 0;
	return c->cb(name, (const char *)v->mv_data + 1, v->mv_size - 1, c->arg);
}

int
store_metadata_get(struct store_rtxn *r, const char *address, const char *mailbox,
    const char *name, unsigned depth, store_meta_fn cb, void *arg)
{
	struct meta_get_ctx c = { META_PREFIX, strlen(name), depth, cb, arg };
	unsigned char prefix[META_PREFIX];
	struct meta_where at;
	struct store_key k;
	uint64_t user_id;
	MDB_val v;
	int rc;

	if ((rc = meta_where(&at, address, mailbox)) != 0 ||
	    (rc = meta_ids(r->txn, r->st, &at, &user_id, prefix)) != 0 ||
	    (rc = meta_key(&k, prefix, name)) != 0)
		return rc;
	rc = store_get(r->txn, r->st, DB_METADATA, &k, &v);
	if (rc == 0 && v.mv_size < 1)
		return STORE_ECORRUPT;
	if (rc == 0 && (rc = cb(name, (const char *)v.mv_data + 1, v.mv_size - 1, arg)) != 0)
		return rc;
	if ((rc != 0 && rc != STORE_ENOTFOUND) || depth == 0 || k.len >= sizeof(k.b))
		return rc == STORE_ENOTFOUND ? 0 : rc;
	k.b[k.len++] = '/';
	return store_each(r->txn, r->st, DB_METADATA, k.b, k.len, NULL, meta_get_one, &c);
}

int
store_meta_del_mbox(struct store_wtxn *w, uint64_t user_id, uint64_t mbox_id)
{
	unsigned char prefix[META_PREFIX];

	store_put64(prefix, user_id);
	store_put64(prefix + 8, mbox_id);
	return store_del_range(w, DB_METADATA, prefix, META_PREFIX);
}
