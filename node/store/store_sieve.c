/*
 * store_sieve.c - Sieve scripts: a user's, by name, with at most one of
 * them active, and one per domain.
 *
 * The sieve database is keyed by user id + script name, so a user's
 * scripts are one key range (listed, counted and summed for the limits,
 * dropped with the user). The sieve_domain database is keyed by the
 * domain's name. A record is a version byte, a flag byte (bit 0: the
 * active script), the source's length (32 bits), the source, then the
 * compiled form to the record's end: both written in one transaction, so
 * delivery never finds one without the other. The store does not compile;
 * ManageSieve and duplexctl pass both forms. Finding the active script
 * walks the user's few scripts.
 */
#include "store/store_int.h"

#include <string.h>

#include "imapsyn/imap_utf7.h"
#include "util/buf.h"

#define SIEVE_REC_VERSION 1
#define SIEVE_REC_HEAD 6	/* version, flags, source length */
#define SIEVE_F_ACTIVE 1

/* what a write names: the normalized address (or domain) and the scripts */
struct sieve_req {
	char addr[STORE_ADDR_MAX + 1];
	const char *name, *to;
	const char *src;
	size_t srclen;
	const void *bin;
	size_t binlen;
	const struct store_sieve_limits *lim;
	enum store_sieve_over over;
};

/* a user's scripts added up, but for the one a write replaces */
struct sieve_sum {
	const char *skip;
	uint64_t scripts, bytes;
};

bool
store_sieve_name_ok(const char *name)
{
	size_t n = strlen(name);
	const unsigned char *p = (const unsigned char *)name;

	if (n == 0 || n > STORE_SIEVE_NAME_MAX || imap_utf8_valid(name, n) != 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < 0x20 || p[i] == 0x7f)
			return false;
		if (p[i] == 0xc2 && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f)
			return false;	/* C1 controls */
		if (p[i] == 0xe2 && p[i + 1] == 0x80 && (p[i + 2] == 0xa8 || p[i + 2] == 0xa9))
			return false;	/* line and paragraph separators */
	}
	return true;
}

/* sieve_dec - a record into s (pointers into v); ECORRUPT if it is not one */
static int
sieve_dec(const MDB_val *v, struct store_sieve_script *s)
{
	const unsigned char *p = v->mv_data;
	uint32_t srclen;

	if (v->mv_size < SIEVE_REC_HEAD || p[0] != SIEVE_REC_VERSION)
		return STORE_ECORRUPT;
	srclen = store_get32(p + 2);
	if (srclen > v->mv_size - SIEVE_REC_HEAD)
		return STORE_ECORRUPT;
	s->active = (p[1] & SIEVE_F_ACTIVE) != 0;
	s->src = (const char *)p + SIEVE_REC_HEAD;
	s->srclen = srclen;
	s->bin = p + SIEVE_REC_HEAD + srclen;
	s->binlen = v->mv_size - SIEVE_REC_HEAD - srclen;
	return 0;
}

bool
store_sieve_rec_ok(const MDB_val *v)
{
	struct store_sieve_script s;

	return sieve_dec(v, &s) == 0;
}

/* sieve_put_rec - write a record of both forms under k */
static int
sieve_put_rec(struct store_wtxn *w, enum store_db db, struct store_key *k, bool active,
    const char *src, size_t srclen, const void *bin, size_t binlen)
{
	struct buf b = BUF_INIT;
	unsigned char head[SIEVE_REC_HEAD] = { SIEVE_REC_VERSION, active ? SIEVE_F_ACTIVE : 0 };
	int rc;

	if (srclen > UINT32_MAX)
		return STORE_ETOOBIG;
	store_put32(head + 2, (uint32_t)srclen);
	buf_append(&b, head, sizeof(head));
	buf_append(&b, src, srclen);
	buf_append(&b, bin, binlen);
	rc = store_put(w, db, k, b.data, b.len);
	buf_free(&b);
	return rc;
}

/* sieve_name_of - the script name of a key (user id + name) into s */
static int
sieve_name_of(const MDB_val *k, struct store_sieve_script *s)
{
	size_t n = k->mv_size < 8 ? 0 : k->mv_size - 8;

	if (n == 0 || n > STORE_SIEVE_NAME_MAX)
		return STORE_ECORRUPT;
	memcpy(s->name, (const char *)k->mv_data + 8, n);
	s->name[n] = '\0';
	return 0;
}

