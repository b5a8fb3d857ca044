/*
 * daemon.c - detaching, owner lock, pid file and privilege drop; see daemon.h.
 */
#include "duplexd/daemon.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf/conf.h"
#include "util/lockfile.h"
#include "util/log.h"
#include "util/xalloc.h"

static int ready_fd = -1;	/* write end of the pipe the parent waits on */
static bool detached;

void
daemon_detach(void)
{
	int p[2];
	pid_t pid;
	char c;

	/* the caller's descriptors (pipes it reads until EOF) must not live on in the daemon */
	close_range(3, ~0U, 0);
	if (pipe2(p, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		fprintf(stderr, "duplexd: cannot detach: %s\n", strerror(errno));
		exit(1);
	}
	if (pid > 0) {
		close(p[1]);
		if (read(p[0], &c, 1) == 1 && c == 'R')
			_exit(0);
		waitpid(pid, NULL, 0);
		_exit(1);
	}
	close(p[0]);
	ready_fd = p[1];
	detached = true;
	setsid();
}

/* mkdir_owned - create dir if it is missing, owned by uid */
static void
mkdir_owned(const char *dir, uid_t uid, gid_t gid)
{
	if (mkdir(dir, 0755) == 0 && uid != (uid_t)-1 && chown(dir, uid, gid) < 0)
		log_fatal("cannot chown %s: %s", dir, strerror(errno));
}

/* mkdir_parent - create the directory holding path, owned by uid */
static void
mkdir_parent(const char *path, uid_t uid, gid_t gid)
{
	char *copy = xstrdup(path);

	mkdir_owned(dirname(copy), uid, gid);
	free(copy);
}

/*
 * write_pid_file - only when detached: the foreground has a supervisor. The
 * run directory may belong to the service user, who could plant a link to
 * any file there: a symbolic link is refused, any other old file is
 * unlinked rather than truncated, and the new one is created with O_EXCL,
 * which follows no link, so root writes only a file it just made.
 */
static void
write_pid_file(const char *path)
{
	struct stat sb;
	char line[32];
	int fd, n;

	if (!detached || *path == '\0')
		return;
	if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode))
		log_fatal("pid file %s is a symbolic link; refusing to follow it", path);
	if (unlink(path) < 0 && errno != ENOENT)
		log_fatal("cannot remove the old pid file %s: %s", path, strerror(errno));
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644)) < 0)
		log_fatal("cannot create pid file %s: %s", path, strerror(errno));
	n = snprintf(line, sizeof(line), "%ld\n", (long)getpid());
	if (write(fd, line, (size_t)n) != n || close(fd) != 0)
		log_fatal("cannot write pid file %s: %s", path, strerror(errno));
}

/* run_user - the account to drop to, or NULL when not root or none is set */
static struct passwd *
run_user(const struct conf *c)
{
	struct passwd *pw;

	if (geteuid() != 0 || *c->user == '\0')
		return NULL;
	if ((pw = getpwnam(c->user)) == NULL)
		log_fatal("user %s does not exist", c->user);
	return pw;
}

/*
 * take_data_dir - the data dir's owner lock. A duplexctl command run in
 * direct mode holds it for moments (an account added while the store was
 * down); a start that meets one waits for it rather than fail a failover.
 * Another duplexd holds it for good, and still gets its error.
 */
#define LOCK_WAIT_MS 5000

static int
take_data_dir(const char *dir)
{
	int fd, waited;

	for (waited = 0; (fd = lockfile_take(dir)) == -EWOULDBLOCK && waited < LOCK_WAIT_MS;
	    waited += 100) {
		if (waited == 0)
			log_info(NULL, "%s is locked; waiting up to %d s for its owner", dir,
			    LOCK_WAIT_MS / 1000);
		usleep(100 * 1000);
	}
	return fd;
}

