/*
 * hb_switch.c - `duplex-hb switchover [--to NODE] [--timeout S] [--force]`.
 *
 * 1. Refuse, with every reason, when the switch could lose data or fail:
 *    a disk not UpToDate (either side), DRBD disconnected, failed actions,
 *    no quorum, a target that is not online. --force goes ahead after
 *    printing the reasons as warnings. A transition in progress (a node
 *    joining, a probe or start running) ends on its own: the switchover
 *    waits for it within its timeout, then checks everything again, as an
 *    operator would after `crm_resource --wait`. The move then gets the
 *    whole timeout again.
 * 2. Add cli-prefer-RESOURCE (INFINITY on the target), the constraint
 *    `pcs resource move` and `crm resource move` use, so the operators'
 *    own tools show and clear it.
 * 3. Wait until the store runs on the target per Pacemaker and, when
 *    vip_probe is set, the VIP greets again; meanwhile the VIP is probed
 *    every 200 ms to measure the gap clients saw.
 * 4. Clear the constraint. On timeout it is left in place, and said so:
 *    clearing it mid-transition could send the store back.
 * 5. Print the downtime and record the switchover in the history.
 *
 * Clients are told to reconnect by duplexd's graceful stop (IMAP BYE,
 * POP3/SMTP 421), which Pacemaker triggers through the agent's stop.
 */
#include "hb_int.h"

#include <string.h>
#include <unistd.h>

#define TRANSITION_POLL_US 1000000

/* unsafe - every reason a move from `from` to `to` could lose data or fail now */
static void
unsafe(struct hb_conf *hc, const struct hb_opts *o, const struct hb_cluster *cl,
    const char *from, const struct hb_node *tn, struct hb_lines *r)
{
	struct hb_drbd d;

	if (hb_probe_drbd(hc, o->drbd_file, &d) < 0)
		hb_line_add(r, "cannot read the DRBD state on this node");
	else {
		if (!hb_drbd_connected(&d))
			hb_line_add(r, "DRBD is disconnected (%s): the peer may be missing writes", d.conn);
		if (strcmp(d.peer_disk, "UpToDate") != 0)
			hb_line_add(r, "the peer's disk is %s, not UpToDate", d.peer_disk[0] ? d.peer_disk : "unknown");
		if (strcmp(d.disk, "UpToDate") != 0)
			hb_line_add(r, "this node's disk is %s, not UpToDate", d.disk);
	}
	if (cl->failed_actions)
		hb_line_add(r, "the cluster has %d failed action%s (first %s); run pcs resource cleanup",
		    cl->failed_actions, cl->failed_actions == 1 ? "" : "s", cl->failed_first);
	if (!cl->quorum)
		hb_line_add(r, "this partition has no quorum");
	if (!tn->online || tn->standby || tn->unclean)
		hb_line_add(r, "node %s is not online and available", tn->name);
	if (from[0] == '\0')
		hb_line_add(r, "the store is not running on any node");
}

/* switch_plan - where the store runs, where it goes, and the cluster as last read */
struct switch_plan {
	char from[HB_NAME], to[HB_NAME];
	const struct hb_node *tn;
	struct hb_cluster cl;
	bool waited;		/* a transition was waited for */
};

/*
 * settle - read the cluster and the target, waiting within the timeout for a
 * transition in progress (a joining target, a store between probe and start):
 * it may be what makes the rest look unsafe. Returns 0, or the exit code.
 */
static int
settle(struct hb_conf *hc, const struct hb_opts *o, struct switch_plan *sp)
{
	const char *me = hb_nodename(), *target;
	double start = hb_now();
	char err[512];

	for (;;) {
		if (hb_cib_snapshot(hc, &sp->cl, err, sizeof(err)) < 0) {
			fprintf(stderr, "duplex-hb: switchover: %s\n", err);
			return 1;
		}
		snprintf(sp->from, sizeof(sp->from), "%s", sp->cl.active);
		target = o->to ? o->to : hb_cluster_peer(&sp->cl, sp->from[0] ? sp->from : me);
		if (target == NULL || (sp->tn = hb_cluster_node(&sp->cl, target)) == NULL) {
			fprintf(stderr, "duplex-hb: switchover: no such target node %s\n", target ? target : "");
			return 2;
		}
		snprintf(sp->to, sizeof(sp->to), "%s", target);
		if (!sp->cl.transition || o->force || hb_now() - start >= o->timeout)
			return 0;
		if (!sp->waited) {
			printf("switchover: waiting for the transition in progress to finish\n");
			fflush(stdout);
		}
		sp->waited = true;
		usleep(TRANSITION_POLL_US);
	}
}

