/*
 * store_quota.c - per-user usage, quota admission and the near-full
 * warning.
 *
 * Usage (bytes, messages, warned flag) is one record per user id, changed
 * by every insert and remove in the same transaction, so it always equals
 * the sum of the user's mailboxes (store_verify checks this). Admission
 * follows the user's effective policy: reject answers ENOQUOTA; purge-
 * oldest expunges the lowest UIDs of the configured folders, in order,
 * until the new message fits. The purge runs in the recipient's own nested
 * transaction, so when the message still cannot fit, nothing was purged.
 * Crossing quota_warn_percent upward delivers one generated warning into
 * INBOX and sets the flag; falling back below clears it. What a purge
 * expunged and a warning sent are logged once they committed (notes,
 * store_hook.c), never from inside the transaction that may roll back.
 *
 * Hazard: a purge may rewrite the mailbox being delivered to; callers
 * reload their mailbox afterwards (store_msg_add does).
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mime/mime.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/rfc5322.h"
#include "util/xalloc.h"

int
store_usage_load(MDB_txn *txn, struct store *st, uint64_t user_id, struct store_usage_rec *u)
{
	struct store_key k;
	MDB_val v;
	int rc;

	store_key_id(&k, user_id);
	if ((rc = store_get(txn, st, DB_USAGE, &k, &v)) != 0)
		return rc == STORE_ENOTFOUND ? STORE_ECORRUPT : rc;
	return store_usage_dec(&v, u);
}

/* store_usage_save - the one encoder path for usage, new users' zero record included */
int
store_usage_save(struct store_wtxn *w, uint64_t user_id, const struct store_usage_rec *u)
{
	struct store_key k;
	struct buf b = BUF_INIT;
	int rc;

	store_key_id(&k, user_id);
	store_usage_enc(u, &b);
	rc = store_put(w, DB_USAGE, &k, b.data, b.len);
	buf_free(&b);
	return rc;
}

/* quota_over_mark - usage at or above the warning percentage of either limit */
static bool
quota_over_mark(const struct store *st, const struct store_usage_rec *use,
    const struct store_user_rec *u)
{
	uint64_t pct = st->opts.quota_warn_percent;

	return (u->quota_bytes && use->bytes * 100 >= u->quota_bytes * pct) ||
	    (u->quota_messages && use->messages * 100 >= u->quota_messages * pct);
}

/* quota_fits - would one more message of size bytes stay within both limits? */
static bool
quota_fits(const struct store_usage_rec *use, const struct store_user_rec *u, uint64_t size)
{
	return (u->quota_bytes == 0 || use->bytes + size <= u->quota_bytes) &&
	    (u->quota_messages == 0 || use->messages + 1 <= u->quota_messages);
}

/* usage_unwarn - clear the flag once usage is back under the mark */
static int
usage_unwarn(struct store_wtxn *w, uint64_t user_id, struct store_usage_rec *use)
{
	char addr[STORE_ADDR_MAX + 1];
	struct store_user_rec u;
	int rc;

	if ((rc = store_user_address(w->txn, w->st, user_id, addr)) != 0 ||
	    (rc = store_user_load(w->txn, w->st, addr, &u)) != 0)
		return rc;
	if (!quota_over_mark(w->st, use, &u)) {
		use->warned = false;
		store_hook_note(w->st, "-", "%s: usage back under %u%% of quota", addr,
		    w->st->opts.quota_warn_percent);
	}
	return 0;
}

int
store_usage_add(struct store_wtxn *w, uint64_t user_id, int64_t dbytes, int64_t dmsgs)
{
	struct store_usage_rec use;
	int rc;

	if ((rc = store_usage_load(w->txn, w->st, user_id, &use)) != 0)
		return rc;
	if ((dbytes < 0 && (uint64_t)-dbytes > use.bytes) ||
	    (dmsgs < 0 && (uint64_t)-dmsgs > use.messages))
		return STORE_ECORRUPT;
	use.bytes += (uint64_t)dbytes;
	use.messages += (uint64_t)dmsgs;
	if (use.warned && dbytes <= 0 && dmsgs <= 0 && (rc = usage_unwarn(w, user_id, &use)) != 0)
		return rc;
	return store_usage_save(w, user_id, &use);
}

/* quota_purge_folder - oldest first out of one folder until size fits */
static int
quota_purge_folder(struct store_wtxn *w, const char *addr, const struct store_user_rec *u,
    const char *folder, uint64_t size, const char *qid)
{
	char name[STORE_MBOX_NAME_MAX + 1];
	struct store_usage_rec use;
	struct store_mbox mb;
	uint32_t uid;
	uint64_t bytes;
	int rc;

	if (store_mbox_name_normalize(folder, name) != 0 ||
	    store_mbox_load(w->txn, w->st, u->id, name, &mb) != 0)
		return 0;	/* no such folder: next one */
	for (;;) {
		if ((rc = store_usage_load(w->txn, w->st, u->id, &use)) != 0)
			return rc;
		if (quota_fits(&use, u, size))
			return 0;
		if ((rc = store_msg_first(w->txn, w->st, mb.m.id, &uid)) != 0)
			return rc == STORE_ENOTFOUND ? 0 : rc;
		bytes = mb.m.bytes;
		if ((rc = store_msg_remove(w, &mb, uid)) != 0)
			return rc;
		store_hook_note(w->st, qid, "%s: quota purge-oldest: expunged %s uid %u (%llu bytes)",
		    addr, name, uid, (unsigned long long)(bytes - mb.m.bytes));
	}
}

