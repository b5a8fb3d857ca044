/*
 * pop3_maildrop.c - the maildrop: the user's INBOX as a snapshot taken at
 * login, and the UPDATE state's commit at QUIT.
 *
 * Blocking (store read transactions and durable writes): called only from
 * svc_store_call() jobs. Message numbers are indexes into the snapshot, so
 * they stay stable for the session whatever IMAP or LMTP do meanwhile;
 * a message expunged elsewhere is reported when it is read (pop3_stream.c).
 */
#include "pop3/pop3_int.h"

#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/xalloc.h"

struct load_ctx {
	struct pop3_maildrop *md;
	size_t cap;
};

/* load_one - append one message of the INBOX to the snapshot */
static int
load_one(const struct store_msg *m, void *arg)
{
	struct load_ctx *lc = arg;
	struct pop3_maildrop *md = lc->md;

	if (md->n == lc->cap) {
		lc->cap = lc->cap ? lc->cap * 2 : 64;
		md->msgs = xrealloc(md->msgs, lc->cap * sizeof(*md->msgs));
	}
	md->msgs[md->n++] = (struct pop3_msg){ .uid = m->uid, .flags = m->flags,
	    .size = m->size, .body_id = m->body_id };
	return 0;
}

int
pop3_maildrop_load(struct store *st, const char *addr, struct pop3_maildrop *md)
{
	struct load_ctx lc = { md, 0 };
	struct store_mailbox mb;
	struct store_rtxn *r;
	int rc;

	memset(md, 0, sizeof(*md));
	strncpy(md->addr, addr, sizeof(md->addr) - 1);
	if ((rc = store_rtxn_begin(st, &r)) < 0)
		return rc;
	if ((rc = store_mailbox_get(r, addr, "INBOX", &mb)) == 0) {
		md->mailbox_id = mb.id;
		md->uidvalidity = mb.uidvalidity;
		rc = store_msg_list(r, mb.id, 1, load_one, &lc);
	}
	store_rtxn_end(&r);
	if (rc < 0)
		pop3_maildrop_free(md);
	return rc;
}

/* seen_cmp - order by the new flags, so each distinct value is one write */
static int
seen_cmp(const void *a, const void *b)
{
	const struct pop3_msg *x = a, *y = b;

	if (x->flags != y->flags)
		return x->flags < y->flags ? -1 : 1;
	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

/* commit_seen - \Seen on retrieved messages we keep; best effort, logged */
static void
commit_seen(struct store *st, const char *id, const struct pop3_maildrop *md)
{
	struct pop3_msg *seen = xcalloc(md->n ? md->n : 1, sizeof(*seen));
	uint32_t *uids = xcalloc(md->n ? md->n : 1, sizeof(*uids));
	size_t n = 0, i, j;
	int rc;

	for (i = 0; i < md->n; i++) {
		const struct pop3_msg *m = &md->msgs[i];

		if (m->retrieved && !m->deleted && !(m->flags & STORE_F_SEEN)) {
			seen[n] = *m;
			seen[n++].flags |= STORE_F_SEEN;
		}
	}
	qsort(seen, n, sizeof(*seen), seen_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && seen[j].flags == seen[i].flags; j++)
			uids[j - i] = seen[j].uid;
		rc = store_msg_set_flags(st, md->mailbox_id, uids, j - i, seen[i].flags, NULL);
		if (rc < 0)
			log_warn(id, "pop3: %s: cannot set \\Seen: %s", md->addr, store_strerror(rc));
	}
	free(uids);
	free(seen);
}

int
pop3_maildrop_commit(struct store *st, const char *id, const struct pop3_maildrop *md,
    size_t *deleted_r)
{
	uint32_t *uids = xcalloc(md->n ? md->n : 1, sizeof(*uids));
	size_t n = 0;
	int rc = 0;

	commit_seen(st, id, md);
	for (size_t i = 0; i < md->n; i++)
		if (md->msgs[i].deleted)
			uids[n++] = md->msgs[i].uid;
	/* one durable transaction: all deletions land, or none */
	if (n > 0)
		rc = store_expunge(st, md->mailbox_id, uids, n);
	free(uids);
	*deleted_r = rc == 0 ? n : 0;
	return rc;
}

void
pop3_maildrop_free(struct pop3_maildrop *md)
{
	free(md->msgs);
	md->msgs = NULL;
	md->n = 0;
}
