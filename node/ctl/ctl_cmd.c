/*
 * ctl_cmd.c - the command table of duplexctl and its dispatcher.
 *
 * A command is one or two words ("status", "user add") followed by its
 * arguments. Each row names its handler, its least number of arguments
 * and a usage line (ctl_usage() prints them all), and how duplexctl asks
 * the daemon (ctl_command_mode): quick answers are captured and bounded
 * by a default timeout; commands that may rightly run long (deliver,
 * import, export, backup, verify) wait as long as they take.
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
	struct ctl_cmd_mode mode;
};

/* the rest: stdio passed to the daemon, no limit unless --timeout */
#define CTL_WAIT { .capture = false, .timeout = 0 }
/* status and probe: a monitor's question, answered fast or not at all */
#define CTL_QUICK { .capture = true, .timeout = 10 }

static const struct ctl_command ctl_commands[] = {
	{ "domain", "add", ctl_domain_add, 1, "domain add DOMAIN", CTL_WAIT },
	{ "domain", "del", ctl_domain_del, 1, "domain del DOMAIN", CTL_WAIT },
	{ "domain", "set", ctl_domain_set, 3, "domain set DOMAIN --spam-header 'NAME: VALUE'|''\n"
	  "  domain set DOMAIN --policy reject|purge-oldest", CTL_WAIT },
	{ "domain", "list", ctl_domain_list, 0, "domain list", CTL_WAIT },
	{ "user", "add", ctl_user_add, 1,
	  "user add ADDRESS [--quota SIZE] [--messages N] [--password-stdin]", CTL_WAIT },
	{ "user", "del", ctl_user_del, 1, "user del ADDRESS", CTL_WAIT },
	{ "user", "list", ctl_user_list, 0, "user list [DOMAIN]", CTL_WAIT },
	{ "user", "show", ctl_user_show, 1, "user show ADDRESS", CTL_WAIT },
	{ "user", "passwd", ctl_user_passwd, 1, "user passwd ADDRESS --password-stdin", CTL_WAIT },
	{ "alias", "add", ctl_alias_add, 2, "alias add ADDRESS TARGET...", CTL_WAIT },
	{ "alias", "del", ctl_alias_del, 1, "alias del ADDRESS", CTL_WAIT },
	{ "alias", "list", ctl_alias_list, 0, "alias list", CTL_WAIT },
	{ "forward", "set", ctl_forward_set, 2, "forward set ADDRESS TARGET... [--keep]", CTL_WAIT },
	{ "forward", "clear", ctl_forward_clear, 1, "forward clear ADDRESS", CTL_WAIT },
	{ "quota", "set", ctl_quota_set, 2,
	  "quota set ADDRESS SIZE [--messages N] [--policy reject|purge-oldest|inherit]", CTL_WAIT },
	{ "quota", "show", ctl_quota_show, 1, "quota show ADDRESS", CTL_WAIT },
	{ "deliver", NULL, ctl_deliver, 1, "deliver [-m MAILBOX] ADDRESS... < MESSAGE", CTL_WAIT },
	{ "mailbox", "list", ctl_mailbox_list, 1, "mailbox list ADDRESS", CTL_WAIT },
	{ "mailbox", "create", ctl_mailbox_create, 2, "mailbox create ADDRESS MAILBOX", CTL_WAIT },
	{ "mailbox", "delete", ctl_mailbox_delete, 2, "mailbox delete ADDRESS MAILBOX", CTL_WAIT },
	{ "acl", "set", ctl_acl_set, 4, "acl set ADDRESS MAILBOX IDENTIFIER [+|-]RIGHTS", CTL_WAIT },
	{ "acl", "delete", ctl_acl_delete, 3, "acl delete ADDRESS MAILBOX IDENTIFIER", CTL_WAIT },
	{ "acl", "list", ctl_acl_list, 2, "acl list ADDRESS MAILBOX", CTL_WAIT },
	{ "sieve", "list", ctl_sieve_list, 1, "sieve list ADDRESS", CTL_WAIT },
	{ "sieve", "get", ctl_sieve_get, 2, "sieve get ADDRESS NAME", CTL_WAIT },
	{ "sieve", "put", ctl_sieve_put, 2, "sieve put ADDRESS NAME < SCRIPT", CTL_WAIT },
	{ "sieve", "activate", ctl_sieve_activate, 2, "sieve activate ADDRESS NAME", CTL_WAIT },
	{ "sieve", "deactivate", ctl_sieve_deactivate, 1, "sieve deactivate ADDRESS", CTL_WAIT },
	{ "sieve", "delete", ctl_sieve_delete, 2, "sieve delete ADDRESS NAME", CTL_WAIT },
	{ "sieve", "domain", ctl_sieve_domain, 2, "sieve domain set DOMAIN < SCRIPT\n"
	  "  sieve domain clear DOMAIN\n  sieve domain get DOMAIN", CTL_WAIT },
	{ "export", "mbox", ctl_export_mbox, 2, "export mbox ADDRESS MAILBOX > FILE", CTL_WAIT },
	{ "import", "maildir", ctl_import_maildir, 2, "import maildir ADDRESS PATH", CTL_WAIT },
	{ "import", "mbox", ctl_import_mbox, 2, "import mbox ADDRESS PATH [--mailbox NAME]", CTL_WAIT },
	{ "backup", NULL, ctl_backup, 1, "backup DEST", CTL_WAIT },
	{ "verify", NULL, ctl_verify, 0, "verify", CTL_WAIT },
	{ "queue", "list", ctl_queue_list, 0, "queue list", CTL_WAIT },
	{ "queue", "flush", ctl_queue_flush, 0, "queue flush", CTL_WAIT },
	{ "queue", "delete", ctl_queue_delete, 1, "queue delete ID", CTL_WAIT },
	{ "sieve", "check", ctl_sieve_check, 1, "sieve check FILE", CTL_WAIT },
	{ "sieve", "test", ctl_sieve_test, 1,
	  "sieve test --script FILE | ADDRESS [--from ADDR] [--to ADDR] < MESSAGE", CTL_WAIT },
	{ "status", NULL, ctl_status, 0, "status", CTL_QUICK },
	{ "probe", NULL, ctl_probe, 0, "probe", CTL_QUICK },
	{ "config", "check", ctl_config_check, 0, "config check", CTL_WAIT },
	{ "cluster", "status", ctl_cluster_status, 0, "cluster status [--json]", CTL_WAIT },
	{ "switchover", NULL, ctl_switchover, 0, "switchover [--to NODE] [--timeout S] [--force]",
	  CTL_WAIT },
};

#define CTL_NCOMMANDS (sizeof(ctl_commands) / sizeof(ctl_commands[0]))

void
ctl_usage(FILE *fp)
{
	fprintf(fp, "usage: duplexctl [-c FILE] [--json] [--timeout SECONDS] COMMAND [ARGS]\n"
	    "commands:\n");
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

bool
ctl_command_mode(int argc, char **argv, struct ctl_cmd_mode *mode_r)
{
	const struct ctl_command *c;
	int words;

	if ((c = ctl_find(argc, argv, &words)) == NULL)
		return false;
	*mode_r = c->mode;
	return true;
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
