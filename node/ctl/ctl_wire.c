/*
 * ctl_wire.c - control socket framing with descriptor passing; see ctl_wire.h.
 *
 * Request: "DPX1", u32 flags, u32 argc, then argc times (u32 length, bytes),
 * all in network byte order; the descriptors ride on the first byte.
 * Reply: u32 status; with CTL_FLAG_CAPTURE then (u32 length, bytes) for
 * stdout and again for stderr.
 */
#include "ctl/ctl_wire.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/mono.h"
#include "util/xalloc.h"

static const char ctl_magic[4] = { 'D', 'P', 'X', '1' };

int64_t
ctl_wire_deadline(unsigned seconds)
{
	return seconds ? (int64_t)mono_ms() + (int64_t)seconds * 1000 : -1;
}

/* left_ms - what remains until deadline, at least 1 ms; -1 for none */
static int64_t
left_ms(int64_t deadline)
{
	int64_t left = deadline - (int64_t)mono_ms();

	return deadline < 0 ? -1 : left > 0 ? left : 1;
}

/*
 * ctl_wire_connect - SO_SNDTIMEO bounds connect (a daemon that stopped
 * accepting fills its backlog) and the request's writes
 */
int
ctl_wire_connect(const char *path, int64_t deadline)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int64_t left = left_ms(deadline);
	struct timeval tv = { .tv_sec = left / 1000, .tv_usec = left % 1000 * 1000 };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	if ((left > 0 && setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0) ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		int e = errno == EAGAIN ? ETIMEDOUT : errno;
		close(fd);
		return -e;
	}
	return fd;
}

/* put_u32 - append a network-order u32 */
static void
put_u32(struct buf *b, uint32_t v)
{
	v = htonl(v);
	buf_append(b, &v, 4);
}

/*
 * wait_io - until fd is ready for events: 0; -ETIMEDOUT past the deadline;
 * -ECANCELED once cancel_fd (-1: none) is readable and fd is not ready
 */
static int
wait_io(int fd, short events, int64_t deadline, int cancel_fd)
{
	struct pollfd pfd[2] = { { fd, events, 0 }, { cancel_fd, POLLIN, 0 } };
	int pr;

	do
		pr = poll(pfd, 2, (int)left_ms(deadline));
	while (pr < 0 && errno == EINTR);
	if (pr < 0)
		return -1;
	if (pr == 0)
		return -ETIMEDOUT;
	return pfd[0].revents ? 0 : -ECANCELED;
}

/*
 * send_all - n bytes by deadline. Once cancel_fd is readable a caller that
 * is still reading gets CTL_WIRE_GRACE_MS more, a stuck one no longer.
 * With neither (the caller's side) the writes block, bounded only by the
 * socket's SO_SNDTIMEO (EAGAIN, then -1).
 */
#define CTL_WIRE_GRACE_MS 1000

