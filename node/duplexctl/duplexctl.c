/*
 * duplexctl.c - the admin and operator tool of Duplex.
 *
 * duplexctl [-c FILE] [--json] [--timeout SECONDS] COMMAND [ARGS]
 *
 * Commands go to the running duplexd over its control socket, carrying this
 * process's stdin, stdout and stderr; quick ones (status, probe) carry
 * none and print the output the daemon sends back. When the socket does
 * not answer, duplexctl takes the data dir's owner lock and opens the store
 * itself (the rule is in ctl/ctl.h), waiting up to 10 s for a lock that is
 * held (a duplexd starting up). Exit statuses are in enum ctl_exit.
 *
 * --timeout bounds the wait for the daemon (0: none; default per command,
 * 10 s for status and probe): past it duplexctl says so and exits 75.
 * Hazard: a command that passed its stdio to a wedged daemon leaves them
 * held there after that exit; only captured commands free the caller.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf.h"
#include "ctl/ctl.h"
#include "ctl/ctl_wire.h"
#include "store/store.h"
#include "util/lockfile.h"
#include "util/log.h"

#define DEFAULT_CONF "/etc/duplex/duplex.conf"
#define TIMEOUT_MAX 86400

/* timed_out - a daemon that holds the request past the deadline: retry later */
static int
timed_out(unsigned timeout)
{
	fprintf(stderr, "duplexctl: duplexd did not answer within %u s (stopped or wedged?)\n",
	    timeout);
	return CTL_EXIT_TEMPFAIL;
}

/* via_daemon - send the command to duplexd; -1 when it does not listen */
static int
via_daemon(const struct conf *c, uint32_t flags, unsigned timeout, int argc, char **argv,
    int extra_fd)
{
	int64_t deadline = ctl_wire_deadline(timeout);
	int sock = ctl_wire_connect(c->control_socket, deadline), rc;
	struct ctl_reply rep = { .status = CTL_EXIT_TEMPFAIL };

	if (sock == -ETIMEDOUT)
		return timed_out(timeout);
	if (sock < 0)
		return -1;
	if ((rc = ctl_wire_send(sock, flags, argc, argv, extra_fd)) == 0)
		rc = ctl_wire_wait(sock, flags, deadline, &rep);
	close(sock);
	if (rc == -ETIMEDOUT)
		rep.status = timed_out(timeout);
	else if (rc < 0) {
		fprintf(stderr, "duplexctl: duplexd closed the control connection\n");
		rep.status = CTL_EXIT_TEMPFAIL;
	} else {
		fwrite(rep.out, 1, rep.outlen, stdout);
		fwrite(rep.err, 1, rep.errlen, stderr);
	}
	ctl_reply_free(&rep);
	return rep.status;
}

/* parse_timeout - whole seconds, 0..TIMEOUT_MAX; false if not */
static bool
parse_timeout(const char *s, unsigned *timeout_r)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || v > TIMEOUT_MAX)
		return false;
	*timeout_r = (unsigned)v;
	return true;
}

/* offline_sieve - sieve check and sieve test --script: the script and message are local files */
static bool
offline_sieve(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[0], "sieve") != 0)
		return false;
	if (strcmp(argv[1], "check") == 0)
		return true;
	for (int i = 2; strcmp(argv[1], "test") == 0 && i < argc; i++)
		if (strcmp(argv[i], "--script") == 0)
			return true;
	return false;
}

/* client_side - cluster commands and offline Sieve: run here, never via duplexd, no store */
static bool
client_side(int argc, char **argv)
{
	return strcmp(argv[0], "switchover") == 0 || offline_sieve(argc, argv) ||
	    (argc > 1 && strcmp(argv[0], "cluster") == 0 && strcmp(argv[1], "status") == 0);
}

/* needs_store - commands that can answer without opening the store */
static bool
needs_store(int argc, char **argv)
{
	return !(strcmp(argv[0], "status") == 0 || client_side(argc, argv) ||
	    (argc > 1 && strcmp(argv[0], "config") == 0 && strcmp(argv[1], "check") == 0));
}

/* direct - run the command in this process; LOCK is the data dir's owner lock, or -1 */
static int
direct(const struct conf *c, bool json, int argc, char **argv, int extra_fd, int lock)
{
	struct ctl_ctx ctx = { .conf = c, .in = stdin, .out = stdout, .err = stderr,
		.in_fd = 0, .extra_fd = extra_fd, .json = json };
	struct store_opts so;
	char err[1024];
	int rc;

	if (needs_store(argc, argv)) {
		ctl_store_opts(c, &so);
		if ((rc = store_open(c->data_dir, &so, &ctx.st, err, sizeof(err))) < 0) {
			fprintf(stderr, "duplexctl: cannot open the store in %s: %s\n", c->data_dir, err);
			/* a foreign or damaged file will not go away by waiting */
			return store_err_is_temporary(rc) && rc != STORE_ECORRUPT ? CTL_EXIT_TEMPFAIL :
			    CTL_EXIT_FAIL;
		}
	}
	rc = ctl_run(&ctx, argc, argv);
	fflush(stdout);
	if (ctx.st != NULL)
		store_close(&ctx.st);
	return rc;
}

