/*
 * test_store_raw.h - store tests that reach past the API: raw records to
 * damage a store or make it look older, and its schema version. Included
 * after test_store_fixture.h by the test_store_*.c files that need it.
 */
#ifndef TEST_STORE_RAW_H
#define TEST_STORE_RAW_H

#include <stdint.h>

#include "store/store_int.h"

struct raw {
	enum store_db db;
	struct store_key k;
	const void *data;
	size_t len;			/* SIZE_MAX: delete k */
};

/* raw_fn - write one record past the store's API, to damage or age a store */
FX_FN int
raw_fn(struct store_wtxn *w, void *arg)
{
	struct raw *x = arg;

	if (x->len == SIZE_MAX)
		return store_del(w, x->db, &x->k);
	return store_put(w, x->db, &x->k, x->data, x->len);
}

/* raw_drop_fn - empty the database db, as a store older than it would have it */
FX_FN int
raw_drop_fn(struct store_wtxn *w, void *arg)
{
	return mdb_drop(w->txn, w->st->dbi[*(enum store_db *)arg], 0) == 0 ? 0 : STORE_ETEMP;
}

/* schema_set - the schema version a store records, as an older program left it */
FX_FN int
schema_set(struct fx *f, uint32_t v)
{
	unsigned char b[4];
	struct raw x = { .db = DB_META, .data = b, .len = 4 };

	store_put32(b, v);
	store_key_str(&x.k, "schema");
	return store_writer_run(f->st, raw_fn, &x);
}

/* schema_of - the schema version the store records */
FX_FN uint32_t
schema_of(struct fx *f)
{
	struct store_rtxn *r;
	struct store_key k;
	MDB_val v;
	uint32_t s;

	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	store_key_str(&k, "schema");
	assert_int_equal(store_get(r->txn, r->st, DB_META, &k, &v), 0);
	s = store_get32(v.mv_data);
	store_rtxn_end(&r);
	return s;
}

/* raw_remove_db_fn - delete the database db itself, as a store from before it lacks it */
FX_FN int
raw_remove_db_fn(struct store_wtxn *w, void *arg)
{
	return mdb_drop(w->txn, w->st->dbi[*(enum store_db *)arg], 1) == 0 ? 0 : STORE_ETEMP;
}

/* raw_orphan_found - a stray record x is one problem to store_verify; then it is removed */
FX_FN void
raw_orphan_found(struct fx *f, struct raw *x)
{
	assert_int_equal(store_writer_run(f->st, raw_fn, x), 0);
	assert_int_equal(store_verify(f->st, NULL), 1);
	x->len = SIZE_MAX;
	assert_int_equal(store_writer_run(f->st, raw_fn, x), 0);
}

/*
 * raw_upgrade_from - make the store one of an older schema, from before
 * db: a read-only open refuses it, a writer's open brings it up to date
 */
FX_FN void
raw_upgrade_from(struct fx *f, enum store_db db, uint32_t schema)
{
	struct store_opts ro = f->opts;
	struct store *st = NULL;
	char err[256];

	assert_int_equal(store_writer_run(f->st, raw_remove_db_fn, &db), 0);
	assert_int_equal(schema_set(f, schema), 0);
	store_close(&f->st);
	ro.read_only = true;
	assert_int_equal(store_open(f->dir, &ro, &st, err, sizeof(err)), STORE_ECORRUPT);
	assert_null(st);
	fx_open(f);
	assert_int_equal(schema_of(f), STORE_SCHEMA_VERSION);
}

#endif