static int
send_all(int fd, const char *p, size_t n, int64_t deadline, int cancel_fd)
{
	bool wait = deadline >= 0 || cancel_fd >= 0;

	while (n > 0) {
		ssize_t w;
		int rc = wait ? wait_io(fd, POLLOUT, deadline, cancel_fd) : 0;

		if (rc == -ECANCELED) {
			cancel_fd = -1;
			if (deadline < 0 || deadline > (int64_t)mono_ms() + CTL_WIRE_GRACE_MS)
				deadline = (int64_t)mono_ms() + CTL_WIRE_GRACE_MS;
			continue;
		}
		if (rc < 0)
			return rc;
		w = send(fd, p, n, MSG_NOSIGNAL | (wait ? MSG_DONTWAIT : 0));
		if (w < 0 && (errno == EINTR || (wait && errno == EAGAIN)))
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
ctl_wire_send(int sock, uint32_t flags, int argc, char *const *argv, int extra_fd)
{
	struct buf b = BUF_INIT;
	int fds[CTL_NFDS] = { 0, 1, 2, extra_fd };
	int nfds = (flags & CTL_FLAG_CAPTURE) ? 0 : extra_fd >= 0 ? 4 : 3;
	char cbuf[CMSG_SPACE(sizeof(fds))];
	struct iovec iov;
	struct msghdr mh = { 0 };
	struct cmsghdr *cm;
	ssize_t w;
	int rc = -1;

	if (argc > CTL_MAX_ARGS)
		return -1;
	buf_append(&b, ctl_magic, 4);
	put_u32(&b, flags);
	put_u32(&b, (uint32_t)argc);
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]);

		if (n > CTL_MAX_ARG)
			goto out;
		put_u32(&b, (uint32_t)n);
		buf_append(&b, argv[i], n);
	}
	iov.iov_base = b.data;
	iov.iov_len = b.len;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	memset(cbuf, 0, sizeof(cbuf));
	if (nfds > 0) {
		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * (size_t)nfds);
	}
	do
		w = sendmsg(sock, &mh, MSG_NOSIGNAL);
	while (w < 0 && errno == EINTR);
	if (w > 0 && send_all(sock, b.data + w, b.len - (size_t)w, -1, -1) == 0)
		rc = 0;
	else if (errno == EAGAIN)
		rc = -ETIMEDOUT;	/* SO_SNDTIMEO from ctl_wire_connect */
out:
	buf_free(&b);
	return rc;
}

