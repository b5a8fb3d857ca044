/*
 * ctl_mailbox.c - duplexctl mailbox list and export mbox.
 *
 * Export writes mboxrd: each message opens with a "From " line carrying the
 * envelope sender and internal date, lines are LF-terminated, and any line
 * matching ^>*From  gains one '>' so that import can undo it exactly.
 */
#include "ctl/ctl_int.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "mime/mime.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/json.h"

struct mbox_list_state {
	struct ctl_ctx *ctx;
	int n;
};

static int
mailbox_row(const struct store_mailbox *mb, void *arg)
{
	struct mbox_list_state *ls = arg;
	FILE *out = ls->ctx->out;

	if (ls->ctx->json) {
		fputs(ls->n++ ? ",{\"name\":" : "{\"name\":", out);
		json_write_str(out, mb->name);
		fprintf(out, ",\"messages\":%u,\"unseen\":%u,\"size\":%" PRIu64
		    ",\"uidvalidity\":%u,\"uidnext\":%u,\"highestmodseq\":%" PRIu64 "}",
		    mb->messages, mb->unseen, mb->bytes, mb->uidvalidity, mb->uidnext,
		    mb->highestmodseq);
	} else {
		if (ls->n++ == 0)
			fprintf(out, "%-32s %9s %9s %14s\n", "MAILBOX", "MESSAGES", "UNSEEN", "SIZE");
		fprintf(out, "%-32s %9u %9u %14" PRIu64 "\n", mb->name, mb->messages, mb->unseen,
		    mb->bytes);
	}
	return 0;
}

int
ctl_mailbox_list(struct ctl_ctx *ctx, int argc, char **argv)
{
	struct mbox_list_state ls = { ctx, 0 };
	struct store_rtxn *r;
	int rc;

	if ((rc = store_rtxn_begin(ctx->st, &r)) < 0)
		return ctl_store_fail(ctx, "read", rc);
	if (ctx->json)
		fputc('[', ctx->out);
	rc = store_mailbox_list(r, argv[0], mailbox_row, &ls);
	if (ctx->json)
		fputs("]\n", ctx->out);
	store_rtxn_end(&r);
	return rc < 0 ? ctl_store_fail(ctx, argv[0], rc) : CTL_EXIT_OK;
}

struct export_state {
	struct ctl_ctx *ctx;
	struct store_rtxn *r;
	unsigned count;
	int err;
};

/* from_line - "From sender date" for a message */
static void
from_line(FILE *out, const char *msg, size_t len, int64_t date)
{
	struct buf rp = BUF_INIT;
	const char *sender = "MAILER-DAEMON";
	time_t t = (time_t)date;
	struct tm tm;
	char when[64];

	if (mime_header_get(msg, len, "Return-Path", &rp) == 0) {
		char *s = rp.data, *e;

		while (*s == ' ' || *s == '<')
			s++;
		if ((e = strpbrk(s, "> \t")) != NULL)
			*e = '\0';
		if (*s)
			sender = s;
	}
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%a %b %e %H:%M:%S %Y", &tm);
	fprintf(out, "From %s %s\n", sender, when);
	buf_free(&rp);
}

/* ctl_mboxrd_from - whether a line is ^>*From : quoted on export, unquoted on import */
bool
ctl_mboxrd_from(const char *p, const char *end)
{
	while (p < end && *p == '>')
		p++;
	return end - p >= 5 && memcmp(p, "From ", 5) == 0;
}

static int
export_one(const struct store_msg *m, void *arg)
{
	struct export_state *es = arg;
	FILE *out = es->ctx->out;
	const char *data, *p, *end;
	size_t len;

	if ((es->err = store_msg_body(es->r, m->body_id, &data, &len)) < 0)
		return 1;
	from_line(out, data, len, m->internal_date);
	for (p = data, end = data + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		const char *text_end = eol > p && eol[-1] == '\r' ? eol - 1 : eol;

		if (ctl_mboxrd_from(p, text_end))
			fputc('>', out);
		fwrite(p, 1, (size_t)(text_end - p), out);
		fputc('\n', out);
		p = nl ? nl + 1 : end;
	}
	fputc('\n', out);
	es->count++;
	return ferror(out) ? 1 : 0;
}

int
ctl_export_mbox(struct ctl_ctx *ctx, int argc, char **argv)
{
	struct export_state es = { ctx, NULL, 0, 0 };
	struct store_mailbox mb;
	int rc;

	if ((rc = store_rtxn_begin(ctx->st, &es.r)) < 0)
		return ctl_store_fail(ctx, "read", rc);
	rc = store_mailbox_get(es.r, argv[0], argv[1], &mb);
	if (rc == 0)
		rc = store_msg_list(es.r, mb.id, 1, export_one, &es);
	store_rtxn_end(&es.r);
	if (rc < 0 || es.err < 0)
		return ctl_store_fail(ctx, argv[1], rc < 0 ? rc : es.err);
	if (fflush(ctx->out) != 0 || ferror(ctx->out)) {
		fprintf(ctx->err, "duplexctl: export: write error\n");
		return CTL_EXIT_FAIL;
	}
	fprintf(ctx->err, "duplexctl: exported %u messages from %s of %s\n", es.count, argv[1],
	    argv[0]);
	return CTL_EXIT_OK;
}
