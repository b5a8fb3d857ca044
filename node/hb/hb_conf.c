/*
 * hb_conf.c - /etc/duplex/duplex-hb.conf, duplex-hb's own settings.
 *
 * The same "key = value" format as duplex.conf, and the same rule: every
 * key is one row of hb_conf_table with its default, bounds and a line of
 * documentation; an unknown key or a value out of bounds is an error that
 * names the line. duplex-hb keeps its keys out of duplex.conf so that the
 * store daemon's table (and `duplexd -t`) stays about the store.
 *
 * The timing defaults follow the deploy kit: the store's stop timeout is
 * 60 s with on-fail=fence, so Pacemaker fences a hung stop itself;
 * fence_after (120 s) only acts when that recovery has not happened.
 */
#include "hb/hb.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/conf_lines.h"
#include "util/xalloc.h"

enum hb_ct { HB_CT_STR, HB_CT_UINT, HB_CT_BOOL };

struct hb_conf_row {
	const char *name;
	enum hb_ct type;
	size_t offset;
	const char *def;
	unsigned min, max;
	const char *doc;
};

#define F(field) offsetof(struct hb_conf, field)

static const struct hb_conf_row hb_conf_table[] = {
	{ "duplex_conf", HB_CT_STR, F(duplex_conf), "/etc/duplex/duplex.conf", 0, 0,
	  "duplexd's config: control socket and the listeners to probe" },
	{ "duplexctl", HB_CT_STR, F(duplexctl), "duplexctl", 0, 0,
	  "duplexctl binary for the commit probe (PATH is searched)" },
	{ "interval", HB_CT_UINT, F(interval), "2", 1, 60, "seconds between probe and heartbeat rounds" },
	{ "dead_after", HB_CT_UINT, F(dead_after), "10", 2, 600,
	  "seconds without a peer heartbeat before the peer counts as unseen" },
	{ "probe_timeout", HB_CT_UINT, F(probe_timeout), "5", 1, 120,
	  "seconds each probe may take before it counts as failed" },
	{ "imap_probe", HB_CT_BOOL, F(imap_probe), "yes", 0, 0,
	  "probe the IMAP greeting on duplex.conf's imap_listen (skipped when that is off)" },
	{ "lmtp_probe", HB_CT_BOOL, F(lmtp_probe), "yes", 0, 0,
	  "probe the LMTP greeting on duplex.conf's lmtp_listen (skipped when that is off)" },
	{ "vip_probe", HB_CT_STR, F(vip_probe), "", 0, 0,
	  "VIP:PORT of the client IMAP service, probed from the standby; empty: off" },
	{ "ref_probe", HB_CT_STR, F(ref_probe), "", 0, 0,
	  "HOST:PORT on the client network (a router or DNS server) that tells a dead "
	  "client network of our own from a dead VIP; empty: off" },
	{ "resource", HB_CT_STR, F(resource), "g_duplex", 0, 0,
	  "the Pacemaker group that carries the active role" },
	{ "store_resource", HB_CT_STR, F(store_resource), "mailstore", 0, 0,
	  "the ocf:duplex:mailstore primitive, whose failures count" },
	{ "attribute", HB_CT_STR, F(attribute), "duplex-health", 0, 0,
	  "node attribute the score is published as (the deploy kit's location rule reads it)" },
	{ "drbd_command", HB_CT_STR, F(drbd_command), "drbdsetup status --json", 0, 0,
	  "prints DRBD 9 status as JSON; when it fails, /proc/drbd (DRBD 8.4) is read" },
	{ "drbd_resource", HB_CT_STR, F(drbd_resource), "duplex", 0, 0,
	  "the DRBD resource (for /proc/drbd: the minor, e.g. 0)" },
	{ "state_file", HB_CT_STR, F(state_file), "/run/duplex/hb.state", 0, 0,
	  "the daemon's last round, read by duplex-hb status" },
	{ "history_file", HB_CT_STR, F(history_file), "/var/lib/duplex/hb.history", 0, 0,
	  "failovers, switchovers and fencing requests, one line each" },
	{ "cpg_group", HB_CT_STR, F(cpg_group), "duplex-hb", 0, 0, "Corosync process group name" },
	{ "fence_timeout", HB_CT_UINT, F(fence_timeout), "120", 10, 3600,
	  "seconds the fencer is given to fence the peer" },
	{ "commit_warn_ms", HB_CT_UINT, F(th.commit_warn_ms), "500", 1, 600000,
	  "commit probe latency that lowers the score a little (20)" },
	{ "commit_crit_ms", HB_CT_UINT, F(th.commit_crit_ms), "5000", 1, 600000,
	  "commit probe latency that lowers the score a lot (60)" },
	{ "fail_rounds", HB_CT_UINT, F(th.fail_rounds), "3", 1, 100,
	  "rounds in a row a probe must fail before it counts" },
	{ "sick_score", HB_CT_UINT, F(th.sick_score), "50", 1, 100,
	  "the location rule moves the store off a node scoring below this; keep equal to the rule" },
	{ "fence_after", HB_CT_UINT, F(th.fence_after), "120", 10, 3600,
	  "seconds the store may stay failed on the active peer before the standby fences it" },
	{ "move_hold", HB_CT_UINT, F(th.move_hold), "120", 0, 3600,
	  "seconds the last score is held while Pacemaker places the store: a move under way, "
	  "or the restart in place of a duplexd that died" },
	{ "fence", HB_CT_BOOL, F(th.fence), "yes", 0, 0,
	  "allow duplex-hb to request fencing at all" },
};

