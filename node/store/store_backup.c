/*
 * store_backup.c - the hot backup behind duplexctl backup: a consistent,
 * compacted copy of the whole environment written to a file descriptor the
 * caller opened (the destination's data.mdb) and syncs.
 *
 * LMDB's copy runs in one read transaction, so it sees one committed state
 * while readers and the writer go on; compaction drops the free pages, so
 * the copy may be much smaller than data.mdb.
 *
 * Hazard: the copy holds a reader slot and old pages for as long as it
 * runs; a slow destination keeps the map from reusing them meanwhile.
 */
#include "store/store_int.h"

/* store_backup_fd - compacting copy: free pages are dropped, readers and writers go on */
int
store_backup_fd(struct store *st, int fd)
{
	return store_err_from_mdb(mdb_env_copyfd2(st->env, fd, MDB_CP_COMPACT));
}
