/*
 * store_rcpt.c - would a recipient resolve? The read-only twin of the
 * expansion in store_deliver.c, for LMTP/SMTP to answer RCPT before the
 * message is sent.
 *
 * It follows aliases and forwards the same way (depth- and width-limited,
 * loop-safe) inside a read transaction and reports the first reason the
 * delivery would fail. It is advice, not a reservation: the delivery
 * itself decides again in its own write transaction, so an account
 * removed in between is still refused correctly there.
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define RCPT_DEPTH_MAX 10	/* as store_deliver.c */
#define RCPT_ADDRS_MAX 1000

struct rcpt_walk {
	struct store_rtxn *r;
	uint64_t size;
	bool quota;
	char **visited;
	size_t nvisited;
	size_t users;		/* mailboxes reached */
};

static int rcpt_expand(struct rcpt_walk *w, const char *addr, int depth);

/* rcpt_quota - a reject-policy user already too full for size bytes */
static int
rcpt_quota(struct rcpt_walk *w, const char *addr, const struct store_user_rec *u)
{
	struct store_usage_rec use;
	int rc;

	if (!w->quota || (u->quota_bytes == 0 && u->quota_messages == 0))
		return 0;
	if (store_user_effective_policy(w->r->txn, w->r->st, addr, u->policy) != STORE_QUOTA_REJECT)
		return 0;
	if ((rc = store_usage_load(w->r->txn, w->r->st, u->id, &use)) != 0)
		return rc;
	if ((u->quota_bytes && use.bytes + w->size > u->quota_bytes) ||
	    (u->quota_messages && use.messages + 1 > u->quota_messages))
		return STORE_ENOQUOTA;
	return 0;
}

/* rcpt_list - every target of an alias or forward record */
static int
rcpt_list(struct rcpt_walk *w, const MDB_val *v, int depth, bool *keep_r)
{
	const char **t;
	size_t n;
	int rc;

	if ((rc = store_list_dec(v, keep_r, &t, &n)) != 0)
		return rc;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = rcpt_expand(w, t[i], depth + 1);
	free(t);
	return rc;
}

/* rcpt_visit - false if addr was seen already (a loop, or a shared target) */
static bool
rcpt_visit(struct rcpt_walk *w, const char *addr)
{
	for (size_t i = 0; i < w->nvisited; i++)
		if (strcmp(w->visited[i], addr) == 0)
			return false;
	w->visited = xrealloc(w->visited, (w->nvisited + 1) * sizeof(*w->visited));
	w->visited[w->nvisited++] = xstrdup(addr);
	return true;
}

static int
rcpt_expand(struct rcpt_walk *w, const char *addr, int depth)
{
	char base[STORE_ADDR_MAX + 1], detail[STORE_MBOX_NAME_MAX + 1];
	struct store_user_rec u;
	struct store_key k;
	MDB_val v;
	bool keep = true;
	int rc;

	if (depth > RCPT_DEPTH_MAX || w->nvisited >= RCPT_ADDRS_MAX)
		return STORE_EINVAL;
	if (!rcpt_visit(w, addr))
		return 0;
	if (store_domain_exists(w->r->txn, w->r->st, store_addr_domain(addr)) != 0)
		return depth == 0 ? STORE_ENOTFOUND : STORE_EEXTERNAL;
	store_key_str(&k, addr);
	if ((rc = store_get(w->r->txn, w->r->st, DB_ALIASES, &k, &v)) == 0)
		return rcpt_list(w, &v, depth, NULL);
	if (rc != STORE_ENOTFOUND)
		return rc;
	rc = store_user_load(w->r->txn, w->r->st, addr, &u);
	if (rc == STORE_ENOTFOUND && depth == 0 && store_srs_original(w->r->st, addr, base) == 0)
		return rcpt_expand(w, base, depth + 1);
	if (rc == STORE_ENOTFOUND && depth == 0 && store_detail_split(addr, base, detail))
		return rcpt_expand(w, base, depth);
	if (rc != 0)
		return rc;
	rc = store_get(w->r->txn, w->r->st, DB_FORWARDS, &k, &v);
	if (rc == 0 && (rc = rcpt_list(w, &v, depth, &keep)) != 0)
		return rc;
	if (rc != 0 && rc != STORE_ENOTFOUND)
		return rc;
	if (!keep)
		return 0;
	w->users++;
	return rcpt_quota(w, addr, &u);
}

int
store_rcpt_check(struct store_rtxn *r, const char *address, bool quota, uint64_t size)
{
	struct rcpt_walk w = { .r = r, .size = size, .quota = quota };
	char addr[STORE_ADDR_MAX + 1];
	int rc;

	if (store_addr_normalize(address, addr) != 0)
		return STORE_EINVAL;
	rc = rcpt_expand(&w, addr, 0);
	if (rc == 0 && w.users == 0)
		rc = STORE_ENOTFOUND;
	for (size_t i = 0; i < w.nvisited; i++)
		free(w.visited[i]);
	free(w.visited);
	return rc;
}
