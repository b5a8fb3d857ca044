/*
 * store_deliver.c - one message to many recipients in one write request.
 *
 * The body and its cache are stored once, then every recipient is
 * expanded (aliases, forwards; depth-limited and loop-safe) to local users
 * and each user gets one copy referencing that body. Each recipient runs
 * in its own nested transaction: it is delivered completely or not at
 * all, so a recipient that failed (over quota, unknown, external target)
 * can be retried by the MTA without duplicating the copies that did work.
 * A user reached through several recipients gets one copy. A body nobody
 * took is deleted before the request ends.
 *
 * External targets: with an envelope sender (store_deliver_from) every
 * address outside our domains that the recipients reach is collected and
 * written to the outbound queue as one entry, inside the same write
 * request, so the forward is exactly as durable as the local copies.
 * Without one (duplexctl deliver, imports) they are refused with
 * STORE_EEXTERNAL: nothing is dropped silently.
 *
 * Spam filing: every copy bound for INBOX (a direct recipient without a
 * mailbox or with INBOX, and every alias or forward copy) is checked
 * against the spam header of the receiving user's domain, as a per-user
 * Sieve script would; a match goes to the user's Junk, or to INBOX when
 * there is no Junk. A copy for an explicit other mailbox is left where
 * it was asked to go. The store only files: it never deletes.
 *
 * Subaddresses: a direct recipient "user+detail@domain" that is no user or
 * alias of its own is user@domain's, delivered into its mailbox named
 * detail (any case) when "anyone" holds the "p" right there (RFC 4314:
 * posting), into INBOX otherwise.
 *
 * Sieve: where a user would get its copy, the store runs the domain's
 * script and the user's active one (store_sieve_eval in store_sieve_dlv.c)
 * and takes their actions here, inside the recipient's nested transaction.
 * That is why it runs in the writer and not in the protocol layer: the
 * copies (keep, fileinto with its flags and :create), the redirects (as
 * external targets, into the same queue entry as forwards, or expanded
 * when local), vacation's reply (a queue entry of its own, null sender)
 * and the records of vacation and duplicate commit with the delivery or
 * not at all, and the callbacks (mailboxexists, include, duplicate) read
 * that same transaction. reject fails the recipient with STORE_EREJECTED
 * (LMTP's 550 5.7.1). A run-time error is the implicit keep, logged. The
 * interpreter is bounded by the sieve_max_* limits, so a script costs the
 * writer little. The admin's forward runs first: the scripts decide only
 * about the copy it keeps. A user reached a second time is not run again.
 *
 * SRS (forward_srs_secret): the queue entry's sender is rewritten for the
 * domain of the first recipient that reached an external target, and a
 * direct SRS0 recipient of ours expands to the original sender.
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "imapsyn/imap_acl.h"
#include "mime/mime.h"
#include "sieve/sieve.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xalloc.h"

#define EXPAND_DEPTH_MAX 10
#define EXPAND_ADDRS_MAX 1000

struct dlv_req {
	const char *qid;
	const char *relay_from;		/* NULL: external targets are refused */
	bool atomic;			/* any failed recipient refuses the whole request */
	int refused;			/* atomic: the failure that refused it; 0 if none */
	char *relay_qid_r;		/* where relay_qid goes once committed; NULL: nowhere */
	uint64_t body_id;		/* 0 until the first copy writes the body */
	char **ext;			/* external targets of committed recipients */
	size_t next;
	char relay_qid[STORE_QUEUE_ID_LEN + 1];	/* their queue entry; "" if none */
	char srs_domain[STORE_ADDR_MAX + 1];	/* SRS: the domain of the first that forwarded */
	struct store_body_in body;
	const char *const *rcpts;
	size_t n;
	char mailbox[STORE_MBOX_NAME_MAX + 1];
	int64_t internal_date;
	struct store_rcpt_result *results;
	uint64_t *done_users;		/* users with a copy already */
	size_t ndone;
};