/* sieve_sum_one - one script into the sum, unless it is the one replaced */
static int
sieve_sum_one(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct sieve_sum *sum = arg;
	struct store_sieve_script s;
	int rc;

	if ((rc = sieve_name_of(k, &s)) != 0 || (rc = sieve_dec(v, &s)) != 0)
		return rc;
	if (sum->skip != NULL && strcmp(s.name, sum->skip) == 0)
		return 0;
	sum->scripts++;
	sum->bytes += s.srclen;
	return 0;
}

/* sieve_fits - would a script of size bytes under name fit the user's limits? */
static int
sieve_fits(MDB_txn *txn, struct store *st, uint64_t user_id, const char *name, uint64_t size,
    const struct store_sieve_limits *lim, enum store_sieve_over *over_r)
{
	struct sieve_sum sum = { name, 0, 0 };
	unsigned char prefix[8];
	int rc;

	*over_r = STORE_SIEVE_FITS;
	store_put64(prefix, user_id);
	if ((rc = store_each(txn, st, DB_SIEVE, prefix, 8, NULL, sieve_sum_one, &sum)) != 0)
		return rc;
	if (lim->max_scripts > 0 && sum.scripts + 1 > lim->max_scripts)
		*over_r = STORE_SIEVE_MAXSCRIPTS;
	else if (lim->max_user_size > 0 && sum.bytes + size > lim->max_user_size)
		*over_r = STORE_SIEVE_MAXSIZE;
	return *over_r == STORE_SIEVE_FITS ? 0 : STORE_ENOQUOTA;
}

/* sieve_user - the user's id; EINVAL for a bad name when one is given */
static int
sieve_user(MDB_txn *txn, struct store *st, const char *addr, const char *name, uint64_t *id_r)
{
	struct store_user_rec u;
	int rc;

	if (name != NULL && !store_sieve_name_ok(name))
		return STORE_EINVAL;
	if ((rc = store_user_load(txn, st, addr, &u)) != 0)
		return rc;
	*id_r = u.id;
	return 0;
}

static int
sieve_put_fn(struct store_wtxn *w, void *arg)
{
	struct sieve_req *a = arg;
	struct store_sieve_script old = { .active = false };
	struct store_key k;
	uint64_t uid;
	MDB_val v;
	int rc;

	if ((rc = sieve_user(w->txn, w->st, a->addr, a->name, &uid)) != 0 ||
	    (rc = sieve_fits(w->txn, w->st, uid, a->name, a->srclen, a->lim, &a->over)) != 0)
		return rc;
	store_key_id_name(&k, uid, a->name);
	if ((rc = store_get(w->txn, w->st, DB_SIEVE, &k, &v)) == 0)
		rc = sieve_dec(&v, &old);
	if (rc != 0 && rc != STORE_ENOTFOUND)
		return rc;
	if ((rc = sieve_put_rec(w, DB_SIEVE, &k, old.active, a->src, a->srclen, a->bin,
	    a->binlen)) != 0)
		return rc;
	store_hook_note(w->st, "-", "sieve: %s: script \"%s\" stored, %zu bytes", a->addr, a->name,
	    a->srclen);
	return 0;
}

/* sieve_request - normalize the address, then run fn with a in the writer */
static int
sieve_request(struct store *st, const char *address, struct sieve_req *a, store_req_fn fn)
{
	if (store_addr_normalize(address, a->addr) != 0)
		return STORE_EINVAL;
	return store_writer_run(st, fn, a);
}

int
store_sieve_put(struct store *st, const char *address, const char *name, const char *src,
    size_t srclen, const void *bin, size_t binlen, const struct store_sieve_limits *lim,
    enum store_sieve_over *over_r)
{
	struct sieve_req a = { .name = name, .src = src, .srclen = srclen, .bin = bin,
	    .binlen = binlen, .lim = lim };
	int rc = sieve_request(st, address, &a, sieve_put_fn);

	if (over_r != NULL)
		*over_r = a.over;
	return rc;
}

int
store_sieve_room(struct store_rtxn *r, const char *address, const char *name, uint64_t size,
    const struct store_sieve_limits *lim, enum store_sieve_over *over_r)
{
	char addr[STORE_ADDR_MAX + 1];
	uint64_t uid;
	int rc;

	*over_r = STORE_SIEVE_FITS;
	if (store_addr_normalize(address, addr) != 0)
		return STORE_EINVAL;
	if ((rc = sieve_user(r->txn, r->st, addr, name, &uid)) != 0)
		return rc;
	return sieve_fits(r->txn, r->st, uid, name, size, lim, over_r);
}

