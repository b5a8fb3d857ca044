/*
 * test_hb_verdict.c - duplex-hb's verdicts, table-driven: each row is a
 * health picture and the score, action and reason it must give. Rows start
 * from a healthy active node with a healthy peer and change what they test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "hb/hb.h"

/* healthy - an active node whose probes pass, with a usable peer */
static struct hb_inputs
healthy(enum hb_role role)
{
	struct hb_inputs in = {
		.role = role,
		.commit = { role == HB_ROLE_ACTIVE ? HB_PROBE_OK : HB_PROBE_SKIPPED, 0 },
		.commit_ms = 3.0,
		.imap = { role == HB_ROLE_ACTIVE ? HB_PROBE_OK : HB_PROBE_SKIPPED, 0 },
		.lmtp = { HB_PROBE_SKIPPED, 0 },
		.vip = { role == HB_ROLE_STANDBY ? HB_PROBE_OK : HB_PROBE_SKIPPED, 0 },
		.ref = HB_PROBE_SKIPPED,
		.drbd_known = true, .disk_uptodate = true, .peer_disk_uptodate = true,
		.drbd_connected = true,
		.peer_seen = true, .peer_score = 100,
		.peer_vip = HB_PROBE_SKIPPED, .peer_ref = HB_PROBE_SKIPPED,
		.peer_commit = role == HB_ROLE_STANDBY ? HB_PROBE_OK : HB_PROBE_SKIPPED,
		.quorum = true,
		.last_published = 100,
	};
	return in;
}

enum tweak {
	T_NONE, T_COMMIT_FAIL1, T_COMMIT_FAIL3, T_COMMIT_SLOW, T_COMMIT_CRIT, T_IMAP_FAIL3,
	T_LMTP_FAIL3, T_DISK_OUTDATED, T_PEER_UNSEEN, T_PEER_OUTDATED, T_PEER_SICK,
	T_DISCONNECTED, T_STANDBY_VIP_FAIL, T_STANDBY_VIP_FAIL_REF_OK, T_PEER_SAYS_VIP_DEAD,
	T_PEER_SAYS_VIP_DEAD_NOREF, T_PEER_FAILED_LONG, T_PEER_FAILED_SHORT, T_PEER_FAILED_NOQUORUM,
	T_PEER_FAILED_PARTITIONED, T_PEER_FAILED_DONE, T_PEER_FAILED_NOFENCE,
	T_PEER_FAILED_OWN_DISK_BAD, T_FIRST_ROUND, T_COMMIT_CRIT_AND_IMAP,
	T_STANDBY_VIP_FAIL_PEER_STORE_HUNG, T_MOVING, T_MOVING_LONG, T_UNPLACED_NEVER_PUBLISHED,
	T_STORE_DEAD, T_STORE_DEAD_LONG,
};

struct row {
	const char *name;
	enum hb_role role;
	enum tweak tweak;
	int want_score;
	enum hb_action want_action;
	const char *want_reason;	/* substring; NULL: reason must be empty */
};

