/*
 * ctl_cluster.c - `duplexctl cluster status` and `duplexctl switchover`:
 * both hand over to duplex-hb (ha-agent/) with the same arguments.
 *
 * They run in the duplexctl process itself, never inside duplexd and
 * without the store: cluster state lives in Pacemaker and DRBD, the store
 * may be down or on the other node, and a switchover stops the very daemon
 * a control connection would be talking to (duplexctl.c's client_side()
 * keeps them off the socket). Keeping Pacemaker's libraries out of
 * duplexctl is why this is an exec, not a call.
 *
 * duplex-hb is found as $DUPLEX_HB, else next to this duplexctl binary,
 * else on PATH.
 */
#include "ctl/ctl_int.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/xalloc.h"

/* hb_binary - where duplex-hb is; static buffer or a constant */
static const char *
hb_binary(void)
{
	static char path[PATH_MAX];
	const char *env = getenv("DUPLEX_HB");
	ssize_t n;
	char *slash;

	if (env != NULL && env[0] != '\0')
		return env;
	n = readlink("/proc/self/exe", path, sizeof(path) - sizeof("duplex-hb"));
	if (n > 0) {
		path[n] = '\0';
		if ((slash = strrchr(path, '/')) != NULL) {
			strcpy(slash + 1, "duplex-hb");
			if (access(path, X_OK) == 0)
				return path;
		}
	}
	return "duplex-hb";
}

/* exec_hb - replace this process with duplex-hb SUB [--json] ARGS */
static int
exec_hb(struct ctl_ctx *ctx, const char *sub, int argc, char **argv)
{
	char **av = xcalloc((size_t)argc + 4, sizeof(*av));
	const char *bin = hb_binary();
	int n = 0;

	av[n++] = (char *)bin;
	av[n++] = (char *)sub;
	if (ctx->json)
		av[n++] = "--json";
	for (int i = 0; i < argc; i++)
		av[n++] = argv[i];
	av[n] = NULL;
	fflush(ctx->out);
	fflush(ctx->err);
	execvp(bin, av);
	fprintf(ctx->err, "duplexctl: cannot run %s: %s\n", bin, strerror(errno));
	free(av);
	return CTL_EXIT_SOFTWARE;
}

int
ctl_cluster_status(struct ctl_ctx *ctx, int argc, char **argv)
{
	return exec_hb(ctx, "status", argc, argv);
}

int
ctl_switchover(struct ctl_ctx *ctx, int argc, char **argv)
{
	return exec_hb(ctx, "switchover", argc, argv);
}
