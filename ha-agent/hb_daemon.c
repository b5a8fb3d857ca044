/*
 * hb_daemon.c - `duplex-hb run`: the monitor loop on each node.
 *
 * One round every `interval` seconds:
 *   1. Pacemaker's view (hb_cib_snapshot): where the store runs, quorum,
 *      failures; this node is active where the store primitive runs;
 *   2. probes: on the active node the commit path and the local greetings;
 *      on the standby the VIP's IMAP greeting; on both the reference probe
 *      and DRBD;
 *   3. the peer's last heartbeat (CPG) and whether it is in our view;
 *   4. hb_verdict(), then its one action: publish the score as a node
 *      attribute, or fence the active peer (once per peer incarnation);
 *   5. our heartbeat to the peer, the state file for `duplex-hb status`,
 *      and a history line when the active node changed (a failover).
 * Between rounds it waits on the CPG descriptor, so heartbeats are taken
 * in as they arrive.
 *
 * Hazards: the probes of a round run at once (hb_probe_round), so a round
 * lasts at most probe_timeout plus the DRBD read; rounds never overlap.
 * Losing corosync or the CIB is logged and retried each round; the score
 * is only written when it changes, to keep CIB churn down.
 */
#include "hb_int.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf.h"
#include "util/buf.h"
#include "util/log.h"

static volatile sig_atomic_t hb_stop;

/* on_signal - TERM and INT end the loop after the current round */
static void
on_signal(int sig)
{
	hb_stop = 1;
}

/* streak - count consecutive failures of one probe */
static void
streak(struct hb_probe_in *p, enum hb_probe r)
{
	p->streak = r == HB_PROBE_FAIL ? (p->r == HB_PROBE_FAIL ? p->streak + 1 : 1) : 0;
	p->r = r;
}

