/*
 * duplex_hb.c - duplex-hb, the heartbeat monitor and cluster tool of Duplex.
 *
 *   duplex-hb [-c FILE] run [-f]           the monitor (both nodes)
 *   duplex-hb [-c FILE] status [--json]    the pair on one screen
 *   duplex-hb [-c FILE] switchover [--to NODE] [--timeout S] [--force]
 *   duplex-hb [-c FILE] publish [--node NODE] SCORE   set the score by hand
 *   duplex-hb [-c FILE] config             print every setting
 *   --drbd-file FILE (or DUPLEX_HB_DRBD_FILE): read DRBD status from a file
 *
 * FILE is $DUPLEX_HB_CONF or /etc/duplex/duplex-hb.conf (missing: defaults). With
 * CIB_file=PATH in the environment every CIB access goes to that file, as
 * for Pacemaker's own tools; the tests use that.
 *
 * How it runs: a systemd unit beside Pacemaker (ha-agent/duplex-hb.service),
 * not a Pacemaker clone. It watches Pacemaker and may have to fence a node
 * whose stop hung; as a resource it would be stopped, restarted and
 * rescheduled by the very transitions it watches, and a failure of its own
 * would count against the node. It needs corosync (CPG) and the CIB, so the
 * unit starts after pacemaker.service and keeps retrying both each round.
 *
 * The score goes to the CIB (libcib) as a transient node attribute, not
 * through attrd: one library for attributes, constraints and status; it
 * works offline against CIB_file; the controller still clears transient
 * attributes when a node leaves. attrd's dampening is replaced by
 * fail_rounds in the verdict, and the score is written only when it changes.
 */
#include "hb_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "util/log.h"
#include "util/version.h"

#define HB_DEFAULT_CONF "/etc/duplex/duplex-hb.conf"

const char *
hb_nodename(void)
{
	static struct utsname u;

	if (u.nodename[0] == '\0' && uname(&u) < 0)
		snprintf(u.nodename, sizeof(u.nodename), "localhost");
	return u.nodename;
}

/* usage - the command summary */
static int
usage(FILE *fp, int rc)
{
	fprintf(fp, "usage: duplex-hb [-c FILE] [--drbd-file FILE] COMMAND\n"
	    "  run [-f]                                  the heartbeat monitor\n"
	    "  status [--json]                           the pair on one screen\n"
	    "  switchover [--to NODE] [--timeout S] [--force]\n"
	    "  publish [--node NODE] SCORE               set the health score by hand\n"
	    "  config                                    print every setting\n");
	return rc;
}

/* publish - the score attribute, once; for operators and tests */
static int
publish(struct hb_conf *hc, int argc, char **argv)
{
	const char *node = hb_nodename(), *score = NULL;
	char err[512];

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--node") == 0 && i + 1 < argc)
			node = argv[++i];
		else if (score == NULL && argv[i][0] != '-')
			score = argv[i];
		else
			return usage(stderr, 2);
	}
	if (score == NULL || strspn(score, "0123456789") != strlen(score) || atoi(score) > 100)
		return usage(stderr, 2);
	if (hb_cib_set_attr(node, hc->attribute, score, err, sizeof(err)) < 0) {
		fprintf(stderr, "duplex-hb: publish: %s\n", err);
		return 1;
	}
	printf("%s=%s on %s\n", hc->attribute, score, node);
	return 0;
}

int
main(int argc, char **argv)
{
	struct hb_opts o = { .conf_path = HB_DEFAULT_CONF, .timeout = 120 };
	struct hb_conf hc;
	const char *cmd;
	char err[512];
	int i, rc;

	o.drbd_file = getenv("DUPLEX_HB_DRBD_FILE");
	if (getenv("DUPLEX_HB_CONF") != NULL)
		o.conf_path = getenv("DUPLEX_HB_CONF");
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			o.conf_path = argv[++i];
		else if (strcmp(argv[i], "--drbd-file") == 0 && i + 1 < argc)
			o.drbd_file = argv[++i];
		else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return usage(stdout, 0);
		else if (strcmp(argv[i], "--version") == 0) {
			printf("duplex-hb %s\n", DUPLEX_VERSION);
			return 0;
		} else
			return usage(stderr, 2);
	}
	if (i == argc)
		return usage(stderr, 2);
	cmd = argv[i++];
	if (hb_conf_load(o.conf_path, strcmp(o.conf_path, HB_DEFAULT_CONF) != 0, &hc, err,
	    sizeof(err)) < 0) {
		fprintf(stderr, "duplex-hb: %s\n", err);
		return 1;
	}
	if (strcmp(cmd, "publish") == 0) {
		rc = publish(&hc, argc - i, argv + i);
		hb_conf_free(&hc);
		return rc;
	}
	for (; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			o.json = true;
		else if (strcmp(argv[i], "--force") == 0)
			o.force = true;
		else if (strcmp(argv[i], "-f") == 0)
			o.foreground = true;
		else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
			o.to = argv[++i];
		else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc &&
		    (o.timeout = (unsigned)strtoul(argv[i + 1], NULL, 10)) > 0)
			i++;
		else if (strcmp(argv[i], "--drbd-file") == 0 && i + 1 < argc)
			o.drbd_file = argv[++i];
		else {
			hb_conf_free(&hc);
			return usage(stderr, 2);
		}
	}
	if (strcmp(cmd, "run") == 0) {
		log_open("duplex-hb", o.foreground, LOG_LEVEL_INFO);
		rc = hb_cmd_run(&hc, &o);
	} else if (strcmp(cmd, "status") == 0) {
		log_open("duplex-hb", true, LOG_LEVEL_WARN);
		rc = hb_cmd_status(&hc, &o);
	} else if (strcmp(cmd, "switchover") == 0) {
		log_open("duplex-hb", true, LOG_LEVEL_WARN);
		rc = hb_cmd_switchover(&hc, &o);
	} else if (strcmp(cmd, "config") == 0) {
		hb_conf_print(stdout, &hc);
		rc = 0;
	} else
		rc = usage(stderr, 2);
	hb_conf_free(&hc);
	return rc;
}
