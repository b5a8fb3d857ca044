/*
 * ctl_sieve.c - duplexctl sieve list|get|put|activate|deactivate|delete
 * and sieve domain set|clear|get: the administrator's side of the Sieve
 * scripts users keep with ManageSieve, and the per-domain script that
 * runs before theirs.
 *
 * put and domain set read the script from stdin and compile it as
 * ManageSieve's PUTSCRIPT does: a script that does not compile is refused
 * with its line and column, and never stored. put keeps to the user's
 * limits (sieve_max_scripts, sieve_max_user_size); the domain's script
 * has only the compiler's size limit.
 */
#include "ctl/ctl_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "sieve/sieve.h"
#include "sieve/sieve_conf.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/json.h"

/* sieve_done - the ending of a change: a line, or the store's reason */
static int
sieve_done(struct ctl_ctx *ctx, int rc, const char *who, const char *name, const char *what)
{
	char buf[STORE_ADDR_MAX + STORE_SIEVE_NAME_MAX + 16];

	if (name != NULL)
		snprintf(buf, sizeof(buf), "script %s of %s", name, who);
	else
		snprintf(buf, sizeof(buf), "%s", who);
	if (rc == STORE_EINUSE) {
		fprintf(ctx->err, "duplexctl: %s: it is the active script (deactivate it first)\n",
		    buf);
		return CTL_EXIT_FAIL;
	}
	if (rc < 0)
		return ctl_store_fail(ctx, buf, rc);
	if (ctx->json)
		fprintf(ctx->out, "{\"ok\":true}\n");
	else
		fprintf(ctx->out, "%s: %s\n", buf, what);
	return CTL_EXIT_OK;
}

/* read_script - stdin, compiled; CTL_EXIT_OK with both forms, or the failure reported */
static int
read_script(struct ctl_ctx *ctx, const char *what, struct buf *src, unsigned char **bin,
    size_t *binlen)
{
	struct sieve_limits lim;
	struct sieve_error err;
	int rc;

	sieve_limits_conf(&lim, ctx->conf);
	if ((rc = ctl_read_fd(ctx->in_fd, lim.max_script_size, src)) < 0) {
		fprintf(ctx->err, "duplexctl: %s: cannot read the script from stdin\n", what);
		return CTL_EXIT_FAIL;
	}
	if (rc > 0) {
		fprintf(ctx->err, "duplexctl: %s: script over %zu bytes\n", what,
		    lim.max_script_size);
		return CTL_EXIT_DATAERR;
	}
	if (sieve_compile(src->data ? src->data : "", src->len, &lim, bin, binlen, &err) != 0) {
		fprintf(ctx->err, "duplexctl: %s: line %u, column %u: %s\n", what, err.line, err.col,
		    err.msg);
		return CTL_EXIT_DATAERR;
	}
	return CTL_EXIT_OK;
}

struct sieve_list_state {
	struct ctl_ctx *ctx;
	int n;
};

/* list_row - one script: its name, and whether it is the active one */
static int
list_row(const struct store_sieve_script *s, void *arg)
{
	struct sieve_list_state *ls = arg;
	FILE *out = ls->ctx->out;

	if (ls->ctx->json) {
		fputs(ls->n++ ? ",{\"name\":" : "{\"name\":", out);
		json_write_str(out, s->name);
		fprintf(out, ",\"active\":%s,\"size\":%zu}", s->active ? "true" : "false",
		    s->srclen);
	} else {
		fprintf(out, "%s%s\t%zu bytes\n", s->name, s->active ? " (active)" : "",
		    s->srclen);
	}
	return 0;
}

int
ctl_sieve_list(struct ctl_ctx *ctx, int argc, char **argv)
{
	struct sieve_list_state ls = { ctx, 0 };
	struct store_rtxn *r;
	int rc;

	if ((rc = store_rtxn_begin(ctx->st, &r)) != 0)
		return ctl_store_fail(ctx, "sieve list", rc);
	if (ctx->json)
		fputc('[', ctx->out);
	rc = store_sieve_list(r, argv[0], list_row, &ls);
	store_rtxn_end(&r);
	if (ctx->json)
		fputs("]\n", ctx->out);
	return rc != 0 ? ctl_store_fail(ctx, argv[0], rc) : CTL_EXIT_OK;
}

/* write_source - a script's source to stdout, as it was stored */
static void
write_source(struct ctl_ctx *ctx, const struct store_sieve_script *s)
{
	if (ctx->json) {
		struct buf b = BUF_INIT;

		buf_append(&b, s->src, s->srclen);
		fputs("{\"script\":", ctx->out);
		json_write_str(ctx->out, buf_cstr(&b));
		fputs("}\n", ctx->out);
		buf_free(&b);
	} else {
		fwrite(s->src, 1, s->srclen, ctx->out);
	}
}