/* one recipient's expansion, inside its nested transaction */
struct dlv_rcpt {
	struct dlv_req *d;
	struct store_wtxn w;
	char **visited;
	size_t nvisited;
	uint64_t *users;		/* copies made for this recipient */
	size_t nusers;
	size_t reached;			/* users reached, duplicates included */
	char **ext;			/* external targets reached */
	size_t next;
	struct store_rcpt_result *res;
	char detail_box[STORE_MBOX_NAME_MAX + 1];	/* a +detail's mailbox; "" if none */
};

static int dlv_expand(struct dlv_rcpt *r, const char *addr, int depth, bool direct);

/* dlv_fail - an error for the recipient, with the reason */
static int
dlv_fail(struct dlv_rcpt *r, int err, const char *addr, const char *why)
{
	r->res->err = err;
	snprintf(r->res->detail, sizeof(r->res->detail), "%.80s: %.70s", addr, why);
	return err;
}

/* dlv_str_has - whether s is among v[0..n) */
static bool
dlv_str_has(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* dlv_external - an address outside our domains: relayed when we may, refused otherwise */
static int
dlv_external(struct dlv_rcpt *r, const char *addr)
{
	if (r->d->relay_from == NULL)
		return dlv_fail(r, STORE_EEXTERNAL, addr,
		    "forwarding to external addresses needs an envelope sender");
	r->reached++;
	if (!dlv_str_has(r->d->ext, r->d->next, addr) && !dlv_str_has(r->ext, r->next, addr)) {
		r->ext = xrealloc(r->ext, (r->next + 1) * sizeof(*r->ext));
		r->ext[r->next++] = xstrdup(addr);
	}
	return 0;
}

static bool
dlv_has(const uint64_t *v, size_t n, uint64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == id)
			return true;
	return false;
}

/*
 * dlv_junk - a copy bound for INBOX goes to Junk when the message carries
 * the spam header of the receiving user's domain; mb is left alone when
 * not, or when the user has no Junk
 */
static void
dlv_junk(struct dlv_rcpt *r, const char *addr, uint64_t user_id, struct store_mbox *mb)
{
	struct store_domain dom;
	struct store_mbox junk;

	if (strcmp(mb->m.name, "INBOX") != 0 ||
	    store_domain_load(r->w.txn, r->w.st, store_addr_domain(addr), &dom) != 0 ||
	    dom.spam_name[0] == '\0' ||
	    !mime_header_has(r->d->body.data, r->d->body.len, dom.spam_name, dom.spam_value))
		return;
	if (store_mbox_load(r->w.txn, r->w.st, user_id, "Junk", &junk) != 0) {
		store_hook_note(r->w.st, r->d->qid, "spam: %s: %s: %s, but no Junk: filed into INBOX",
		    addr, dom.spam_name, dom.spam_value);
		return;
	}
	store_hook_note(r->w.st, r->d->qid, "spam: %s: %s: %s: filed into Junk", addr,
	    dom.spam_name, dom.spam_value);
	*mb = junk;
}

/* dlv_body - the body, written once, with the first copy that needs it */
static int
dlv_body(struct dlv_rcpt *r)
{
	const struct store_body_in *b = &r->d->body;

	if (r->d->body_id != 0)
		return 0;
	return store_body_put(&r->w, b->data, b->len, b->cache, b->cache_len, &r->d->body_id);
}

/* dlv_store - one copy into the user's mailbox name (INBOX when it has none by that name) */
static int
dlv_store(struct dlv_rcpt *r, const char *addr, const struct store_user_rec *u, const char *name,
    uint32_t flags, const char *keywords)
{
	struct store_msg_rec m = { .internal_date = r->d->internal_date, .size = r->d->body.len,
	    .flags = flags, .keywords = keywords };
	struct store_mbox mb;
	uint32_t uid;
	int rc;

	rc = store_mbox_load(r->w.txn, r->w.st, u->id, name, &mb);
	if (rc == STORE_ENOTFOUND)
		rc = store_mbox_load(r->w.txn, r->w.st, u->id, "INBOX", &mb);
	if (rc == 0 && (rc = dlv_body(r)) == 0) {
		m.body_id = r->d->body_id;
		dlv_junk(r, addr, u->id, &mb);
		rc = store_msg_add(&r->w, addr, u, &mb, &m, r->d->qid, &uid);
	}
	if (rc == STORE_ENOQUOTA)
		return dlv_fail(r, rc, addr, "mailbox full");
	if (rc != 0)
		return dlv_fail(r, rc, addr, store_strerror(rc));
	log_debug(r->d->qid, "copy for %s: %s uid %u, to commit", addr, mb.m.name, uid);
	return 0;
}

