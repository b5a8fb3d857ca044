/*
 * lockfile.c - flock-based ownership of a data directory.
 *
 * The data dir belongs to the service user, and root opens the lock in it:
 * a symbolic link there is never followed (O_NOFOLLOW), and a file that is
 * not a plain file with one name (a hard link to another file, a device) is
 * refused, so root never creates or opens a file that someone else chose.
 */
#include "util/lockfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int
lockfile_take(const char *dir)
{
	char path[4096];
	struct stat sb;
	int fd;

	snprintf(path, sizeof(path), "%s/duplex.lock", dir);
	if ((fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600)) < 0)
		return -errno;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_nlink != 1) {
		close(fd);
		return -ELOOP;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

const char *
lockfile_why(int err)
{
	if (err == -ELOOP)
		return "duplex.lock is a symbolic link or not a plain file; refusing to use it";
	return strerror(-err);
}
