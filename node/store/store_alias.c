/*
 * store_alias.c - aliases (addresses without an account) and forwards
 * (a user's mail sent on to other addresses, optionally keeping a copy).
 *
 * Both are stored as address lists (store_list_enc): the flag byte is
 * "keep" for forwards and unused for aliases. Targets are normalized on
 * the way in; whether they are local is decided at delivery time, so an
 * alias may point at a user created later. Expansion lives in
 * store_deliver.c.
 *
 * With forward_srs_secret set, forwarded mail leaves with a foreign sender
 * rewritten by SRS (util/srs.h) for the domain that forwarded it, and an
 * SRS0 address of ours with a valid hash and age is, like an alias, the
 * original sender it stands for: bounces go back to where the mail came
 * from.
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/buf.h"
#include "util/log.h"
#include "util/srs.h"
#include "util/xalloc.h"

#define TARGETS_MAX 1000

struct alias_req {
	char addr[STORE_ADDR_MAX + 1];
	struct buf rec;		/* the encoded list */
};

/* alias_prepare - normalize address and targets and encode the record */
static int
alias_prepare(struct alias_req *a, const char *address, const char *const *targets, size_t n,
    bool keep)
{
	char (*norm)[STORE_ADDR_MAX + 1];
	const char **ptrs;
	int rc = 0;

	if (store_addr_normalize(address, a->addr) != 0 || n == 0 || n > TARGETS_MAX)
		return STORE_EINVAL;
	norm = xcalloc(n, sizeof(*norm));
	ptrs = xcalloc(n, sizeof(*ptrs));
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = store_addr_normalize(targets[i], norm[i]);
		ptrs[i] = norm[i];
	}
	if (rc == 0)
		store_list_enc(keep, ptrs, n, &a->rec);
	free(ptrs);
	free(norm);
	return rc;
}

static int
alias_add_fn(struct store_wtxn *w, void *arg)
{
	struct alias_req *a = arg;
	struct store_key k;
	int rc;

	if ((rc = store_addr_available(w->txn, w->st, a->addr)) != 0)
		return rc;
	store_key_str(&k, a->addr);
	return store_put(w, DB_ALIASES, &k, a->rec.data, a->rec.len);
}

static int
alias_del_fn(struct store_wtxn *w, void *arg)
{
	struct alias_req *a = arg;
	struct store_key k;

	store_key_str(&k, a->addr);
	return store_del(w, DB_ALIASES, &k);
}

static int
forward_set_fn(struct store_wtxn *w, void *arg)
{
	struct alias_req *a = arg;
	struct store_user_rec u;
	struct store_key k;
	int rc;

	if ((rc = store_user_load(w->txn, w->st, a->addr, &u)) != 0)
		return rc;
	store_key_str(&k, a->addr);
	return store_put(w, DB_FORWARDS, &k, a->rec.data, a->rec.len);
}

static int
forward_clear_fn(struct store_wtxn *w, void *arg)
{
	struct alias_req *a = arg;
	struct store_key k;

	store_key_str(&k, a->addr);
	return store_del(w, DB_FORWARDS, &k);
}

/* alias_run - prepare, run fn in the writer, release */
static int
alias_run(struct store *st, const char *address, const char *const *targets, size_t n, bool keep,
    store_req_fn fn)
{
	struct alias_req a = { .rec = BUF_INIT };
	int rc;

	if (targets == NULL)
		rc = store_addr_normalize(address, a.addr) != 0 ? STORE_EINVAL : 0;
	else
		rc = alias_prepare(&a, address, targets, n, keep);
	if (rc == 0)
		rc = store_writer_run(st, fn, &a);
	buf_free(&a.rec);
	return rc;
}

int
store_alias_add(struct store *st, const char *address, const char *const *targets, size_t n)
{
	if (targets == NULL)
		return STORE_EINVAL;
	return alias_run(st, address, targets, n, false, alias_add_fn);
}

