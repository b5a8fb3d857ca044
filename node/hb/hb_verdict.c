/*
 * hb_verdict.c - duplex-hb's decision: health inputs -> score and action.
 *
 * The score starts at 100 and each row of hb_rules that holds takes its
 * penalty off; the result is clamped to 0..100. The deploy kit's location
 * rule bans the store from a node whose score is below sick_score.
 *
 * Two guards keep a verdict from making things worse:
 * - the only candidate is never evicted: when the peer is not a usable
 *   target (unseen, sick, its disk not UpToDate, DRBD disconnected), the
 *   score is held at sick_score, so both nodes can never be banned at once;
 * - fencing is for the standby to do to the active peer, and only when the
 *   peer is in our CPG view (we are not partitioned from it), Pacemaker's
 *   view shows the store failed there for fence_after seconds, the
 *   partition has quorum, our own disk is UpToDate (we can take over), and
 *   it was not requested before for this peer incarnation.
 *
 * - while the store runs on no node (a move between stop and start), the
 *   score last published is held for up to move_hold seconds: the store's
 *   probes are off then, and a score that rose mid-move would turn the
 *   move back to the node it is leaving;
 * - while duplexd is not running at all on the active node (it died), the
 *   score is held too, for up to move_hold seconds: Pacemaker's monitor
 *   sees a dead daemon within its interval and restarts it in place, which
 *   is faster than a move, and its migration-threshold moves a store that
 *   keeps dying. A hung daemon (alive, not answering) is ours to move.
 *
 * Hazard: ambiguous evidence (the standby cannot reach the VIP, and no
 * reference probe says whose network is dead) lowers only the standby's
 * own score, never the active's.
 */
#include "hb/hb.h"

#include <stdio.h>
#include <string.h>

struct hb_rule {
	const char *reason;
	int penalty;
	bool (*holds)(const struct hb_inputs *in, const struct hb_thresholds *th);
};

/* failing - a probe counts as failed only after fail_rounds in a row */
static bool
failing(const struct hb_probe_in *p, const struct hb_thresholds *th)
{
	return p->r == HB_PROBE_FAIL && p->streak >= (th->fail_rounds ? th->fail_rounds : 1);
}

/* commit_fail - the store cannot commit: nothing it acknowledges is safe */
static bool
commit_fail(const struct hb_inputs *in, const struct hb_thresholds *th)
{
	return in->role == HB_ROLE_ACTIVE && failing(&in->commit, th);
}

/* commit_crit - commits so slow that clients and the relay time out */
static bool
commit_crit(const struct hb_inputs *in, const struct hb_thresholds *th)
{
	return in->role == HB_ROLE_ACTIVE && in->commit.r == HB_PROBE_OK &&
	    in->commit_ms >= th->commit_crit_ms;
}

/* commit_warn - slow commits: worth a mark, not a move on their own */
static bool
commit_warn(const struct hb_inputs *in, const struct hb_thresholds *th)
{
	return in->role == HB_ROLE_ACTIVE && in->commit.r == HB_PROBE_OK &&
	    in->commit_ms >= th->commit_warn_ms && in->commit_ms < th->commit_crit_ms;
}

/* imap_fail - IMAP clients get no greeting from the local listener */
static bool
imap_fail(const struct hb_inputs *in, const struct hb_thresholds *th)
{
	return in->role == HB_ROLE_ACTIVE && failing(&in->imap, th);
}

/* lmtp_fail - the relay cannot hand mail over */
static bool
lmtp_fail(const struct hb_inputs *in, const struct hb_thresholds *th)
{
	return in->role == HB_ROLE_ACTIVE && failing(&in->lmtp, th);
}

/* disk_bad - this node's DRBD disk is not UpToDate: a poor home for the store */
static bool
disk_bad(const struct hb_inputs *in, const struct hb_thresholds *th)
{
	return in->drbd_known && !in->disk_uptodate;
}

/*
 * own_net_dead - standby cannot reach the VIP; its own network is the
 * suspect, unless the active peer says its store is failing too: then the
 * store explains the silent VIP, and blaming ourselves would hold the
 * sick peer's score ("the peer is no better") and keep the role on it.
 */
static bool
own_net_dead(const struct hb_inputs *in, const struct hb_thresholds *th)
{
	return in->role == HB_ROLE_STANDBY && failing(&in->vip, th) && in->ref != HB_PROBE_OK &&
	    in->peer_commit != HB_PROBE_FAIL;
}

