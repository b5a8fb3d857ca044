/*
 * store_env.c - the LMDB environment: open, schema check, close, read
 * transactions, statistics, hot backup, and the mapping of LMDB errors to
 * store_err.
 *
 * store_open checks that the environment is ours before anything writes
 * to it: a brand-new (empty) environment is initialized with the magic and
 * the schema version; one without the magic, or with a newer schema, is
 * refused with STORE_ECORRUPT. An older schema is brought up to date by
 * the writer's open (databases added since are created, the queue's due
 * index rebuilt, see store_queue_reindex); a read-only open of such a store
 * finds databases missing and is refused. Locking against a second duplexd
 * is the daemon's business, not ours.
 *
 * Hazard: durability rests on the flags given to mdb_env_open. Never add
 * MDB_NOSYNC, MDB_NOMETASYNC or MDB_WRITEMAP (the writer's nested
 * transactions need the latter off anyway).
 */
#include "store/store_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "util/buf.h"
#include "util/log.h"
#include "util/xalloc.h"

#define STORE_MAGIC "duplex"
#define STORE_MAXREADERS 1024

static const char *const store_db_names[DB_COUNT] = {
	[DB_META] = "meta", [DB_DOMAINS] = "domains", [DB_USERS] = "users",
	[DB_USER_BY_ID] = "user_by_id", [DB_ALIASES] = "aliases", [DB_FORWARDS] = "forwards",
	[DB_MAILBOXES] = "mailboxes", [DB_MBOX_BY_ID] = "mbox_by_id", [DB_MESSAGES] = "messages",
	[DB_MODSEQ] = "modseq", [DB_TOMBSTONES] = "tombstones", [DB_BODIES] = "bodies",
	[DB_BODYREFS] = "bodyrefs", [DB_CACHE] = "cache", [DB_USAGE] = "usage",
	[DB_QUEUE] = "queue", [DB_QUEUE_DUE] = "queue_due", [DB_QUEUE_MSG] = "queue_msg",
	[DB_RECENT] = "recent",
};

const char *
store_strerror(int err)
{
	switch (err) {
	case STORE_OK: return "success";
	case STORE_ETEMP: return "temporary store failure";
	case STORE_ENOTFOUND: return "not found";
	case STORE_EEXISTS: return "already exists";
	case STORE_ENOQUOTA: return "over quota";
	case STORE_EFULL: return "store full";
	case STORE_ECORRUPT: return "store damaged or not a Duplex store";
	case STORE_EINVAL: return "invalid name, address or argument";
	case STORE_ETOOBIG: return "message too big";
	case STORE_ENOTEMPTY: return "not empty";
	case STORE_EEXTERNAL: return "external address";
	case STORE_ENAMETOOLONG: return "mailbox name too long";
	default: return "unknown store error";
	}
}

/* store_err_is_temporary - what a client may retry: quota and space free up, damage is repaired */
bool
store_err_is_temporary(int err)
{
	return err == STORE_ETEMP || err == STORE_ENOQUOTA || err == STORE_EFULL ||
	    err == STORE_EEXTERNAL || err == STORE_ECORRUPT;
}

/* store_err_from_mdb - keep MDB_* codes inside the store */
int
store_err_from_mdb(int rc)
{
	switch (rc) {
	case 0: return 0;
	case MDB_NOTFOUND: return STORE_ENOTFOUND;
	case MDB_KEYEXIST: return STORE_EEXISTS;
	case MDB_MAP_FULL: case MDB_TXN_FULL: case MDB_PAGE_FULL: case ENOSPC: case EDQUOT:
		return STORE_EFULL;
	case MDB_CORRUPTED: case MDB_INVALID: case MDB_VERSION_MISMATCH: case MDB_PAGE_NOTFOUND:
	case MDB_INCOMPATIBLE:
		return STORE_ECORRUPT;
	default:
		return rc < 0 && rc >= STORE_EEXTERNAL ? rc : STORE_ETEMP;
	}
}

/* store_get - a lookup that speaks store_err */
int
store_get(MDB_txn *txn, struct store *st, enum store_db db, struct store_key *k, MDB_val *v)
{
	MDB_val key = store_key_val(k);

	return store_err_from_mdb(mdb_get(txn, st->dbi[db], &key, v));
}

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

/* store_env_fail - one error message and code for store_open */
static int
store_env_fail(int err, char *errbuf, size_t errlen, const char *dir, const char *what)
{
	snprintf(errbuf, errlen, "%s: %s", dir, what);
	return err;
}

/* store_env_schema - record that the store is now of this program's schema */
static int
store_env_schema(struct store_wtxn *w)
{
	struct store_key k;
	unsigned char b[4];

	store_key_str(&k, "schema");
	store_put32(b, STORE_SCHEMA_VERSION);
	return store_put(w, DB_META, &k, b, 4);
}

