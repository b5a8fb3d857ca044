/*
 * hb_drbd.c - DRBD's state from `drbdsetup status --json` (DRBD 9) or
 * /proc/drbd (DRBD 8.4, which the VM test bed's kernel ships).
 *
 * The JSON reader is a small scanner, not a general parser: it walks the
 * text once, tracks nesting and the array each value sits in
 * (resource -> devices | connections -> peer_devices) and keeps the scalars
 * it knows. Only the first volume and the first connection count: Duplex
 * has one volume and one peer. Unknown keys are ignored, so newer
 * drbd-utils with more fields still parse.
 *
 * Hazard: the text is trusted local command output, but the scanner still
 * never reads past the terminating NUL and copies into fixed buffers with
 * truncation.
 */
#include "hb/hb.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* copy - bounded copy of n bytes into a fixed field */
static void
copy(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* scan_string - p at '"'; returns past the closing quote, span in *s,*n */
static const char *
scan_string(const char *p, const char **s, size_t *n)
{
	const char *q = ++p;

	while (*q && *q != '"') {
		if (*q == '\\' && q[1])
			q++;
		q++;
	}
	*s = p;
	*n = (size_t)(q - p);
	return *q ? q + 1 : q;
}

struct jstate {
	int depth;		/* 1 inside the top array, 2 inside a resource */
	int res_index;		/* resources seen */
	bool want;		/* this resource is the one asked for */
	char arr2[32];		/* the array a depth-3/4 value sits in */
	char arr4[32];		/* the array a depth-5/6 value sits in */
	int dev_seen, conn_seen, pdev_seen;
};

/* json_value - one scalar key/value at the current depth */
static void
json_value(struct jstate *js, const char *resource, const char *k, size_t kn, const char *v,
    size_t vn, struct hb_drbd *d)
{
	char key[40];

	copy(key, sizeof(key), k, kn);
	if (js->depth == 2) {
		if (strcmp(key, "name") == 0) {
			js->want = resource == NULL ? js->res_index == 1 :
			    strlen(resource) == vn && memcmp(resource, v, vn) == 0;
			if (js->want) {
				copy(d->resource, sizeof(d->resource), v, vn);
				d->valid = true;
			}
		} else if (js->want && strcmp(key, "role") == 0)
			copy(d->role, sizeof(d->role), v, vn);
		return;
	}
	if (!js->want)
		return;
	if (js->depth == 4 && strcmp(js->arr2, "devices") == 0 && js->dev_seen == 1) {
		if (strcmp(key, "disk-state") == 0)
			copy(d->disk, sizeof(d->disk), v, vn);
	} else if (js->depth == 4 && strcmp(js->arr2, "connections") == 0 && js->conn_seen == 1) {
		if (strcmp(key, "name") == 0)
			copy(d->peer, sizeof(d->peer), v, vn);
		else if (strcmp(key, "connection-state") == 0)
			copy(d->conn, sizeof(d->conn), v, vn);
		else if (strcmp(key, "peer-role") == 0)
			copy(d->peer_role, sizeof(d->peer_role), v, vn);
	} else if (js->depth == 6 && strcmp(js->arr4, "peer_devices") == 0 && js->conn_seen == 1 &&
	    js->pdev_seen == 1) {
		if (strcmp(key, "replication-state") == 0)
			copy(d->repl, sizeof(d->repl), v, vn);
		else if (strcmp(key, "peer-disk-state") == 0)
			copy(d->peer_disk, sizeof(d->peer_disk), v, vn);
		else if (strcmp(key, "percent-in-sync") == 0) {
			char num[32];

			copy(num, sizeof(num), v, vn);
			d->sync_percent = strtod(num, NULL);
		}
	}
}

/* parse_json - drbdsetup status --json */
static int
parse_json(const char *p, const char *resource, struct hb_drbd *d)
{
	struct jstate js = { 0 };
	const char *key = NULL, *s;
	size_t keyn = 0, n;

	if (*p == '{')
		js.depth = 1;	/* one resource object, not an array of them */
	while (*p) {
		if (isspace((unsigned char)*p) || *p == ',') {
			p++;
			continue;
		}
		if (*p == '{' || *p == '[') {
			/* entering a container: remember which array it is */
			if (*p == '[' && key != NULL) {
				if (js.depth == 2)
					copy(js.arr2, sizeof(js.arr2), key, keyn);
				else if (js.depth == 4)
					copy(js.arr4, sizeof(js.arr4), key, keyn);
			}
			if (*p == '{') {
				if (js.depth == 1) {
					js.res_index++;
					js.want = false;
					js.conn_seen = js.dev_seen = 0;
				} else if (js.depth == 3 && strcmp(js.arr2, "devices") == 0)
					js.dev_seen++;
				else if (js.depth == 3 && strcmp(js.arr2, "connections") == 0) {
					js.conn_seen++;
					js.pdev_seen = 0;
				} else if (js.depth == 5 && strcmp(js.arr4, "peer_devices") == 0)
					js.pdev_seen++;
			}
			js.depth++;
			key = NULL;
			p++;
			continue;
		}
		if (*p == '}' || *p == ']') {
			js.depth--;
			key = NULL;
			p++;
			continue;
		}
		if (*p == '"') {
			p = scan_string(p, &s, &n);
			while (isspace((unsigned char)*p))
				p++;
			if (*p == ':' && key == NULL) {
				key = s;
				keyn = n;
				p++;
				continue;
			}
			if (key != NULL)
				json_value(&js, resource, key, keyn, s, n, d);
			key = NULL;
			continue;
		}
		/* a bare scalar: number, true, false, null */
		s = p;
		while (*p && *p != ',' && *p != '}' && *p != ']' && !isspace((unsigned char)*p))
			p++;
		if (key != NULL)
			json_value(&js, resource, key, keyn, s, (size_t)(p - s), d);
		key = NULL;
	}
	return d->valid ? 0 : -1;
}

/* field84 - the value after "tag" up to a space or '/', from one /proc/drbd line */
static void
field84(const char *line, const char *tag, char *a, size_t acap, char *b, size_t bcap)
{
	const char *p = strstr(line, tag), *e;

	if (p == NULL)
		return;
	p += strlen(tag);
	for (e = p; *e && *e != '/' && !isspace((unsigned char)*e); e++)
		;
	copy(a, acap, p, (size_t)(e - p));
	if (b != NULL && *e == '/') {
		p = e + 1;
		for (e = p; *e && !isspace((unsigned char)*e); e++)
			;
		copy(b, bcap, p, (size_t)(e - p));
	}
}

/* parse_proc - /proc/drbd of DRBD 8.4: " 0: cs:Connected ro:P/S ds:U/U C r-----" */
static int
parse_proc(const char *text, const char *resource, struct hb_drbd *d)
{
	static const char *const linked[] = { "Connected", "SyncSource", "SyncTarget",
		"PausedSyncS", "PausedSyncT", "VerifyS", "VerifyT", "Ahead", "Behind",
		"StartingSyncS", "StartingSyncT", "WFBitMapS", "WFBitMapT", "WFSyncUUID" };
	const char *line = text, *nl, *p;
	char cs[32] = "";

	for (; *line; line = *nl ? nl + 1 : nl) {
		nl = strchr(line, '\n');
		if (nl == NULL)
			nl = line + strlen(line);
		for (p = line; *p == ' '; p++)
			;
		if (!isdigit((unsigned char)*p))
			continue;
		if (d->valid) {
			/* the device we want is done; a progress line may follow it */
			if (strstr(p, "cs:") != NULL)
				break;
			continue;
		}
		if (strstr(p, "cs:") == NULL)
			continue;
		if (resource != NULL && (strncmp(p, resource, strlen(resource)) != 0 ||
		    p[strlen(resource)] != ':'))
			continue;
		copy(d->resource, sizeof(d->resource), p, strcspn(p, ":"));
		field84(p, "cs:", cs, sizeof(cs), NULL, 0);
		field84(p, "ro:", d->role, sizeof(d->role), d->peer_role, sizeof(d->peer_role));
		field84(p, "ds:", d->disk, sizeof(d->disk), d->peer_disk, sizeof(d->peer_disk));
		d->valid = true;
	}
	if (!d->valid)
		return -1;
	for (size_t i = 0; i < sizeof(linked) / sizeof(linked[0]); i++) {
		if (strcmp(cs, linked[i]) == 0) {
			copy(d->conn, sizeof(d->conn), "Connected", 9);
			copy(d->repl, sizeof(d->repl), strcmp(cs, "Connected") == 0 ? "Established" : cs,
			    strlen(strcmp(cs, "Connected") == 0 ? "Established" : cs));
			break;
		}
	}
	if (d->conn[0] == '\0') {
		copy(d->conn, sizeof(d->conn), cs, strlen(cs));
		copy(d->repl, sizeof(d->repl), "Off", 3);
	}
	if (strcmp(d->peer_disk, "UpToDate") == 0)
		d->sync_percent = 100.0;
	else if ((p = strstr(text, "sync'ed:")) != NULL)
		d->sync_percent = strtod(p + 8, NULL);
	return 0;
}

int
hb_drbd_parse(const char *text, const char *resource, struct hb_drbd *d)
{
	const char *p = text;

	memset(d, 0, sizeof(*d));
	d->sync_percent = -1;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '[' || *p == '{')
		return parse_json(p, resource, d);
	return parse_proc(text, resource, d);
}

bool
hb_drbd_connected(const struct hb_drbd *d)
{
	return d->valid && strcmp(d->conn, "Connected") == 0;
}