/* dlv_sieve_flags - imap4flags' list as system flag bits and a keyword list a record holds */
static uint32_t
dlv_sieve_flags(char *const *list, struct buf *kw)
{
	static const struct { const char *name; uint32_t bit; } sys[] = {
		{ "\\Seen", STORE_F_SEEN }, { "\\Answered", STORE_F_ANSWERED },
		{ "\\Flagged", STORE_F_FLAGGED }, { "\\Deleted", STORE_F_DELETED },
		{ "\\Draft", STORE_F_DRAFT },
	};
	uint32_t bits = 0;

	buf_reset(kw);
	for (size_t i = 0; list != NULL && list[i] != NULL; i++) {
		size_t j = 0;

		while (j < sizeof(sys) / sizeof(sys[0]) && strcasecmp(list[i], sys[j].name) != 0)
			j++;
		if (j < sizeof(sys) / sizeof(sys[0]))
			bits |= sys[j].bit;
		else if (list[i][0] != '\\' && store_msg_keywords_ok(list[i]) &&
		    !store_keywords_has(buf_cstr(kw), list[i], strlen(list[i])))
			buf_printf(kw, "%s%s", kw->len ? " " : "", list[i]);
	}
	return bits;
}

/* what a user's scripts are run with: the recipient, the user, and the mailbox keep files into */
struct dlv_sieve {
	struct dlv_rcpt *r;
	const char *addr;
	const struct store_user_rec *u;
	const char *keep_box;
	int depth;
	int64_t now;
};

/* dlv_sieve_records - the records a result asks for, in the recipient's transaction */
static int
dlv_sieve_records(struct dlv_sieve *sv, const struct sieve_result *res)
{
	int rc = 0;

	for (size_t i = 0; i < res->nrec && rc == 0; i++)
		rc = store_sieve_record(&sv->r->w, sv->u->id, res->rec[i].kind, res->rec[i].id,
		    res->rec[i].seconds, sv->now);
	return rc == 0 ? 0 : dlv_fail(sv->r, rc, sv->addr, store_strerror(rc));
}

/* dlv_vacation - vacation's reply, an outbound queue entry of its own with the null sender */
static int
dlv_vacation(struct dlv_sieve *sv, const struct sieve_action *a)
{
	struct dlv_rcpt *r = sv->r;
	struct buf msg = BUF_INIT;
	char msgid[STORE_ADDR_MAX + 96];
	const char *rcpts[] = { a->address };
	struct store_queue_entry e = { .created = sv->now, .from = "", .last_error = "",
	    .rcpts = rcpts, .nrcpt = 1 };
	int rc;

	snprintf(msgid, sizeof(msgid), "<%lld.%s.%llu.vacation@%s>", (long long)sv->now,
	    r->d->qid, (unsigned long long)sv->u->id, store_addr_domain(sv->addr));
	store_sieve_reply(a, sv->addr, r->d->body.data, r->d->body.len, msgid, sv->now, &msg);
	e.msg = msg.data;
	e.msglen = msg.len;
	if ((rc = store_queue_insert(&r->w, &e)) == 0)
		store_hook_note(r->w.st, r->d->qid, "sieve: %s: vacation reply to %s queued as %s",
		    sv->addr, a->address, e.qid);
	buf_free(&msg);
	return rc == 0 ? 0 : dlv_fail(r, rc, sv->addr, store_strerror(rc));
}

