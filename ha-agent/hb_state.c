/*
 * hb_state.c - duplex-hb's small files: the daemon's state after each
 * round (read by `duplex-hb status`) and the history of failovers,
 * switchovers and fencing requests.
 *
 * The state file is key=value lines, replaced atomically (write a
 * temporary, rename), so a reader never sees half a round. The history is
 * append-only, one line per event: "EPOCH KIND FROM TO REASON".
 *
 * Hazard: both live outside the DRBD volume (/run, /var/lib), so each node
 * has its own history; status shows the local one.
 */
#include "hb_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/log.h"
#include "util/xalloc.h"

char *
hb_read_file(const char *path, size_t max)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0, cap = 4096;
	char *buf;
	ssize_t n;

	if (fd < 0)
		return NULL;
	buf = xmalloc(cap);
	while (len < max) {
		if (cap - len < 2)
			buf = xrealloc(buf, cap *= 2);
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

int
hb_state_write(const char *path, const char *text)
{
	char tmp[4096];
	FILE *fp;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((fp = fopen(tmp, "w")) == NULL)
		return -1;
	fputs(text, fp);
	if (fclose(fp) != 0 || rename(tmp, path) < 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

const char *
hb_state_get(const char *text, const char *key)
{
	static char val[256];
	size_t kl = strlen(key);

	for (const char *p = text; p != NULL && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
			size_t n = strcspn(p + kl + 1, "\n");

			snprintf(val, sizeof(val), "%.*s", (int)n, p + kl + 1);
			return val;
		}
	}
	return NULL;
}

void
hb_history_add(const char *path, const char *kind, const char *from, const char *to,
    const char *why)
{
	FILE *fp = fopen(path, "a");

	if (fp == NULL) {
		log_warn("-", "history %s: %s", path, strerror(errno));
		return;
	}
	fprintf(fp, "%ld %s %s %s %s\n", (long)time(NULL), kind, from[0] ? from : "-",
	    to[0] ? to : "-", why);
	fclose(fp);
}

int
hb_history_last(const char *path, char *line, size_t len)
{
	char *text = hb_read_file(path, 1 << 20), *last = NULL, *p;

	if (text == NULL)
		return -1;
	for (p = text; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p))
		if (*p != '\n')
			last = p;
	if (last == NULL) {
		free(text);
		return -1;
	}
	snprintf(line, len, "%.*s", (int)strcspn(last, "\n"), last);
	free(text);
	return 0;
}
