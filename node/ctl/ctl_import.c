/*
 * ctl_import.c - duplexctl import maildir and import mbox.
 *
 * The caller opened PATH (ctl_prepare), so the daemon reads only what the
 * caller may read. Maildir flags (":2,DFPRST") and file times become IMAP
 * flags and internal dates; Maildir++ subfolders (".Work.2024") become
 * mailboxes ("Work/2024"), subscribed when new. Mbox is read as mboxrd:
 * the "From " line gives the date, and one '>' is taken off every
 * ^>+From  line.
 */
#include "ctl/ctl_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mime/mime.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/xalloc.h"

struct import_count {
	unsigned ok, failed;
};

/* import_one - append one message; count and report failures */
static void
import_one(struct ctl_ctx *ctx, const char *address, const char *mailbox, struct buf *msg,
    uint32_t flags, int64_t date, const char *what, struct import_count *cnt)
{
	int rc = store_append(ctx->st, address, mailbox, msg->data ? msg->data : "", msg->len, flags,
	    "", date, NULL, NULL);

	if (rc < 0) {
		fprintf(ctx->err, "duplexctl: %s: %s\n", what, store_strerror(rc));
		cnt->failed++;
	} else
		cnt->ok++;
}

/* import_report - the closing line and exit status */
static int
import_report(struct ctl_ctx *ctx, const struct import_count *cnt)
{
	if (ctx->json)
		fprintf(ctx->out, "{\"imported\":%u,\"failed\":%u}\n", cnt->ok, cnt->failed);
	else
		fprintf(ctx->out, "imported %u messages, %u failed\n", cnt->ok, cnt->failed);
	return cnt->failed ? CTL_EXIT_FAIL : CTL_EXIT_OK;
}