/* dlv_fileinto - fileinto: the mailbox, made with :create, INBOX (and a note) when missing without */
static int
dlv_fileinto(struct dlv_sieve *sv, const struct sieve_action *a, uint32_t flags, const char *kw)
{
	struct dlv_rcpt *r = sv->r;
	char name[STORE_MBOX_NAME_MAX + 1];
	struct store_mbox mb;
	int rc;

	if (store_mbox_name_normalize(a->mailbox, name) != 0) {
		store_hook_note(r->w.st, r->d->qid, "sieve: %s: fileinto \"%.100s\": bad mailbox "
		    "name: kept in INBOX", sv->addr, a->mailbox);
		return dlv_store(r, sv->addr, sv->u, "INBOX", flags, kw);
	}
	if (store_mbox_load(r->w.txn, r->w.st, sv->u->id, name, &mb) == STORE_ENOTFOUND) {
		if (!a->create)
			store_hook_note(r->w.st, r->d->qid, "sieve: %s: fileinto \"%s\": no such "
			    "mailbox: kept in INBOX", sv->addr, name);
		else if ((rc = store_mbox_create_in(&r->w, sv->u->id, name, 0)) != 0)
			return dlv_fail(r, rc, sv->addr, store_strerror(rc));
	}
	return dlv_store(r, sv->addr, sv->u, name, flags, kw);
}

/* dlv_reject - reject and ereject: the recipient fails with the reason, on one line */
static int
dlv_reject(struct dlv_sieve *sv, const char *reason)
{
	struct store_rcpt_result *res = sv->r->res;
	size_t n = 0;

	for (const char *p = reason ? reason : ""; *p && n < sizeof(res->detail) - 1; p++)
		res->detail[n++] = (unsigned char)*p < 0x20 || *p == 0x7f ? ' ' : *p;
	res->detail[n] = '\0';
	if (n == 0)
		snprintf(res->detail, sizeof(res->detail), "%s", store_strerror(STORE_EREJECTED));
	res->err = STORE_EREJECTED;
	store_hook_note(sv->r->w.st, sv->r->d->qid, "sieve: %s: rejected: %s", sv->addr, res->detail);
	return STORE_EREJECTED;
}

/* dlv_sieve_act - one action of a result */
static int
dlv_sieve_act(struct dlv_sieve *sv, const struct sieve_action *a, struct buf *kw)
{
	uint32_t flags;

	switch (a->type) {
	case SIEVE_KEEP:
		flags = dlv_sieve_flags(a->flags, kw);
		return dlv_store(sv->r, sv->addr, sv->u, sv->keep_box, flags, buf_cstr(kw));
	case SIEVE_FILEINTO:
		flags = dlv_sieve_flags(a->flags, kw);
		return dlv_fileinto(sv, a, flags, buf_cstr(kw));
	case SIEVE_REDIRECT:
		store_hook_note(sv->r->w.st, sv->r->d->qid, "sieve: %s: redirect to %s", sv->addr,
		    a->address);
		return dlv_expand(sv->r, a->address, sv->depth + 1, false);
	case SIEVE_REJECT:
	case SIEVE_EREJECT:
		return dlv_reject(sv, a->reason);
	case SIEVE_VACATION:
		return dlv_vacation(sv, a);
	}
	return 0;
}

/*
 * dlv_sieve_apply - the actions of one script's result; skip_keep leaves
 * out its implicit keep (a later script decides about keeping)
 */
static int
dlv_sieve_apply(struct dlv_sieve *sv, const struct sieve_result *res, bool skip_keep)
{
	struct buf kw = BUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < res->nact && rc == 0; i++)
		if (!(skip_keep && res->implicit_keep && i + 1 == res->nact))
			rc = dlv_sieve_act(sv, &res->act[i], &kw);
	buf_free(&kw);
	return rc;
}

/* dlv_sieve_note - a script's run-time error, or why its vacation gave no reply, to the log */
static void
dlv_sieve_note(struct dlv_sieve *sv, const char *which, const struct sieve_result *res)
{
	if (res->error != NULL)
		store_hook_note(sv->r->w.st, sv->r->d->qid, "sieve: %s: %s script: %s: kept in INBOX",
		    sv->addr, which, res->error);
	else if (res->no_reply != NULL)
		store_hook_note(sv->r->w.st, sv->r->d->qid, "sieve: %s: %s script: no vacation reply: "
		    "%s", sv->addr, which, res->no_reply);
}

