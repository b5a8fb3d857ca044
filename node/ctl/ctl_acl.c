/*
 * ctl_acl.c - duplexctl acl set|delete|list and mailbox create|delete: the
 * administrator's side of shared mailboxes.
 *
 * A shared mailbox is an ordinary mailbox of an account the team shares
 * (info@domain, created with "user add" and no password, so nobody logs
 * in as it), with ACL entries granting its users their rights (RFC 4314
 * letters, imapsyn/imap_acl.h). They find it in IMAP's shared namespace.
 */
#include "ctl/ctl_int.h"

#include <stdio.h>
#include <string.h>

#include "imapsyn/imap_acl.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/json.h"

/* acl_done - the ending of a change: a line, or the store's reason */
static int
acl_done(struct ctl_ctx *ctx, int rc, const char *what, const char *owner, const char *name)
{
	char buf[STORE_ADDR_MAX + STORE_MBOX_NAME_MAX + 8];

	snprintf(buf, sizeof(buf), "%s of %s", name, owner);
	if (rc < 0)
		return ctl_store_fail(ctx, buf, rc);
	if (ctx->json)
		fprintf(ctx->out, "{\"ok\":true}\n");
	else
		fprintf(ctx->out, "%s: %s\n", buf, what);
	return CTL_EXIT_OK;
}

int
ctl_acl_set(struct ctl_ctx *ctx, int argc, char **argv)
{
	enum imap_acl_mod mod;
	uint32_t bits, add, remove;
	int rc;

	if (argc != 4)
		return ctl_usage_fail(ctx, "usage: duplexctl acl set ADDRESS MAILBOX IDENTIFIER RIGHTS");
	if (imap_acl_parse(argv[3], strlen(argv[3]), &bits, &mod) != 0)
		return ctl_usage_fail(ctx, "'%s' is not a rights string (letters of lrswipkxteacd,"
		    " with + or - in front to add or take away)", argv[3]);
	imap_acl_change(mod, bits, &add, &remove);
	rc = store_acl_set(ctx->st, argv[0], argv[1], argv[2], add, remove, NULL);
	return acl_done(ctx, rc, "rights set", argv[0], argv[1]);
}

int
ctl_acl_delete(struct ctl_ctx *ctx, int argc, char **argv)
{
	int rc = store_acl_set(ctx->st, argv[0], argv[1], argv[2], 0, IMAP_ACL_ALL, NULL);

	return acl_done(ctx, rc, "rights deleted", argv[0], argv[1]);
}

struct acl_list_state {
	struct ctl_ctx *ctx;
	int n;
};

/* acl_row - one entry: identifier and rights */
static int
acl_row(const char *ident, uint32_t rights, void *arg)
{
	struct acl_list_state *ls = arg;
	struct buf letters = BUF_INIT;
	FILE *out = ls->ctx->out;

	imap_acl_format(rights & IMAP_ACL_ALL, &letters);
	if (ls->ctx->json) {
		fputs(ls->n++ ? ",{\"identifier\":" : "{\"identifier\":", out);
		json_write_str(out, ident);
		fputs(",\"rights\":", out);
		json_write_str(out, buf_cstr(&letters));
		fputc('}', out);
	} else {
		if (ls->n++ == 0)
			fprintf(out, "%-40s %s\n", "IDENTIFIER", "RIGHTS");
		fprintf(out, "%-40s %s\n", ident, buf_cstr(&letters));
	}
	buf_free(&letters);
	return 0;
}

int
ctl_acl_list(struct ctl_ctx *ctx, int argc, char **argv)
{
	struct acl_list_state ls = { ctx, 0 };
	struct store_mailbox mb;
	struct store_rtxn *r;
	int rc;

	if ((rc = store_rtxn_begin(ctx->st, &r)) < 0)
		return ctl_store_fail(ctx, "read", rc);
	if ((rc = store_mailbox_get(r, argv[0], argv[1], &mb)) == 0) {
		if (ctx->json)
			fputc('[', ctx->out);
		rc = store_acl_list(r, mb.id, acl_row, &ls);
		if (ctx->json)
			fputs("]\n", ctx->out);
	}
	store_rtxn_end(&r);
	return rc < 0 ? acl_done(ctx, rc, "", argv[0], argv[1]) : CTL_EXIT_OK;
}

int
ctl_mailbox_create(struct ctl_ctx *ctx, int argc, char **argv)
{
	return acl_done(ctx, store_mailbox_create(ctx->st, argv[0], argv[1], 0), "mailbox created",
	    argv[0], argv[1]);
}

int
ctl_mailbox_delete(struct ctl_ctx *ctx, int argc, char **argv)
{
	return acl_done(ctx, store_mailbox_delete(ctx->st, argv[0], argv[1]), "mailbox deleted",
	    argv[0], argv[1]);
}
