/*
 * hb_probe.c - duplex-hb's probes: a write through the commit path (by
 * running duplexctl probe, which goes over the control socket), protocol
 * greetings over TCP, and the DRBD state.
 *
 * Every probe has a deadline: a hung store must make the probe fail, never
 * hang the monitor. Child processes that miss it are killed (SIGKILL) and
 * reaped.
 *
 * Hazard: a probe of the commit path writes one small record each round;
 * the store keeps only the latest (store_probe), so it does not grow.
 */
#include "hb_int.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/hostport.h"
#include "util/mono.h"

double
hb_now(void)
{
	return (double)mono_ns() / 1e9;
}

int
hb_run_capture(char *const argv[], unsigned timeout_s, char *out, size_t outlen, int *status_r)
{
	double deadline = hb_now() + timeout_s;
	size_t len = 0;
	int pfd[2], st = 0;
	pid_t pid;

	out[0] = '\0';
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -1;
	if ((pid = fork()) < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR);

		dup2(devnull, 0);
		dup2(pfd[1], 1);
		dup2(devnull, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	for (;;) {
		struct pollfd p = { pfd[0], POLLIN, 0 };
		int left = (int)((deadline - hb_now()) * 1000);
		ssize_t n;

		if (left <= 0 || poll(&p, 1, left) <= 0) {
			if (left > 0 && errno == EINTR)
				continue;
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			close(pfd[0]);
			return -ETIMEDOUT;
		}
		if (outlen - len > 1)
			n = read(pfd[0], out + len, outlen - len - 1);
		else {
			char sink[512];

			n = read(pfd[0], sink, sizeof(sink));
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (outlen - len > 1) {
			len += (size_t)n;
			out[len] = '\0';
		}
	}
	close(pfd[0]);
	/* stdout closed: the child is exiting; bound the wait anyway */
	while (waitpid(pid, &st, WNOHANG) == 0) {
		if (hb_now() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return -ETIMEDOUT;
		}
		usleep(10000);
	}
	*status_r = st;
	return 0;
}

enum hb_probe
hb_probe_commit(const struct hb_conf *hc, double *ms, char *why, size_t whylen)
{
	char *argv[] = { hc->duplexctl, "-c", hc->duplex_conf, "--json", "probe", NULL };
	char out[512];
	const char *p;
	int st, rc;

	*ms = 0;
	rc = hb_run_capture(argv, hc->probe_timeout, out, sizeof(out), &st);
	if (rc == -ETIMEDOUT) {
		snprintf(why, whylen, "commit probe timed out after %us", hc->probe_timeout);
		return HB_PROBE_FAIL;
	}
	if (rc < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		snprintf(why, whylen, "duplexctl probe failed (exit %d)",
		    rc < 0 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
		return HB_PROBE_FAIL;
	}
	if ((p = strstr(out, "\"commit_ms\":")) == NULL) {
		snprintf(why, whylen, "duplexctl probe: unexpected output");
		return HB_PROBE_FAIL;
	}
	*ms = strtod(p + 12, NULL);
	return HB_PROBE_OK;
}

/* connect_deadline - a TCP connection to host:port within timeout_ms; fd or -1 */
static int
connect_deadline(const char *hostport, int timeout_ms, char *why, size_t whylen)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai = NULL;
	char host[256], portstr[16];
	unsigned port;
	int fd = -1, rc;

	if (hostport_split(hostport, host, sizeof(host), &port) < 0) {
		snprintf(why, whylen, "%s: not host:port", hostport);
		return -1;
	}
	if (strcmp(host, "0.0.0.0") == 0)
		snprintf(host, sizeof(host), "127.0.0.1");
	else if (strcmp(host, "::") == 0)
		snprintf(host, sizeof(host), "::1");
	snprintf(portstr, sizeof(portstr), "%u", port);
	hints.ai_flags = AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, portstr, &hints, &ai)) != 0) {
		snprintf(why, whylen, "%s: %s", hostport, gai_strerror(rc));
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno != EINPROGRESS) {
		snprintf(why, whylen, "%s: %s", hostport, strerror(errno));
		close(fd);
		fd = -1;
	} else if (fd >= 0) {
		struct pollfd p = { fd, POLLOUT, 0 };
		int soerr = 0;
		socklen_t sl = sizeof(soerr);

		if (poll(&p, 1, timeout_ms) <= 0) {
			snprintf(why, whylen, "%s: connect timed out", hostport);
			close(fd);
			fd = -1;
		} else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0 || soerr != 0) {
			snprintf(why, whylen, "%s: %s", hostport, strerror(soerr));
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(ai);
	return fd;
}