/*
 * dlv_sieve - the user's scripts (store_sieve_eval: the domain's, then
 * the user's) and what they decided, in the recipient's transaction;
 * *ran_r is false when there is no script (today's delivery then)
 */
static int
dlv_sieve(struct dlv_sieve *sv, bool *ran_r)
{
	struct dlv_rcpt *r = sv->r;
	struct store_sieve_eval ev;
	int rc;

	rc = store_sieve_eval(r->w.txn, r->w.st, sv->addr, sv->u->id, r->d->relay_from, NULL,
	    r->d->body.data, r->d->body.len, sv->now, &ev);
	if (rc != 0)
		return dlv_fail(r, rc, sv->addr, store_strerror(rc));
	*ran_r = ev.dom_ran || ev.user_ran;
	if (ev.dom_ran) {
		dlv_sieve_note(sv, "domain", &ev.dom);
		rc = dlv_sieve_apply(sv, &ev.dom, ev.user_ran);
	}
	if (rc == 0 && ev.user_ran) {
		dlv_sieve_note(sv, "user", &ev.user);
		rc = dlv_sieve_apply(sv, &ev.user, false);
	}
	if (rc == 0)
		rc = dlv_sieve_records(sv, &ev.dom);
	if (rc == 0)
		rc = dlv_sieve_records(sv, &ev.user);
	store_sieve_eval_free(&ev);
	return rc;
}

/* dlv_copy - a user's copies, as its scripts say or one into its mailbox, unless it has them */
static int
dlv_copy(struct dlv_rcpt *r, const char *addr, const struct store_user_rec *u, int depth,
    bool direct)
{
	struct dlv_sieve sv = { .r = r, .addr = addr, .u = u, .depth = depth,
	    .keep_box = direct && r->detail_box[0] ? r->detail_box :
	    direct && r->d->mailbox[0] ? r->d->mailbox : "INBOX", .now = (int64_t)time(NULL) };
	bool ran = false;
	int rc;

	r->reached++;
	if (dlv_has(r->d->done_users, r->d->ndone, u->id) || dlv_has(r->users, r->nusers, u->id))
		return 0;
	rc = dlv_sieve(&sv, &ran);
	if (rc == 0 && !ran)
		rc = dlv_store(r, addr, u, sv.keep_box, 0, "");
	if (rc != 0)
		return rc;
	r->users = xrealloc(r->users, (r->nusers + 1) * sizeof(*r->users));
	r->users[r->nusers++] = u->id;
	return 0;
}

/* dlv_list - expand every address of an alias or forward record */
static int
dlv_list(struct dlv_rcpt *r, const MDB_val *v, int depth, bool *keep_r)
{
	const char **t;
	size_t n;
	int rc;

	if ((rc = store_list_dec(v, keep_r, &t, &n)) != 0)
		return dlv_fail(r, rc, "-", "damaged alias or forward");
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = dlv_expand(r, t[i], depth + 1, false);
	free(t);
	return rc;
}

/* dlv_user - a local user: its forward, or its own copy */
static int
dlv_user(struct dlv_rcpt *r, const char *addr, const struct store_user_rec *u, int depth,
    bool direct)
{
	struct store_key k;
	MDB_val v;
	bool keep = true;
	int rc;

	store_key_str(&k, addr);
	rc = store_get(r->w.txn, r->w.st, DB_FORWARDS, &k, &v);
	if (rc == 0 && (rc = dlv_list(r, &v, depth, &keep)) != 0)
		return rc;
	if (rc != 0 && rc != STORE_ENOTFOUND)
		return dlv_fail(r, rc, addr, store_strerror(rc));
	return keep ? dlv_copy(r, addr, u, depth, direct) : 0;
}

/* dlv_visit - remember addr; false if this recipient has seen it (a loop) */
static bool
dlv_visit(struct dlv_rcpt *r, const char *addr)
{
	for (size_t i = 0; i < r->nvisited; i++)
		if (strcmp(r->visited[i], addr) == 0)
			return false;
	r->visited = xrealloc(r->visited, (r->nvisited + 1) * sizeof(*r->visited));
	r->visited[r->nvisited++] = xstrdup(addr);
	return true;
}

