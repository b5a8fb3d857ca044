/*
 * ctl_sieve_test.c - duplexctl's Sieve tests: sieve check and sieve test
 * --script, which need neither the store nor a running duplexd, and sieve
 * test ADDRESS, which asks the store:
 *
 *   sieve check FILE
 *	compile FILE with the configured limits: "FILE: ok", or the first
 *	error as FILE:LINE:COLUMN: message and exit 1.
 *   sieve test --script FILE [--from ADDR] [--to ADDR] < MESSAGE
 *	run FILE against the message on stdin and print the actions, one
 *	a line, in this stable form (strings in double quotes, with '"'
 *	and '\' escaped by a backslash):
 *	  keep [flags "F"...]
 *	  fileinto "BOX" [flags "F"...] [create] [copy]
 *	  redirect "ADDR" [copy]
 *	  reject "REASON" / ereject "REASON"
 *	  discard				(nothing keeps, files or redirects it)
 *	  vacation to="ADDR" subject="S" [from="F"] seconds=N handle="H" [mime]
 *	  vacation none "WHY"			(vacation ran and decided not to reply)
 *	  error "WHY"				(a run-time error: the actions are the implicit keep)
 *	The envelope defaults to sender@example.com and recipient@example.com,
 *	as Pigeonhole's sieve-test has it; nothing is remembered between runs
 *	(duplicate is never true, vacation always may answer), mailboxexists
 *	knows only INBOX, and include finds nothing.
 *   sieve test ADDRESS [--from ADDR] [--to ADDR] < MESSAGE
 *	what delivery would do with the message for that user, without
 *	delivering: the domain's script, then the user's active one, as
 *	delivery runs them, with the user's mailboxes, included scripts and
 *	vacation's and duplicate's records. The actions of each script that
 *	ran follow a line "domain script:" or "user script NAME:", in the form
 *	above; the domain's implicit keep is left out when the user's script
 *	ran after it. "no script: keep" when there is none. The envelope
 *	recipient defaults to ADDRESS.
 */
#include "ctl/ctl_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf/conf.h"
#include "sieve/sieve.h"
#include "sieve/sieve_conf.h"
#include "store/store.h"
#include "util/buf.h"

/* limits - the limits of the configuration */
static void
limits(const struct ctl_ctx *ctx, struct sieve_limits *lim)
{
	sieve_limits_conf(lim, ctx->conf);
}

/* compile_file - read and compile path; 0, or a reported failure's exit status */
static int
compile_file(struct ctl_ctx *ctx, const char *path, unsigned char **bin, size_t *len)
{
	struct sieve_limits lim;
	struct sieve_error err;
	struct buf src = BUF_INIT;
	FILE *fp = fopen(path, "rb");
	int rc = 0;

	if (fp == NULL) {
		fprintf(ctx->err, "duplexctl: %s: %s\n", path, strerror(errno));
		return CTL_EXIT_FAIL;
	}
	limits(ctx, &lim);
	if (ctl_read_fd(fileno(fp), lim.max_script_size, &src) < 0) {
		fprintf(ctx->err, "duplexctl: %s: %s\n", path, strerror(errno));
		rc = CTL_EXIT_FAIL;
	}
	fclose(fp);
	if (rc == 0 && sieve_compile(src.data != NULL ? src.data : "", src.len, &lim, bin, len, &err) < 0) {
		fprintf(ctx->err, "%s:%u:%u: %s\n", path, err.line, err.col, err.msg);
		rc = CTL_EXIT_FAIL;
	}
	buf_free(&src);
	return rc;
}

/* ctl_sieve_check - sieve check FILE */
int
ctl_sieve_check(struct ctl_ctx *ctx, int argc, char **argv)
{
	unsigned char *bin = NULL;
	size_t len;
	int rc = compile_file(ctx, argv[0], &bin, &len);

	free(bin);
	if (rc == 0)
		fprintf(ctx->out, "%s: ok\n", argv[0]);
	return rc;
}

