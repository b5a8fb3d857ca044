/*
 * lockfile.c - flock-based ownership of a data directory.
 */
#include "util/lockfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>

int
lockfile_take(const char *dir)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/duplex.lock", dir);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	return fd;
}