struct detail_find {
	const char *detail;
	char *name;		/* the first mailbox named detail in any case; "" if none */
};

/* detail_one - a mailbox of the user: is it the one the detail names? */
static int
detail_one(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct detail_find *f = arg;
	size_t n = k->mv_size - 8;

	if (strlen(f->detail) != n || strncasecmp((const char *)k->mv_data + 8, f->detail, n) != 0)
		return 0;
	memcpy(f->name, (const char *)k->mv_data + 8, n);
	f->name[n] = '\0';
	return 1;
}

/* dlv_detail - user+detail: the user's, into the mailbox detail names if anyone may post there */
static int
dlv_detail(struct dlv_rcpt *r, const char *base, const char *detail, int depth)
{
	char name[STORE_MBOX_NAME_MAX + 1] = "";
	struct detail_find f = { detail, name };
	struct store_user_rec u;
	struct store_mbox mb;
	unsigned char prefix[8];
	uint32_t rights = 0;
	int rc;

	if ((rc = store_user_load(r->w.txn, r->w.st, base, &u)) == 0) {
		store_put64(prefix, u.id);
		rc = store_each(r->w.txn, r->w.st, DB_MAILBOXES, prefix, 8, NULL, detail_one, &f);
	}
	if (rc == 1 && (rc = store_mbox_load(r->w.txn, r->w.st, u.id, name, &mb)) == 0)
		rc = store_acl_anyone(r->w.txn, r->w.st, mb.m.id, &rights);
	if (rc != 0 && rc != STORE_ENOTFOUND)
		return dlv_fail(r, rc, base, store_strerror(rc));
	if (rc == 0 && name[0] != '\0' && (rights & IMAP_ACL_POST))
		snprintf(r->detail_box, sizeof(r->detail_box), "%s", name);
	return dlv_expand(r, base, depth, true);
}

static int
dlv_expand(struct dlv_rcpt *r, const char *addr, int depth, bool direct)
{
	char base[STORE_ADDR_MAX + 1], detail[STORE_MBOX_NAME_MAX + 1];
	struct store_user_rec u;
	struct store_key k;
	MDB_val v;
	int rc;

	if (depth > EXPAND_DEPTH_MAX || r->nvisited >= EXPAND_ADDRS_MAX)
		return dlv_fail(r, STORE_EINVAL, addr, "alias expansion too deep or too wide");
	if (!dlv_visit(r, addr))
		return 0;
	if (store_domain_exists(r->w.txn, r->w.st, store_addr_domain(addr)) != 0)
		return dlv_external(r, addr);
	store_key_str(&k, addr);
	if ((rc = store_get(r->w.txn, r->w.st, DB_ALIASES, &k, &v)) == 0)
		return dlv_list(r, &v, depth, NULL);
	if (rc == STORE_ENOTFOUND && (rc = store_user_load(r->w.txn, r->w.st, addr, &u)) == 0)
		return dlv_user(r, addr, &u, depth, direct);
	if (rc == STORE_ENOTFOUND && depth == 0 && store_srs_original(r->w.st, addr, base) == 0)
		return dlv_expand(r, base, depth + 1, false);
	if (rc == STORE_ENOTFOUND && direct && depth == 0 && store_detail_split(addr, base, detail))
		return dlv_detail(r, base, detail, depth);
	return dlv_fail(r, rc, addr, rc == STORE_ENOTFOUND ? "no such user" : store_strerror(rc));
}

