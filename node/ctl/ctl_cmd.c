/*
 * ctl_cmd.c - the command table of duplexctl and its dispatcher.
 *
 * A command is one or two words ("status", "user add") followed by its
 * arguments. Each row names its handler, whether it needs the store open
 * and a usage line; ctl_usage() prints them all.
 */
#include "ctl/ctl_int.h"

#include <stdarg.h>
#include <string.h>

#include "conf/conf.h"
#include "store/store.h"

struct ctl_command {
	const char *word1, *word2;	/* word2 NULL for one-word commands */
	ctl_handler *fn;
	int min_args;
	const char *usage;
};

static const struct ctl_command ctl_commands[] = {
	{ "domain", "add", ctl_domain_add, 1, "domain add DOMAIN" },
	{ "domain", "del", ctl_domain_del, 1, "domain del DOMAIN" },
	{ "domain", "set", ctl_domain_set, 3, "domain set DOMAIN --spam-header 'NAME: VALUE'|''" },
	{ "domain", "list", ctl_domain_list, 0, "domain list" },
	{ "user", "add", ctl_user_add, 1,
	  "user add ADDRESS [--quota SIZE] [--messages N] [--password-stdin]" },
	{ "user", "del", ctl_user_del, 1, "user del ADDRESS" },
	{ "user", "list", ctl_user_list, 0, "user list [DOMAIN]" },
	{ "user", "show", ctl_user_show, 1, "user show ADDRESS" },
	{ "user", "passwd", ctl_user_passwd, 1, "user passwd ADDRESS --password-stdin" },
	{ "alias", "add", ctl_alias_add, 2, "alias add ADDRESS TARGET..." },
	{ "alias", "del", ctl_alias_del, 1, "alias del ADDRESS" },
	{ "alias", "list", ctl_alias_list, 0, "alias list" },
	{ "forward", "set", ctl_forward_set, 2, "forward set ADDRESS TARGET... [--keep]" },
	{ "forward", "clear", ctl_forward_clear, 1, "forward clear ADDRESS" },
	{ "quota", "set", ctl_quota_set, 2,
	  "quota set ADDRESS SIZE [--messages N] [--policy reject|purge-oldest|inherit]" },
	{ "quota", "show", ctl_quota_show, 1, "quota show ADDRESS" },
	{ "deliver", NULL, ctl_deliver, 1, "deliver [-m MAILBOX] ADDRESS... < MESSAGE" },
	{ "mailbox", "list", ctl_mailbox_list, 1, "mailbox list ADDRESS" },
	{ "export", "mbox", ctl_export_mbox, 2, "export mbox ADDRESS MAILBOX > FILE" },
	{ "import", "maildir", ctl_import_maildir, 2, "import maildir ADDRESS PATH" },
	{ "import", "mbox", ctl_import_mbox, 2, "import mbox ADDRESS PATH [--mailbox NAME]" },
	{ "backup", NULL, ctl_backup, 1, "backup DEST" },
	{ "verify", NULL, ctl_verify, 0, "verify" },
	{ "status", NULL, ctl_status, 0, "status" },
	{ "probe", NULL, ctl_probe, 0, "probe" },
	{ "config", "check", ctl_config_check, 0, "config check" },
	{ "cluster", "status", ctl_cluster_status, 0, "cluster status [--json]" },
	{ "switchover", NULL, ctl_switchover, 0, "switchover [--to NODE] [--timeout S] [--force]" },
};

#define CTL_NCOMMANDS (sizeof(ctl_commands) / sizeof(ctl_commands[0]))

void
ctl_usage(FILE *fp)
{
	fprintf(fp, "usage: duplexctl [-c FILE] [--json] COMMAND [ARGS]\ncommands:\n");
	for (size_t i = 0; i < CTL_NCOMMANDS; i++)
		fprintf(fp, "  %s\n", ctl_commands[i].usage);
}

/* ctl_find - the row for argv, and how many words it used */
static const struct ctl_command *
ctl_find(int argc, char **argv, int *words_r)
{
	for (size_t i = 0; argc > 0 && i < CTL_NCOMMANDS; i++) {
		const struct ctl_command *c = &ctl_commands[i];

		if (strcmp(argv[0], c->word1) != 0)
			continue;
		if (c->word2 == NULL) {
			*words_r = 1;
			return c;
		}
		if (argc > 1 && strcmp(argv[1], c->word2) == 0) {
			*words_r = 2;
			return c;
		}
	}
	return NULL;
}

int
ctl_run(struct ctl_ctx *ctx, int argc, char **argv)
{
	const struct ctl_command *c;
	int words;

	if ((c = ctl_find(argc, argv, &words)) == NULL) {
		fprintf(ctx->err, "duplexctl: unknown command%s%s\n", argc ? " " : "",
		    argc ? argv[0] : "");
		ctl_usage(ctx->err);
		return CTL_EXIT_USAGE;
	}
	if (argc - words < c->min_args)
		return ctl_usage_fail(ctx, "usage: duplexctl %s", c->usage);
	return c->fn(ctx, argc - words, argv + words);
}

int
ctl_store_fail(struct ctl_ctx *ctx, const char *what, int err)
{
	fprintf(ctx->err, "duplexctl: %s: %s\n", what, store_strerror(err));
	if (err == STORE_ENOTFOUND)
		return CTL_EXIT_FAIL;
	return store_err_is_temporary(err) ? CTL_EXIT_TEMPFAIL : CTL_EXIT_FAIL;
}

int
ctl_usage_fail(struct ctl_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	fputs("duplexctl: ", ctx->err);
	va_start(ap, fmt);
	vfprintf(ctx->err, fmt, ap);
	va_end(ap);
	fputc('\n', ctx->err);
	return CTL_EXIT_USAGE;
}

int
ctl_parse_size(struct ctl_ctx *ctx, const char *s, uint64_t *out)
{
	if (conf_parse_size(s, out) < 0)
		return ctl_usage_fail(ctx, "'%s' is not a size (like 500M or 2G)", s);
	return 0;
}

void
ctl_json_str(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c < 0x20)
			fprintf(fp, "\\u%04x", c);
		else
			fputc(c, fp);
	}
	fputc('"', fp);
}
