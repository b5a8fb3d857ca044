/*
 * ctl_server.c - the daemon's side of the control socket.
 *
 * One accept thread; each connection runs its one command in a thread of
 * its own (commands block on durable commits, which is what they are for).
 * Only root and the daemon's own uid may connect: the socket is mode 0660
 * and SO_PEERCRED is checked. At most CTL_MAX_CLIENTS run at once.
 * A request with CTL_FLAG_CAPTURE runs on memory streams whose contents
 * go back in the reply (ctl_wire.h says why).
 *
 * A stuck local client holds no thread for long: the request must arrive
 * within CTL_REQUEST_S of the connect and the reply be taken within
 * CTL_REPLY_S, and once the daemon stops, a request not yet read whole is
 * dropped at once and a reply not taken gets a second. A command that has
 * started still runs to its end.
 */
#include "ctl/ctl.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl/ctl_wire.h"
#include "util/log.h"
#include "util/xalloc.h"

#define CTL_MAX_CLIENTS 64
#define CTL_ACCEPT_PAUSE_MS 100
#define CTL_REQUEST_S 5
#define CTL_REPLY_S 10

static struct {
	int listen_fd;
	int stop_pipe[2];
	char *path;
	pthread_t thread;
	struct store *st;
	const struct conf *conf;
	const struct ctl_daemon *daemon;
	atomic_int clients;
	pthread_mutex_t lock;
	pthread_cond_t idle;
} ctl_srv = { .listen_fd = -1, .lock = PTHREAD_MUTEX_INITIALIZER, .idle = PTHREAD_COND_INITIALIZER };

/* ctl_peer_ok - root or our own uid */
static bool
ctl_peer_ok(int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0)
		return false;
	return cr.uid == 0 || cr.uid == getuid();
}

/*
 * ctl_streams - the command's stdio: the caller's own descriptors, or with
 * CTL_FLAG_CAPTURE /dev/null in and memory out, sent back in the reply
 */
static bool
ctl_streams(const struct ctl_request *req, struct ctl_ctx *ctx, struct ctl_reply *rep)
{
	if (req->flags & CTL_FLAG_CAPTURE) {
		ctx->in = fopen("/dev/null", "re");
		ctx->in_fd = ctx->in ? fileno(ctx->in) : -1;
		ctx->out = open_memstream(&rep->out, &rep->outlen);
		ctx->err = open_memstream(&rep->err, &rep->errlen);
	} else {
		ctx->in_fd = req->fds[0];
		ctx->in = fdopen(dup(req->fds[0]), "r");
		ctx->out = fdopen(dup(req->fds[1]), "w");
		ctx->err = fdopen(dup(req->fds[2]), "w");
	}
	return ctx->in && ctx->out && ctx->err;
}

/* ctl_answer - send the reply, by its deadline */
static void
ctl_answer(int fd, const char *id, uint32_t flags, const struct ctl_reply *rep)
{
	int rc = ctl_wire_reply(fd, flags, rep, ctl_wire_deadline(CTL_REPLY_S), ctl_srv.stop_pipe[0]);

	if (rc == -ETIMEDOUT)
		log_warn(id, "control: the caller did not take the answer in time (status %d); "
		    "closing", rep->status);
	else if (rc < 0)
		log_warn(id, "control: the caller left before the answer (status %d)", rep->status);
}

/* ctl_client - run one request on its own thread */
static void *
ctl_client(void *arg)
{
	int fd = (int)(intptr_t)arg;
	struct ctl_request req;
	struct ctl_ctx ctx = { 0 };
	struct ctl_reply rep = { .status = CTL_EXIT_SOFTWARE };
	char id[13];
	int rc;

	log_new_id(id);
	rc = ctl_wire_recv(fd, &req, ctl_wire_deadline(CTL_REQUEST_S), ctl_srv.stop_pipe[0]);
	if (rc == 0) {
		ctx.st = ctl_srv.st;
		ctx.conf = ctl_srv.conf;
		ctx.daemon = ctl_srv.daemon;
		ctx.extra_fd = req.fds[3];
		ctx.json = (req.flags & CTL_FLAG_JSON) != 0;
		if (ctl_streams(&req, &ctx, &rep)) {
			log_info(id, "control: %s%s%s", req.argc ? req.argv[0] : "",
			    req.argc > 1 ? " " : "", req.argc > 1 ? req.argv[1] : "");
			rep.status = ctl_run(&ctx, req.argc, req.argv);
		}
		if (ctx.in)
			fclose(ctx.in);
		if (ctx.out)
			fclose(ctx.out);
		if (ctx.err)
			fclose(ctx.err);
	} else if (rc == -ETIMEDOUT)
		log_warn(id, "control: no whole request within %d s; closing", CTL_REQUEST_S);
	else if (rc == -ECANCELED)
		log_info(id, "control: stopping; an unfinished request is dropped");
	else
		log_warn(id, "control: malformed request");
	if (rc == 0 || rc == -1)
		ctl_answer(fd, id, req.flags, &rep);
	ctl_reply_free(&rep);
	ctl_request_free(&req);
	close(fd);
	pthread_mutex_lock(&ctl_srv.lock);
	if (--ctl_srv.clients == 0)
		pthread_cond_broadcast(&ctl_srv.idle);
	pthread_mutex_unlock(&ctl_srv.lock);
	return NULL;
}