/* dlv_rcpt_run - one recipient in a nested transaction: all its copies or none */
static void
dlv_rcpt_run(struct dlv_req *d, struct store_wtxn *w, size_t i)
{
	struct dlv_rcpt r = { .d = d, .w = { w->st, NULL }, .res = &d->results[i] };
	char addr[STORE_ADDR_MAX + 1];
	uint64_t body_id = d->body_id;	/* a body this recipient wrote goes with it */
	struct store_hook_pos pos = store_hook_pos(w->st);
	int rc;

	if (store_addr_normalize(d->rcpts[i], addr) != 0) {
		dlv_fail(&r, STORE_EINVAL, d->rcpts[i] ? d->rcpts[i] : "(null)", "bad address");
		return;
	}
	if ((rc = mdb_txn_begin(w->st->env, w->txn, 0, &r.w.txn)) != 0) {
		dlv_fail(&r, store_err_from_mdb(rc), addr, mdb_strerror(rc));
		return;
	}
	rc = dlv_expand(&r, addr, 0, true);
	if (rc == 0 && r.reached == 0)
		rc = dlv_fail(&r, STORE_ENOTFOUND, addr, "expands to no mailbox");
	if (rc == 0 && (rc = mdb_txn_commit(r.w.txn)) != 0)
		dlv_fail(&r, store_err_from_mdb(rc), addr, mdb_strerror(rc));
	else if (rc != 0)
		mdb_txn_abort(r.w.txn);
	if (rc != 0) {
		d->body_id = body_id;
		store_hook_rollback(w->st, pos);	/* nothing of it committed */
	}
	if (rc == 0 && r.nusers > 0) {
		d->done_users = xrealloc(d->done_users, (d->ndone + r.nusers) * sizeof(uint64_t));
		memcpy(d->done_users + d->ndone, r.users, r.nusers * sizeof(uint64_t));
		d->ndone += r.nusers;
	}
	if (rc == 0)
		snprintf(r.res->detail, sizeof(r.res->detail), "%.80s: delivered (%zu %s, %zu "
		    "relayed)", addr, r.nusers, r.nusers == 1 ? "copy" : "copies", r.next);
	if (rc == 0 && r.next > 0 && d->srs_domain[0] == '\0')
		snprintf(d->srs_domain, sizeof(d->srs_domain), "%s", store_addr_domain(addr));
	if (rc == 0 && r.next > 0) {
		d->ext = xrealloc(d->ext, (d->next + r.next) * sizeof(*d->ext));
		memcpy(d->ext + d->next, r.ext, r.next * sizeof(*r.ext));
		d->next += r.next;
		r.next = 0;	/* the strings moved to d */
	}
	for (size_t j = 0; j < r.next; j++)
		free(r.ext[j]);
	free(r.ext);
	for (size_t j = 0; j < r.nvisited; j++)
		free(r.visited[j]);
	free(r.visited);
	free(r.users);
}

/* dlv_ext_free - forget the external targets (a request may run again) */
static void
dlv_ext_free(struct dlv_req *d)
{
	for (size_t i = 0; i < d->next; i++)
		free(d->ext[i]);
	free(d->ext);
	d->ext = NULL;
	d->next = 0;
	d->relay_qid[0] = '\0';
	d->srs_domain[0] = '\0';
}

/* dlv_queue - the external targets as one outbound queue entry, its sender rewritten by SRS if on */
static int
dlv_queue(struct store_wtxn *w, struct dlv_req *d)
{
	char srs[STORE_ADDR_MAX + 1];
	struct store_queue_entry e = { .created = (int64_t)time(NULL),
	    .from = store_srs_sender(w->txn, w->st, d->relay_from, d->srs_domain, srs),
	    .last_error = "", .rcpts = (const char **)d->ext, .nrcpt = d->next,
	    .msg = d->body.data, .msglen = d->body.len };
	int rc = store_queue_insert(w, &e);

	if (rc == 0)
		memcpy(d->relay_qid, e.qid, sizeof(d->relay_qid));
	return rc;
}

/*
 * dlv_refuse - all or nothing: the first failed recipient refuses the
 * request (its error is the return); those that would have been stored
 * learn that nothing was, as a temporary failure
 */
static int
dlv_refuse(struct dlv_req *d)
{
	size_t i = 0;

	while (i < d->n && d->results[i].err == 0)
		i++;
	if (i == d->n)
		return 0;
	d->refused = d->results[i].err;
	for (i = 0; i < d->n; i++) {
		if (d->results[i].err != 0)
			continue;
		d->results[i].err = STORE_ETEMP;
		snprintf(d->results[i].detail, sizeof(d->results[i].detail),
		    "%.80s: not stored: the message was refused for another recipient", d->rcpts[i]);
	}
	return d->refused;
}

