/*
 * hb_int.h - what the files of duplex-hb (ha-agent/) share.
 *
 * Only ha-agent/ includes Pacemaker, Corosync, glib and libxml2, and only
 * in the .c files: this header is plain C, so the pure logic in node/hb
 * and the Pacemaker glue meet on plain structs.
 *
 * Files: duplex_hb.c (main, subcommands), hb_cib.c (libcib and the
 * scheduler's status unpacking), hb_probe.c (commit, greeting and DRBD
 * probes), hb_cpg.c (heartbeats), hb_fence.c (libstonithd), hb_daemon.c
 * (the monitor loop), hb_status.c and hb_switch.c (the operator commands),
 * hb_state.c (the state and history files).
 */
#ifndef DUPLEX_HB_INT_H
#define DUPLEX_HB_INT_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "hb/hb.h"

#define HB_MAX_NODES 8
#define HB_NAME 64

/* ---- the cluster as Pacemaker sees it (hb_cib.c) ---- */

struct hb_node {
	char name[HB_NAME];
	bool online, standby, unclean, pending;
	int health;			/* the score attribute; -1 absent */
};

struct hb_cluster {
	bool quorum, stonith_enabled;
	int nnodes;
	struct hb_node nodes[HB_MAX_NODES];
	char dc[HB_NAME];
	char active[HB_NAME];		/* where the store runs; "" nowhere */
	int active_count;		/* >1: multi-active, a disaster */
	bool store_failed;		/* the store resource carries the failed flag */
	char vip[HB_NAME];		/* the IPaddr2 "ip" in the group */
	char vip_on[HB_NAME];
	int failed_actions;
	char failed_first[160];		/* "mailstore_monitor_10000 on node1 rc=1" */
	bool transition;		/* an action is pending or a node is joining */
	bool store_pending;		/* the store is starting or stopping somewhere */
	char leftover[HB_NAME * 2];	/* a cli-prefer/cli-ban constraint id */
};

/* hb_cib_snapshot - query the CIB (honours CIB_file) and unpack it; 0 or -1 */
int hb_cib_snapshot(const struct hb_conf *hc, struct hb_cluster *cl, char *err, size_t errlen);
/* hb_cib_set_attr - a transient (reboot-lifetime) node attribute; 0 or -1 */
int hb_cib_set_attr(const char *node, const char *name, const char *value, char *err, size_t errlen);
/* hb_cib_move - the cli-prefer-RESOURCE constraint to node, as pcs resource move does */
int hb_cib_move(const char *resource, const char *node, char *err, size_t errlen);
/* hb_cib_clear - remove cli-prefer-RESOURCE; absent is fine */
int hb_cib_clear(const char *resource, char *err, size_t errlen);
/* hb_cluster_peer - the other node's name, or NULL when there is no other */
const char *hb_cluster_peer(const struct hb_cluster *cl, const char *me);
const struct hb_node *hb_cluster_node(const struct hb_cluster *cl, const char *name);

/* ---- probes (hb_probe.c) ---- */

/* hb_probe_commit - `duplexctl -c CONF --json probe`; *ms its latency */
enum hb_probe hb_probe_commit(const struct hb_conf *hc, double *ms, char *why, size_t whylen);
/* hb_probe_greeting - connect to host:port and read a line starting with want */
enum hb_probe hb_probe_greeting(const char *hostport, const char *want, unsigned timeout_s,
    double *ms, char *why, size_t whylen);
/*
 * One round of local probes. They run at once, each on its own thread with
 * its own deadline, so a hung store costs a round probe_timeout and not
 * probe_timeout per probe: the verdict on a hang must come before
 * Pacemaker's own monitor restarts the store in place.
 */
struct hb_round_probe {
	enum hb_probe r;
	double ms;
	char why[256];
};

