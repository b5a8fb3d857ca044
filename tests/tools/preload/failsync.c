/*
 * failsync.c - a fault injector for script tests, loaded into duplexd with
 * LD_PRELOAD: while the file named by $DUPLEX_FAILSYNC exists, fdatasync()
 * and fsync() fail with EIO without syncing, so the store's commit fails
 * the way it does when a disk goes bad (LMDB syncs the data pages before it
 * writes the meta page, so a failed sync leaves the last commit in place).
 * Otherwise both are the plain system calls.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int fdatasync(int fd);
int fsync(int fd);

/* sync_or_fail - EIO while the trigger file exists, the system call nr otherwise */
static int
sync_or_fail(long nr, int fd)
{
	const char *path = getenv("DUPLEX_FAILSYNC");

	if (path != NULL && access(path, F_OK) == 0) {
		errno = EIO;
		return -1;
	}
	return (int)syscall(nr, fd);
}

int
fdatasync(int fd)
{
	return sync_or_fail(SYS_fdatasync, fd);
}

int
fsync(int fd)
{
	return sync_or_fail(SYS_fsync, fd);
}