/*
 * run - via duplexd when its control socket answers, else here under the
 * data dir's owner lock. A lock held while the socket is silent belongs to
 * a duplexd that is starting (it locks, opens the store, and only then
 * listens on the socket) or to another duplexctl: wait for the socket or
 * the lock, up to OWNER_WAIT_MS, as duplexd waits for a duplexctl's lock.
 */
#define OWNER_WAIT_MS 10000

static int
run(const struct conf *c, bool json, uint32_t flags, unsigned timeout, int argc, char **argv,
    int extra_fd)
{
	int rc, lock = -1, waited;

	for (waited = 0;; waited += 100) {
		if ((rc = via_daemon(c, flags, timeout, argc, argv, extra_fd)) >= 0)
			return rc;
		if (!needs_store(argc, argv))
			return direct(c, json, argc, argv, extra_fd, -1);
		if ((lock = lockfile_take(c->data_dir)) != -EWOULDBLOCK || waited >= OWNER_WAIT_MS)
			break;
		usleep(100 * 1000);
	}
	if (lock < 0) {
		fprintf(stderr, "duplexctl: %s: %s\n", c->data_dir,
		    lock == -EWOULDBLOCK ? "owned by a duplexd whose control socket does not answer"
					 : lockfile_why(lock));
		return CTL_EXIT_TEMPFAIL;
	}
	rc = direct(c, json, argc, argv, extra_fd, lock);
	close(lock);
	return rc;
}

/* the options before the command */
struct opts {
	const char *path;
	bool json, have_timeout;
	unsigned timeout;
};

/* parse_opts - the options into o; the index of the command. Help and misuse exit here */
static int
parse_opts(int argc, char **argv, struct opts *o)
{
	int i;

	*o = (struct opts){ .path = DEFAULT_CONF };
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			o->path = argv[++i];
		else if (strcmp(argv[i], "--json") == 0)
			o->json = true;
		else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) {
			if (!parse_timeout(argv[++i], &o->timeout)) {
				fprintf(stderr, "duplexctl: --timeout wants whole seconds, 0 to %d\n",
				    TIMEOUT_MAX);
				exit(CTL_EXIT_USAGE);
			}
			o->have_timeout = true;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			ctl_usage(stdout);
			exit(0);
		} else {
			ctl_usage(stderr);
			exit(CTL_EXIT_USAGE);
		}
	}
	if (i == argc) {
		ctl_usage(stderr);
		exit(CTL_EXIT_USAGE);
	}
	return i;
}

/* dispatch - cluster commands here, probe only by the daemon, the rest by run() */
static int
dispatch(const struct conf *c, const struct opts *o, int argc, char **argv, int extra_fd)
{
	struct ctl_cmd_mode mode = { 0 };
	unsigned timeout;
	uint32_t flags;
	int rc;

	ctl_command_mode(argc, argv, &mode);
	flags = (o->json ? CTL_FLAG_JSON : 0) | (mode.capture ? CTL_FLAG_CAPTURE : 0);
	timeout = o->have_timeout ? o->timeout : mode.timeout;
	if (client_side(argc, argv))
		return direct(c, o->json, argc, argv, extra_fd, -1);
	if (strcmp(argv[0], "probe") != 0)
		return run(c, o->json, flags, timeout, argc, argv, extra_fd);
	/* probe asks the running daemon; run here it would take the data
	 * dir's lock, and a duplexd starting meanwhile (a failover, with
	 * duplex-hb probing every round) would fail on it */
	if ((rc = via_daemon(c, flags, timeout, argc, argv, extra_fd)) < 0) {
		fprintf(stderr, "duplexctl: probe: duplexd is not running\n");
		rc = CTL_EXIT_NOT_RUNNING;
	}
	return rc;
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct conf c;
	char err[1024];
	int i, extra_fd, rc;

	i = parse_opts(argc, argv, &o);
	if (conf_load(o.path, &c, err, sizeof(err)) < 0) {
		fprintf(stderr, "duplexctl: %s\n", err);
		return CTL_EXIT_FAIL;
	}
	log_open("duplexctl", false, (enum log_level)c.log_level);
	if (ctl_prepare(argc - i, argv + i, &extra_fd, stderr) < 0)
		return CTL_EXIT_FAIL;
	rc = dispatch(&c, &o, argc - i, argv + i, extra_fd);
	if (extra_fd >= 0)
		close(extra_fd);
	conf_free(&c);
	return rc;
}
