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

/* failing - whether the trigger file exists now */
static int
failing(void)
{
	const char *path = getenv("DUPLEX_FAILSYNC");

	return path != NULL && access(path, F_OK) == 0;
}

int
fdatasync(int fd)
{
	if (failing()) {
		errno = EIO;
		return -1;
	}
	return (int)syscall(SYS_fdatasync, fd);
}

int
fsync(int fd)
{
	if (failing()) {
		errno = EIO;
		return -1;
	}
	return (int)syscall(SYS_fsync, fd);
}
