/*
 * ctl_wire.h - the control socket's framing: one request, one reply.
 *
 * A request carries argv and the caller's own file descriptors (stdin,
 * stdout, stderr and an optional extra one) over SCM_RIGHTS. The daemon runs
 * the command with them: output streams straight to the caller, and files
 * the caller names are opened by the caller, with the caller's permissions,
 * never by the daemon. The reply is the command's exit status.
 *
 * Limits: CTL_MAX_ARGS arguments of at most CTL_MAX_ARG bytes each.
 */
#ifndef DUPLEX_CTL_WIRE_H
#define DUPLEX_CTL_WIRE_H

#include <stdint.h>

#define CTL_MAX_ARGS 256
#define CTL_MAX_ARG 4096
#define CTL_NFDS 4		/* stdin, stdout, stderr, extra (-1 if none) */
#define CTL_FLAG_JSON 1u

struct ctl_request {
	uint32_t flags;
	int argc;
	char **argv;		/* owned; ctl_request_free() releases */
	int fds[CTL_NFDS];	/* owned; closed by ctl_request_free() */
};

/* ctl_wire_connect - connect to the control socket at path; fd or -errno */
int ctl_wire_connect(const char *path);
/* ctl_wire_send - send argv and fds (extra_fd may be -1); 0 or -1 */
int ctl_wire_send(int sock, uint32_t flags, int argc, char *const *argv, int extra_fd);
/* ctl_wire_recv - read one request; 0, or -1 on a malformed or short one */
int ctl_wire_recv(int sock, struct ctl_request *req);
void ctl_request_free(struct ctl_request *req);
/* ctl_wire_reply / ctl_wire_wait - the exit status, daemon to caller */
int ctl_wire_reply(int sock, int status);
int ctl_wire_wait(int sock, int *status_r);

#endif
