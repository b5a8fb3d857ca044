/*
 * store_env.c - the LMDB environment: open, close and read transactions.
 *
 * store_open creates the environment with our flags, opens every named
 * database and checks that the environment is ours before anything writes
 * to it (store_schema.c: a brand-new one is initialized, an older schema
 * upgraded by the writer's open), then starts the writer thread. Locking
 * against a second duplexd is the daemon's business, not ours.
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
#include <unistd.h>

#include "util/log.h"
#include "util/xalloc.h"

#define STORE_MAXREADERS 1024

static const char *const store_db_names[DB_COUNT] = {
	[DB_META] = "meta", [DB_DOMAINS] = "domains", [DB_USERS] = "users",
	[DB_USER_BY_ID] = "user_by_id", [DB_ALIASES] = "aliases", [DB_FORWARDS] = "forwards",
	[DB_MAILBOXES] = "mailboxes", [DB_MBOX_BY_ID] = "mbox_by_id", [DB_MESSAGES] = "messages",
	[DB_MODSEQ] = "modseq", [DB_TOMBSTONES] = "tombstones", [DB_BODIES] = "bodies",
	[DB_BODYREFS] = "bodyrefs", [DB_CACHE] = "cache", [DB_USAGE] = "usage",
	[DB_QUEUE] = "queue", [DB_QUEUE_DUE] = "queue_due", [DB_QUEUE_MSG] = "queue_msg",
	[DB_RECENT] = "recent", [DB_SUBSCRIPTIONS] = "subscriptions",
	[DB_METADATA] = "metadata", [DB_ACL] = "acl",
	[DB_SIEVE] = "sieve", [DB_SIEVE_DOMAIN] = "sieve_domain", [DB_SIEVE_SEEN] = "sieve_seen",
};

/* store_env_fail - one error message and code for store_open */
int
store_env_fail(int err, char *errbuf, size_t errlen, const char *dir, const char *what)
{
	snprintf(errbuf, errlen, "%s: %s", dir, what);
	return err;
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
	rc = fresh ? store_schema_init(st, txn) : store_schema_check(st, txn, err, errlen);
	if (rc == 0 && !fresh && !st->opts.read_only &&
	    (rc = store_schema_upgrade(st, txn)) != 0)
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

/*
 * store_lock_place - make dir/lock.mdb a symbolic link to lock_dir/lock.mdb,
 * or with no lock_dir a plain file again (LMDB creates it).
 *
 * LMDB's lock file is the readers' table: every read transaction writes its
 * slot under a mutex kept in the file's shared mapping. On the DRBD disk,
 * the kernel writes those pages back like any file's, and while DRBD holds
 * its I/O (a lost peer being fenced) a write to a page under writeback waits
 * for it: readers, duplexctl status and the monitor with them, would hang
 * until the fence is done. The table is only ever this node's (LMDB resets it
 * when the first process opens it), so it loses nothing by living in memory.
 * The link stays in dir so that every opener, LMDB's own tools included,
 * shares the one table. Callers hold the data dir's owner lock, so no other
 * process has the environment open while the link changes.
 */
static int
store_lock_place(const char *dir, const char *lock_dir, char *err, size_t errlen)
{
	char *link = xasprintf("%s/lock.mdb", dir);
	char *tmp = xasprintf("%s/lock.mdb.link", dir);
	char *target = lock_dir && *lock_dir ? xasprintf("%s/lock.mdb", lock_dir) : NULL;
	char cur[4096];
	ssize_t n = readlink(link, cur, sizeof(cur) - 1);
	int rc = 0;

	if (n >= 0)
		cur[n] = '\0';
	if (target == NULL) {
		if (n >= 0 && unlink(link) < 0)
			rc = -1;
	} else if (n < 0 || strcmp(cur, target) != 0) {
		if ((mkdir(lock_dir, 0700) < 0 && errno != EEXIST) ||
		    (unlink(tmp) < 0 && errno != ENOENT) || symlink(target, tmp) < 0 ||
		    rename(tmp, link) < 0)
			rc = -1;
	}
	if (rc < 0)
		snprintf(err, errlen, "%s: cannot link lock.mdb to %s: %s", dir, target ? target :
		    "a plain file", strerror(errno));
	free(link);
	free(tmp);
	free(target);
	return rc < 0 ? STORE_ETEMP : 0;
}

/* store_env_create - the env handle with our flags; never NOSYNC/NOMETASYNC/WRITEMAP */
static int
store_env_create(struct store *st, char *err, size_t errlen)
{
	unsigned flags = MDB_NOTLS | (st->opts.read_only ? MDB_RDONLY : 0);
	int rc;

	if ((rc = store_lock_place(st->dir, st->opts.lock_dir, err, errlen)) != 0)
		return rc;
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
	free(st->srs_secret);
	free(st);
}

/* store_open - the environment, its databases checked or made current, then the writer */
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
	if (st->opts.sieve.max_steps == 0)
		sieve_limits_default(&st->opts.sieve);
	st->dir = xstrdup(dir);
	st->purge_folders = xstrdup(opts->quota_purge_folders ? opts->quota_purge_folders :
	    "Trash,Junk,INBOX");
	st->opts.quota_purge_folders = st->purge_folders;
	st->srs_secret = xstrdup(opts->srs_secret ? opts->srs_secret : "");
	st->opts.srs_secret = st->srs_secret;
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

/* store_close - the writer drains and stops before the environment closes */
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

/* store_rtxn_begin - a read transaction with its own list of memory to free */
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

/* store_rtxn_end - abort the transaction and free what was kept for it */
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