static const struct row rows[] = {
	{ "healthy active", HB_ROLE_ACTIVE, T_NONE, 100, HB_ACT_NONE, NULL },
	{ "healthy standby", HB_ROLE_STANDBY, T_NONE, 100, HB_ACT_NONE, NULL },
	{ "first round publishes", HB_ROLE_ACTIVE, T_FIRST_ROUND, 100, HB_ACT_PUBLISH, NULL },
	{ "one failed commit is noise", HB_ROLE_ACTIVE, T_COMMIT_FAIL1, 100, HB_ACT_NONE, NULL },
	{ "commit fails 3 rounds", HB_ROLE_ACTIVE, T_COMMIT_FAIL3, 0, HB_ACT_PUBLISH,
	  "commit probe failing" },
	{ "slow commit", HB_ROLE_ACTIVE, T_COMMIT_SLOW, 80, HB_ACT_PUBLISH, "commit latency high" },
	{ "critical commit", HB_ROLE_ACTIVE, T_COMMIT_CRIT, 40, HB_ACT_PUBLISH,
	  "commit latency critical" },
	{ "critical commit and IMAP dead", HB_ROLE_ACTIVE, T_COMMIT_CRIT_AND_IMAP, 0, HB_ACT_PUBLISH,
	  "commit latency critical; IMAP greeting failing" },
	{ "IMAP dead", HB_ROLE_ACTIVE, T_IMAP_FAIL3, 40, HB_ACT_PUBLISH, "IMAP greeting failing" },
	{ "LMTP dead", HB_ROLE_ACTIVE, T_LMTP_FAIL3, 40, HB_ACT_PUBLISH, "LMTP greeting failing" },
	{ "own disk Outdated", HB_ROLE_STANDBY, T_DISK_OUTDATED, 0, HB_ACT_PUBLISH,
	  "local DRBD disk not UpToDate" },
	{ "sick but peer unseen: held", HB_ROLE_ACTIVE, T_PEER_UNSEEN, 50, HB_ACT_PUBLISH,
	  "held at 50" },
	{ "sick but peer Outdated: held", HB_ROLE_ACTIVE, T_PEER_OUTDATED, 50, HB_ACT_PUBLISH,
	  "held at 50" },
	{ "sick but peer sick: held", HB_ROLE_ACTIVE, T_PEER_SICK, 50, HB_ACT_PUBLISH, "held at 50" },
	{ "sick but disconnected: held", HB_ROLE_ACTIVE, T_DISCONNECTED, 50, HB_ACT_PUBLISH,
	  "held at 50" },
	{ "standby cannot reach VIP, no reference", HB_ROLE_STANDBY, T_STANDBY_VIP_FAIL, 40,
	  HB_ACT_PUBLISH, "VIP unreachable from this node" },
	{ "store moving: the sick score is held", HB_ROLE_UNKNOWN, T_MOVING, 0, HB_ACT_NONE,
	  "held while the store runs on no node" },
	{ "store on no node past move_hold: recomputed", HB_ROLE_UNKNOWN, T_MOVING_LONG, 100,
	  HB_ACT_PUBLISH, NULL },
	{ "duplexd dead: held for Pacemaker's restart", HB_ROLE_ACTIVE, T_STORE_DEAD, 100,
	  HB_ACT_NONE, "held while duplexd is not running" },
	{ "duplexd dead past move_hold: moved", HB_ROLE_ACTIVE, T_STORE_DEAD_LONG, 0, HB_ACT_PUBLISH,
	  "commit probe failing; IMAP greeting failing" },
	{ "store on no node, nothing published yet", HB_ROLE_UNKNOWN, T_UNPLACED_NEVER_PUBLISHED, 100,
	  HB_ACT_PUBLISH, NULL },
	{ "standby cannot reach VIP, the active's store hung", HB_ROLE_STANDBY,
	  T_STANDBY_VIP_FAIL_PEER_STORE_HUNG, 100, HB_ACT_NONE, NULL },
	{ "standby cannot reach VIP, reference ok", HB_ROLE_STANDBY, T_STANDBY_VIP_FAIL_REF_OK, 100,
	  HB_ACT_NONE, NULL },
	{ "peer cannot reach our VIP, its reference ok", HB_ROLE_ACTIVE, T_PEER_SAYS_VIP_DEAD, 40,
	  HB_ACT_PUBLISH, "VIP unreachable from the client network" },
	{ "peer cannot reach our VIP, no reference", HB_ROLE_ACTIVE, T_PEER_SAYS_VIP_DEAD_NOREF, 100,
	  HB_ACT_NONE, NULL },
	{ "active peer failed past the bound: fence", HB_ROLE_STANDBY, T_PEER_FAILED_LONG, 100,
	  HB_ACT_FENCE, "store failed on the active peer for 200s" },
	{ "active peer failed briefly: wait", HB_ROLE_STANDBY, T_PEER_FAILED_SHORT, 100, HB_ACT_NONE,
	  NULL },
	{ "no quorum: never fence", HB_ROLE_STANDBY, T_PEER_FAILED_NOQUORUM, 100, HB_ACT_NONE, NULL },
	{ "partitioned from the peer: never fence", HB_ROLE_STANDBY, T_PEER_FAILED_PARTITIONED, 100,
	  HB_ACT_NONE, NULL },
	{ "fenced once already: not again", HB_ROLE_STANDBY, T_PEER_FAILED_DONE, 100, HB_ACT_NONE,
	  NULL },
	{ "fencing disabled", HB_ROLE_STANDBY, T_PEER_FAILED_NOFENCE, 100, HB_ACT_NONE, NULL },
	{ "own disk bad: cannot take over, no fence", HB_ROLE_STANDBY, T_PEER_FAILED_OWN_DISK_BAD, 0,
	  HB_ACT_PUBLISH, "local DRBD disk not UpToDate" },
};

