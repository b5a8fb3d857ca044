/*
 * hb_fence.c - duplex-hb's one call into Pacemaker's fencer (libstonithd).
 *
 * The fencer, not duplex-hb, picks the device and carries out the reboot;
 * it also records the request in the fencing history, so
 * `stonith_admin --history` shows it next to Pacemaker's own. Whether to
 * fence at all is decided by hb_verdict(); the daemon calls this at most
 * once per peer incarnation.
 *
 * Hazard: the call is synchronous and can take fence_timeout seconds;
 * heartbeats stop meanwhile, which is harmless because the peer is the one
 * being fenced.
 */
#include "hb_int.h"

#include <string.h>

#include <crm/crm.h>
#include <crm/stonith-ng.h>

int
hb_fence_node(const char *node, unsigned timeout_s, char *err, size_t errlen)
{
	stonith_t *st = stonith_api_new();
	int rc;

	if (st == NULL) {
		snprintf(err, errlen, "cannot create a fencer connection");
		return -1;
	}
	if ((rc = st->cmds->connect(st, "duplex-hb", NULL)) != pcmk_ok) {
		snprintf(err, errlen, "cannot connect to the fencer: %s", pcmk_strerror(rc));
		stonith_api_delete(st);
		return -1;
	}
	rc = st->cmds->fence(st, st_opt_sync_call, node, "reboot", (int)timeout_s, 0);
	st->cmds->disconnect(st);
	stonith_api_delete(st);
	if (rc != pcmk_ok) {
		snprintf(err, errlen, "fencing %s failed: %s", node, pcmk_strerror(rc));
		return -1;
	}
	return 0;
}