/* quota_purge - the folders of quota_purge_folders in order */
static int
quota_purge(struct store_wtxn *w, const char *addr, const struct store_user_rec *u,
    uint64_t size, const char *qid)
{
	char *list = xstrdup(w->st->opts.quota_purge_folders), *save = NULL, *f;
	int rc = 0;

	for (f = strtok_r(list, ",", &save); f != NULL && rc == 0; f = strtok_r(NULL, ",", &save)) {
		f += strspn(f, " \t");
		f[strcspn(f, " \t")] = '\0';
		rc = quota_purge_folder(w, addr, u, f, size, qid);
	}
	free(list);
	return rc;
}

int
store_quota_admit(struct store_wtxn *w, const char *addr, const struct store_user_rec *u,
    uint64_t size, const char *qid)
{
	struct store_usage_rec use;
	enum store_quota_policy p;
	int rc;

	if ((rc = store_usage_load(w->txn, w->st, u->id, &use)) != 0)
		return rc;
	if (quota_fits(&use, u, size))
		return 0;
	p = store_user_effective_policy(w->txn, w->st, addr, u->policy);
	if (p == STORE_QUOTA_PURGE_OLDEST && (u->quota_bytes == 0 || size <= u->quota_bytes)) {
		if ((rc = quota_purge(w, addr, u, size, qid)) != 0 ||
		    (rc = store_usage_load(w->txn, w->st, u->id, &use)) != 0)
			return rc;
		if (quota_fits(&use, u, size))
			return 0;
	}
	log_info(qid, "%s: over quota (%llu of %llu bytes, %llu of %llu messages, policy %s)",
	    addr, (unsigned long long)use.bytes, (unsigned long long)u->quota_bytes,
	    (unsigned long long)use.messages, (unsigned long long)u->quota_messages,
	    store_quota_policy_name(p));
	return STORE_ENOQUOTA;
}

/* quota_warning_text - the generated message, CRLF-normalized into out */
static void
quota_warning_text(const char *addr, const struct store_usage_rec *use,
    const struct store_user_rec *u, struct buf *out)
{
	struct buf b = BUF_INIT;
	char date[64];

	rfc5322_date(time(NULL), true, date, sizeof(date));
	buf_printf(&b, "From: postmaster@%s\nTo: %s\nSubject: Your mailbox is almost full\n"
	    "Date: %s\nMIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n"
	    "Your mailbox %s is almost full.\n\n", store_addr_domain(addr), addr, date, addr);
	if (u->quota_bytes)
		buf_printf(&b, "Storage: %llu of %llu bytes used (%llu%%).\n",
		    (unsigned long long)use->bytes, (unsigned long long)u->quota_bytes,
		    (unsigned long long)(use->bytes * 100 / u->quota_bytes));
	if (u->quota_messages)
		buf_printf(&b, "Messages: %llu of %llu (%llu%%).\n",
		    (unsigned long long)use->messages, (unsigned long long)u->quota_messages,
		    (unsigned long long)(use->messages * 100 / u->quota_messages));
	buf_puts(&b, "\nPlease delete messages you no longer need, and empty the Trash.\n");
	mime_to_crlf(b.data, b.len, out);
	buf_free(&b);
}

/* quota_warning_deliver - the warning into INBOX, past the quota check */
static int
quota_warning_deliver(struct store_wtxn *w, const char *addr, const struct store_usage_rec *use,
    const struct store_user_rec *u)
{
	struct buf text = BUF_INIT, cache = BUF_INIT;
	struct store_msg_rec m = { .internal_date = time(NULL), .keywords = "" };
	struct store_mbox mb;
	int rc;

	quota_warning_text(addr, use, u, &text);
	mime_cache_build(text.data, text.len, &cache);
	m.size = text.len;
	rc = store_mbox_load(w->txn, w->st, u->id, "INBOX", &mb);
	if (rc == 0)
		rc = store_body_put(w, text.data, text.len, cache.data ? cache.data : "", cache.len,
		    &m.body_id);
	if (rc == 0)
		rc = store_msg_insert(w, &mb, &m, NULL);
	buf_free(&text);
	buf_free(&cache);
	return rc;
}

int
store_quota_warn(struct store_wtxn *w, const char *addr, const struct store_user_rec *u,
    const char *qid)
{
	struct store_usage_rec use;
	int rc;

	if ((rc = store_usage_load(w->txn, w->st, u->id, &use)) != 0)
		return rc;
	if (use.warned || !quota_over_mark(w->st, &use, u))
		return 0;
	use.warned = true;
	if ((rc = store_usage_save(w, u->id, &use)) != 0)
		return rc;
	if ((rc = quota_warning_deliver(w, addr, &use, u)) != 0)
		return rc;
	store_hook_note(w->st, qid, "%s: usage crossed %u%% of quota (%llu bytes, %llu messages): "
	    "warning sent", addr, w->st->opts.quota_warn_percent, (unsigned long long)use.bytes,
	    (unsigned long long)use.messages);
	return 0;
}