static int
dlv_fn(struct store_wtxn *w, void *arg)
{
	struct dlv_req *d = arg;
	int rc;

	d->ndone = 0;
	d->body_id = 0;
	d->refused = 0;
	dlv_ext_free(d);
	for (size_t i = 0; i < d->n; i++) {
		d->results[i] = (struct store_rcpt_result){ .err = 0 };
		dlv_rcpt_run(d, w, i);
	}
	if (d->atomic && (rc = dlv_refuse(d)) != 0)
		return rc;
	return d->next > 0 ? dlv_queue(w, d) : 0;
}

/* dlv_all - one result for every recipient */
static void
dlv_all(struct store_rcpt_result *results, size_t n, int err)
{
	for (size_t i = 0; i < n; i++) {
		results[i].err = err;
		snprintf(results[i].detail, sizeof(results[i].detail), "%s", store_strerror(err));
	}
}

int
store_deliver(struct store *st, const char *qid, const char *msg, size_t len,
    const char *const *rcpts, size_t n, const char *mailbox, int64_t internal_date,
    struct store_rcpt_result *results)
{
	return store_deliver_from(st, qid, NULL, msg, len, rcpts, n, mailbox, internal_date,
	    results);
}

/* dlv_run - prepare the body, run the request, log what committed */
static int
dlv_run(struct store *st, struct dlv_req *d, const char *msg, size_t len, const char *mailbox)
{
	struct buf crlf = BUF_INIT, cache = BUF_INIT;
	int rc;

	if (msg == NULL || d->rcpts == NULL || d->n == 0 ||
	    (mailbox != NULL && store_mbox_name_normalize(mailbox, d->mailbox) != 0))
		rc = STORE_EINVAL;
	else if ((rc = store_msg_prepare(st, msg, len, &crlf, &cache, &d->body)) == 0)
		rc = store_writer_run(st, dlv_fn, d);
	if (rc == 0 && d->relay_qid[0])
		log_info(d->qid, "%zu external %s queued for relay as %s", d->next,
		    d->next == 1 ? "target" : "targets", d->relay_qid);
	if (d->relay_qid_r != NULL)
		snprintf(d->relay_qid_r, STORE_QUEUE_ID_LEN + 1, "%s", rc == 0 ? d->relay_qid : "");
	dlv_ext_free(d);
	buf_free(&crlf);
	buf_free(&cache);
	free(d->done_users);
	if (rc != 0 && rc != d->refused) {
		dlv_all(d->results, d->n, rc);
		log_info(d->qid, "delivery of %zu bytes failed: %s", len, store_strerror(rc));
		return rc;
	}
	for (size_t i = 0; i < d->n; i++)
		log_info(d->qid, "rcpt %zu/%zu %s: %s", i + 1, d->n,
		    d->results[i].err ? "refused" : "stored", d->results[i].detail);
	if (rc != 0)
		log_info(d->qid, "delivery of %zu bytes refused as a whole: nothing stored", len);
	return rc;
}

int
store_deliver_from(struct store *st, const char *qid, const char *from, const char *msg,
    size_t len, const char *const *rcpts, size_t n, const char *mailbox, int64_t internal_date,
    struct store_rcpt_result *results)
{
	struct dlv_req d = { .qid = qid ? qid : "-", .relay_from = from, .rcpts = rcpts, .n = n,
	    .internal_date = internal_date, .results = results };

	return dlv_run(st, &d, msg, len, mailbox);
}

int
store_deliver_atomic(struct store *st, const char *qid, const char *from, const char *msg,
    size_t len, const char *const *rcpts, size_t n, int64_t internal_date,
    struct store_rcpt_result *results, char relay_qid_r[STORE_QUEUE_ID_LEN + 1])
{
	struct dlv_req d = { .qid = qid ? qid : "-", .relay_from = from, .atomic = true,
	    .relay_qid_r = relay_qid_r, .rcpts = rcpts, .n = n, .internal_date = internal_date,
	    .results = results };

	return dlv_run(st, &d, msg, len, NULL);
}
