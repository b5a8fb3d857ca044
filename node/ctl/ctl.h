/*
 * ctl.h - duplexctl's commands, run either inside duplexd (over the control
 * socket) or by duplexctl itself when the daemon is down. One code path
 * serves both, so the two can never disagree.
 *
 * The two-writers rule: one process owns a data dir at a time. duplexd takes
 * an exclusive flock on DATA_DIR/duplex.lock for its whole life; duplexctl
 * opens the environment itself only when the control socket does not answer
 * AND it can take that same lock, which it holds until it exits. Otherwise
 * every command goes to the daemon. (LMDB's own writer mutex would also
 * serialize two writers, but one owner keeps group commit, quota warnings and
 * logs in one place.)
 */
#ifndef DUPLEX_CTL_H
#define DUPLEX_CTL_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

struct store;
struct conf;

/* exit statuses, sysexits(3) where one fits */
enum ctl_exit {
	CTL_EXIT_OK = 0,
	CTL_EXIT_FAIL = 1,	/* the command failed, or verify found problems */
	CTL_EXIT_USAGE = 2,
	CTL_EXIT_NOT_RUNNING = 3,	/* status: the daemon is not running (LSB) */
	CTL_EXIT_DATAERR = 65,	/* EX_DATAERR: e.g. message too big */
	CTL_EXIT_NOUSER = 67,	/* EX_NOUSER */
	CTL_EXIT_SOFTWARE = 70,
	CTL_EXIT_TEMPFAIL = 75,	/* EX_TEMPFAIL */
};

/* what the daemon is doing now, for status */
struct ctl_load {
	unsigned connections;		/* open, over every listener */
	unsigned logins;		/* password checks queued or running */
	unsigned long long logins_total;	/* checks admitted since the start */
};

/* what the daemon tells status; absent when duplexctl runs alone */
struct ctl_daemon {
	time_t started;
	pid_t pid;
	void (*load)(void *arg, struct ctl_load *out);	/* thread-safe; may be NULL */
	void *load_arg;
};

struct ctl_ctx {
	struct store *st;
	const struct conf *conf;
	FILE *in, *out, *err;	/* owned by whoever made the ctx */
	int in_fd;		/* the same as in, for reading raw bytes */
	int extra_fd;		/* opened by the caller for backup/import; -1 */
	bool json;
	const struct ctl_daemon *daemon;
};

/* how duplexctl asks the daemon for one command */
struct ctl_cmd_mode {
	bool capture;		/* the daemon sends the output back: no stdio passed */
	unsigned timeout;	/* default seconds to wait for the daemon; 0: no limit */
};

/* ctl_command_mode - the mode of the command in argv; false if there is none */
bool ctl_command_mode(int argc, char **argv, struct ctl_cmd_mode *mode_r);

/* ctl_run - run one command; returns its exit status */
int ctl_run(struct ctl_ctx *ctx, int argc, char **argv);

/*
 * ctl_prepare - the caller's side of a command: open the files it names
 * (backup DEST, import PATH) with the caller's own permissions. *extra_fd_r
 * is -1 when the command needs none. 0, or -1 with a message on err.
 */
int ctl_prepare(int argc, char **argv, int *extra_fd_r, FILE *err);

struct store_opts;
/* ctl_store_opts - the store options that the config sets (ctl_opts.c) */
void ctl_store_opts(const struct conf *c, struct store_opts *o);

/* ctl_usage - the command list */
void ctl_usage(FILE *fp);

/* ctl_serve_start - accept control connections on path in a thread */
int ctl_serve_start(const char *path, struct store *st, const struct conf *conf,
    const struct ctl_daemon *daemon);
/* ctl_serve_stop - stop accepting, wait for running commands, unlink path */
void ctl_serve_stop(void);

#endif
