/*
 * hb_status.c - `duplex-hb status [--json]`: the pair on one screen.
 *
 * Sources: Pacemaker's view (nodes, where the store and the VIP run,
 * quorum, STONITH, failures, leftover move constraints), DRBD as seen from
 * this node, the local duplex-hb daemon's last round (probe results and
 * latencies, score) and the history file (the last failover or
 * switchover). Each source may be missing; status says so instead of
 * failing, since it is what an operator runs when things are wrong.
 *
 * Exit: 0 when the CIB could be read, 1 otherwise.
 */
#include "hb_int.h"

#include <stdlib.h>
#include <string.h>

#include "util/json.h"

/* collect - everything unsafe, most serious first */
static void
collect(const struct hb_conf *hc, const struct hb_cluster *cl, bool drbd_ok,
    const struct hb_drbd *d, const char *state, struct hb_lines *ws)
{
	if (!cl->stonith_enabled)
		hb_line_add(ws, "STONITH is disabled: a failed node cannot be fenced, failover is unsafe");
	if (!cl->quorum)
		hb_line_add(ws, "this partition has no quorum");
	if (cl->active_count > 1)
		hb_line_add(ws, "the store is active on %d nodes", cl->active_count);
	if (cl->active[0] == '\0')
		hb_line_add(ws, "the store is not running on any node");
	if (!drbd_ok)
		hb_line_add(ws, "cannot read the DRBD state on this node");
	else {
		if (!hb_drbd_connected(d))
			hb_line_add(ws, "DRBD is disconnected (%s): writes are not replicated", d->conn);
		if (strcmp(d->peer_disk, "UpToDate") != 0)
			hb_line_add(ws, "DRBD peer disk is %s, not UpToDate", d->peer_disk[0] ? d->peer_disk : "unknown");
		if (strcmp(d->disk, "UpToDate") != 0)
			hb_line_add(ws, "DRBD local disk is %s, not UpToDate", d->disk[0] ? d->disk : "unknown");
	}
	if (cl->leftover[0])
		hb_line_add(ws, "constraint %s was left behind by a move (pcs resource clear %s)", cl->leftover,
		    hc->resource);
	if (cl->failed_actions)
		hb_line_add(ws, "%d failed action%s, first %s (pcs resource cleanup)", cl->failed_actions,
		    cl->failed_actions == 1 ? "" : "s", cl->failed_first);
	if (cl->transition)
		hb_line_add(ws, "a transition is in progress");
	for (int i = 0; i < cl->nnodes; i++) {
		const struct hb_node *n = &cl->nodes[i];

		if (n->unclean)
			hb_line_add(ws, "node %s is unclean (waiting to be fenced)", n->name);
		else if (!n->online)
			hb_line_add(ws, "node %s is offline", n->name);
		else if (n->standby)
			hb_line_add(ws, "node %s is in standby", n->name);
		if (n->health >= 0 && n->health < (int)hc->th.sick_score)
			hb_line_add(ws, "node %s health %d is below %u: the store is kept off it", n->name,
			    n->health, hc->th.sick_score);
	}
	if (state == NULL)
		hb_line_add(ws, "duplex-hb is not running on this node (no %s)", hc->state_file);
}

/* sget - a state value or a default; hb_state_get returns one static buffer,
 * so each result is copied to its own slot: one printf takes up to eight */
static const char *
sget(const char *state, const char *key, const char *def)
{
	static char slot[8][256];
	static unsigned next;
	const char *v = state ? hb_state_get(state, key) : NULL;
	char *out;

	if (v == NULL)
		return def;
	out = slot[next++ % 8];
	snprintf(out, sizeof(slot[0]), "%s", v);
	return out;
}

/* print_json - the machine-readable form */
static void
print_json(const struct hb_cluster *cl, bool drbd_ok, const struct hb_drbd *d, const char *state,
    const char *last, const struct hb_lines *ws)
{
	FILE *o = stdout;

	fputs("{\"active\":", o);
	if (cl->active[0])
		json_write_str(o, cl->active);
	else
		fputs("null", o);
	fputs(",\"nodes\":[", o);
	for (int i = 0; i < cl->nnodes; i++) {
		const struct hb_node *n = &cl->nodes[i];

		fputs(i ? ",{\"name\":" : "{\"name\":", o);
		json_write_str(o, n->name);
		fprintf(o, ",\"online\":%s,\"standby\":%s,\"unclean\":%s,\"active\":%s,\"health\":",
		    n->online ? "true" : "false", n->standby ? "true" : "false",
		    n->unclean ? "true" : "false", strcmp(n->name, cl->active) == 0 ? "true" : "false");
		if (n->health >= 0)
			fprintf(o, "%d}", n->health);
		else
			fputs("null}", o);
	}
	fputs("],\"drbd\":", o);
	if (drbd_ok) {
		fputs("{\"resource\":", o);
		json_write_str(o, d->resource);
		fputs(",\"role\":", o);
		json_write_str(o, d->role);
		fputs(",\"peer_role\":", o);
		json_write_str(o, d->peer_role);
		fputs(",\"disk\":", o);
		json_write_str(o, d->disk);
		fputs(",\"peer_disk\":", o);
		json_write_str(o, d->peer_disk);
		fputs(",\"connection\":", o);
		json_write_str(o, d->conn);
		fputs(",\"replication\":", o);
		json_write_str(o, d->repl);
		if (d->sync_percent >= 0)
			fprintf(o, ",\"sync_percent\":%.1f}", d->sync_percent);
		else
			fputs(",\"sync_percent\":null}", o);
	} else
		fputs("null", o);
	fputs(",\"vip\":{\"address\":", o);
	json_write_str(o, cl->vip);
	fputs(",\"node\":", o);
	if (cl->vip_on[0])
		json_write_str(o, cl->vip_on);
	else
		fputs("null", o);
	fprintf(o, "},\"quorum\":%s,\"stonith_enabled\":%s,\"failed_actions\":%d,\"transition\":%s",
	    cl->quorum ? "true" : "false", cl->stonith_enabled ? "true" : "false",
	    cl->failed_actions, cl->transition ? "true" : "false");
	fputs(",\"store\":", o);
	if (state != NULL) {
		static const char *const keys[] = { "role", "score", "commit", "commit_ms", "imap", "lmtp",
			"vip", "vip_ms", "ref", "reason", "time", "peer_seen", "peer_score" };

		fputc('{', o);
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			fprintf(o, "%s\"%s\":", i ? "," : "", keys[i]);
			json_write_str(o, sget(state, keys[i], ""));
		}
		fputc('}', o);
	} else
		fputs("null", o);
	fputs(",\"last_event\":", o);
	if (last != NULL)
		json_write_str(o, last);
	else
		fputs("null", o);
	fputs(",\"warnings\":[", o);
	for (int i = 0; i < ws->n; i++) {
		if (i)
			fputc(',', o);
		json_write_str(o, ws->text[i]);
	}
	fputs("]}\n", o);
}