/* ctl_accept_loop - until the stop pipe is written */
static void *
ctl_accept_loop(void *arg)
{
	struct pollfd pfd[2] = { { ctl_srv.listen_fd, POLLIN, 0 }, { ctl_srv.stop_pipe[0], POLLIN, 0 } };

	for (;;) {
		pthread_t t;
		pthread_attr_t attr;
		int fd;

		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			break;
		if (pfd[1].revents)
			break;
		if (!(pfd[0].revents & POLLIN))
			continue;
		if ((fd = accept4(ctl_srv.listen_fd, NULL, NULL, SOCK_CLOEXEC)) < 0) {
			/* out of descriptors the socket stays readable: wait, not spin */
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
				poll(&pfd[1], 1, CTL_ACCEPT_PAUSE_MS);
			continue;
		}
		if (!ctl_peer_ok(fd) || ctl_srv.clients >= CTL_MAX_CLIENTS) {
			log_warn(NULL, "control: connection refused (peer not allowed or too many)");
			close(fd);
			continue;
		}
		pthread_mutex_lock(&ctl_srv.lock);
		ctl_srv.clients++;
		pthread_mutex_unlock(&ctl_srv.lock);
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		if (pthread_create(&t, &attr, ctl_client, (void *)(intptr_t)fd) != 0) {
			close(fd);
			pthread_mutex_lock(&ctl_srv.lock);
			ctl_srv.clients--;
			pthread_mutex_unlock(&ctl_srv.lock);
		}
		pthread_attr_destroy(&attr);
	}
	return NULL;
}

int
ctl_serve_start(const char *path, struct store *st, const struct conf *conf,
    const struct ctl_daemon *daemon)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	mode_t old;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	unlink(path);	/* a stale socket: the data dir lock proves we are the owner */
	if ((ctl_srv.listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	old = umask(0117);
	if (bind(ctl_srv.listen_fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    listen(ctl_srv.listen_fd, 16) < 0 || pipe2(ctl_srv.stop_pipe, O_CLOEXEC) < 0) {
		int e = errno;
		umask(old);
		close(ctl_srv.listen_fd);
		ctl_srv.listen_fd = -1;
		return -e;
	}
	umask(old);
	ctl_srv.path = xstrdup(path);
	ctl_srv.st = st;
	ctl_srv.conf = conf;
	ctl_srv.daemon = daemon;
	if (pthread_create(&ctl_srv.thread, NULL, ctl_accept_loop, NULL) != 0)
		log_panic("control: cannot start the accept thread");
	return 0;
}

void
ctl_serve_stop(void)
{
	if (ctl_srv.listen_fd < 0)
		return;
	if (write(ctl_srv.stop_pipe[1], "x", 1) != 1)
		log_panic("control: cannot stop the accept thread");
	pthread_join(ctl_srv.thread, NULL);
	close(ctl_srv.listen_fd);
	ctl_srv.listen_fd = -1;
	unlink(ctl_srv.path);
	pthread_mutex_lock(&ctl_srv.lock);
	while (ctl_srv.clients > 0)
		pthread_cond_wait(&ctl_srv.idle, &ctl_srv.lock);
	pthread_mutex_unlock(&ctl_srv.lock);
	close(ctl_srv.stop_pipe[0]);
	close(ctl_srv.stop_pipe[1]);
	free(ctl_srv.path);
	ctl_srv.path = NULL;
}