/* store_env_init - write the magic and schema into a brand-new environment */
static int
store_env_init(struct store *st, MDB_txn *txn)
{
	struct store_wtxn w = { st, txn };
	struct store_key k;
	unsigned char b[8];
	int rc;

	store_key_str(&k, "magic");
	if ((rc = store_put(&w, DB_META, &k, STORE_MAGIC, strlen(STORE_MAGIC))) != 0 ||
	    (rc = store_env_schema(&w)) != 0)
		return rc;
	store_key_str(&k, "uidvalidity");
	store_put64(b, (uint64_t)time(NULL));
	return store_put(&w, DB_META, &k, b, 8);
}

/* store_env_check - is this our environment, of a schema we know? */
static int
store_env_check(struct store *st, MDB_txn *txn, char *err, size_t errlen)
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

/* store_env_upgrade - the writer's open: a store of an older schema (or a lost index) made current */
static int
store_env_upgrade(struct store *st, MDB_txn *txn)
{
	struct store_wtxn w = { st, txn };
	struct store_key k;
	MDB_val v;
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
	if (store_get32(v.mv_data) == STORE_SCHEMA_VERSION)
		return 0;
	log_info("-", "store %s: schema %u upgraded to %u", st->dir, store_get32(v.mv_data),
	    STORE_SCHEMA_VERSION);
	return store_env_schema(&w);
}

/* store_env_dbis - open every named database; a new env gets created and initialized */
static int
store_env_dbis(struct store *st, char *err, size_t errlen)
{
	unsigned flags = st->opts.read_only ? MDB_RDONLY : 0;
	MDB_txn *txn;
	MDB_dbi main_dbi;
	MDB_stat ms;
	bool fresh;
	int rc;

	if ((rc = mdb_txn_begin(st->env, NULL, flags, &txn)) != 0)
		return store_env_fail(store_err_from_mdb(rc), err, errlen, st->dir, mdb_strerror(rc));
	rc = mdb_dbi_open(txn, NULL, 0, &main_dbi);
	if (rc == 0)
		rc = mdb_stat(txn, main_dbi, &ms);
	fresh = rc == 0 && ms.ms_entries == 0;
	if (fresh && st->opts.read_only)
		rc = STORE_ENOTFOUND;
	for (int i = 0; rc == 0 && i < DB_COUNT; i++)
		rc = mdb_dbi_open(txn, store_db_names[i], st->opts.read_only ? 0 : MDB_CREATE,
		    &st->dbi[i]);
	if (rc != 0) {
		mdb_txn_abort(txn);
		return store_env_fail(STORE_ECORRUPT, err, errlen, st->dir,
		    "not a Duplex store, or an older one opened read-only (databases missing)");
	}
	rc = fresh ? store_env_init(st, txn) : store_env_check(st, txn, err, errlen);
	if (rc == 0 && !fresh && !st->opts.read_only &&
	    (rc = store_env_upgrade(st, txn)) != 0)
		store_env_fail(rc, err, errlen, st->dir, "cannot upgrade the schema or queue index");
	if (rc != 0) {
		mdb_txn_abort(txn);
		if (fresh)
			store_env_fail(rc, err, errlen, st->dir, "cannot initialize");
		return rc;
	}
	if ((rc = mdb_txn_commit(txn)) != 0)
		return store_env_fail(store_err_from_mdb(rc), err, errlen, st->dir, mdb_strerror(rc));
	return 0;
}

/* store_env_create - the env handle with our flags; never NOSYNC/NOMETASYNC/WRITEMAP */
static int
store_env_create(struct store *st, char *err, size_t errlen)
{
	unsigned flags = MDB_NOTLS | (st->opts.read_only ? MDB_RDONLY : 0);
	int rc;

	if ((rc = mdb_env_create(&st->env)) != 0)
		return store_env_fail(STORE_ETEMP, err, errlen, st->dir, mdb_strerror(rc));
	mdb_env_set_maxdbs(st->env, DB_COUNT + 8);
	mdb_env_set_maxreaders(st->env, STORE_MAXREADERS);
	if (st->opts.map_size != 0)
		mdb_env_set_mapsize(st->env, (size_t)st->opts.map_size);
	rc = mdb_env_open(st->env, st->dir, flags, 0600);
	if (rc == MDB_INVALID || rc == MDB_VERSION_MISMATCH || rc == MDB_CORRUPTED)
		return store_env_fail(STORE_ECORRUPT, err, errlen, st->dir,
		    "data.mdb is not an LMDB environment of this version");
	if (rc != 0)
		return store_env_fail(store_err_from_mdb(rc), err, errlen, st->dir, mdb_strerror(rc));
	return 0;
}