/* print_text - the one screen */
static void
print_text(const struct hb_conf *hc, const struct hb_cluster *cl, bool drbd_ok,
    const struct hb_drbd *d, const char *state, const char *last, const struct hb_lines *ws)
{
	printf("active:   %s\n", cl->active[0] ? cl->active : "(none)");
	printf("nodes:   ");
	for (int i = 0; i < cl->nnodes; i++) {
		const struct hb_node *n = &cl->nodes[i];

		printf(" %s (%s%s%s", n->name, n->unclean ? "unclean" : n->online ? "online" : "offline",
		    n->standby ? ", standby" : "", strcmp(n->name, cl->active) == 0 ? ", active" : "");
		if (n->health >= 0)
			printf(", health %d", n->health);
		printf(")");
	}
	printf("\ncluster:  quorum %s, stonith %s, DC %s, %d failed action%s\n",
	    cl->quorum ? "yes" : "NO", cl->stonith_enabled ? "on" : "OFF", cl->dc[0] ? cl->dc : "-",
	    cl->failed_actions, cl->failed_actions == 1 ? "" : "s");
	if (drbd_ok) {
		printf("drbd:     %s %s/%s, disk %s/%s, %s, %s", d->resource, d->role, d->peer_role,
		    d->disk, d->peer_disk, d->conn, d->repl);
		if (d->sync_percent >= 0 && d->sync_percent < 100)
			printf(", %.1f%% in sync", d->sync_percent);
		printf("\n");
	} else
		printf("drbd:     unknown\n");
	printf("vip:      %s on %s\n", cl->vip[0] ? cl->vip : "(none)", cl->vip_on[0] ? cl->vip_on : "-");
	if (state != NULL) {
		printf("store:    %s here, health %s, commit %s %s ms, imap %s, lmtp %s\n",
		    sget(state, "role", "?"), sget(state, "score", "?"), sget(state, "commit", "?"),
		    sget(state, "commit_ms", "?"), sget(state, "imap", "?"), sget(state, "lmtp", "?"));
		printf("probes:   vip %s %s ms, reference %s; peer %s (seen %s, health %s, commit %s ms)\n",
		    sget(state, "vip", "?"), sget(state, "vip_ms", "?"), sget(state, "ref", "?"),
		    sget(state, "peer", "?"), sget(state, "peer_seen", "?"), sget(state, "peer_score", "?"),
		    sget(state, "peer_commit_ms", "?"));
	} else
		printf("store:    no duplex-hb state on this node\n");
	if (last != NULL) {
		char kind[32] = "", from[HB_NAME] = "", to[HB_NAME] = "";
		long when = 0;
		int off = 0;
		char stamp[64] = "?";
		time_t t;

		if (sscanf(last, "%ld %31s %63s %63s %n", &when, kind, from, to, &off) >= 4) {
			t = (time_t)when;
			strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", localtime(&t));
			printf("last:     %s %s -> %s at %s: %s\n", kind, from, to, stamp, last + off);
		}
	} else
		printf("last:     no failover or switchover recorded\n");
	for (int i = 0; i < ws->n; i++)
		printf("WARNING:  %s\n", ws->text[i]);
	(void)hc;
}

int
hb_cmd_status(struct hb_conf *hc, const struct hb_opts *o)
{
	struct hb_cluster cl;
	struct hb_lines ws = { 0 };
	struct hb_drbd d;
	char err[512], last[512];
	char *state;
	bool drbd_ok, have_last;

	if (hb_cib_snapshot(hc, &cl, err, sizeof(err)) < 0) {
		fprintf(stderr, "duplex-hb: status: %s\n", err);
		return 1;
	}
	drbd_ok = hb_probe_drbd(hc, o->drbd_file, &d) == 0;
	state = hb_read_file(hc->state_file, 1 << 16);
	have_last = hb_history_last(hc->history_file, last, sizeof(last)) == 0;
	collect(hc, &cl, drbd_ok, &d, state, &ws);
	if (o->json)
		print_json(&cl, drbd_ok, &d, state, have_last ? last : NULL, &ws);
	else
		print_text(hc, &cl, drbd_ok, &d, state, have_last ? last : NULL, &ws);
	free(state);
	return 0;
}
