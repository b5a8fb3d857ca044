/*
 * hb_pid.c - is the store's daemon dead? From its pid file and /proc.
 *
 * Only positive evidence counts: a missing pid file may be a daemon run in
 * the foreground, so it says nothing. The pid in a stale file may by now
 * belong to another program; then the daemon counts as alive, and the
 * probes judge it, as they would without this check.
 */
#include "hb/hb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* proc_state - the one-letter state of pid from /proc; 0 when it is gone */
static char
proc_state(long pid)
{
	char path[64], line[512], *p;
	FILE *fp;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if ((fp = fopen(path, "re")) == NULL)
		return 0;
	n = fread(line, 1, sizeof(line) - 1, fp);
	fclose(fp);
	line[n] = '\0';
	/* "pid (comm) S ...": comm may hold spaces and ')', the state follows the last ')' */
	p = strrchr(line, ')');
	return p != NULL && p[1] == ' ' ? p[2] : 0;
}

bool
hb_pid_file_dead(const char *pid_file)
{
	char buf[32], *end;
	long pid;
	FILE *fp;
	size_t n;
	char st;

	if (pid_file == NULL || pid_file[0] == '\0' || (fp = fopen(pid_file, "re")) == NULL)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	pid = strtol(buf, &end, 10);
	if (pid <= 0 || end == buf || (*end != '\0' && *end != '\n'))
		return false;
	st = proc_state(pid);
	return st == 0 || st == 'Z' || st == 'X';
}