/* store_free - release what store_open built, in any state */
static void
store_free(struct store *st)
{
	if (st->env)
		mdb_env_close(st->env);
	pthread_cond_destroy(&st->cv);
	pthread_mutex_destroy(&st->mu);
	free(st->dir);
	free(st->purge_folders);
	free(st);
}

int
store_open(const char *dir, const struct store_opts *opts, struct store **st_r, char *err,
    size_t errlen)
{
	struct store *st = xcalloc(1, sizeof(*st));
	int rc;

	*st_r = NULL;
	pthread_mutex_init(&st->mu, NULL);
	pthread_cond_init(&st->cv, NULL);
	st->opts = *opts;
	if (st->opts.commit_batch_max == 0)
		st->opts.commit_batch_max = 256;
	if (st->opts.quota_warn_percent == 0 || st->opts.quota_warn_percent > 100)
		st->opts.quota_warn_percent = 90;
	st->dir = xstrdup(dir);
	st->purge_folders = xstrdup(opts->quota_purge_folders ? opts->quota_purge_folders :
	    "Trash,Junk,INBOX");
	st->opts.quota_purge_folders = st->purge_folders;
	if ((rc = store_env_create(st, err, errlen)) != 0 ||
	    (rc = store_env_dbis(st, err, errlen)) != 0) {
		store_free(st);
		return rc;
	}
	if (!st->opts.read_only && (rc = store_writer_start(st)) != 0) {
		snprintf(err, errlen, "%s: cannot start the writer thread", dir);
		store_free(st);
		return rc;
	}
	log_info("-", "store %s opened (schema %u)", dir, STORE_SCHEMA_VERSION);
	*st_r = st;
	return 0;
}

void
store_close(struct store **stp)
{
	struct store *st = *stp;

	if (st == NULL)
		return;
	*stp = NULL;
	store_writer_stop(st);
	store_free(st);
}

int
store_rtxn_begin(struct store *st, struct store_rtxn **r_r)
{
	struct store_rtxn *r = xcalloc(1, sizeof(*r));
	int rc;

	r->st = st;
	if ((rc = mdb_txn_begin(st->env, NULL, MDB_RDONLY, &r->txn)) != 0) {
		free(r);
		*r_r = NULL;
		return store_err_from_mdb(rc);
	}
	*r_r = r;
	return 0;
}

void
store_rtxn_end(struct store_rtxn **rp)
{
	struct store_rtxn *r = *rp;

	if (r == NULL)
		return;
	*rp = NULL;
	mdb_txn_abort(r->txn);
	for (size_t i = 0; i < r->nallocs; i++)
		free(r->allocs[i]);
	free(r->allocs);
	free(r);
}

/* store_rtxn_keep - memory handed to a caller for the rtxn's lifetime */
void
store_rtxn_keep(struct store_rtxn *r, void *p)
{
	r->allocs = xrealloc(r->allocs, (r->nallocs + 1) * sizeof(*r->allocs));
	r->allocs[r->nallocs++] = p;
}

int
store_stat(struct store *st, struct store_stat *s)
{
	MDB_envinfo info;
	MDB_stat ms;
	MDB_txn *txn;
	struct stat sb;
	char *path;
	int rc;

	memset(s, 0, sizeof(*s));
	if ((rc = mdb_env_info(st->env, &info)) != 0 || (rc = mdb_env_stat(st->env, &ms)) != 0)
		return store_err_from_mdb(rc);
	s->map_size = info.me_mapsize;
	s->page_size = ms.ms_psize;
	s->map_used = (uint64_t)(info.me_last_pgno + 1) * ms.ms_psize;
	s->readers_used = info.me_numreaders;
	s->readers_max = info.me_maxreaders;
	path = xasprintf("%s/data.mdb", st->dir);
	if (stat(path, &sb) == 0)
		s->file_size = (uint64_t)sb.st_size;
	free(path);
	if ((rc = mdb_txn_begin(st->env, NULL, MDB_RDONLY, &txn)) != 0)
		return store_err_from_mdb(rc);
	for (int i = 0; i < DB_COUNT; i++)
		if (mdb_stat(txn, st->dbi[i], &ms) == 0)
			s->entries += ms.ms_entries;
	mdb_txn_abort(txn);
	pthread_mutex_lock(&st->mu);
	s->commits = st->commits;
	s->requests = st->requests;
	pthread_mutex_unlock(&st->mu);
	return 0;
}

/* store_backup_fd - compacting copy: free pages are dropped, readers and writers go on */
int
store_backup_fd(struct store *st, int fd)
{
	return store_err_from_mdb(mdb_env_copyfd2(st->env, fd, MDB_CP_COMPACT));
}

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
