/*
 * lockfile.h - the data dir's owner lock (see ctl.h for the rule it keeps).
 */
#ifndef DUPLEX_LOCKFILE_H
#define DUPLEX_LOCKFILE_H

/*
 * lockfile_take - take an exclusive, non-blocking flock on DIR/duplex.lock.
 * Returns the fd to keep open for as long as the lock is held, or -errno
 * (-EWOULDBLOCK: another process owns the directory; -ELOOP: duplex.lock is
 * a symbolic link, which is not followed, or not a plain file of one link).
 */
int lockfile_take(const char *dir);
/* lockfile_why - what lockfile_take's error means, for a message */
const char *lockfile_why(int err);

#endif