/* maildir_flags - the IMAP flags of a Maildir file name's ":2," info */
static uint32_t
maildir_flags(const char *name)
{
	const char *info = strstr(name, ":2,");
	uint32_t f = 0;

	if (info == NULL)
		return 0;
	for (info += 3; *info; info++) {
		switch (*info) {
		case 'D': f |= STORE_F_DRAFT; break;
		case 'F': f |= STORE_F_FLAGGED; break;
		case 'R': f |= STORE_F_ANSWERED; break;
		case 'S': f |= STORE_F_SEEN; break;
		case 'T': f |= STORE_F_DELETED; break;
		}
	}
	return f;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* maildir_names - the sorted file names of dirfd/sub ("cur" or "new") */
static char **
maildir_names(int dirfd, const char *sub, size_t *n_r, int *subfd_r)
{
	char **names = NULL;
	size_t n = 0;
	DIR *d;
	struct dirent *de;
	int fd = openat(dirfd, sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	*n_r = 0;
	*subfd_r = fd;
	if (fd < 0 || (d = fdopendir(dup(fd))) == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	*n_r = n;
	return names;
}

/* read_fd - a whole file into msg; 0 or -1 */
static int
read_fd(int fd, struct buf *msg)
{
	ssize_t r;

	buf_reset(msg);
	do {
		buf_reserve(msg, 65536);
		r = read(fd, msg->data + msg->len, 65536);
		if (r > 0)
			msg->len += (size_t)r;
	} while (r > 0 || (r < 0 && errno == EINTR));
	return r < 0 ? -1 : 0;
}

/* maildir_folder - import cur/ and new/ of one Maildir folder into mailbox */
static void
maildir_folder(struct ctl_ctx *ctx, const char *address, int dirfd, const char *mailbox,
    struct import_count *cnt)
{
	static const char *const subs[] = { "cur", "new" };
	struct buf msg = BUF_INIT;

	for (int s = 0; s < 2; s++) {
		size_t n;
		int subfd;
		char **names = maildir_names(dirfd, subs[s], &n, &subfd);

		for (size_t i = 0; i < n; i++) {
			int fd = openat(subfd, names[i], O_RDONLY | O_CLOEXEC);
			struct stat sb;

			if (fd < 0 || fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || read_fd(fd, &msg) < 0) {
				fprintf(ctx->err, "duplexctl: %s/%s: cannot read\n", subs[s], names[i]);
				cnt->failed++;
			} else
				import_one(ctx, address, mailbox, &msg, maildir_flags(names[i]),
				    (int64_t)sb.st_mtime, names[i], cnt);
			if (fd >= 0)
				close(fd);
			free(names[i]);
		}
		free(names);
		if (subfd >= 0)
			close(subfd);
	}
	buf_free(&msg);
}

int
ctl_import_maildir(struct ctl_ctx *ctx, int argc, char **argv)
{
	struct import_count cnt = { 0, 0 };
	DIR *d;
	struct dirent *de;

	maildir_folder(ctx, argv[0], ctx->extra_fd, "INBOX", &cnt);
	if ((d = fdopendir(dup(ctx->extra_fd))) == NULL)
		return import_report(ctx, &cnt);
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		char *name;
		int fd, rc;

		if (de->d_name[0] != '.' || de->d_name[1] == '\0' || strcmp(de->d_name, "..") == 0)
			continue;
		if ((fd = openat(ctx->extra_fd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			continue;
		name = xstrdup(de->d_name + 1);
		for (char *p = name; *p; p++)
			if (*p == '.')
				*p = '/';
		rc = store_mailbox_create(ctx->st, argv[0], name, 0);
		if (rc == 0)
			rc = store_mailbox_subscribe(ctx->st, argv[0], name, true);
		if (rc < 0 && rc != STORE_EEXISTS) {
			fprintf(ctx->err, "duplexctl: mailbox %s: %s\n", name, store_strerror(rc));
			cnt.failed++;
		} else
			maildir_folder(ctx, argv[0], fd, name, &cnt);
		free(name);
		close(fd);
	}
	closedir(d);
	return import_report(ctx, &cnt);
}

/* mbox_date - the date of a "From sender Www Mmm dd hh:mm:ss yyyy" line */
static int64_t
mbox_date(const char *line)
{
	const char *p = strchr(line + 5, ' ');
	struct tm tm = { 0 };

	if (p != NULL && strptime(p + 1, "%a %b %e %H:%M:%S %Y", &tm) != NULL)
		return (int64_t)timegm(&tm);
	return (int64_t)time(NULL);
}

/* mbox_flags - Status: R and X-Status: AFD of an mbox message */
static uint32_t
mbox_flags(const struct buf *msg)
{
	struct buf v = BUF_INIT;
	uint32_t f = 0;

	if (mime_header_get(msg->data, msg->len, "Status", &v) == 0 && strchr(buf_cstr(&v), 'R'))
		f |= STORE_F_SEEN;
	buf_reset(&v);
	if (mime_header_get(msg->data, msg->len, "X-Status", &v) == 0) {
		if (strchr(buf_cstr(&v), 'A'))
			f |= STORE_F_ANSWERED;
		if (strchr(buf_cstr(&v), 'F'))
			f |= STORE_F_FLAGGED;
	}
	buf_free(&v);
	return f;
}

/* mbox_flush - store the message collected so far, if any */
static void
mbox_flush(struct ctl_ctx *ctx, const char *address, const char *mailbox, struct buf *msg,
    int64_t date, unsigned number, struct import_count *cnt)
{
	char what[48];

	if (msg->len == 0)
		return;
	/* the blank line before the next From_ belongs to the mbox, not the message */
	if (msg->len >= 2 && msg->data[msg->len - 1] == '\n' && msg->data[msg->len - 2] == '\n')
		msg->len--;
	snprintf(what, sizeof(what), "message %u", number);
	import_one(ctx, address, mailbox, msg, mbox_flags(msg), date, what, cnt);
	buf_reset(msg);
}

int
ctl_import_mbox(struct ctl_ctx *ctx, int argc, char **argv)
{
	struct import_count cnt = { 0, 0 };
	struct buf msg = BUF_INIT;
	const char *mailbox = "INBOX";
	FILE *fp;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int64_t date = 0;
	unsigned number = 0;

	if (argc >= 4 && strcmp(argv[2], "--mailbox") == 0)
		mailbox = argv[3];
	else if (argc != 2)
		return ctl_usage_fail(ctx, "usage: duplexctl import mbox ADDRESS PATH [--mailbox NAME]");
	if ((fp = fdopen(dup(ctx->extra_fd), "r")) == NULL)
		return ctl_usage_fail(ctx, "import mbox: cannot read %s", argv[1]);
	while ((n = getline(&line, &cap, fp)) > 0) {
		const char *p = line;

		if (strncmp(line, "From ", 5) == 0) {
			mbox_flush(ctx, argv[0], mailbox, &msg, date, number, &cnt);
			date = mbox_date(line);
			number++;
			continue;
		}
		if (number == 0)
			continue;	/* junk before the first From_ line */
		if (*p == '>' && ctl_mboxrd_from(p, line + n))
			p++, n--;
		buf_append(&msg, p, (size_t)n);
	}
	mbox_flush(ctx, argv[0], mailbox, &msg, date, number, &cnt);
	free(line);
	fclose(fp);
	buf_free(&msg);
	return import_report(ctx, &cnt);
}
