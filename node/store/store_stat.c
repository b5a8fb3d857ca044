/*
 * store_stat.c - the figures duplexctl status reports about a store: map
 * size and use, the file on disk, readers, records, and this process's
 * commits and write requests.
 *
 * LMDB's figures come from the environment and one short read
 * transaction; the commit counters are the writer's, read under its lock.
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/xalloc.h"

/* store_stat - a snapshot of the figures; entries counts every named database */
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