/* apply - change the healthy picture as the row asks */
static void
apply(enum tweak t, struct hb_inputs *in, struct hb_thresholds *th)
{
	static const struct hb_probe_in fail1 = { HB_PROBE_FAIL, 1 }, fail3 = { HB_PROBE_FAIL, 3 };

	switch (t) {
	case T_NONE:
		break;
	case T_FIRST_ROUND:
		in->last_published = -1;
		break;
	case T_COMMIT_FAIL1:
		in->commit = fail1;
		break;
	case T_COMMIT_FAIL3:
		in->commit = fail3;
		break;
	case T_COMMIT_SLOW:
		in->commit_ms = 700;
		break;
	case T_COMMIT_CRIT:
		in->commit_ms = 6000;
		break;
	case T_COMMIT_CRIT_AND_IMAP:
		in->commit_ms = 6000;
		in->imap = fail3;
		break;
	case T_IMAP_FAIL3:
		in->imap = fail3;
		break;
	case T_LMTP_FAIL3:
		in->lmtp = fail3;
		break;
	case T_DISK_OUTDATED:
		in->disk_uptodate = false;
		break;
	case T_PEER_UNSEEN:
		in->commit = fail3;
		in->peer_seen = false;
		break;
	case T_PEER_OUTDATED:
		in->commit = fail3;
		in->peer_disk_uptodate = false;
		break;
	case T_PEER_SICK:
		in->commit = fail3;
		in->peer_score = 10;
		break;
	case T_DISCONNECTED:
		in->commit = fail3;
		in->drbd_connected = false;
		break;
	case T_STANDBY_VIP_FAIL:
		in->vip = fail3;
		in->peer_score = 100;
		break;
	case T_MOVING:
	case T_MOVING_LONG:
		in->last_published = 0;
		in->unplaced_for = t == T_MOVING ? 30 : 200;
		break;
	case T_STORE_DEAD:
	case T_STORE_DEAD_LONG:
		in->commit = fail3;
		in->imap = fail3;
		in->store_down = true;
		in->down_for = t == T_STORE_DEAD ? 20 : 200;
		break;
	case T_UNPLACED_NEVER_PUBLISHED:
		in->last_published = -1;
		in->unplaced_for = 30;
		break;
	case T_STANDBY_VIP_FAIL_PEER_STORE_HUNG:
		in->vip = fail3;
		in->peer_commit = HB_PROBE_FAIL;
		break;
	case T_STANDBY_VIP_FAIL_REF_OK:
		in->vip = fail3;
		in->ref = HB_PROBE_OK;
		break;
	case T_PEER_SAYS_VIP_DEAD:
		in->peer_vip = HB_PROBE_FAIL;
		in->peer_ref = HB_PROBE_OK;
		break;
	case T_PEER_SAYS_VIP_DEAD_NOREF:
		in->peer_vip = HB_PROBE_FAIL;
		break;
	case T_PEER_FAILED_LONG:
	case T_PEER_FAILED_SHORT:
	case T_PEER_FAILED_NOQUORUM:
	case T_PEER_FAILED_PARTITIONED:
	case T_PEER_FAILED_DONE:
	case T_PEER_FAILED_NOFENCE:
	case T_PEER_FAILED_OWN_DISK_BAD:
		in->peer_active_failed = true;
		in->peer_failed_for = t == T_PEER_FAILED_SHORT ? 30 : 200;
		in->peer_score = 0;
		in->quorum = t != T_PEER_FAILED_NOQUORUM;
		in->peer_seen = t != T_PEER_FAILED_PARTITIONED;
		in->fence_done = t == T_PEER_FAILED_DONE;
		th->fence = t != T_PEER_FAILED_NOFENCE;
		if (t == T_PEER_FAILED_OWN_DISK_BAD) {
			in->disk_uptodate = false;
			in->peer_score = 100;
		}
		break;
	}
}