/*
 * The descriptor limit duplexd raises its soft limit to: the hard limit, cut
 * at NOFILE_TARGET (a hard limit of a billion buys nothing); under NOFILE_LOW
 * a busy store runs out, which is worth a warning.
 */
#define NOFILE_TARGET 1048576
#define NOFILE_LOW 4096

void
daemon_raise_nofile(void)
{
	struct rlimit rl;
	rlim_t was;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		log_fatal("getrlimit: %s", strerror(errno));
	was = rl.rlim_cur;
	if (rl.rlim_cur < rl.rlim_max && rl.rlim_cur < NOFILE_TARGET) {
		rl.rlim_cur = rl.rlim_max < NOFILE_TARGET ? rl.rlim_max : NOFILE_TARGET;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
			log_warn(NULL, "cannot raise the descriptor limit: %s", strerror(errno));
			rl.rlim_cur = was;
		}
	}
	log_info(NULL, "descriptor limit %llu (soft limit was %llu, hard limit %llu)",
	    (unsigned long long)rl.rlim_cur, (unsigned long long)was,
	    (unsigned long long)rl.rlim_max);
	if (rl.rlim_cur < NOFILE_LOW)
		log_warn(NULL, "only %llu descriptors, one per connection: raise the hard limit "
		    "(LimitNOFILE=, ulimit -Hn) to at least %d", (unsigned long long)rl.rlim_cur,
		    NOFILE_LOW);
}

void
daemon_prepare(const struct conf *c)
{
	struct passwd *pw;
	struct stat sb;
	int fd;

	if (stat(c->data_dir, &sb) < 0 || !S_ISDIR(sb.st_mode))
		log_fatal("data_dir %s is not a directory (is its filesystem mounted?)", c->data_dir);
	pw = run_user(c);
	if (pw == NULL && geteuid() == 0)
		log_warn(NULL, "user is empty: duplexd runs as root, with every client's input; "
		    "set user to a service account");
	if ((fd = take_data_dir(c->data_dir)) == -EWOULDBLOCK)
		log_fatal("%s is in use by another duplexd or duplexctl", c->data_dir);
	if (fd < 0)
		log_fatal("cannot take the owner lock of %s: %s", c->data_dir, lockfile_why(fd));
	mkdir_parent(c->control_socket, pw ? pw->pw_uid : (uid_t)-1, pw ? pw->pw_gid : (gid_t)-1);
	mkdir_parent(c->pid_file, pw ? pw->pw_uid : (uid_t)-1, pw ? pw->pw_gid : (gid_t)-1);
	/* the store opens after the drop: the run user makes the lock file there */
	if (*c->lock_dir)
		mkdir_owned(c->lock_dir, pw ? pw->pw_uid : (uid_t)-1, pw ? pw->pw_gid : (gid_t)-1);
	write_pid_file(c->pid_file);
}

void
daemon_drop_privileges(const struct conf *c)
{
	struct passwd *pw = run_user(c);

	if (pw == NULL)
		return;
	if (initgroups(pw->pw_name, pw->pw_gid) < 0 || setgid(pw->pw_gid) < 0 ||
	    setuid(pw->pw_uid) < 0)
		log_fatal("cannot drop privileges to %s: %s", pw->pw_name, strerror(errno));
	if (setuid(0) == 0)
		log_fatal("privileges could be regained after dropping to %s", pw->pw_name);
	log_info(NULL, "running as %s", pw->pw_name);
}

void
daemon_ready(int log_level)
{
	int null = open("/dev/null", O_RDWR);

	if (write(ready_fd, "R", 1) != 1)
		log_warn(NULL, "the parent did not wait for start-up");
	close(ready_fd);
	ready_fd = -1;
	log_open("duplexd", false, (enum log_level)log_level);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (null > 2)
			close(null);
	}
}

void
daemon_cleanup(const struct conf *c)
{
	if (!detached || *c->pid_file == '\0')
		return;
	unlink(c->pid_file);
}