/* sieve_load - the script of a user id by name into s */
static int
sieve_load(MDB_txn *txn, struct store *st, uint64_t uid, const char *name,
    struct store_sieve_script *s)
{
	struct store_key k;
	MDB_val v;
	int rc;

	store_key_id_name(&k, uid, name);
	if ((rc = store_get(txn, st, DB_SIEVE, &k, &v)) != 0)
		return rc;
	snprintf(s->name, sizeof(s->name), "%s", name);
	return sieve_dec(&v, s);
}

int
store_sieve_get(struct store_rtxn *r, const char *address, const char *name,
    struct store_sieve_script *s_r)
{
	char addr[STORE_ADDR_MAX + 1];
	uint64_t uid;
	int rc;

	if (store_addr_normalize(address, addr) != 0)
		return STORE_EINVAL;
	if ((rc = sieve_user(r->txn, r->st, addr, name, &uid)) != 0)
		return rc;
	return sieve_load(r->txn, r->st, uid, name, s_r);
}

struct sieve_walk {
	int (*cb)(const struct store_sieve_script *, void *);
	void *arg;
	struct store_sieve_script *found;	/* the active one, when looking for it */
};

/* sieve_walk_one - a script to the callback, or kept when it is the active one sought */
static int
sieve_walk_one(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct sieve_walk *c = arg;
	struct store_sieve_script s;
	int rc;

	if ((rc = sieve_name_of(k, &s)) != 0 || (rc = sieve_dec(v, &s)) != 0)
		return rc;
	if (c->found == NULL)
		return c->cb(&s, c->arg);
	if (!s.active)
		return 0;
	*c->found = s;
	return 1;
}

int
store_sieve_list(struct store_rtxn *r, const char *address,
    int (*cb)(const struct store_sieve_script *s, void *arg), void *arg)
{
	struct sieve_walk c = { cb, arg, NULL };

	return store_user_each(r, address, DB_SIEVE, sieve_walk_one, &c);
}

int
store_sieve_get_active(struct store_rtxn *r, const char *address, struct store_sieve_script *s_r)
{
	struct sieve_walk c = { NULL, NULL, s_r };
	int rc = store_user_each(r, address, DB_SIEVE, sieve_walk_one, &c);

	return rc == 1 ? 0 : rc == 0 ? STORE_ENOTFOUND : rc;
}

/* sieve_set_flag - rewrite one script's record with the active flag on or off */
static int
sieve_set_flag(struct store_wtxn *w, uint64_t uid, const char *name, bool active)
{
	struct store_sieve_script s;
	struct store_key k;
	int rc;

	if ((rc = sieve_load(w->txn, w->st, uid, name, &s)) != 0)
		return rc;
	if (s.active == active)
		return 0;
	store_key_id_name(&k, uid, name);
	return sieve_put_rec(w, DB_SIEVE, &k, active, s.src, s.srclen, s.bin, s.binlen);
}

/* sieve_find_active - the active script's name into name; ENOTFOUND when none is */
static int
sieve_find_active(MDB_txn *txn, struct store *st, uint64_t uid, char name[STORE_SIEVE_NAME_MAX + 1])
{
	struct store_sieve_script s;
	struct sieve_walk c = { NULL, NULL, &s };
	unsigned char prefix[8];
	int rc;

	store_put64(prefix, uid);
	if ((rc = store_each(txn, st, DB_SIEVE, prefix, 8, NULL, sieve_walk_one, &c)) == 0)
		return STORE_ENOTFOUND;
	if (rc != 1)
		return rc;
	memcpy(name, s.name, STORE_SIEVE_NAME_MAX + 1);
	return 0;
}

static int
sieve_activate_fn(struct store_wtxn *w, void *arg)
{
	struct sieve_req *a = arg;
	char old[STORE_SIEVE_NAME_MAX + 1] = "";
	uint64_t uid;
	int rc;

	if ((rc = sieve_user(w->txn, w->st, a->addr, a->name, &uid)) != 0)
		return rc;
	if ((rc = sieve_find_active(w->txn, w->st, uid, old)) != 0 && rc != STORE_ENOTFOUND)
		return rc;
	if (a->name != NULL && (rc = sieve_set_flag(w, uid, a->name, true)) != 0)
		return rc;
	if (old[0] != '\0' && (a->name == NULL || strcmp(old, a->name) != 0) &&
	    (rc = sieve_set_flag(w, uid, old, false)) != 0)
		return rc;
	if (a->name != NULL)
		store_hook_note(w->st, "-", "sieve: %s: script \"%s\" active", a->addr, a->name);
	else
		store_hook_note(w->st, "-", "sieve: %s: no script active", a->addr);
	return 0;
}