int
ctl_sieve_get(struct ctl_ctx *ctx, int argc, char **argv)
{
	struct store_sieve_script s;
	struct store_rtxn *r;
	int rc;

	if ((rc = store_rtxn_begin(ctx->st, &r)) != 0)
		return ctl_store_fail(ctx, "sieve get", rc);
	if ((rc = store_sieve_get(r, argv[0], argv[1], &s)) == 0)
		write_source(ctx, &s);
	store_rtxn_end(&r);
	return rc != 0 ? sieve_done(ctx, rc, argv[0], argv[1], NULL) : CTL_EXIT_OK;
}

int
ctl_sieve_put(struct ctl_ctx *ctx, int argc, char **argv)
{
	struct store_sieve_limits lim = { ctx->conf->sieve_max_scripts,
	    ctx->conf->sieve_max_user_size };
	enum store_sieve_over over = STORE_SIEVE_FITS;
	struct buf src = BUF_INIT;
	unsigned char *bin = NULL;
	size_t binlen = 0;
	int rc;

	if (!store_sieve_name_ok(argv[1]))
		return ctl_usage_fail(ctx, "'%s' is not a script name (1 to %d bytes of UTF-8, no "
		    "control characters)", argv[1], STORE_SIEVE_NAME_MAX);
	if ((rc = read_script(ctx, "sieve put", &src, &bin, &binlen)) == CTL_EXIT_OK) {
		rc = store_sieve_put(ctx->st, argv[0], argv[1], src.data ? src.data : "", src.len,
		    bin, binlen, &lim, &over);
		if (rc == STORE_ENOQUOTA) {
			fprintf(ctx->err, "duplexctl: script %s of %s: %s\n", argv[1], argv[0],
			    over == STORE_SIEVE_MAXSCRIPTS ? "over sieve_max_scripts" :
			    "over sieve_max_user_size");
			rc = CTL_EXIT_FAIL;
		} else {
			rc = sieve_done(ctx, rc, argv[0], argv[1], "stored");
		}
	}
	free(bin);
	buf_free(&src);
	return rc;
}

int
ctl_sieve_activate(struct ctl_ctx *ctx, int argc, char **argv)
{
	return sieve_done(ctx, store_sieve_activate(ctx->st, argv[0], argv[1]), argv[0], argv[1],
	    "active");
}

int
ctl_sieve_deactivate(struct ctl_ctx *ctx, int argc, char **argv)
{
	return sieve_done(ctx, store_sieve_activate(ctx->st, argv[0], NULL), argv[0], NULL,
	    "no script active");
}

int
ctl_sieve_delete(struct ctl_ctx *ctx, int argc, char **argv)
{
	return sieve_done(ctx, store_sieve_delete(ctx->st, argv[0], argv[1]), argv[0], argv[1],
	    "deleted");
}

/* domain_get - the domain's script to stdout */
static int
domain_get(struct ctl_ctx *ctx, const char *domain)
{
	struct store_sieve_script s;
	struct store_rtxn *r;
	int rc;

	if ((rc = store_rtxn_begin(ctx->st, &r)) != 0)
		return ctl_store_fail(ctx, "sieve domain get", rc);
	if ((rc = store_sieve_domain_get(r, domain, &s)) == 0)
		write_source(ctx, &s);
	store_rtxn_end(&r);
	return rc != 0 ? ctl_store_fail(ctx, domain, rc) : CTL_EXIT_OK;
}

int
ctl_sieve_domain(struct ctl_ctx *ctx, int argc, char **argv)
{
	struct buf src = BUF_INIT;
	unsigned char *bin = NULL;
	size_t binlen = 0;
	int rc;

	if (argc != 2)
		return ctl_usage_fail(ctx, "usage: duplexctl sieve domain set|clear|get DOMAIN");
	if (strcmp(argv[0], "get") == 0)
		return domain_get(ctx, argv[1]);
	if (strcmp(argv[0], "clear") == 0)
		return sieve_done(ctx, store_sieve_domain_set(ctx->st, argv[1], NULL, 0, NULL, 0),
		    argv[1], NULL, "domain script cleared");
	if (strcmp(argv[0], "set") != 0)
		return ctl_usage_fail(ctx, "usage: duplexctl sieve domain set|clear|get DOMAIN");
	if ((rc = read_script(ctx, "sieve domain set", &src, &bin, &binlen)) == CTL_EXIT_OK)
		rc = sieve_done(ctx, store_sieve_domain_set(ctx->st, argv[1],
		    src.data ? src.data : "", src.len, bin, binlen), argv[1], NULL,
		    "domain script stored");
	free(bin);
	buf_free(&src);
	return rc;
}
