/*
 * store_schema.c - what makes an LMDB environment a Duplex store: the magic
 * and the schema version in the meta database, written into a brand-new
 * environment, checked at every open, and brought up to date by the
 * writer's open.
 *
 * One without the magic, or with a newer schema, is refused with
 * STORE_ECORRUPT. An older schema is made current by the writer's open:
 * databases added since are created by store_env.c, the queue's due index
 * rebuilt (see store_queue_reindex), the subscription flags of a store
 * older than schema 4 moved into the subscriptions database (see
 * store_sub_upgrade), and the new version recorded. Schemas 5, 6, 7 and 8
 * added the metadata, acl, sieve (sieve, sieve_domain) and sieve_seen
 * databases, which start empty: nothing else to move. A
 * read-only open of such a store finds databases missing and is refused
 * before it gets here.
 *
 * Hazard: these run inside store_env.c's open transaction, before the
 * writer thread exists; they write through a struct store_wtxn built on
 * that transaction, never through the writer.
 */
#include "store/store_int.h"

#include <string.h>
#include <time.h>

#include "util/log.h"

#define STORE_MAGIC "duplex"

/* store_schema_write - record that the store is now of this program's schema */
static int
store_schema_write(struct store_wtxn *w)
{
	struct store_key k;
	unsigned char b[4];

	store_key_str(&k, "schema");
	store_put32(b, STORE_SCHEMA_VERSION);
	return store_put(w, DB_META, &k, b, 4);
}

/* store_schema_init - write the magic and schema into a brand-new environment */
int
store_schema_init(struct store *st, MDB_txn *txn)
{
	struct store_wtxn w = { st, txn };
	struct store_key k;
	unsigned char b[8];
	int rc;

	store_key_str(&k, "magic");
	if ((rc = store_put(&w, DB_META, &k, STORE_MAGIC, strlen(STORE_MAGIC))) != 0 ||
	    (rc = store_schema_write(&w)) != 0)
		return rc;
	store_key_str(&k, "uidvalidity");
	store_put64(b, (uint64_t)time(NULL));
	return store_put(&w, DB_META, &k, b, 8);
}

/* store_schema_check - is this our environment, of a schema we know? */
int
store_schema_check(struct store *st, MDB_txn *txn, char *err, size_t errlen)
{
	struct store_key k;
	MDB_val v;

	store_key_str(&k, "magic");
	if (store_get(txn, st, DB_META, &k, &v) != 0 || v.mv_size != strlen(STORE_MAGIC) ||
	    memcmp(v.mv_data, STORE_MAGIC, v.mv_size) != 0)
		return store_env_fail(STORE_ECORRUPT, err, errlen, st->dir,
		    "LMDB environment without the Duplex magic: not a Duplex store");
	store_key_str(&k, "schema");
	if (store_get(txn, st, DB_META, &k, &v) != 0 || v.mv_size != 4)
		return store_env_fail(STORE_ECORRUPT, err, errlen, st->dir, "schema version missing");
	if (store_get32(v.mv_data) > STORE_SCHEMA_VERSION) {
		snprintf(err, errlen, "%s: schema version %u is newer than this program's %u",
		    st->dir, store_get32(v.mv_data), STORE_SCHEMA_VERSION);
		return STORE_ECORRUPT;
	}
	return 0;
}

/* store_schema_upgrade - the writer's open: a store of an older schema (or a lost index) made current */
int
store_schema_upgrade(struct store *st, MDB_txn *txn)
{
	struct store_wtxn w = { st, txn };
	struct store_key k;
	MDB_val v;
	uint32_t from;
	size_t n;
	int rc;

	if ((rc = store_queue_reindex(&w, &n)) != 0)
		return rc;
	if (n > 0)
		log_info("-", "store %s: queue due index rebuilt for %zu entries", st->dir, n);
	/* a current store is left unwritten: most opens change nothing */
	store_key_str(&k, "schema");
	if ((rc = store_get(txn, st, DB_META, &k, &v)) != 0)
		return rc;
	if ((from = store_get32(v.mv_data)) == STORE_SCHEMA_VERSION)
		return 0;
	if (from < 4) {
		if ((rc = store_sub_upgrade(&w, &n)) != 0)
			return rc;
		log_info("-", "store %s: %zu subscriptions moved out of the mailbox records", st->dir, n);
	}
	log_info("-", "store %s: schema %u upgraded to %u", st->dir, from, STORE_SCHEMA_VERSION);
	return store_schema_write(&w);
}
