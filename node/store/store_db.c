/*
 * store_db.c - the small database helpers every store operation uses: a
 * lookup, a put, a put that never replaces, a delete, a prefix walk and a
 * prefix delete, each speaking store_err, and the meta counters that
 * allocate ids.
 *
 * The helpers take the database by its enum store_db, never by an MDB_dbi,
 * so callers need not know how store_env.c opened them.
 *
 * Hazard: a value a lookup or walk yields points into the map; see
 * store_int.h for how long it lives.
 */
#include "store/store_int.h"

#include <string.h>

/* store_get - a lookup that speaks store_err */
int
store_get(MDB_txn *txn, struct store *st, enum store_db db, struct store_key *k, MDB_val *v)
{
	MDB_val key = store_key_val(k);

	return store_err_from_mdb(mdb_get(txn, st->dbi[db], &key, v));
}

/* store_put - write k, replacing what was there */
int
store_put(struct store_wtxn *w, enum store_db db, struct store_key *k, const void *data,
    size_t len)
{
	MDB_val key = store_key_val(k), val = { .mv_size = len, .mv_data = (void *)data };

	return store_err_from_mdb(mdb_put(w->txn, w->st->dbi[db], &key, &val, 0));
}

/* store_put_new - store_put that never replaces: EEXISTS when k is there */
int
store_put_new(struct store_wtxn *w, enum store_db db, struct store_key *k, const void *data,
    size_t len)
{
	MDB_val key = store_key_val(k), val = { .mv_size = len, .mv_data = (void *)data };

	return store_err_from_mdb(mdb_put(w->txn, w->st->dbi[db], &key, &val, MDB_NOOVERWRITE));
}

/* store_del - remove k; ENOTFOUND if it is not there */
int
store_del(struct store_wtxn *w, enum store_db db, struct store_key *k)
{
	MDB_val key = store_key_val(k);

	return store_err_from_mdb(mdb_del(w->txn, w->st->dbi[db], &key, NULL));
}

/* store_counter_next - ids are allocated in the request's transaction, so an aborted one reuses nothing committed */
int
store_counter_next(struct store_wtxn *w, const char *name, uint64_t *v_r)
{
	struct store_key k;
	unsigned char b[8];
	MDB_val v;
	uint64_t n = 0;
	int rc;

	store_key_str(&k, name);
	rc = store_get(w->txn, w->st, DB_META, &k, &v);
	if (rc == 0 && v.mv_size == 8)
		n = store_get64(v.mv_data);
	else if (rc != STORE_ENOTFOUND)
		return rc == 0 ? STORE_ECORRUPT : rc;
	store_put64(b, ++n);
	*v_r = n;
	return store_put(w, DB_META, &k, b, 8);
}

/* store_each - one cursor over a key range; the callback's non-zero value passes through */
int
store_each(MDB_txn *txn, struct store *st, enum store_db db, const void *prefix, size_t plen,
    const struct store_key *start, store_each_fn fn, void *arg)
{
	MDB_cursor *c;
	MDB_val k, v;
	int rc;

	if ((rc = mdb_cursor_open(txn, st->dbi[db], &c)) != 0)
		return store_err_from_mdb(rc);
	if (start != NULL)
		k = (MDB_val){ .mv_size = start->len, .mv_data = (void *)start->b };
	else
		k = (MDB_val){ .mv_size = plen, .mv_data = (void *)prefix };
	rc = k.mv_size ? mdb_cursor_get(c, &k, &v, MDB_SET_RANGE) : mdb_cursor_get(c, &k, &v, MDB_FIRST);
	while (rc == 0) {
		if (plen > 0 && (k.mv_size < plen || memcmp(k.mv_data, prefix, plen) != 0))
			break;
		if ((rc = fn(&k, &v, arg)) != 0) {
			mdb_cursor_close(c);
			return rc;	/* the callback's own value */
		}
		rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
	}
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? 0 : store_err_from_mdb(rc);
}

/* store_del_range - every record of db whose key starts with prefix (plen bytes) */
int
store_del_range(struct store_wtxn *w, enum store_db db, const void *prefix, size_t plen)
{
	MDB_cursor *c;
	MDB_val k, v;
	int rc;

	if ((rc = mdb_cursor_open(w->txn, w->st->dbi[db], &c)) != 0)
		return store_err_from_mdb(rc);
	k = (MDB_val){ .mv_size = plen, .mv_data = (void *)prefix };
	rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
	while (rc == 0 && k.mv_size >= plen && memcmp(k.mv_data, prefix, plen) == 0) {
		if ((rc = mdb_cursor_del(c, 0)) == 0)
			rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);	/* after a delete: the next record */
	}
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND || rc == 0 ? 0 : store_err_from_mdb(rc);
}

/* store_del_prefix - every record of db whose key starts with the 8-byte id */
int
store_del_prefix(struct store_wtxn *w, enum store_db db, uint64_t id)
{
	unsigned char prefix[8];

	store_put64(prefix, id);
	return store_del_range(w, db, prefix, 8);
}