/* vip_unreachable - the peer reaches its reference but not our VIP: ours is dead */
static bool
vip_unreachable(const struct hb_inputs *in, const struct hb_thresholds *th)
{
	return in->role == HB_ROLE_ACTIVE && in->peer_seen && in->peer_vip == HB_PROBE_FAIL &&
	    in->peer_ref == HB_PROBE_OK;
}

static const struct hb_rule hb_rules[] = {
	{ "commit probe failing", 100, commit_fail },
	{ "commit latency critical", 60, commit_crit },
	{ "commit latency high", 20, commit_warn },
	{ "IMAP greeting failing", 60, imap_fail },
	{ "LMTP greeting failing", 60, lmtp_fail },
	{ "local DRBD disk not UpToDate", 100, disk_bad },
	{ "VIP unreachable from this node", 60, own_net_dead },
	{ "VIP unreachable from the client network", 60, vip_unreachable },
};

void
hb_thresholds_default(struct hb_thresholds *th)
{
	th->commit_warn_ms = 500;
	th->commit_crit_ms = 5000;
	th->fail_rounds = 3;
	th->sick_score = 50;
	th->fence_after = 120;
	th->move_hold = 120;
	th->fence = true;
}

/* peer_usable - whether evicting us would land the store somewhere better */
static bool
peer_usable(const struct hb_inputs *in, const struct hb_thresholds *th)
{
	return in->peer_seen && in->peer_score >= (int)th->sick_score &&
	    (!in->drbd_known || (in->peer_disk_uptodate && in->drbd_connected));
}

/* add_reason - append to the verdict's reason, "; "-separated, truncating */
static void
add_reason(struct hb_verdict *v, const char *s)
{
	size_t n = strlen(v->reason);

	snprintf(v->reason + n, sizeof(v->reason) - n, "%s%s", n ? "; " : "", s);
}

void
hb_verdict(const struct hb_inputs *in, const struct hb_thresholds *th, struct hb_verdict *v)
{
	int score = 100;
	char buf[96];

	memset(v, 0, sizeof(*v));
	if (in->role == HB_ROLE_UNKNOWN && in->last_published >= 0 &&
	    in->unplaced_for < th->move_hold) {
		v->score = in->last_published;
		snprintf(v->reason, sizeof(v->reason), "held while the store runs on no node");
		v->action = HB_ACT_NONE;
		return;
	}
	if (in->role == HB_ROLE_ACTIVE && in->store_down && in->last_published >= 0 &&
	    in->down_for < th->move_hold) {
		v->score = in->last_published;
		snprintf(v->reason, sizeof(v->reason),
		    "held while duplexd is not running: Pacemaker restarts it in place");
		v->action = HB_ACT_NONE;
		return;
	}
	for (size_t i = 0; i < sizeof(hb_rules) / sizeof(hb_rules[0]); i++) {
		if (hb_rules[i].holds(in, th)) {
			score -= hb_rules[i].penalty;
			add_reason(v, hb_rules[i].reason);
		}
	}
	if (score < 0)
		score = 0;
	if (score < (int)th->sick_score && !peer_usable(in, th)) {
		score = (int)th->sick_score;
		snprintf(buf, sizeof(buf), "held at %d: the peer is no better", score);
		add_reason(v, buf);
	}
	v->score = score;

	if (th->fence && in->role == HB_ROLE_STANDBY && in->peer_seen && in->quorum &&
	    in->peer_active_failed && in->peer_failed_for >= th->fence_after &&
	    in->drbd_known && in->disk_uptodate && !in->fence_done) {
		v->action = HB_ACT_FENCE;
		snprintf(buf, sizeof(buf), "store failed on the active peer for %us, not recovered",
		    in->peer_failed_for);
		add_reason(v, buf);
		return;
	}
	v->action = score != in->last_published ? HB_ACT_PUBLISH : HB_ACT_NONE;
}

const char *
hb_action_name(enum hb_action a)
{
	switch (a) {
	case HB_ACT_PUBLISH:
		return "publish";
	case HB_ACT_FENCE:
		return "fence";
	default:
		return "none";
	}
}

const char *
hb_probe_name(enum hb_probe p)
{
	switch (p) {
	case HB_PROBE_OK:
		return "ok";
	case HB_PROBE_FAIL:
		return "fail";
	default:
		return "skipped";
	}
}