/* put_quoted - s in double quotes, '"' and '\' escaped */
static void
put_quoted(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

/* put_flags - " flags "A" "B"" when there are flags */
static void
put_flags(FILE *fp, char **flags)
{
	if (flags == NULL || flags[0] == NULL)
		return;
	fputs(" flags", fp);
	for (; *flags != NULL; flags++) {
		fputc(' ', fp);
		put_quoted(fp, *flags);
	}
}

/* put_action - one action's line */
static void
put_action(FILE *fp, const struct sieve_action *a)
{
	switch (a->type) {
	case SIEVE_KEEP:
		fputs("keep", fp);
		put_flags(fp, a->flags);
		break;
	case SIEVE_FILEINTO:
		fputs("fileinto ", fp);
		put_quoted(fp, a->mailbox);
		put_flags(fp, a->flags);
		fputs(a->create ? " create" : "", fp);
		fputs(a->copy ? " copy" : "", fp);
		break;
	case SIEVE_REDIRECT:
		fputs("redirect ", fp);
		put_quoted(fp, a->address);
		fputs(a->copy ? " copy" : "", fp);
		break;
	case SIEVE_REJECT:
	case SIEVE_EREJECT:
		fputs(a->type == SIEVE_REJECT ? "reject " : "ereject ", fp);
		put_quoted(fp, a->reason);
		break;
	case SIEVE_VACATION:
		fputs("vacation to=", fp);
		put_quoted(fp, a->address);
		fputs(" subject=", fp);
		put_quoted(fp, a->subject);
		if (a->from != NULL) {
			fputs(" from=", fp);
			put_quoted(fp, a->from);
		}
		fprintf(fp, " seconds=%llu handle=", (unsigned long long)a->seconds);
		put_quoted(fp, a->handle);
		fputs(a->mime ? " mime" : "", fp);
		break;
	}
	fputc('\n', fp);
}

/* read_message - the message on stdin, bounded by max_message_size; 0 or a reported failure */
static int
read_message(struct ctl_ctx *ctx, struct buf *msg)
{
	int rc = ctl_read_fd(ctx->in_fd, ctx->conf != NULL ? ctx->conf->max_message_size : UINT64_MAX,
	    msg);

	if (rc == 0)
		return 0;
	fprintf(ctx->err, "duplexctl: reading the message: %s\n",
	    rc > 0 ? "larger than max_message_size" : strerror(errno));
	return CTL_EXIT_FAIL;
}

/* put_result - a result's actions; "discard" first when nothing keeps, files or redirects */
static void
put_result(FILE *fp, const struct sieve_result *res, bool skip_keep)
{
	bool delivered = false;
	size_t n = skip_keep && res->implicit_keep ? res->nact - 1 : res->nact;

	for (size_t i = 0; i < n; i++)
		delivered |= res->act[i].type != SIEVE_VACATION;
	if (!delivered && !skip_keep)
		fputs("discard\n", fp);
	for (size_t i = 0; i < n; i++)
		put_action(fp, &res->act[i]);
	if (res->no_reply != NULL) {
		fputs("vacation none ", fp);
		put_quoted(fp, res->no_reply);
		fputc('\n', fp);
	}
	if (res->error != NULL) {
		fputs("error ", fp);
		put_quoted(fp, res->error);
		fputc('\n', fp);
	}
}

/* test_address - sieve test ADDRESS: the user's scripts from the store */
static int
test_address(struct ctl_ctx *ctx, const char *address, const char *from, const char *to)
{
	struct store_sieve_eval ev;
	struct store_rtxn *r;
	struct buf msg = BUF_INIT;
	int rc;

	if ((rc = read_message(ctx, &msg)) != 0) {
		buf_free(&msg);
		return rc;
	}
	if ((rc = store_rtxn_begin(ctx->st, &r)) != 0) {
		buf_free(&msg);
		return ctl_store_fail(ctx, "sieve test", rc);
	}
	rc = store_sieve_test(r, address, from, to, msg.data != NULL ? msg.data : "", msg.len, &ev);
	store_rtxn_end(&r);
	buf_free(&msg);
	if (rc != 0) {
		store_sieve_eval_free(&ev);
		return ctl_store_fail(ctx, address, rc);
	}
	if (!ev.dom_ran && !ev.user_ran)
		fputs("no script: keep\n", ctx->out);
	if (ev.dom_ran) {
		fputs("domain script:\n", ctx->out);
		put_result(ctx->out, &ev.dom, ev.user_ran);
	}
	if (ev.user_ran) {
		fprintf(ctx->out, "user script %s:\n", ev.user_script);
		put_result(ctx->out, &ev.user, false);
	}
	rc = ev.dom.error != NULL || ev.user.error != NULL ? CTL_EXIT_FAIL : 0;
	store_sieve_eval_free(&ev);
	return rc;
}

/* ctl_sieve_test - sieve test --script FILE | ADDRESS [--from ADDR] [--to ADDR] < MESSAGE */
int
ctl_sieve_test(struct ctl_ctx *ctx, int argc, char **argv)
{
	const char *script = NULL, *address = NULL, *from = NULL, *to = NULL;
	struct sieve_limits lim;
	struct sieve_env env = { 0 };
	struct sieve_result res;
	struct buf msg = BUF_INIT;
	unsigned char *bin = NULL;
	size_t len;
	int rc;

	for (int i = 0; i < argc; i++) {
		if (i + 1 < argc && strcmp(argv[i], "--script") == 0)
			script = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--from") == 0)
			from = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--to") == 0)
			to = argv[++i];
		else if (i == 0 && argv[i][0] != '-')
			address = argv[i];
		else
			return ctl_usage_fail(ctx, "usage: duplexctl sieve test --script FILE | ADDRESS "
			    "[--from ADDR] [--to ADDR] < MESSAGE");
	}
	if ((script == NULL) == (address == NULL))
		return ctl_usage_fail(ctx, "sieve test: either --script FILE or ADDRESS");
	if (address != NULL)
		return test_address(ctx, address, from ? from : "sender@example.com", to);
	if ((rc = compile_file(ctx, script, &bin, &len)) != 0)
		return rc;
	if ((rc = read_message(ctx, &msg)) != 0) {
		buf_free(&msg);
		free(bin);
		return rc;
	}
	limits(ctx, &lim);
	env.msg = msg.data != NULL ? msg.data : "";
	env.msglen = msg.len;
	env.env_from = from ? from : "sender@example.com";
	env.env_to = to ? to : "recipient@example.com";
	env.now = time(NULL);
	rc = sieve_run(bin, len, &lim, &env, &res);
	put_result(ctx->out, &res, false);
	sieve_result_free(&res);
	free(bin);
	buf_free(&msg);
	return rc < 0 ? CTL_EXIT_FAIL : 0;
}
