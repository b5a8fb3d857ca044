/*
 * ctl_wire.h - the control socket's framing: one request, one reply.
 *
 * A request carries argv and the caller's own file descriptors (stdin,
 * stdout, stderr and an optional extra one) over SCM_RIGHTS. The daemon runs
 * the command with them: output streams straight to the caller, and files
 * the caller names are opened by the caller, with the caller's permissions,
 * never by the daemon. The reply is the command's exit status.
 *
 * With CTL_FLAG_CAPTURE no descriptors travel: the daemon runs the command
 * with /dev/null as stdin and sends its output back in the reply, for the
 * caller to print. A daemon that is stopped (SIGSTOP) or wedged then holds
 * nothing of the caller's: passed descriptors stay open as long as the
 * request sits unread in the daemon's socket, even after the caller exits,
 * and a pipe the caller's reader waits on would never see its end.
 *
 * Limits: CTL_MAX_ARGS arguments of at most CTL_MAX_ARG bytes each;
 * captured output of at most CTL_MAX_CAPTURE bytes per stream (the rest is
 * cut).
 */
#ifndef DUPLEX_CTL_WIRE_H
#define DUPLEX_CTL_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define CTL_MAX_ARGS 256
#define CTL_MAX_ARG 4096
#define CTL_NFDS 4		/* stdin, stdout, stderr, extra (-1 if none) */
#define CTL_MAX_CAPTURE (256 * 1024)
#define CTL_FLAG_JSON 1u
#define CTL_FLAG_CAPTURE 2u	/* no descriptors; the output comes back in the reply */

struct ctl_request {
	uint32_t flags;
	int argc;
	char **argv;		/* owned; ctl_request_free() releases */
	int fds[CTL_NFDS];	/* owned; closed by ctl_request_free() */
};

/* a command's answer: its exit status, and its output with CTL_FLAG_CAPTURE */
struct ctl_reply {
	int status;
	char *out, *err;	/* owned (malloc'ed); ctl_reply_free() releases */
	size_t outlen, errlen;
};

/*
 * Deadlines are CLOCK_MONOTONIC milliseconds, or -1 for none. Past its
 * deadline a call gives up with -ETIMEDOUT.
 */
/* ctl_wire_deadline - seconds from now (0: none) */
int64_t ctl_wire_deadline(unsigned seconds);
/* ctl_wire_connect - connect to the control socket at path; fd or -errno */
int ctl_wire_connect(const char *path, int64_t deadline);
/* ctl_wire_send - send argv, and stdio and extra_fd (may be -1) unless capturing; 0 or <0 */
int ctl_wire_send(int sock, uint32_t flags, int argc, char *const *argv, int extra_fd);
/*
 * ctl_wire_recv - read one request by deadline; 0, -1 on a malformed or short
 * one, -ETIMEDOUT past the deadline, -ECANCELED once cancel_fd (-1: none)
 * is readable
 */
int ctl_wire_recv(int sock, struct ctl_request *req, int64_t deadline, int cancel_fd);
void ctl_request_free(struct ctl_request *req);
/*
 * ctl_wire_reply / ctl_wire_wait - the answer, daemon to caller; flags are
 * the request's. The reply gives up with -ETIMEDOUT at its deadline, or a
 * second after cancel_fd (-1: none) turns readable.
 */
int ctl_wire_reply(int sock, uint32_t flags, const struct ctl_reply *rep, int64_t deadline,
    int cancel_fd);
int ctl_wire_wait(int sock, uint32_t flags, int64_t deadline, struct ctl_reply *rep);
void ctl_reply_free(struct ctl_reply *rep);

#endif
