/*
 * hb.h - the pure logic of duplex-hb (ha-agent/): health verdicts, DRBD
 * status parsing and the duplex-hb.conf table.
 *
 * Nothing here includes Pacemaker, Corosync, glib or libxml2: this
 * directory goes into libduplex.a and is unit tested there
 * (tests/unit/test_hb_*.c). ha-agent/ gathers the inputs (probes, CPG
 * heartbeats, the CIB), asks hb_verdict() what to do, and does it.
 *
 * Ownership: struct hb_conf owns its strings; hb_conf_free() releases them.
 * Everything else is plain values in caller-owned structs.
 */
#ifndef DUPLEX_HB_H
#define DUPLEX_HB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* ---- verdicts ---- */

enum hb_role { HB_ROLE_UNKNOWN, HB_ROLE_ACTIVE, HB_ROLE_STANDBY };
enum hb_probe { HB_PROBE_SKIPPED, HB_PROBE_OK, HB_PROBE_FAIL };
enum hb_action { HB_ACT_NONE, HB_ACT_PUBLISH, HB_ACT_FENCE };

/* one probe's last result and how many rounds in a row it has failed */
struct hb_probe_in {
	enum hb_probe r;
	unsigned streak;
};

struct hb_inputs {
	enum hb_role role;		/* this node, as Pacemaker places the store */
	struct hb_probe_in commit;	/* write through the commit path (active) */
	double commit_ms;		/* its latency when it succeeded */
	struct hb_probe_in imap, lmtp;	/* greetings on local listeners (active) */
	struct hb_probe_in vip;		/* IMAP greeting on the VIP (standby) */
	enum hb_probe ref;		/* reference host on the client network */
	bool drbd_known;		/* the fields below are meaningful */
	bool disk_uptodate;		/* this node's disk */
	bool peer_disk_uptodate;
	bool drbd_connected;
	bool peer_seen;			/* peer in our CPG view, heartbeat fresh */
	int peer_score;			/* peer's last published score; -1 unknown */
	enum hb_probe peer_vip;		/* the peer's view of our VIP */
	enum hb_probe peer_ref;		/* the peer's reference probe */
	enum hb_probe peer_commit;	/* the peer's own commit probe, as it last said */
	bool quorum;			/* Pacemaker's view: the partition has quorum */
	bool peer_active_failed;	/* Pacemaker's view: store failed on the active peer */
	unsigned peer_failed_for;	/* seconds it has stayed so */
	bool fence_done;		/* already requested for this peer incarnation */
	int last_published;		/* score last written to the CIB; -1 none */
	unsigned unplaced_for;		/* seconds the store has run on no node (role unknown) */
	bool store_down;		/* active here, but no duplexd process is alive */
	unsigned down_for;		/* seconds it has been so */
};

struct hb_thresholds {
	unsigned commit_warn_ms;
	unsigned commit_crit_ms;
	unsigned fail_rounds;		/* a probe fails after this many rounds in a row */
	unsigned sick_score;		/* the location rule evicts below this */
	unsigned fence_after;		/* seconds failed before fencing the peer */
	unsigned move_hold;		/* seconds a score is held while Pacemaker places the
					   store: a move, or the restart of a dead daemon */
	bool fence;			/* fencing allowed at all */
};

struct hb_verdict {
	int score;			/* 0 (sick) .. 100 (healthy) */
	enum hb_action action;
	char reason[256];		/* what lowered the score, or why fencing */
};

/* hb_thresholds_default - the documented defaults (also in hb_conf.c) */
void hb_thresholds_default(struct hb_thresholds *th);
/*
 * hb_verdict - health inputs and thresholds in, a score and one action out.
 * Pure: the same inputs always give the same verdict.
 */
void hb_verdict(const struct hb_inputs *in, const struct hb_thresholds *th, struct hb_verdict *v);
const char *hb_action_name(enum hb_action a);

/*
 * hb_pid_file_dead - the daemon that wrote pid_file is positively dead:
 * the file names a pid that no longer runs, or runs only as a zombie.
 * False when it lives, and when there is no evidence either way (no such
 * file, an empty path, unreadable contents).
 */
bool hb_pid_file_dead(const char *pid_file);
const char *hb_probe_name(enum hb_probe p);

/* ---- DRBD state ---- */

struct hb_drbd {
	bool valid;
	char resource[64];
	char role[32], peer_role[32];	/* Primary, Secondary, Unknown */
	char disk[32], peer_disk[32];	/* UpToDate, Outdated, Inconsistent, DUnknown, ... */
	char conn[32];			/* Connected, Connecting, StandAlone, ... */
	char repl[32];			/* Established, SyncSource, SyncTarget, Off, ... */
	char peer[64];			/* peer's name (DRBD 9 only) */
	double sync_percent;		/* of the peer's disk in sync; -1 unknown */
};

/*
 * hb_drbd_parse - `drbdsetup status --json` (DRBD 9) or /proc/drbd (8.4),
 * told apart by the text; resource picks one (NULL: the first; for 8.4,
 * the minor as text, "0"). 0, or -1 when nothing usable was found.
 */
int hb_drbd_parse(const char *text, const char *resource, struct hb_drbd *d);
bool hb_drbd_connected(const struct hb_drbd *d);

/* ---- duplex-hb.conf ---- */

struct hb_conf {
	char *duplex_conf;	/* duplexd's config, for listeners and the socket */
	char *duplexctl;	/* the probe binary */
	unsigned interval;	/* seconds between rounds */
	unsigned dead_after;	/* seconds without a heartbeat: peer unseen */
	unsigned probe_timeout;	/* seconds per probe */
	bool imap_probe, lmtp_probe;
	char *vip_probe;	/* host:port of the VIP's IMAP, "" off */
	char *ref_probe;	/* host:port on the client network, "" off */
	char *resource;		/* the group whose placement is "active" */
	char *store_resource;	/* the store primitive, for failures */
	char *attribute;	/* the node attribute for the score */
	char *drbd_command;	/* prints DRBD 9 JSON status; "" /proc/drbd */
	char *drbd_resource;
	char *state_file;	/* the daemon's last round, for status */
	char *history_file;	/* failovers and switchovers */
	char *cpg_group;
	unsigned fence_timeout;	/* seconds given to the fencer */
	struct hb_thresholds th;
};

/* hb_conf_load - defaults, then path if it exists (missing is fine when !must) */
int hb_conf_load(const char *path, bool must, struct hb_conf *c, char *err, size_t errlen);
/* hb_conf_parse - the same from a stream; name is used in messages */
int hb_conf_parse(FILE *fp, const char *name, struct hb_conf *c, char *err, size_t errlen);
void hb_conf_defaults(struct hb_conf *c);
void hb_conf_free(struct hb_conf *c);
/* hb_conf_print - every key, its value and its documentation */
void hb_conf_print(FILE *fp, const struct hb_conf *c);

#endif