static void
test_table(void **state)
{
	int failed = 0;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct hb_thresholds th;
		struct hb_inputs in = healthy(r->role);
		struct hb_verdict v;
		bool reason_ok;

		hb_thresholds_default(&th);
		apply(r->tweak, &in, &th);
		hb_verdict(&in, &th, &v);
		reason_ok = r->want_reason == NULL ? v.reason[0] == '\0' :
		    strstr(v.reason, r->want_reason) != NULL;
		if (v.score != r->want_score || v.action != r->want_action || !reason_ok) {
			print_error("%s: got score %d action %s reason '%s', want %d %s '%s'\n", r->name,
			    v.score, hb_action_name(v.action), v.reason, r->want_score,
			    hb_action_name(r->want_action), r->want_reason ? r->want_reason : "");
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

/* test_pure - the same inputs twice give the same verdict */
static void
test_pure(void **state)
{
	struct hb_thresholds th;
	struct hb_inputs in = healthy(HB_ROLE_ACTIVE);
	struct hb_verdict a, b;

	hb_thresholds_default(&th);
	in.commit_ms = 900;
	hb_verdict(&in, &th, &a);
	hb_verdict(&in, &th, &b);
	assert_memory_equal(&a, &b, sizeof(a));
}

/* test_conf - defaults match hb_thresholds_default; bounds and unknown keys fail with the line */
static void
test_conf(void **state)
{
	static const struct {
		const char *text;
		int rc;
		const char *err;
	} cases[] = {
		{ "", 0, NULL },
		{ "# c\nsick_score = 60\nfence = no\nvip_probe = 10.0.0.10:143\n", 0, NULL },
		{ "sick_score = 0\n", -1, "t.conf:1: sick_score: 0 is outside 1..100" },
		{ "\nbogus = 1\n", -1, "t.conf:2: unknown key 'bogus'" },
		{ "fence = maybe\n", -1, "t.conf:1: fence: 'maybe' is not yes or no" },
		{ "commit_warn_ms = 900\ncommit_crit_ms = 800\n", -1,
		  "t.conf: commit_crit_ms is below commit_warn_ms" },
	};
	struct hb_thresholds def;

	hb_thresholds_default(&def);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hb_conf c;
		char err[256] = "";
		FILE *fp = fmemopen((void *)cases[i].text, strlen(cases[i].text) + 1, "r");
		int rc;

		hb_conf_defaults(&c);
		rc = hb_conf_parse(fp, "t.conf", &c, err, sizeof(err));
		fclose(fp);
		if (rc != cases[i].rc || (cases[i].err && strcmp(err, cases[i].err) != 0))
			fail_msg("case %zu: got %d '%s', want %d '%s'", i, rc, err, cases[i].rc,
			    cases[i].err ? cases[i].err : "");
		if (i == 0) {
			/* field by field: the struct has padding */
			assert_int_equal(c.th.commit_warn_ms, def.commit_warn_ms);
			assert_int_equal(c.th.commit_crit_ms, def.commit_crit_ms);
			assert_int_equal(c.th.fail_rounds, def.fail_rounds);
			assert_int_equal(c.th.sick_score, def.sick_score);
			assert_int_equal(c.th.fence_after, def.fence_after);
			assert_int_equal(c.th.move_hold, def.move_hold);
			assert_int_equal(c.th.fence, def.fence);
			assert_string_equal(c.attribute, "duplex-health");
			assert_int_equal(c.interval, 2);
		}
		if (i == 1) {
			assert_int_equal(c.th.sick_score, 60);
			assert_false(c.th.fence);
			assert_string_equal(c.vip_probe, "10.0.0.10:143");
		}
		hb_conf_free(&c);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_pure),
		cmocka_unit_test(test_conf),
	};

	return cmocka_run_group_tests_name("hb_verdict", tests, NULL, NULL);
}