enum hb_probe
hb_probe_greeting(const char *hostport, const char *want, unsigned timeout_s, double *ms,
    char *why, size_t whylen)
{
	double start = hb_now(), deadline = start + timeout_s;
	char line[256];
	size_t len = 0;
	int fd;

	*ms = 0;
	if (hostport == NULL || hostport[0] == '\0')
		return HB_PROBE_SKIPPED;
	if ((fd = connect_deadline(hostport, (int)timeout_s * 1000, why, whylen)) < 0)
		return HB_PROBE_FAIL;
	while (len < sizeof(line) - 1 && memchr(line, '\n', len) == NULL) {
		struct pollfd p = { fd, POLLIN, 0 };
		int left = (int)((deadline - hb_now()) * 1000);
		ssize_t n;

		if (left <= 0 || poll(&p, 1, left) <= 0) {
			snprintf(why, whylen, "%s: no greeting within %us", hostport, timeout_s);
			close(fd);
			return HB_PROBE_FAIL;
		}
		if ((n = read(fd, line + len, sizeof(line) - 1 - len)) <= 0) {
			snprintf(why, whylen, "%s: closed before greeting", hostport);
			close(fd);
			return HB_PROBE_FAIL;
		}
		len += (size_t)n;
	}
	close(fd);
	line[len] = '\0';
	if (strncmp(line, want, strlen(want)) != 0) {
		line[strcspn(line, "\r\n")] = '\0';
		snprintf(why, whylen, "%s: greeting '%.60s', want '%s'", hostport, line, want);
		return HB_PROBE_FAIL;
	}
	*ms = (hb_now() - start) * 1e3;
	return HB_PROBE_OK;
}

/* one probe of a round: what to run, and where its result goes */
struct round_job {
	const struct hb_conf *hc;
	const char *hostport;		/* NULL: the commit probe */
	const char *want;
	struct hb_round_probe *out;
	pthread_t tid;
	bool started;
};

static void *
round_job_run(void *arg)
{
	struct round_job *j = arg;
	struct hb_round_probe *o = j->out;

	o->why[0] = '\0';
	if (j->hostport == NULL)
		o->r = hb_probe_commit(j->hc, &o->ms, o->why, sizeof(o->why));
	else
		o->r = hb_probe_greeting(j->hostport, j->want, j->hc->probe_timeout, &o->ms, o->why,
		    sizeof(o->why));
	return NULL;
}

void
hb_probe_round(const struct hb_conf *hc, enum hb_role role, const char *imap, const char *lmtp,
    struct hb_round *out)
{
	bool active = role == HB_ROLE_ACTIVE;
	struct round_job jobs[] = {
		{ hc, NULL, NULL, &out->commit, 0, active },
		{ hc, imap, "* OK", &out->imap, 0, active && hc->imap_probe && imap && imap[0] },
		{ hc, lmtp, "220", &out->lmtp, 0, active && hc->lmtp_probe && lmtp && lmtp[0] },
		{ hc, hc->vip_probe, "* OK", &out->vip, 0, role == HB_ROLE_STANDBY && hc->vip_probe[0] },
		{ hc, hc->ref_probe, "", &out->ref, 0, hc->ref_probe[0] != '\0' },
	};
	size_t n = sizeof(jobs) / sizeof(jobs[0]);

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		jobs[i].out->r = HB_PROBE_SKIPPED;
		/* no thread (resources): run it here, the round just takes longer */
		if (jobs[i].started && pthread_create(&jobs[i].tid, NULL, round_job_run, &jobs[i]) != 0) {
			jobs[i].started = false;
			round_job_run(&jobs[i]);
		}
	}
	for (size_t i = 0; i < n; i++)
		if (jobs[i].started)
			pthread_join(jobs[i].tid, NULL);
}

int
hb_probe_drbd(const struct hb_conf *hc, const char *file, struct hb_drbd *d)
{
	char out[16384];
	char *text = NULL;
	int st, rc = -1;

	if (file != NULL) {
		if ((text = hb_read_file(file, 1 << 20)) == NULL)
			return -1;
		rc = hb_drbd_parse(text, hc->drbd_resource, d);
		free(text);
		return rc;
	}
	if (hc->drbd_command[0] != '\0') {
		char *argv[] = { "/bin/sh", "-c", hc->drbd_command, NULL };

		if (hb_run_capture(argv, hc->probe_timeout, out, sizeof(out), &st) == 0 &&
		    WIFEXITED(st) && WEXITSTATUS(st) == 0 &&
		    hb_drbd_parse(out, hc->drbd_resource, d) == 0)
			return 0;
	}
	if ((text = hb_read_file("/proc/drbd", 1 << 16)) != NULL) {
		/* 8.4 names minors, not resources: try the resource, then the first */
		rc = hb_drbd_parse(text, hc->drbd_resource, d);
		if (rc < 0)
			rc = hb_drbd_parse(text, NULL, d);
		free(text);
	}
	return rc;
}
