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

/* hb_run - what the loop keeps from one round to the next */
struct hb_run {
	struct hb_conf *hc;
	const struct hb_opts *o;
	const char *me;
	struct hb_inputs in;
	struct conf dc;
	bool have_dc;
	struct hb_cluster cl;
	char prev_active[HB_NAME];
	double failed_since, unplaced_since, down_since;
	unsigned long fenced_boot, boot, seq;
	int cpg_fd;
};

/* hb_round_out - what one round measured, for its verdict and state */
struct hb_round_out {
	const struct hb_peer *peer;
	const char *peer_name;
	struct hb_verdict v;
	struct hb_drbd d;
	struct hb_round pr;
};

/* lasting - seconds `cond` has held, with *since its start (0: not holding) */
static unsigned
lasting(bool cond, double *since)
{
	if (!cond)
		*since = 0;
	else if (*since == 0)
		*since = hb_now();
	return *since ? (unsigned)(hb_now() - *since) : 0;
}

/* round_view - step 1: Pacemaker's view, this node's role, the pid file */
static void
round_view(struct hb_run *r, struct hb_round_out *ro)
{
	struct hb_inputs *in = &r->in;
	char err[512];

	if (hb_cib_snapshot(r->hc, &r->cl, err, sizeof(err)) < 0) {
		log_warn("-", "%s", err);
		memset(&r->cl, 0, sizeof(r->cl));
	}
	/* a store still starting (or stopping) is not active yet: its
	   probes would fail and call a node sick that is only starting */
	in->role = r->cl.active[0] == '\0' || r->cl.store_pending ? HB_ROLE_UNKNOWN :
	    strcmp(r->cl.active, r->me) == 0 ? HB_ROLE_ACTIVE : HB_ROLE_STANDBY;
	in->quorum = r->cl.quorum;
	in->unplaced_for = lasting(in->role == HB_ROLE_UNKNOWN, &r->unplaced_since);
	ro->peer_name = hb_cluster_peer(&r->cl, r->me);
	/* a dead daemon is Pacemaker's to restart; a hung one is ours */
	in->store_down = in->role == HB_ROLE_ACTIVE && r->have_dc && hb_pid_file_dead(r->dc.pid_file);
	in->down_for = lasting(in->store_down, &r->down_since);
}

/* round_probes - step 2: the probes, at once (a round lasts at most probe_timeout), and DRBD */
static void
round_probes(struct hb_run *r, struct hb_round_out *ro)
{
	struct hb_inputs *in = &r->in;
	struct hb_round *pr = &ro->pr;

	hb_probe_round(r->hc, in->role, r->have_dc ? r->dc.imap_listen : NULL,
	    r->have_dc ? r->dc.lmtp_listen : NULL, pr);
	if (pr->commit.r == HB_PROBE_FAIL)
		log_warn("-", "%s", pr->commit.why);
	if (pr->imap.r == HB_PROBE_FAIL)
		log_warn("-", "imap: %s", pr->imap.why);
	if (pr->lmtp.r == HB_PROBE_FAIL)
		log_warn("-", "lmtp: %s", pr->lmtp.why);
	if (pr->vip.r == HB_PROBE_FAIL)
		log_warn("-", "vip: %s", pr->vip.why);
	streak(&in->commit, pr->commit.r);
	streak(&in->imap, pr->imap.r);
	streak(&in->lmtp, pr->lmtp.r);
	streak(&in->vip, pr->vip.r);
	in->commit_ms = pr->commit.r == HB_PROBE_OK ? pr->commit.ms : 0;
	in->ref = pr->ref.r;
	in->drbd_known = hb_probe_drbd(r->hc, r->o->drbd_file, &ro->d) == 0;
	in->disk_uptodate = in->drbd_known && strcmp(ro->d.disk, "UpToDate") == 0;
	in->peer_disk_uptodate = in->drbd_known && strcmp(ro->d.peer_disk, "UpToDate") == 0;
	in->drbd_connected = in->drbd_known && hb_drbd_connected(&ro->d);
}

/* round_peer - step 3: the peer's last heartbeat and Pacemaker's word on its store */
static void
round_peer(struct hb_run *r, struct hb_round_out *ro)
{
	struct hb_inputs *in = &r->in;
	const struct hb_peer *peer;

	if (r->cpg_fd >= 0 && hb_cpg_dispatch() < 0)
		r->cpg_fd = -1;
	peer = ro->peer = hb_cpg_peer(r->me);
	in->peer_seen = peer != NULL && hb_cpg_peer_in_view() &&
	    hb_now() - peer->seen_at <= r->hc->dead_after;
	in->peer_score = in->peer_seen ? peer->score : -1;
	in->peer_vip = in->peer_seen ? peer->vip : HB_PROBE_SKIPPED;
	in->peer_ref = in->peer_seen ? peer->ref : HB_PROBE_SKIPPED;
	in->peer_commit = in->peer_seen ? peer->commit : HB_PROBE_SKIPPED;
	in->peer_active_failed = in->role == HB_ROLE_STANDBY && ro->peer_name != NULL &&
	    strcmp(r->cl.active, ro->peer_name) == 0 && (r->cl.store_failed || r->cl.active_count > 1);
	in->peer_failed_for = lasting(in->peer_active_failed, &r->failed_since);
	in->fence_done = peer != NULL && r->fenced_boot != 0 && r->fenced_boot == peer->boot;
}

