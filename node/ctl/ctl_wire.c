/*
 * ctl_wire.c - control socket framing with descriptor passing; see ctl_wire.h.
 *
 * Request: "DPX1", u32 flags, u32 argc, then argc times (u32 length, bytes),
 * all in network byte order; the descriptors ride on the first byte.
 */
#include "ctl/ctl_wire.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/xalloc.h"

static const char ctl_magic[4] = { 'D', 'P', 'X', '1' };

int
ctl_wire_connect(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		int e = errno;
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

/* write_all - the rest of a buffer after sendmsg took the first part */
static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
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
	int nfds = extra_fd >= 0 ? 4 : 3;
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
	mh.msg_control = cbuf;
	mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
	memcpy(CMSG_DATA(cm), fds, sizeof(int) * (size_t)nfds);
	do
		w = sendmsg(sock, &mh, MSG_NOSIGNAL);
	while (w < 0 && errno == EINTR);
	if (w > 0 && write_all(sock, b.data + w, b.len - (size_t)w) == 0)
		rc = 0;
out:
	buf_free(&b);
	return rc;
}

/* read_full - exactly n bytes, or -1 */
static int
read_full(int fd, void *p, size_t n)
{
	char *c = p;

	while (n > 0) {
		ssize_t r = read(fd, c, n);

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
get_u32(int fd, uint32_t *v)
{
	if (read_full(fd, v, 4) < 0)
		return -1;
	*v = ntohl(*v);
	return 0;
}

/* recv_head - the magic with the descriptors attached to it */
static int
recv_head(int sock, struct ctl_request *req)
{
	char magic[4];
	char cbuf[CMSG_SPACE(sizeof(int) * CTL_NFDS)];
	struct iovec iov = { magic, 4 };
	struct msghdr mh = { 0 };
	struct cmsghdr *cm;
	ssize_t r;

	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	do
		r = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC | MSG_WAITALL);
	while (r < 0 && errno == EINTR);
	for (cm = CMSG_FIRSTHDR(&mh); cm != NULL; cm = CMSG_NXTHDR(&mh, cm)) {
		size_t n;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		memcpy(req->fds, CMSG_DATA(cm), sizeof(int) * (n < CTL_NFDS ? n : CTL_NFDS));
		for (size_t i = CTL_NFDS; i < n; i++)
			close(((int *)CMSG_DATA(cm))[i]);
	}
	if (r != 4 || (mh.msg_flags & MSG_CTRUNC) || memcmp(magic, ctl_magic, 4) != 0)
		return -1;
	return req->fds[0] >= 0 && req->fds[1] >= 0 && req->fds[2] >= 0 ? 0 : -1;
}

int
ctl_wire_recv(int sock, struct ctl_request *req)
{
	uint32_t argc, len;

	memset(req, 0, sizeof(*req));
	for (int i = 0; i < CTL_NFDS; i++)
		req->fds[i] = -1;
	if (recv_head(sock, req) < 0 || get_u32(sock, &req->flags) < 0 ||
	    get_u32(sock, &argc) < 0 || argc > CTL_MAX_ARGS)
		return -1;
	req->argv = xcalloc(argc + 1, sizeof(char *));
	for (; (uint32_t)req->argc < argc; req->argc++) {
		if (get_u32(sock, &len) < 0 || len > CTL_MAX_ARG)
			return -1;
		req->argv[req->argc] = xmalloc(len + 1);
		req->argv[req->argc][len] = '\0';
		if (read_full(sock, req->argv[req->argc], len) < 0) {
			free(req->argv[req->argc]);
			return -1;
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

int
ctl_wire_reply(int sock, int status)
{
	uint32_t v = htonl((uint32_t)status);

	return write_all(sock, (const char *)&v, 4);
}

int
ctl_wire_wait(int sock, int *status_r)
{
	uint32_t v;

	if (get_u32(sock, &v) < 0)
		return -1;
	*status_r = (int)v;
	return 0;
}