/* refused - print every reason against the move; true when it must not go ahead */
static bool
refused(struct hb_conf *hc, const struct hb_opts *o, const struct switch_plan *sp, double start)
{
	struct hb_lines rs = { .n = 0 };

	unsafe(hc, o, &sp->cl, sp->from, sp->tn, &rs);
	if (sp->cl.transition && sp->waited)
		hb_line_add(&rs, "a transition is still in progress after %.0f s", hb_now() - start);
	else if (sp->cl.transition)
		hb_line_add(&rs, "a transition is in progress");
	for (int i = 0; i < rs.n; i++)
		fprintf(stderr, "duplex-hb: switchover %s: %s\n", o->force ? "forced past" : "refused",
		    rs.text[i]);
	return rs.n > 0 && !o->force;
}

/*
 * wait_serving - until the store runs on `to` alone and the VIP greets, within
 * the timeout from t0; *gap gets the time the VIP did not greet. True once serving.
 */
static bool
wait_serving(struct hb_conf *hc, const struct hb_opts *o, const char *to, double t0, double *gap)
{
	double first_fail = 0, last_fail = 0, ms;
	bool vip_down = false;
	struct hb_cluster cl;
	char err[512], why[256];

	*gap = 0;
	while (hb_now() - t0 < o->timeout) {
		enum hb_probe r = hb_probe_greeting(hc->vip_probe, "* OK", 1, &ms, why, sizeof(why));

		if (r == HB_PROBE_FAIL) {
			if (!vip_down)
				first_fail = hb_now();
			vip_down = true;
			last_fail = hb_now();
		} else if (r == HB_PROBE_OK && vip_down) {
			*gap += last_fail - first_fail + (hb_now() - last_fail);
			vip_down = false;
		}
		if (hb_cib_snapshot(hc, &cl, err, sizeof(err)) == 0 && strcmp(cl.active, to) == 0 &&
		    cl.active_count == 1 && !cl.store_failed &&
		    (hc->vip_probe[0] == '\0' || r == HB_PROBE_OK))
			return true;
		usleep(200000);
	}
	return false;
}

int
hb_cmd_switchover(struct hb_conf *hc, const struct hb_opts *o)
{
	struct switch_plan sp = { .waited = false };
	double start = hb_now(), t0, gap;
	char err[512];
	int rc;

	if ((rc = settle(hc, o, &sp)) != 0)
		return rc;
	if (strcmp(sp.from, sp.to) == 0) {
		printf("switchover: the store already runs on %s\n", sp.to);
		return 0;
	}
	if (refused(hc, o, &sp, start))
		return 1;

	t0 = hb_now();
	if (hb_cib_move(hc->resource, sp.to, err, sizeof(err)) < 0) {
		fprintf(stderr, "duplex-hb: switchover: %s\n", err);
		return 1;
	}
	printf("switchover: moving %s from %s to %s (constraint cli-prefer-%s)\n", hc->resource,
	    sp.from[0] ? sp.from : "nowhere", sp.to, hc->resource);
	fflush(stdout);
	if (!wait_serving(hc, o, sp.to, t0, &gap)) {
		fprintf(stderr, "duplex-hb: switchover: the store does not serve on %s after %us; "
		    "cli-prefer-%s is left in place (pcs resource clear %s once it does)\n", sp.to,
		    o->timeout, hc->resource, hc->resource);
		hb_history_add(hc->history_file, "switchover-timeout", sp.from, sp.to,
		    "operator switchover timed out");
		return 1;
	}
	if (hb_cib_clear(hc->resource, err, sizeof(err)) < 0) {
		fprintf(stderr, "duplex-hb: switchover: %s; clear it with pcs resource clear %s\n", err,
		    hc->resource);
		return 1;
	}
	if (hc->vip_probe[0])
		printf("switchover: %s serves on %s after %.1f s; clients could not connect for %.1f s\n",
		    hc->resource, sp.to, hb_now() - t0, gap);
	else
		printf("switchover: %s serves on %s after %.1f s; clients could not connect for at most "
		    "%.1f s (no vip_probe set to measure it)\n", hc->resource, sp.to, hb_now() - t0,
		    hb_now() - t0);
	hb_history_add(hc->history_file, "switchover", sp.from, sp.to,
	    o->force ? "operator switchover (forced)" : "operator switchover");
	return 0;
}