int
store_alias_del(struct store *st, const char *address)
{
	return alias_run(st, address, NULL, 0, false, alias_del_fn);
}

int
store_forward_set(struct store *st, const char *address, const char *const *targets, size_t n,
    bool keep)
{
	if (targets == NULL)
		return STORE_EINVAL;
	return alias_run(st, address, targets, n, keep, forward_set_fn);
}

int
store_forward_clear(struct store *st, const char *address)
{
	return alias_run(st, address, NULL, 0, false, forward_clear_fn);
}

struct alias_list_ctx {
	int (*cb)(const char *, const char *const *, size_t, void *);
	void *arg;
};

static int
alias_list_one(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct alias_list_ctx *c = arg;
	char addr[STORE_ADDR_MAX + 1];
	const char **t;
	size_t n;
	int rc;

	if (k->mv_size > STORE_ADDR_MAX || store_list_dec(v, NULL, &t, &n) != 0)
		return STORE_ECORRUPT;
	memcpy(addr, k->mv_data, k->mv_size);
	addr[k->mv_size] = '\0';
	rc = c->cb(addr, t, n, c->arg);
	free(t);
	return rc;
}

int
store_alias_list(struct store_rtxn *r,
    int (*cb)(const char *address, const char *const *targets, size_t n, void *), void *arg)
{
	struct alias_list_ctx c = { cb, arg };

	return store_each(r->txn, r->st, DB_ALIASES, NULL, 0, NULL, alias_list_one, &c);
}

int
store_forward_get(struct store_rtxn *r, const char *address, const char ***targets_r,
    size_t *n_r, bool *keep_r)
{
	char addr[STORE_ADDR_MAX + 1];
	struct store_key k;
	MDB_val v;
	int rc;

	if (store_addr_normalize(address, addr) != 0)
		return STORE_EINVAL;
	store_key_str(&k, addr);
	if ((rc = store_get(r->txn, r->st, DB_FORWARDS, &k, &v)) != 0)
		return rc;
	if ((rc = store_list_dec(&v, keep_r, targets_r, n_r)) != 0)
		return rc;
	store_rtxn_keep(r, *targets_r);
	return 0;
}

int
store_alias_owned_by(struct store_rtxn *r, const char *address, const char *user)
{
	char addr[STORE_ADDR_MAX + 1], owner[STORE_ADDR_MAX + 1];
	struct store_key k;
	const char **t;
	size_t n;
	MDB_val v;
	int rc;

	if (store_addr_normalize(address, addr) != 0 || store_addr_normalize(user, owner) != 0)
		return STORE_EINVAL;
	if (strcmp(addr, owner) == 0)
		return 0;
	store_key_str(&k, addr);
	if ((rc = store_get(r->txn, r->st, DB_ALIASES, &k, &v)) != 0 ||
	    (rc = store_list_dec(&v, NULL, &t, &n)) != 0)
		return rc;
	rc = STORE_ENOTFOUND;
	for (size_t i = 0; i < n && rc != 0; i++)
		if (strcmp(t[i], owner) == 0)
			rc = 0;
	free(t);
	return rc;
}

int
store_srs_original(struct store *st, const char *addr, char out[STORE_ADDR_MAX + 1])
{
	if (st->srs_secret[0] == '\0' ||
	    srs_reverse(st->srs_secret, addr, time(NULL), out, STORE_ADDR_MAX + 1) != 0)
		return STORE_ENOTFOUND;
	return 0;
}

const char *
store_srs_sender(MDB_txn *txn, struct store *st, const char *from, const char *ours,
    char out[STORE_ADDR_MAX + 1])
{
	const char *at = strrchr(from, '@');

	if (st->srs_secret[0] == '\0' || ours[0] == '\0' || at == NULL ||
	    store_domain_exists(txn, st, at + 1) == 0 ||
	    srs_forward(st->srs_secret, from, ours, time(NULL), out, STORE_ADDR_MAX + 1) != 0)
		return from;
	return out;
}