int
store_sieve_activate(struct store *st, const char *address, const char *name)
{
	struct sieve_req a = { .name = name != NULL && *name != '\0' ? name : NULL };

	return sieve_request(st, address, &a, sieve_activate_fn);
}

static int
sieve_rename_fn(struct store_wtxn *w, void *arg)
{
	struct sieve_req *a = arg;
	struct store_sieve_script s;
	struct store_key k;
	uint64_t uid;
	MDB_val v;
	int rc;

	if (!store_sieve_name_ok(a->to))
		return STORE_EINVAL;
	if ((rc = sieve_user(w->txn, w->st, a->addr, a->name, &uid)) != 0)
		return rc;
	store_key_id_name(&k, uid, a->to);
	if ((rc = store_get(w->txn, w->st, DB_SIEVE, &k, &v)) == 0)
		return STORE_EEXISTS;
	if (rc != STORE_ENOTFOUND || (rc = sieve_load(w->txn, w->st, uid, a->name, &s)) != 0)
		return rc;
	if ((rc = sieve_put_rec(w, DB_SIEVE, &k, s.active, s.src, s.srclen, s.bin, s.binlen)) != 0)
		return rc;
	store_key_id_name(&k, uid, a->name);
	return store_del(w, DB_SIEVE, &k);
}

int
store_sieve_rename(struct store *st, const char *address, const char *from, const char *to)
{
	struct sieve_req a = { .name = from, .to = to };

	return sieve_request(st, address, &a, sieve_rename_fn);
}

static int
sieve_delete_fn(struct store_wtxn *w, void *arg)
{
	struct sieve_req *a = arg;
	struct store_sieve_script s;
	struct store_key k;
	uint64_t uid;
	int rc;

	if ((rc = sieve_user(w->txn, w->st, a->addr, a->name, &uid)) != 0 ||
	    (rc = sieve_load(w->txn, w->st, uid, a->name, &s)) != 0)
		return rc;
	if (s.active)
		return STORE_EINUSE;
	store_key_id_name(&k, uid, a->name);
	if ((rc = store_del(w, DB_SIEVE, &k)) == 0)
		store_hook_note(w->st, "-", "sieve: %s: script \"%s\" deleted", a->addr, a->name);
	return rc;
}

int
store_sieve_delete(struct store *st, const char *address, const char *name)
{
	struct sieve_req a = { .name = name };

	return sieve_request(st, address, &a, sieve_delete_fn);
}

static int
sieve_domain_fn(struct store_wtxn *w, void *arg)
{
	struct sieve_req *a = arg;
	struct store_key k;
	int rc;

	if ((rc = store_domain_exists(w->txn, w->st, a->addr)) != 0)
		return rc;
	store_key_str(&k, a->addr);
	if (a->src == NULL)
		return store_del(w, DB_SIEVE_DOMAIN, &k);
	return sieve_put_rec(w, DB_SIEVE_DOMAIN, &k, false, a->src, a->srclen, a->bin, a->binlen);
}

int
store_sieve_domain_set(struct store *st, const char *domain, const char *src, size_t srclen,
    const void *bin, size_t binlen)
{
	struct sieve_req a = { .src = src, .srclen = srclen, .bin = bin, .binlen = binlen };

	if (store_domain_normalize(domain, a.addr) != 0)
		return STORE_EINVAL;
	return store_writer_run(st, sieve_domain_fn, &a);
}

int
store_sieve_domain_get(struct store_rtxn *r, const char *domain, struct store_sieve_script *s_r)
{
	char name[STORE_ADDR_MAX + 1];
	struct store_key k;
	MDB_val v;
	int rc;

	if (store_domain_normalize(domain, name) != 0)
		return STORE_EINVAL;
	store_key_str(&k, name);
	if ((rc = store_get(r->txn, r->st, DB_SIEVE_DOMAIN, &k, &v)) != 0)
		return rc;
	s_r->name[0] = '\0';
	return sieve_dec(&v, s_r);
}

int
store_sieve_domain_forget(struct store_wtxn *w, const char *domain)
{
	struct store_key k;
	int rc;

	store_key_str(&k, domain);
	rc = store_del(w, DB_SIEVE_DOMAIN, &k);
	return rc == STORE_ENOTFOUND ? 0 : rc;
}
