/*
 * store_flags.c - IMAP STORE semantics in one write request: +FLAGS,
 * -FLAGS and FLAGS (system flags and keywords) over a UID set, with
 * CONDSTORE's UNCHANGEDSINCE decided against the modseqs inside that same
 * transaction, so no other writer can slip in between check and change.
 *
 * Each message's new state is computed from its current record; messages
 * that would not change keep their modseq (RFC 7162: no new modseq for a
 * no-op). Keyword lists are space-separated and compared ignoring ASCII
 * case, as IMAP flag names are.
 *
 * store_flags_expunge is IMAP EXPUNGE the same way: \Deleted is read
 * inside the write, so a message another session undeleted meanwhile
 * stays.
 *
 * Hazard: the request runs on the writer thread, so it only computes and
 * writes; the caller's arrays must live until store_flags_apply returns
 * (they do: it waits for the commit).
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"

#define FLAGS_ALL (STORE_F_SEEN | STORE_F_ANSWERED | STORE_F_FLAGGED | STORE_F_DELETED | \
	STORE_F_DRAFT)

struct flags_req {
	uint64_t mbox_id;
	const uint32_t *uids;
	size_t n;
	enum store_flags_op op;
	uint32_t flags;
	const char *kw;
	uint64_t unchangedsince;
	enum store_flags_result *res;
	struct buf nkw;			/* scratch: one message's new keywords */
};

/* store_keywords_has - IMAP flag names ignore case */
bool
store_keywords_has(const char *list, const char *k, size_t len)
{
	for (const char *p = list; *p;) {
		size_t l = strcspn(p, " ");

		if (l == len && strncasecmp(p, k, len) == 0)
			return true;
		p += l + (p[l] == ' ');
	}
	return false;
}

/* flags_kw_add - the words of src not in exclude onto out, each once */
static void
flags_kw_add(struct buf *out, const char *src, const char *exclude)
{
	for (const char *p = src; *p;) {
		size_t l = strcspn(p, " ");

		if (l && !store_keywords_has(exclude, p, l) &&
		    !store_keywords_has(buf_cstr(out), p, l)) {
			if (out->len)
				buf_putc(out, ' ');
			buf_append(out, p, l);
		}
		p += l + (p[l] == ' ');
	}
}

/* flags_kw_merge - old and chg combined by op, into out */
static void
flags_kw_merge(const char *old, const char *chg, enum store_flags_op op, struct buf *out)
{
	buf_reset(out);
	switch (op) {
	case STORE_FLAGS_SET:
		flags_kw_add(out, chg, "");
		break;
	case STORE_FLAGS_ADD:
		flags_kw_add(out, old, "");
		flags_kw_add(out, chg, "");
		break;
	case STORE_FLAGS_REMOVE:
		flags_kw_add(out, old, chg);
		break;
	}
}

/* one message of a request: m is NULL when the uid is absent */
typedef int (*flags_one_fn)(struct store_wtxn *w, struct flags_req *a, struct store_mbox *mb,
    size_t i, const struct store_msg_rec *m);

/* flags_each - fn on each uid of the request, in order, then the mailbox saved */
static int
flags_each(struct store_wtxn *w, struct flags_req *a, flags_one_fn fn)
{
	struct buf kw = BUF_INIT;
	struct store_mbox mb;
	int rc;

	if ((rc = store_mbox_load_id(w->txn, w->st, a->mbox_id, &mb)) != 0)
		return rc;
	for (size_t i = 0; rc == 0 && i < a->n; i++) {
		struct store_msg_rec m;

		rc = store_msg_load(w->txn, w->st, a->mbox_id, a->uids[i], &m, &kw);
		if (rc == 0 || rc == STORE_ENOTFOUND)
			rc = fn(w, a, &mb, i, rc == 0 ? &m : NULL);
	}
	buf_free(&kw);
	return rc != 0 ? rc : store_mbox_save(w, &mb);
}

/* flags_one - STORE on one message: the new state, or why it is left alone */
static int
flags_one(struct store_wtxn *w, struct flags_req *a, struct store_mbox *mb, size_t i,
    const struct store_msg_rec *m)
{
	enum store_flags_result res;
	uint32_t f;
	int rc = 0;

	if (m == NULL) {
		res = STORE_FLAGS_ABSENT;
	} else if (m->modseq > a->unchangedsince) {
		res = STORE_FLAGS_CONFLICT;
	} else {
		f = a->op == STORE_FLAGS_SET ? a->flags : a->op == STORE_FLAGS_ADD ?
		    m->flags | a->flags : m->flags & ~a->flags;
		flags_kw_merge(m->keywords, a->kw, a->op, &a->nkw);
		res = f == m->flags && strcmp(buf_cstr(&a->nkw), m->keywords) == 0 ?
		    STORE_FLAGS_SAME : STORE_FLAGS_CHANGED;
		if (res == STORE_FLAGS_CHANGED && !store_msg_keywords_ok(buf_cstr(&a->nkw)))
			rc = STORE_EINVAL;
		else if (res == STORE_FLAGS_CHANGED)
			rc = store_msg_flag(w, mb, a->uids[i], f, buf_cstr(&a->nkw));
	}
	if (a->res)
		a->res[i] = res;
	return rc;
}

/* flags_fn - the whole STORE, on the writer thread */
static int
flags_fn(struct store_wtxn *w, void *arg)
{
	return flags_each(w, arg, flags_one);
}

int
store_flags_apply(struct store *st, uint64_t mailbox_id, const uint32_t *uids, size_t n,
    enum store_flags_op op, uint32_t flags, const char *keywords, uint64_t unchangedsince,
    enum store_flags_result *res_r)
{
	struct flags_req a = { mailbox_id, uids, n, op, flags & FLAGS_ALL,
	    keywords ? keywords : "", unchangedsince, res_r, BUF_INIT };
	int rc;

	if ((uids == NULL && n > 0) || !store_msg_keywords_ok(keywords) ||
	    op < STORE_FLAGS_SET || op > STORE_FLAGS_REMOVE)
		return STORE_EINVAL;
	if (n == 0)
		return 0;
	rc = store_writer_run(st, flags_fn, &a);
	buf_free(&a.nkw);
	return rc;
}

/* flags_expunge_one - remove the message if it is \Deleted now */
static int
flags_expunge_one(struct store_wtxn *w, struct flags_req *a, struct store_mbox *mb, size_t i,
    const struct store_msg_rec *m)
{
	if (m == NULL || !(m->flags & STORE_F_DELETED))
		return 0;
	return store_msg_remove(w, mb, a->uids[i]);
}

/* flags_expunge_fn - the whole EXPUNGE, on the writer thread */
static int
flags_expunge_fn(struct store_wtxn *w, void *arg)
{
	return flags_each(w, arg, flags_expunge_one);
}

int
store_flags_expunge(struct store *st, uint64_t mailbox_id, const uint32_t *uids, size_t n)
{
	struct flags_req a = { .mbox_id = mailbox_id, .uids = uids, .n = n };

	if (uids == NULL && n > 0)
		return STORE_EINVAL;
	return n == 0 ? 0 : store_writer_run(st, flags_expunge_fn, &a);
}
