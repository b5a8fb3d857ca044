/*
 * ctl_admin.c - duplexctl's operator commands: backup, verify, status,
 * probe and config check, and the caller-side preparation of commands that
 * name files (ctl_prepare).
 */
#include "ctl/ctl_int.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "conf/conf.h"
#include "store/store.h"
#include "util/json.h"
#include "util/mono.h"
#include "util/version.h"

/* backup_open - create DEST/ and DEST/data.mdb for a hot copy */
static int
backup_open(const char *dest, FILE *err)
{
	char path[4096];
	int fd;

	if (mkdir(dest, 0700) < 0 && errno != EEXIST) {
		fprintf(err, "duplexctl: backup: %s: %s\n", dest, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/data.mdb", dest);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
		fprintf(err, "duplexctl: backup: %s: %s\n", path, strerror(errno));
	return fd;
}

int
ctl_prepare(int argc, char **argv, int *extra_fd_r, FILE *err)
{
	*extra_fd_r = -1;
	if (argc >= 2 && strcmp(argv[0], "backup") == 0) {
		*extra_fd_r = backup_open(argv[1], err);
	} else if (argc >= 4 && strcmp(argv[0], "import") == 0) {
		bool dir = strcmp(argv[1], "maildir") == 0;

		*extra_fd_r = open(argv[3], O_RDONLY | O_CLOEXEC | (dir ? O_DIRECTORY : 0));
		if (*extra_fd_r < 0)
			fprintf(err, "duplexctl: %s: %s\n", argv[3], strerror(errno));
	} else
		return 0;
	return *extra_fd_r >= 0 ? 0 : -1;
}

int
ctl_backup(struct ctl_ctx *ctx, int argc, char **argv)
{
	int rc;

	if (ctx->extra_fd < 0)
		return ctl_usage_fail(ctx, "backup: no destination open");
	if ((rc = store_backup_fd(ctx->st, ctx->extra_fd)) < 0)
		return ctl_store_fail(ctx, "backup", rc);
	if (fsync(ctx->extra_fd) < 0) {
		fprintf(ctx->err, "duplexctl: backup: %s: %s\n", argv[0], strerror(errno));
		return CTL_EXIT_FAIL;
	}
	if (ctx->json) {
		fputs("{\"backup\":", ctx->out);
		json_write_str(ctx->out, argv[0]);
		fputs("}\n", ctx->out);
	} else
		fprintf(ctx->out, "backup written to %s/data.mdb\n", argv[0]);
	return CTL_EXIT_OK;
}

int
ctl_verify(struct ctl_ctx *ctx, int argc, char **argv)
{
	int n = store_verify(ctx->st, ctx->out);

	if (n < 0)
		return ctl_store_fail(ctx, "verify", n);
	if (ctx->json)
		fprintf(ctx->out, "{\"problems\":%d}\n", n);
	else
		fprintf(ctx->out, "verify: %d problem%s\n", n, n == 1 ? "" : "s");
	return n == 0 ? CTL_EXIT_OK : CTL_EXIT_FAIL;
}

int
ctl_status(struct ctl_ctx *ctx, int argc, char **argv)
{
	const struct ctl_daemon *d = ctx->daemon;
	struct store_stat s;
	struct ctl_load load = { 0 };
	long up;
	int rc;

	if (d == NULL) {
		if (ctx->json)
			fprintf(ctx->out, "{\"running\":false,\"version\":\"%s\"}\n", DUPLEX_VERSION);
		else
			fprintf(ctx->out, "duplexd: not running\n");
		return CTL_EXIT_NOT_RUNNING;
	}
	if ((rc = store_stat(ctx->st, &s)) < 0)
		return ctl_store_fail(ctx, "status", rc);
	up = (long)(time(NULL) - d->started);
	if (d->load != NULL)
		d->load(d->load_arg, &load);
	if (ctx->json) {
		fprintf(ctx->out,
		    "{\"running\":true,\"version\":\"%s\",\"pid\":%ld,\"uptime\":%ld,\"data_dir\":",
		    DUPLEX_VERSION, (long)d->pid, up);
		json_write_str(ctx->out, ctx->conf->data_dir);
		fprintf(ctx->out,
		    ",\"file_size\":%" PRIu64 ",\"map_size\":%" PRIu64 ",\"map_used\":%" PRIu64
		    ",\"entries\":%" PRIu64 ",\"commits\":%" PRIu64 ",\"requests\":%" PRIu64
		    ",\"readers\":%u,\"connections\":%u,\"logins\":%u,\"logins_total\":%llu}\n",
		    s.file_size, s.map_size, s.map_used, s.entries, s.commits, s.requests,
		    s.readers_used, load.connections, load.logins, load.logins_total);
		return CTL_EXIT_OK;
	}
	fprintf(ctx->out, "duplexd %s running, pid %ld, up %ldd %02ld:%02ld:%02ld\n", DUPLEX_VERSION,
	    (long)d->pid, up / 86400, up / 3600 % 24, up / 60 % 60, up % 60);
	fprintf(ctx->out, "data:         %s, %" PRIu64 " bytes on disk, %" PRIu64 " records\n",
	    ctx->conf->data_dir, s.file_size, s.entries);
	fprintf(ctx->out, "map:          %" PRIu64 " of %" PRIu64 " bytes used (%.1f%%)\n", s.map_used,
	    s.map_size, s.map_size ? 100.0 * (double)s.map_used / (double)s.map_size : 0.0);
	fprintf(ctx->out, "commits:      %" PRIu64 " for %" PRIu64 " write requests\n", s.commits,
	    s.requests);
	fprintf(ctx->out, "readers:      %u of %u\n", s.readers_used, s.readers_max);
	fprintf(ctx->out, "connections:  %u\n", load.connections);
	fprintf(ctx->out, "logins:       %u being checked, %llu since the start\n", load.logins,
	    load.logins_total);
	return CTL_EXIT_OK;
}

int
ctl_probe(struct ctl_ctx *ctx, int argc, char **argv)
{
	uint64_t start = mono_ns();
	double ms;
	int rc;

	rc = store_probe(ctx->st);
	if (rc < 0)
		return ctl_store_fail(ctx, "probe", rc);
	ms = (double)(mono_ns() - start) / 1e6;
	if (ctx->json)
		fprintf(ctx->out, "{\"probe\":\"ok\",\"commit_ms\":%.3f}\n", ms);
	else
		fprintf(ctx->out, "probe ok %.3f ms\n", ms);
	return CTL_EXIT_OK;
}

int
ctl_config_check(struct ctl_ctx *ctx, int argc, char **argv)
{
	/* the config was loaded before any command ran; reaching here means it is valid */
	fprintf(ctx->out, "config ok\n");
	return CTL_EXIT_OK;
}