/* read_full - exactly n bytes by deadline; 0, -1, or wait_io's -ETIMEDOUT or -ECANCELED */
static int
read_full(int fd, void *p, size_t n, int64_t deadline, int cancel_fd)
{
	char *c = p;

	while (n > 0) {
		ssize_t r;
		int rc = wait_io(fd, POLLIN, deadline, cancel_fd);

		if (rc < 0)
			return rc;
		r = read(fd, c, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		c += r;
		n -= (size_t)r;
	}
	return 0;
}

static int
get_u32(int fd, uint32_t *v, int64_t deadline, int cancel_fd)
{
	int rc = read_full(fd, v, 4, deadline, cancel_fd);

	*v = rc == 0 ? ntohl(*v) : 0;
	return rc;
}

/*
 * recv_head - the magic with the descriptors attached to its first byte;
 * 0, -1 for a bad head, or wait_io's -ETIMEDOUT or -ECANCELED
 */
static int
recv_head(int sock, struct ctl_request *req, int64_t deadline, int cancel_fd)
{
	char magic[4];
	char cbuf[CMSG_SPACE(sizeof(int) * CTL_NFDS)];
	struct iovec iov = { magic, 4 };
	struct msghdr mh = { 0 };
	struct cmsghdr *cm;
	ssize_t r;
	int rc;

	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	if ((rc = wait_io(sock, POLLIN, deadline, cancel_fd)) < 0)
		return rc;
	do
		r = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	while (r < 0 && errno == EINTR);
	for (cm = r > 0 ? CMSG_FIRSTHDR(&mh) : NULL; cm != NULL; cm = CMSG_NXTHDR(&mh, cm)) {
		size_t n;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		memcpy(req->fds, CMSG_DATA(cm), sizeof(int) * (n < CTL_NFDS ? n : CTL_NFDS));
		for (size_t i = CTL_NFDS; i < n; i++)
			close(((int *)CMSG_DATA(cm))[i]);
	}
	if (r <= 0 || (mh.msg_flags & MSG_CTRUNC))
		return -1;
	if (r < 4 && (rc = read_full(sock, magic + r, 4 - (size_t)r, deadline, cancel_fd)) < 0)
		return rc;
	return memcmp(magic, ctl_magic, 4) != 0 ? -1 : 0;
}

int
ctl_wire_recv(int sock, struct ctl_request *req, int64_t deadline, int cancel_fd)
{
	uint32_t argc, len;
	int rc;

	memset(req, 0, sizeof(*req));
	for (int i = 0; i < CTL_NFDS; i++)
		req->fds[i] = -1;
	if ((rc = recv_head(sock, req, deadline, cancel_fd)) < 0 ||
	    (rc = get_u32(sock, &req->flags, deadline, cancel_fd)) < 0 ||
	    (rc = get_u32(sock, &argc, deadline, cancel_fd)) < 0)
		return rc;
	if (argc > CTL_MAX_ARGS)
		return -1;
	if (!(req->flags & CTL_FLAG_CAPTURE) && (req->fds[0] < 0 || req->fds[1] < 0 || req->fds[2] < 0))
		return -1;
	req->argv = xcalloc(argc + 1, sizeof(char *));
	for (; (uint32_t)req->argc < argc; req->argc++) {
		if ((rc = get_u32(sock, &len, deadline, cancel_fd)) < 0)
			return rc;
		if (len > CTL_MAX_ARG)
			return -1;
		req->argv[req->argc] = xmalloc(len + 1);
		req->argv[req->argc][len] = '\0';
		if ((rc = read_full(sock, req->argv[req->argc], len, deadline, cancel_fd)) < 0) {
			free(req->argv[req->argc]);
			return rc;
		}
		if (memchr(req->argv[req->argc], '\0', len) != NULL) {
			free(req->argv[req->argc]);
			return -1;
		}
	}
	return 0;
}

void
ctl_request_free(struct ctl_request *req)
{
	for (int i = 0; i < req->argc; i++)
		free(req->argv[i]);
	free(req->argv);
	req->argv = NULL;
	req->argc = 0;
	for (int i = 0; i < CTL_NFDS; i++)
		if (req->fds[i] >= 0)
			close(req->fds[i]);
}

/* put_bytes - a length-prefixed stream, cut at CTL_MAX_CAPTURE */
static void
put_bytes(struct buf *b, const char *p, size_t n)
{
	if (n > CTL_MAX_CAPTURE)
		n = CTL_MAX_CAPTURE;
	put_u32(b, (uint32_t)n);
	buf_append(b, p, n);
}

int
ctl_wire_reply(int sock, uint32_t flags, const struct ctl_reply *rep, int64_t deadline,
    int cancel_fd)
{
	struct buf b = BUF_INIT;
	int rc;

	put_u32(&b, (uint32_t)rep->status);
	if (flags & CTL_FLAG_CAPTURE) {
		put_bytes(&b, rep->out, rep->outlen);
		put_bytes(&b, rep->err, rep->errlen);
	}
	rc = send_all(sock, b.data, b.len, deadline, cancel_fd);
	buf_free(&b);
	return rc;
}

/* get_bytes - a length-prefixed stream into a new NUL-terminated buffer */
static int
get_bytes(int sock, int64_t deadline, char **p_r, size_t *n_r)
{
	uint32_t n;
	int rc;

	if ((rc = get_u32(sock, &n, deadline, -1)) < 0)
		return rc;
	if (n > CTL_MAX_CAPTURE)
		return -1;
	*p_r = xmalloc(n + 1);
	(*p_r)[n] = '\0';
	*n_r = n;
	return read_full(sock, *p_r, n, deadline, -1);
}

int
ctl_wire_wait(int sock, uint32_t flags, int64_t deadline, struct ctl_reply *rep)
{
	uint32_t v;
	int rc;

	memset(rep, 0, sizeof(*rep));
	if ((rc = get_u32(sock, &v, deadline, -1)) < 0)
		return rc;
	rep->status = (int)v;
	if (!(flags & CTL_FLAG_CAPTURE))
		return 0;
	if ((rc = get_bytes(sock, deadline, &rep->out, &rep->outlen)) < 0)
		return rc;
	return get_bytes(sock, deadline, &rep->err, &rep->errlen);
}

void
ctl_reply_free(struct ctl_reply *rep)
{
	free(rep->out);
	free(rep->err);
	rep->out = rep->err = NULL;
	rep->outlen = rep->errlen = 0;
}
