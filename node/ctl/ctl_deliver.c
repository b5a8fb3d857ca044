/*
 * ctl_deliver.c - duplexctl deliver: the local delivery agent for Postfix's
 * pipe(8) or mailbox_command.
 *
 * It exits 0 only once the message is durably stored for every recipient.
 * With several recipients one status covers all of them, so a temporary
 * failure of any recipient gives 75 (the MTA retries, and a recipient that
 * was stored may get a second copy: duplicates over loss); otherwise an
 * unknown recipient gives 67. Configure the MTA with a recipient limit of 1
 * for exact per-recipient results.
 */
#include "ctl/ctl_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf/conf.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xalloc.h"

/* ctl_read_fd - fd into msg, at most limit bytes; 0, 1 if over, -1 on error */
int
ctl_read_fd(int fd, uint64_t limit, struct buf *msg)
{
	for (;;) {
		ssize_t r;

		buf_reserve(msg, 65536);
		r = read(fd, msg->data + msg->len, 65536);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			return 0;
		msg->len += (size_t)r;
		if (msg->len > limit)
			return 1;
	}
}

/* deliver_status - one exit status for all recipients; see the header */
static int
deliver_status(const struct store_rcpt_result *res, size_t n)
{
	int status = CTL_EXIT_OK;

	for (size_t i = 0; i < n; i++) {
		if (res[i].err == STORE_OK)
			continue;
		if (store_err_is_temporary(res[i].err))
			return CTL_EXIT_TEMPFAIL;
		status = res[i].err == STORE_ENOTFOUND ? CTL_EXIT_NOUSER : CTL_EXIT_DATAERR;
	}
	return status;
}

int
ctl_deliver(struct ctl_ctx *ctx, int argc, char **argv)
{
	struct buf msg = BUF_INIT;
	struct store_rcpt_result *res;
	const char *mailbox = NULL;
	char qid[13];
	int rc;

	if (argc >= 2 && strcmp(argv[0], "-m") == 0) {
		mailbox = argv[1];
		argc -= 2;
		argv += 2;
	}
	if (argc < 1)
		return ctl_usage_fail(ctx, "usage: duplexctl deliver [-m MAILBOX] ADDRESS...");
	log_new_id(qid);
	rc = ctl_read_fd(ctx->in_fd, ctx->conf->max_message_size, &msg);
	if (rc != 0) {
		buf_free(&msg);
		fprintf(ctx->err, "duplexctl: %s: %s\n", qid,
		    rc > 0 ? "message exceeds max_message_size" : "cannot read the message");
		log_warn(qid, "deliver refused: %s", rc > 0 ? "message too big" : "read error");
		return rc > 0 ? CTL_EXIT_DATAERR : CTL_EXIT_TEMPFAIL;
	}
	res = xcalloc((size_t)argc, sizeof(*res));
	rc = store_deliver(ctx->st, qid, msg.data ? msg.data : "", msg.len,
	    (const char *const *)argv, (size_t)argc, mailbox, (int64_t)time(NULL), res);
	if (rc < 0) {
		for (int i = 0; i < argc; i++)
			res[i].err = rc;
	}
	for (int i = 0; i < argc; i++) {
		if (res[i].err == STORE_OK)
			continue;
		fprintf(ctx->err, "duplexctl: %s: %s: %s%s%s\n", qid, argv[i], store_strerror(res[i].err),
		    res[i].detail[0] ? ": " : "", res[i].detail);
	}
	rc = deliver_status(res, (size_t)argc);
	if (ctx->json)
		fprintf(ctx->out, "{\"queue_id\":\"%s\",\"status\":%d}\n", qid, rc);
	free(res);
	buf_free(&msg);
	return rc;
}