/* round_act - step 4: the verdict and its one action */
static void
round_act(struct hb_run *r, struct hb_round_out *ro)
{
	struct hb_verdict *v = &ro->v;
	char err[512];

	hb_verdict(&r->in, &r->hc->th, v);
	if (v->action == HB_ACT_PUBLISH) {
		char val[16];

		snprintf(val, sizeof(val), "%d", v->score);
		if (hb_cib_set_attr(r->me, r->hc->attribute, val, err, sizeof(err)) == 0) {
			log_info("-", "health %d published%s%s", v->score, v->reason[0] ? ": " : "",
			    v->reason);
			r->in.last_published = v->score;
		} else
			log_warn("-", "%s", err);
	} else if (v->action == HB_ACT_FENCE && ro->peer_name != NULL) {
		/* latch first: whatever the fencer answers, this is the one request */
		r->fenced_boot = ro->peer ? ro->peer->boot : 1;
		log_error("-", "fencing %s: %s", ro->peer_name, v->reason);
		hb_history_add(r->hc->history_file, "fence", ro->peer_name, r->me, v->reason);
		if (hb_fence_node(ro->peer_name, r->hc->fence_timeout, err, sizeof(err)) < 0)
			log_error("-", "%s; not retrying", err);
	}
}

/* round_history - step 5a: a history line when the store came to this node */
static void
round_history(struct hb_run *r)
{
	const struct hb_cluster *cl = &r->cl;

	if (r->prev_active[0] && cl->active[0] && strcmp(r->prev_active, cl->active) != 0 &&
	    strcmp(cl->active, r->me) == 0) {
		char reason[200];

		snprintf(reason, sizeof(reason), "%s",
		    cl->leftover[0] ? "switchover (move constraint present)" :
		    cl->failed_first[0] ? cl->failed_first : "the store left the other node");
		hb_history_add(r->hc->history_file, cl->leftover[0] ? "switchover" : "failover",
		    r->prev_active, cl->active, reason);
	}
	if (cl->active[0])
		snprintf(r->prev_active, sizeof(r->prev_active), "%s", cl->active);
}

/* round_publish - step 5b: the heartbeat to the peer, then the state file (a superset) */
static void
round_publish(struct hb_run *r, const struct hb_round_out *ro)
{
	const struct hb_inputs *in = &r->in;
	struct buf hb = BUF_INIT;

	buf_printf(&hb, "hb 1\nnode=%s\nboot=%lu\nseq=%lu\nrole=%s\nscore=%d\n", r->me, r->boot,
	    ++r->seq, in->role == HB_ROLE_ACTIVE ? "active" : in->role == HB_ROLE_STANDBY ? "standby" :
	    "unknown", ro->v.score);
	buf_printf(&hb, "commit=%s\ncommit_ms=%.3f\nimap=%s\nlmtp=%s\nvip=%s\nvip_ms=%.3f\nref=%s\n",
	    hb_probe_name(in->commit.r), in->commit_ms, hb_probe_name(in->imap.r),
	    hb_probe_name(in->lmtp.r), hb_probe_name(in->vip.r), ro->pr.vip.ms, hb_probe_name(in->ref));
	buf_printf(&hb, "disk=%s\n", in->drbd_known ? ro->d.disk : "unknown");
	(void)hb_cpg_send(buf_cstr(&hb));
	buf_printf(&hb, "time=%ld\nreason=%s\naction=%s\npeer=%s\npeer_seen=%s\npeer_score=%d\n"
	    "peer_commit_ms=%.3f\n", (long)time(NULL), ro->v.reason, hb_action_name(ro->v.action),
	    ro->peer_name ? ro->peer_name : "", in->peer_seen ? "yes" : "no", in->peer_score,
	    in->peer_seen ? ro->peer->commit_ms : 0.0);
	if (hb_state_write(r->hc->state_file, buf_cstr(&hb)) < 0)
		log_warn("-", "state file %s: %s", r->hc->state_file, strerror(errno));
	buf_free(&hb);
}

/* round_wait - wait for the next round, taking heartbeats as they come */
static void
round_wait(struct hb_run *r, double round_start)
{
	for (;;) {
		double left = round_start + r->hc->interval - hb_now();
		struct pollfd p = { r->cpg_fd, POLLIN, 0 };

		if (left <= 0 || hb_stop)
			break;
		if (poll(&p, r->cpg_fd >= 0 ? 1 : 0, (int)(left * 1000)) > 0 && hb_cpg_dispatch() < 0)
			r->cpg_fd = -1;
	}
}

int
hb_cmd_run(struct hb_conf *hc, const struct hb_opts *o)
{
	struct hb_run r = {
		.hc = hc, .o = o, .me = hb_nodename(), .cpg_fd = -1,
		.in = { .last_published = -1, .peer_score = -1 },
		.boot = (unsigned long)time(NULL),
	};
	char err[512];

	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	r.have_dc = conf_load(hc->duplex_conf, &r.dc, err, sizeof(err)) == 0;
	if (!r.have_dc)
		log_warn("-", "%s; the greeting probes are off", err);
	log_info("-", "duplex-hb on %s: interval %us, sick below %u, fencing %s", r.me, hc->interval,
	    hc->th.sick_score, hc->th.fence ? "on" : "off");

	while (!hb_stop) {
		double round_start = hb_now();
		struct hb_round_out ro = { 0 };

		if (r.cpg_fd < 0)
			(void)hb_cpg_open(hc->cpg_group, &r.cpg_fd);
		round_view(&r, &ro);
		round_probes(&r, &ro);
		round_peer(&r, &ro);
		round_act(&r, &ro);
		round_history(&r);
		round_publish(&r, &ro);
		round_wait(&r, round_start);
	}
	hb_cpg_close();
	if (r.have_dc)
		conf_free(&r.dc);
	log_info("-", "duplex-hb stopping");
	return 0;
}