int
hb_cmd_run(struct hb_conf *hc, const struct hb_opts *o)
{
	const char *me = hb_nodename();
	struct hb_inputs in = { .last_published = -1, .peer_score = -1 };
	struct conf dc;
	struct hb_cluster cl;
	char err[512], prev_active[HB_NAME] = "";
	bool have_dc;
	double failed_since = 0, unplaced_since = 0, down_since = 0;
	unsigned long fenced_boot = 0, boot = (unsigned long)time(NULL);
	int cpg_fd = -1;
	unsigned long seq = 0;

	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	have_dc = conf_load(hc->duplex_conf, &dc, err, sizeof(err)) == 0;
	if (!have_dc)
		log_warn("-", "%s; the greeting probes are off", err);
	log_info("-", "duplex-hb on %s: interval %us, sick below %u, fencing %s", me, hc->interval,
	    hc->th.sick_score, hc->th.fence ? "on" : "off");

	while (!hb_stop) {
		double round_start = hb_now();
		const struct hb_peer *peer;
		const char *peer_name;
		struct hb_verdict v;
		struct hb_drbd d;
		struct hb_round pr;
		struct buf hb = BUF_INIT;

		if (cpg_fd < 0)
			(void)hb_cpg_open(hc->cpg_group, &cpg_fd);

		/* 1. Pacemaker's view */
		if (hb_cib_snapshot(hc, &cl, err, sizeof(err)) < 0) {
			log_warn("-", "%s", err);
			memset(&cl, 0, sizeof(cl));
		}
		/* a store still starting (or stopping) is not active yet: its
		   probes would fail and call a node sick that is only starting */
		in.role = cl.active[0] == '\0' || cl.store_pending ? HB_ROLE_UNKNOWN :
		    strcmp(cl.active, me) == 0 ? HB_ROLE_ACTIVE : HB_ROLE_STANDBY;
		in.quorum = cl.quorum;
		if (in.role != HB_ROLE_UNKNOWN)
			unplaced_since = 0;
		else if (unplaced_since == 0)
			unplaced_since = hb_now();
		in.unplaced_for = unplaced_since ? (unsigned)(hb_now() - unplaced_since) : 0;
		peer_name = hb_cluster_peer(&cl, me);
		/* a dead daemon is Pacemaker's to restart; a hung one is ours */
		in.store_down = in.role == HB_ROLE_ACTIVE && have_dc && hb_pid_file_dead(dc.pid_file);
		if (!in.store_down)
			down_since = 0;
		else if (down_since == 0)
			down_since = hb_now();
		in.down_for = down_since ? (unsigned)(hb_now() - down_since) : 0;

		/* 2. probes, at once: a round lasts at most probe_timeout */
		hb_probe_round(hc, in.role, have_dc ? dc.imap_listen : NULL,
		    have_dc ? dc.lmtp_listen : NULL, &pr);
		if (pr.commit.r == HB_PROBE_FAIL)
			log_warn("-", "%s", pr.commit.why);
		if (pr.imap.r == HB_PROBE_FAIL)
			log_warn("-", "imap: %s", pr.imap.why);
		if (pr.lmtp.r == HB_PROBE_FAIL)
			log_warn("-", "lmtp: %s", pr.lmtp.why);
		if (pr.vip.r == HB_PROBE_FAIL)
			log_warn("-", "vip: %s", pr.vip.why);
		streak(&in.commit, pr.commit.r);
		streak(&in.imap, pr.imap.r);
		streak(&in.lmtp, pr.lmtp.r);
		streak(&in.vip, pr.vip.r);
		in.commit_ms = pr.commit.r == HB_PROBE_OK ? pr.commit.ms : 0;
		in.ref = pr.ref.r;
		in.drbd_known = hb_probe_drbd(hc, o->drbd_file, &d) == 0;
		in.disk_uptodate = in.drbd_known && strcmp(d.disk, "UpToDate") == 0;
		in.peer_disk_uptodate = in.drbd_known && strcmp(d.peer_disk, "UpToDate") == 0;
		in.drbd_connected = in.drbd_known && hb_drbd_connected(&d);

		/* 3. the peer */
		if (cpg_fd >= 0 && hb_cpg_dispatch() < 0)
			cpg_fd = -1;
		peer = hb_cpg_peer(me);
		in.peer_seen = peer != NULL && hb_cpg_peer_in_view() &&
		    hb_now() - peer->seen_at <= hc->dead_after;
		in.peer_score = in.peer_seen ? peer->score : -1;
		in.peer_vip = in.peer_seen ? peer->vip : HB_PROBE_SKIPPED;
		in.peer_ref = in.peer_seen ? peer->ref : HB_PROBE_SKIPPED;
		in.peer_commit = in.peer_seen ? peer->commit : HB_PROBE_SKIPPED;
		in.peer_active_failed = in.role == HB_ROLE_STANDBY && peer_name != NULL &&
		    strcmp(cl.active, peer_name) == 0 && (cl.store_failed || cl.active_count > 1);
		if (in.peer_active_failed && failed_since == 0)
			failed_since = hb_now();
		else if (!in.peer_active_failed)
			failed_since = 0;
		in.peer_failed_for = failed_since ? (unsigned)(hb_now() - failed_since) : 0;
		in.fence_done = peer != NULL && fenced_boot != 0 && fenced_boot == peer->boot;

		/* 4. verdict and action */
		hb_verdict(&in, &hc->th, &v);
		if (v.action == HB_ACT_PUBLISH) {
			char val[16];

			snprintf(val, sizeof(val), "%d", v.score);
			if (hb_cib_set_attr(me, hc->attribute, val, err, sizeof(err)) == 0) {
				log_info("-", "health %d published%s%s", v.score, v.reason[0] ? ": " : "",
				    v.reason);
				in.last_published = v.score;
			} else
				log_warn("-", "%s", err);
		} else if (v.action == HB_ACT_FENCE && peer_name != NULL) {
			/* latch first: whatever the fencer answers, this is the one request */
			fenced_boot = peer ? peer->boot : 1;
			log_error("-", "fencing %s: %s", peer_name, v.reason);
			hb_history_add(hc->history_file, "fence", peer_name, me, v.reason);
			if (hb_fence_node(peer_name, hc->fence_timeout, err, sizeof(err)) < 0)
				log_error("-", "%s; not retrying", err);
		}

		/* 5. heartbeat, state, history */
		if (prev_active[0] && cl.active[0] && strcmp(prev_active, cl.active) != 0 &&
		    strcmp(cl.active, me) == 0) {
			char reason[200];

			snprintf(reason, sizeof(reason), "%s",
			    cl.leftover[0] ? "switchover (move constraint present)" :
			    cl.failed_first[0] ? cl.failed_first : "the store left the other node");
			hb_history_add(hc->history_file, cl.leftover[0] ? "switchover" : "failover",
			    prev_active, cl.active, reason);
		}
		if (cl.active[0])
			snprintf(prev_active, sizeof(prev_active), "%s", cl.active);
		buf_printf(&hb, "hb 1\nnode=%s\nboot=%lu\nseq=%lu\nrole=%s\nscore=%d\n", me, boot, ++seq,
		    in.role == HB_ROLE_ACTIVE ? "active" : in.role == HB_ROLE_STANDBY ? "standby" : "unknown",
		    v.score);
		buf_printf(&hb, "commit=%s\ncommit_ms=%.3f\nimap=%s\nlmtp=%s\nvip=%s\nvip_ms=%.3f\nref=%s\n",
		    hb_probe_name(in.commit.r), in.commit_ms, hb_probe_name(in.imap.r),
		    hb_probe_name(in.lmtp.r), hb_probe_name(in.vip.r), pr.vip.ms, hb_probe_name(in.ref));
		buf_printf(&hb, "disk=%s\n", in.drbd_known ? d.disk : "unknown");
		(void)hb_cpg_send(buf_cstr(&hb));
		buf_printf(&hb, "time=%ld\nreason=%s\naction=%s\npeer=%s\npeer_seen=%s\npeer_score=%d\n"
		    "peer_commit_ms=%.3f\n", (long)time(NULL), v.reason, hb_action_name(v.action),
		    peer_name ? peer_name : "", in.peer_seen ? "yes" : "no", in.peer_score,
		    in.peer_seen ? peer->commit_ms : 0.0);
		if (hb_state_write(hc->state_file, buf_cstr(&hb)) < 0)
			log_warn("-", "state file %s: %s", hc->state_file, strerror(errno));
		buf_free(&hb);

		/* wait for the next round, taking heartbeats as they come */
		for (;;) {
			double left = round_start + hc->interval - hb_now();
			struct pollfd p = { cpg_fd, POLLIN, 0 };

			if (left <= 0 || hb_stop)
				break;
			if (poll(&p, cpg_fd >= 0 ? 1 : 0, (int)(left * 1000)) > 0 &&
			    hb_cpg_dispatch() < 0)
				cpg_fd = -1;
		}
	}
	hb_cpg_close();
	if (have_dc)
		conf_free(&dc);
	log_info("-", "duplex-hb stopping");
	return 0;
}