struct hb_round {
	struct hb_round_probe commit, imap, lmtp;	/* the active node's store */
	struct hb_round_probe vip;			/* the standby's view of the VIP */
	struct hb_round_probe ref;			/* both: the client network */
};

/*
 * hb_probe_round - run the probes this role calls for; imap and lmtp are
 * the local listeners (NULL or "" skips them)
 */
void hb_probe_round(const struct hb_conf *hc, enum hb_role role, const char *imap,
    const char *lmtp, struct hb_round *out);
/* hb_probe_drbd - DRBD state: file if non-NULL, else drbd_command, else /proc/drbd */
int hb_probe_drbd(const struct hb_conf *hc, const char *file, struct hb_drbd *d);
/* hb_run_capture - run argv with a deadline; stdout into out (NUL-terminated) */
int hb_run_capture(char *const argv[], unsigned timeout_s, char *out, size_t outlen, int *status_r);
/* hb_now - monotonic seconds, for intervals */
double hb_now(void);

/* ---- heartbeats over CPG (hb_cpg.c) ---- */

struct hb_peer {
	char name[HB_NAME];
	unsigned long boot;		/* the sender's start time: a new one is a new incarnation */
	double seen_at;			/* hb_now() of the last heartbeat; 0 never */
	enum hb_role role;
	int score;
	enum hb_probe commit, vip, ref;
	double commit_ms;
	char disk[32];
};

int hb_cpg_open(const char *group, int *fd_r);
/* hb_cpg_send - publish this node's heartbeat text */
int hb_cpg_send(const char *text);
/* hb_cpg_dispatch - deliver what arrived; updates the peer table */
int hb_cpg_dispatch(void);
/* hb_cpg_peer - the freshest heartbeat from a node other than me; NULL none */
const struct hb_peer *hb_cpg_peer(const char *me);
/* hb_cpg_peer_in_view - some other node is in the process group now */
bool hb_cpg_peer_in_view(void);
void hb_cpg_close(void);
/* hb_heartbeat_parse - one heartbeat's text into p; 0 or -1 (pure, tested offline) */
int hb_heartbeat_parse(const char *text, struct hb_peer *p);

/* ---- fencing (hb_fence.c) ---- */

/* hb_fence_node - ask the fencer to reboot node; 0 or -1 */
int hb_fence_node(const char *node, unsigned timeout_s, char *err, size_t errlen);

/* ---- state and history (hb_state.c) ---- */

/* hb_state_write - replace the state file atomically with text */
int hb_state_write(const char *path, const char *text);
/* hb_state_get - a key's value from key=value text; NULL when absent; static buffer */
const char *hb_state_get(const char *text, const char *key);
/* hb_history_add - append "EPOCH KIND FROM TO REASON" */
void hb_history_add(const char *path, const char *kind, const char *from, const char *to,
    const char *why);
/* hb_history_last - the last line, or -1 when there is none */
int hb_history_last(const char *path, char *line, size_t len);
/* hb_read_file - a whole small file; caller frees; NULL on error */
char *hb_read_file(const char *path, size_t max);

/* ---- reasons and warnings (hb_lines.c) ---- */

#define HB_LINES_MAX 16

struct hb_lines {
	int n;
	char text[HB_LINES_MAX][320];
};

/* hb_line_add - append one formatted line; dropped when the list is full */
void hb_line_add(struct hb_lines *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- the subcommands ---- */

struct hb_opts {
	const char *conf_path;
	const char *drbd_file;		/* --drbd-file, or DUPLEX_HB_DRBD_FILE */
	bool json, force, foreground;
	const char *to;
	unsigned timeout;
};

int hb_cmd_run(struct hb_conf *hc, const struct hb_opts *o);
int hb_cmd_status(struct hb_conf *hc, const struct hb_opts *o);
int hb_cmd_switchover(struct hb_conf *hc, const struct hb_opts *o);

/* hb_nodename - this node's name as Pacemaker knows it (uname -n) */
const char *hb_nodename(void);

#endif