#define HB_NROWS (sizeof(hb_conf_table) / sizeof(hb_conf_table[0]))

/* apply - one value into its field; 0 or -1 with a message */
static int
apply(struct hb_conf *c, const struct hb_conf_row *row, const char *value, char *err, size_t errlen)
{
	char *base = (char *)c + row->offset, *end;
	unsigned long v;

	switch (row->type) {
	case HB_CT_STR:
		free(*(char **)base);
		*(char **)base = xstrdup(value);
		return 0;
	case HB_CT_BOOL:
		if (strcasecmp(value, "yes") == 0 || strcasecmp(value, "true") == 0 ||
		    strcmp(value, "1") == 0)
			*(bool *)base = true;
		else if (strcasecmp(value, "no") == 0 || strcasecmp(value, "false") == 0 ||
		    strcmp(value, "0") == 0)
			*(bool *)base = false;
		else {
			snprintf(err, errlen, "%s: '%s' is not yes or no", row->name, value);
			return -1;
		}
		return 0;
	case HB_CT_UINT:
		errno = 0;
		v = strtoul(value, &end, 10);
		if (errno != 0 || end == value || *end != '\0' || value[0] == '-') {
			snprintf(err, errlen, "%s: '%s' is not a number", row->name, value);
			return -1;
		}
		if (v < row->min || v > row->max) {
			snprintf(err, errlen, "%s: %lu is outside %u..%u", row->name, v, row->min,
			    row->max);
			return -1;
		}
		*(unsigned *)base = (unsigned)v;
		return 0;
	}
	return -1;
}

void
hb_conf_defaults(struct hb_conf *c)
{
	char err[128];

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < HB_NROWS; i++)
		(void)apply(c, &hb_conf_table[i], hb_conf_table[i].def, err, sizeof(err));
}

/* set_line - one "key = value" line: find the key's row and apply it */
static int
set_line(void *c, const char *key, const char *value, char *why, size_t whylen)
{
	size_t i;

	for (i = 0; i < HB_NROWS && strcmp(hb_conf_table[i].name, key) != 0; i++)
		;
	if (i == HB_NROWS) {
		snprintf(why, whylen, "unknown key '%s'", key);
		return -1;
	}
	return apply(c, &hb_conf_table[i], value, why, whylen);
}

int
hb_conf_parse(FILE *fp, const char *name, struct hb_conf *c, char *err, size_t errlen)
{
	if (conf_lines_read(fp, name, set_line, c, err, errlen) < 0)
		return -1;
	if (c->th.commit_crit_ms < c->th.commit_warn_ms) {
		snprintf(err, errlen, "%s: commit_crit_ms is below commit_warn_ms", name);
		return -1;
	}
	return 0;
}

int
hb_conf_load(const char *path, bool must, struct hb_conf *c, char *err, size_t errlen)
{
	FILE *fp;
	int rc;

	hb_conf_defaults(c);
	if ((fp = fopen(path, "r")) == NULL) {
		if (errno == ENOENT && !must)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	rc = hb_conf_parse(fp, path, c, err, errlen);
	fclose(fp);
	return rc;
}

void
hb_conf_free(struct hb_conf *c)
{
	for (size_t i = 0; i < HB_NROWS; i++) {
		if (hb_conf_table[i].type == HB_CT_STR) {
			char **p = (char **)((char *)c + hb_conf_table[i].offset);

			free(*p);
			*p = NULL;
		}
	}
}

void
hb_conf_print(FILE *fp, const struct hb_conf *c)
{
	for (size_t i = 0; i < HB_NROWS; i++) {
		const struct hb_conf_row *r = &hb_conf_table[i];
		const char *base = (const char *)c + r->offset;

		fprintf(fp, "# %s (default: %s)\n", r->doc, r->def[0] ? r->def : "empty");
		if (r->type == HB_CT_STR)
			fprintf(fp, "%s = %s\n\n", r->name, *(char *const *)base);
		else if (r->type == HB_CT_BOOL)
			fprintf(fp, "%s = %s\n\n", r->name, *(const bool *)base ? "yes" : "no");
		else
			fprintf(fp, "%s = %u\n\n", r->name, *(const unsigned *)base);
	}
}
