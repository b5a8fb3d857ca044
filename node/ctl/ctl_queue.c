/*
 * ctl_queue.c - duplexctl queue list, flush and delete: the outbound
 * queue of submitted mail waiting for the smart host.
 *
 * They work on the store like every other command (in the daemon, or
 * alone when it is down). Flush only makes every entry due: the daemon's
 * relay worker notices within RELAY_POLL_S and tries them.
 */
#include "ctl/ctl_int.h"

#include <inttypes.h>
#include <string.h>

#include "store/store.h"
#include "util/json.h"

struct queue_list_state {
	struct ctl_ctx *ctx;
	time_t now;
	size_t n;
};

/* queue_row_json - one entry as a JSON object */
static void
queue_row_json(FILE *out, const struct store_queue_entry *e)
{
	fprintf(out, "{\"id\":\"%s\",\"created\":%" PRId64 ",\"from\":", e->qid, e->created);
	json_write_str(out, e->from);
	fputs(",\"recipients\":[", out);
	for (size_t i = 0; i < e->nrcpt; i++) {
		if (i > 0)
			fputc(',', out);
		json_write_str(out, e->rcpts[i]);
	}
	fprintf(out, "],\"size\":%zu,\"attempts\":%" PRIu32 ",\"next_attempt\":%" PRId64
	    ",\"last_error\":", e->msglen, e->attempts, e->next_attempt);
	json_write_str(out, e->last_error);
	fputc('}', out);
}

/* queue_row - one entry: id, age, size, sender, attempts, next try; recipients; last error */
static int
queue_row(const struct store_queue_entry *e, void *arg)
{
	struct queue_list_state *ls = arg;
	FILE *out = ls->ctx->out;
	long long age = (long long)(ls->now - e->created);
	long long next = (long long)(e->next_attempt - ls->now);

	if (ls->ctx->json) {
		fputs(ls->n++ ? "," : "", out);
		queue_row_json(out, e);
		return 0;
	}
	ls->n++;
	fprintf(out, "%s  age %llds  %zu bytes  from <%s>  attempts %" PRIu32 "  next %s",
	    e->qid, age, e->msglen, e->from, e->attempts, next <= 0 ? "now" : "in");
	if (next > 0)
		fprintf(out, " %llds", next);
	fputc('\n', out);
	for (size_t i = 0; i < e->nrcpt; i++)
		fprintf(out, "    to <%s>\n", e->rcpts[i]);
	if (e->last_error[0])
		fprintf(out, "    last error: %s\n", e->last_error);
	return 0;
}

int
ctl_queue_list(struct ctl_ctx *ctx, int argc, char **argv)
{
	struct queue_list_state ls = { ctx, time(NULL), 0 };
	struct store_rtxn *r;
	int rc;

	if ((rc = store_rtxn_begin(ctx->st, &r)) < 0)
		return ctl_store_fail(ctx, "read", rc);
	if (ctx->json)
		fputc('[', ctx->out);
	rc = store_queue_list(r, queue_row, &ls);
	store_rtxn_end(&r);
	if (ctx->json)
		fputs("]\n", ctx->out);
	else if (rc == 0)
		fprintf(ctx->out, "%zu queued %s\n", ls.n, ls.n == 1 ? "message" : "messages");
	return rc < 0 ? ctl_store_fail(ctx, "queue list", rc) : CTL_EXIT_OK;
}

int
ctl_queue_flush(struct ctl_ctx *ctx, int argc, char **argv)
{
	size_t n;
	int rc = store_queue_flush(ctx->st, &n);

	if (rc < 0)
		return ctl_store_fail(ctx, "queue flush", rc);
	if (ctx->json)
		fprintf(ctx->out, "{\"ok\":true,\"flushed\":%zu}\n", n);
	else
		fprintf(ctx->out, "%zu queued %s due now\n", n, n == 1 ? "message" : "messages");
	return CTL_EXIT_OK;
}

int
ctl_queue_delete(struct ctl_ctx *ctx, int argc, char **argv)
{
	int rc = store_queue_del(ctx->st, argv[0]);

	if (rc < 0)
		return ctl_store_fail(ctx, argv[0], rc);
	if (ctx->json)
		fprintf(ctx->out, "{\"ok\":true}\n");
	else
		fprintf(ctx->out, "%s: deleted from the queue\n", argv[0]);
	return CTL_EXIT_OK;
}
