/*
 * hb_cpg.c - heartbeats over a Corosync process group.
 *
 * Each duplex-hb joins the group and, once per round, multicasts its
 * health as key=value text ("hb 1" first, then node, boot, role, score,
 * probe results and latencies, DRBD disk). Corosync delivers it to both
 * members over the same links Pacemaker uses, with agreed ordering, so
 * "the peer is in our view" here means what membership means to the
 * cluster: a node that stops answering leaves the view when Corosync
 * decides it has, not on our own timer.
 *
 * Hazards: one group, two nodes; at most HB_MAX_NODES peers are tracked.
 * Corosync callbacks run inside hb_cpg_dispatch(), on the caller's thread.
 */
#include "hb_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include <corosync/cpg.h>

#include "util/log.h"

static cpg_handle_t cpg_h;
static bool cpg_open;
static uint32_t cpg_self;
static int cpg_members;		/* members in the last view, us included */
static struct hb_peer cpg_peers[HB_MAX_NODES];

/* probe_value - "ok", "fail", anything else skipped */
static enum hb_probe
probe_value(const char *s)
{
	if (strcmp(s, "ok") == 0)
		return HB_PROBE_OK;
	if (strcmp(s, "fail") == 0)
		return HB_PROBE_FAIL;
	return HB_PROBE_SKIPPED;
}

int
hb_heartbeat_parse(const char *text, struct hb_peer *p)
{
	const char *v;

	memset(p, 0, sizeof(*p));
	if (strncmp(text, "hb 1\n", 5) != 0 || (v = hb_state_get(text, "node")) == NULL || !*v)
		return -1;
	snprintf(p->name, sizeof(p->name), "%s", v);
	if ((v = hb_state_get(text, "boot")) != NULL)
		p->boot = strtoul(v, NULL, 10);
	p->role = HB_ROLE_UNKNOWN;
	if ((v = hb_state_get(text, "role")) != NULL)
		p->role = strcmp(v, "active") == 0 ? HB_ROLE_ACTIVE :
		    strcmp(v, "standby") == 0 ? HB_ROLE_STANDBY : HB_ROLE_UNKNOWN;
	p->score = (v = hb_state_get(text, "score")) != NULL ? atoi(v) : -1;
	p->commit = (v = hb_state_get(text, "commit")) != NULL ? probe_value(v) : HB_PROBE_SKIPPED;
	p->commit_ms = (v = hb_state_get(text, "commit_ms")) != NULL ? strtod(v, NULL) : 0;
	p->vip = (v = hb_state_get(text, "vip")) != NULL ? probe_value(v) : HB_PROBE_SKIPPED;
	p->ref = (v = hb_state_get(text, "ref")) != NULL ? probe_value(v) : HB_PROBE_SKIPPED;
	if ((v = hb_state_get(text, "disk")) != NULL)
		snprintf(p->disk, sizeof(p->disk), "%s", v);
	return 0;
}

/* deliver - a heartbeat arrived; ours come back too and are skipped */
static void
deliver(cpg_handle_t h, const struct cpg_name *group, uint32_t nodeid, uint32_t pid, void *msg,
    size_t len)
{
	struct hb_peer p;
	char text[2048];
	int slot = -1;

	if (nodeid == cpg_self || len == 0)
		return;
	snprintf(text, sizeof(text), "%.*s", (int)(len < sizeof(text) ? len : sizeof(text) - 1),
	    (const char *)msg);
	if (hb_heartbeat_parse(text, &p) < 0) {
		log_warn("-", "cpg: malformed heartbeat from node id %u", nodeid);
		return;
	}
	p.seen_at = hb_now();
	for (int i = 0; i < HB_MAX_NODES; i++) {
		if (strcmp(cpg_peers[i].name, p.name) == 0) {
			slot = i;
			break;
		}
		if (slot < 0 && cpg_peers[i].name[0] == '\0')
			slot = i;
	}
	if (slot >= 0) {
		if (cpg_peers[slot].boot != 0 && cpg_peers[slot].boot != p.boot)
			log_info("-", "cpg: %s restarted duplex-hb", p.name);
		cpg_peers[slot] = p;
	}
}

/* confchg - membership changed; only the count matters to the verdict */
static void
confchg(cpg_handle_t h, const struct cpg_name *group, const struct cpg_address *members,
    size_t nmembers, const struct cpg_address *left, size_t nleft,
    const struct cpg_address *joined, size_t njoined)
{
	cpg_members = (int)nmembers;
	for (size_t i = 0; i < nleft; i++)
		log_info("-", "cpg: node id %u left the heartbeat group (reason %u)", left[i].nodeid,
		    left[i].reason);
	for (size_t i = 0; i < njoined; i++)
		log_info("-", "cpg: node id %u joined the heartbeat group", joined[i].nodeid);
}

int
hb_cpg_open(const char *group, int *fd_r)
{
	cpg_callbacks_t cb = { .cpg_deliver_fn = deliver, .cpg_confchg_fn = confchg };
	struct cpg_name name;
	cs_error_t rc;

	if ((rc = cpg_initialize(&cpg_h, &cb)) != CS_OK) {
		log_warn("-", "cpg: cannot connect to corosync (error %d)", rc);
		return -1;
	}
	memset(&name, 0, sizeof(name));
	snprintf(name.value, sizeof(name.value), "%s", group);
	name.length = (uint32_t)strlen(name.value);
	if ((rc = cpg_local_get(cpg_h, &cpg_self)) != CS_OK || (rc = cpg_join(cpg_h, &name)) != CS_OK ||
	    (rc = cpg_fd_get(cpg_h, fd_r)) != CS_OK) {
		log_warn("-", "cpg: cannot join %s (error %d)", group, rc);
		cpg_finalize(cpg_h);
		return -1;
	}
	cpg_open = true;
	log_info("-", "cpg: joined %s as node id %u", group, cpg_self);
	return 0;
}

int
hb_cpg_send(const char *text)
{
	struct iovec iov = { (void *)text, strlen(text) };
	cs_error_t rc;

	if (!cpg_open)
		return -1;
	rc = cpg_mcast_joined(cpg_h, CPG_TYPE_AGREED, &iov, 1);
	return rc == CS_OK ? 0 : -1;
}

int
hb_cpg_dispatch(void)
{
	if (!cpg_open)
		return -1;
	if (cpg_dispatch(cpg_h, CS_DISPATCH_ALL) != CS_OK) {
		log_warn("-", "cpg: connection to corosync lost");
		hb_cpg_close();
		return -1;
	}
	return 0;
}

const struct hb_peer *
hb_cpg_peer(const char *me)
{
	const struct hb_peer *best = NULL;

	for (int i = 0; i < HB_MAX_NODES; i++) {
		const struct hb_peer *p = &cpg_peers[i];

		if (p->name[0] && strcmp(p->name, me) != 0 && (best == NULL || p->seen_at > best->seen_at))
			best = p;
	}
	return best;
}

bool
hb_cpg_peer_in_view(void)
{
	return cpg_open && cpg_members > 1;
}

void
hb_cpg_close(void)
{
	if (cpg_open)
		cpg_finalize(cpg_h);
	cpg_open = false;
	cpg_members = 0;
}
