/*
 * store_mailbox.c - a user's mailboxes: names, hierarchy, UIDVALIDITY,
 * counters.
 *
 * A mailbox is keyed by user id + name (so a user's mailboxes list in name
 * order) and mbox_by_id maps its id back to user id + name. The record
 * holds UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ and the messages/unseen/bytes
 * counters that store_message.c keeps current. The hierarchy separator is
 * '/': creating "a/b/c" creates missing parents, renaming moves children,
 * and a mailbox with children cannot be deleted (ENOTEMPTY) so no
 * \Noselect placeholders are ever needed. INBOX cannot be deleted or
 * renamed (EINVAL).
 *
 * The \Recent mark (store_recent.c) is keyed by mailbox id: a rename keeps
 * it, a delete removes it, and a new mailbox starts without one.
 * Subscriptions (store_subscribe.c) are names, not mailboxes: none of
 * these touch them.
 *
 * UIDVALIDITY comes from a meta counter that starts at the creation time
 * and only grows, so it is unique per mailbox id, also across delete and
 * re-create of the same name.
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/buf.h"
#include "util/log.h"
#include "util/xalloc.h"

struct mbox_req {
	char addr[STORE_ADDR_MAX + 1];
	char name[STORE_MBOX_NAME_MAX + 1];
	char to[STORE_MBOX_NAME_MAX + 1];
	unsigned special_use;
};

/* utf8_len - the length of the valid UTF-8 sequence at s, or 0 */
static size_t
utf8_len(const unsigned char *s)
{
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((n == 3 && s[0] == 0xe0 && s[1] < 0xa0) || (n == 3 && s[0] == 0xed && s[1] >= 0xa0) ||
	    (n == 4 && s[0] == 0xf0 && s[1] < 0x90) || (n == 4 && s[0] == 0xf4 && s[1] >= 0x90))
		return 0;	/* overlong, surrogate, beyond U+10FFFF */
	return n;
}

/* store_mbox_name_normalize - valid UTF-8 path, INBOX spelled canonically */
int
store_mbox_name_normalize(const char *in, char out[STORE_MBOX_NAME_MAX + 1])
{
	const unsigned char *s = (const unsigned char *)in;
	size_t n = in ? strlen(in) : 0, step;

	if (n > STORE_MBOX_NAME_MAX)
		return STORE_ENAMETOOLONG;
	if (n == 0 || in[0] == '/' || in[n - 1] == '/' || strstr(in, "//") != NULL)
		return STORE_EINVAL;
	for (size_t i = 0; i < n; i += step) {
		if (s[i] < 0x20 || s[i] == 0x7f || s[i] == '*' || s[i] == '%' ||
		    (step = utf8_len(s + i)) == 0)
			return STORE_EINVAL;
	}
	memcpy(out, in, n + 1);
	if (strncasecmp(out, "INBOX", 5) == 0 && (out[5] == '\0' || out[5] == '/'))
		memcpy(out, "INBOX", 5);
	return 0;
}

int
store_mbox_load(MDB_txn *txn, struct store *st, uint64_t user_id, const char *name,
    struct store_mbox *mb)
{
	struct store_key k;
	MDB_val v;
	int rc;

	memset(mb, 0, sizeof(*mb));
	store_key_id_name(&k, user_id, name);
	if ((rc = store_get(txn, st, DB_MAILBOXES, &k, &v)) != 0)
		return rc;
	mb->user_id = user_id;
	snprintf(mb->m.name, sizeof(mb->m.name), "%s", name);
	return store_mbox_dec(&v, &mb->m);
}

int
store_mbox_load_id(MDB_txn *txn, struct store *st, uint64_t mbox_id, struct store_mbox *mb)
{
	char name[STORE_MBOX_NAME_MAX + 1];
	struct store_key k;
	MDB_val v;
	int rc;

	store_key_id(&k, mbox_id);
	if ((rc = store_get(txn, st, DB_MBOX_BY_ID, &k, &v)) != 0)
		return rc;
	if (v.mv_size < 8 || v.mv_size > 8 + STORE_MBOX_NAME_MAX)
		return STORE_ECORRUPT;
	memcpy(name, (const char *)v.mv_data + 8, v.mv_size - 8);
	name[v.mv_size - 8] = '\0';
	return store_mbox_load(txn, st, store_get64(v.mv_data), name, mb);
}

/* store_mbox_save - the record and its id mapping, written together */
int
store_mbox_save(struct store_wtxn *w, const struct store_mbox *mb)
{
	struct store_key k;
	struct buf b = BUF_INIT;
	int rc;

	store_key_id_name(&k, mb->user_id, mb->m.name);
	store_mbox_enc(&mb->m, &b);
	rc = store_put(w, DB_MAILBOXES, &k, b.data, b.len);
	if (rc == 0) {
		buf_reset(&b);
		buf_append(&b, k.b, k.len);	/* user id + name */
		store_key_id(&k, mb->m.id);
		rc = store_put(w, DB_MBOX_BY_ID, &k, b.data, b.len);
	}
	buf_free(&b);
	return rc;
}

/* mbox_uidvalidity - the next UIDVALIDITY: above every earlier one, and at least now */
static int
mbox_uidvalidity(struct store_wtxn *w, uint32_t *v_r)
{
	struct store_key k;
	unsigned char b[8];
	uint64_t now = (uint64_t)time(NULL), v = 0;
	MDB_val val;
	int rc;

	store_key_str(&k, "uidvalidity");
	rc = store_get(w->txn, w->st, DB_META, &k, &val);
	if (rc == 0 && val.mv_size == 8)
		v = store_get64(val.mv_data);
	else if (rc != STORE_ENOTFOUND)
		return rc == 0 ? STORE_ECORRUPT : rc;
	v = v + 1 > now ? v + 1 : now;
	if ((uint32_t)v == 0)
		v++;
	store_put64(b, v);
	*v_r = (uint32_t)v;
	return store_put(w, DB_META, &k, b, 8);
}

/* mbox_create_one - a new, empty mailbox with its parent's ACL; EEXISTS if the name is taken */
static int
mbox_create_one(struct store_wtxn *w, uint64_t user_id, const char *name, unsigned special_use)
{
	struct store_mbox mb;
	int rc;

	if ((rc = store_mbox_load(w->txn, w->st, user_id, name, &mb)) != STORE_ENOTFOUND)
		return rc == 0 ? STORE_EEXISTS : rc;
	memset(&mb, 0, sizeof(mb));
	mb.user_id = user_id;
	snprintf(mb.m.name, sizeof(mb.m.name), "%s", name);
	mb.m.uidnext = 1;
	mb.m.highestmodseq = 1;
	mb.m.special_use = special_use;
	if ((rc = store_counter_next(w, "next_mbox", &mb.m.id)) != 0 ||
	    (rc = mbox_uidvalidity(w, &mb.m.uidvalidity)) != 0 ||
	    (rc = store_mbox_save(w, &mb)) != 0)
		return rc;
	return store_acl_inherit(w, &mb);
}

/* mbox_create_parents - the missing ancestors of name, as Dovecot does */
static int
mbox_create_parents(struct store_wtxn *w, uint64_t user_id, const char *name)
{
	char path[STORE_MBOX_NAME_MAX + 1];
	char *slash;
	int rc;

	snprintf(path, sizeof(path), "%s", name);
	for (slash = strchr(path, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		rc = mbox_create_one(w, user_id, path, 0);
		*slash = '/';
		if (rc != 0 && rc != STORE_EEXISTS)
			return rc;
	}
	return 0;
}

int
store_mbox_create_in(struct store_wtxn *w, uint64_t user_id, const char *name,
    unsigned special_use)
{
	int rc;

	if ((rc = mbox_create_parents(w, user_id, name)) != 0)
		return rc;
	return mbox_create_one(w, user_id, name, special_use);
}

/* what a mailbox's messages hold, gathered before they are deleted */
struct mbox_contents {
	uint64_t *bodies;
	size_t n;
	uint64_t bytes;
};

static int
mbox_gather(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct mbox_contents *c = arg;
	struct store_msg_rec m;

	if (store_msg_dec(v, &m) != 0)
		return STORE_ECORRUPT;
	c->bodies = xrealloc(c->bodies, (c->n + 1) * sizeof(*c->bodies));
	c->bodies[c->n++] = m.body_id;
	c->bytes += m.size;
	return 0;
}

/* store_mbox_remove - the mailbox and everything in it, its ACL too; bodies unref'd, usage follows */
int
store_mbox_remove(struct store_wtxn *w, struct store_mbox *mb)
{
	static const enum store_db dbs[] = { DB_MESSAGES, DB_MODSEQ, DB_TOMBSTONES, DB_RECENT, DB_ACL };
	struct mbox_contents c = { NULL, 0, 0 };
	unsigned char prefix[8];
	struct store_key k;
	int rc;

	store_put64(prefix, mb->m.id);
	rc = store_each(w->txn, w->st, DB_MESSAGES, prefix, 8, NULL, mbox_gather, &c);
	for (size_t i = 0; rc == 0 && i < c.n; i++)
		rc = store_body_ref(w, c.bodies[i], -1);
	free(c.bodies);
	if (rc == 0 && c.n > 0)
		rc = store_usage_add(w, mb->user_id, -(int64_t)c.bytes, -(int64_t)c.n);
	for (size_t i = 0; rc == 0 && i < sizeof(dbs) / sizeof(dbs[0]); i++)
		rc = store_del_prefix(w, dbs[i], mb->m.id);
	if (rc != 0 || (rc = store_meta_del_mbox(w, mb->user_id, mb->m.id)) != 0)
		return rc;
	store_key_id_name(&k, mb->user_id, mb->m.name);
	if ((rc = store_del(w, DB_MAILBOXES, &k)) != 0)
		return rc;
	store_key_id(&k, mb->m.id);
	return store_del(w, DB_MBOX_BY_ID, &k);
}

/* mbox_user - the user id owning a request's mailbox */
static int
mbox_user(struct store_wtxn *w, const struct mbox_req *a, uint64_t *id_r)
{
	struct store_user_rec u;
	int rc;

	if ((rc = store_user_load(w->txn, w->st, a->addr, &u)) != 0)
		return rc;
	*id_r = u.id;
	return 0;
}

/* mbox_req_load - the owner and the mailbox a request names */
static int
mbox_req_load(struct store_wtxn *w, const struct mbox_req *a, uint64_t *uid_r,
    struct store_mbox *mb)
{
	int rc;

	if ((rc = mbox_user(w, a, uid_r)) != 0)
		return rc;
	return store_mbox_load(w->txn, w->st, *uid_r, a->name, mb);
}

static int
mbox_create_fn(struct store_wtxn *w, void *arg)
{
	struct mbox_req *a = arg;
	uint64_t uid;
	int rc;

	if ((rc = mbox_user(w, a, &uid)) != 0)
		return rc;
	return store_mbox_create_in(w, uid, a->name, a->special_use);
}

/* mbox_has_child - stops the walk at the first child */
static int
mbox_has_child(const MDB_val *k, const MDB_val *v, void *arg)
{
	return 1;
}

/* mbox_children - 1 if name has children, 0 if not, or an error */
static int
mbox_children(MDB_txn *txn, struct store *st, uint64_t user_id, const char *name)
{
	char path[STORE_MBOX_NAME_MAX + 2];
	struct store_key k;

	snprintf(path, sizeof(path), "%s/", name);
	store_key_id_name(&k, user_id, path);
	if (strlen(path) > STORE_MBOX_NAME_MAX)
		return 0;
	return store_each(txn, st, DB_MAILBOXES, k.b, k.len, NULL, mbox_has_child, NULL);
}

static int
mbox_delete_fn(struct store_wtxn *w, void *arg)
{
	struct mbox_req *a = arg;
	struct store_mbox mb;
	uint64_t uid;
	int rc;

	if ((rc = mbox_req_load(w, a, &uid, &mb)) != 0)
		return rc;
	if ((rc = mbox_children(w->txn, w->st, uid, a->name)) != 0)
		return rc == 1 ? STORE_ENOTEMPTY : rc;
	return store_mbox_remove(w, &mb);
}

/* the names to move in a rename: the mailbox and its children */
struct mbox_names {
	char **v;
	size_t n;
};

static int
mbox_collect(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct mbox_names *c = arg;

	c->v = xrealloc(c->v, (c->n + 1) * sizeof(*c->v));
	c->v[c->n++] = xstrndup((const char *)k->mv_data + 8, k->mv_size - 8);
	return 0;
}

/* mbox_move - one mailbox to a new name, keeping id, UIDVALIDITY and messages */
static int
mbox_move(struct store_wtxn *w, uint64_t user_id, const char *from, const char *to)
{
	struct store_mbox mb;
	struct store_key k;
	int rc;

	if (strlen(to) > STORE_MBOX_NAME_MAX)
		return STORE_ENAMETOOLONG;	/* a child renamed past the bound */
	if ((rc = store_mbox_load(w->txn, w->st, user_id, from, &mb)) != 0)
		return rc;
	store_key_id_name(&k, user_id, from);
	if ((rc = store_del(w, DB_MAILBOXES, &k)) != 0)
		return rc;
	snprintf(mb.m.name, sizeof(mb.m.name), "%s", to);
	return store_mbox_save(w, &mb);
}

/* mbox_move_tree - from and every child of from, to the same places under to */
static int
mbox_move_tree(struct store_wtxn *w, uint64_t user_id, const char *from, const char *to)
{
	struct mbox_names c = { NULL, 0 };
	char path[STORE_MBOX_NAME_MAX + 2], *dest;
	struct store_key k;
	size_t flen = strlen(from);
	int rc;

	snprintf(path, sizeof(path), "%s/", from);
	store_key_id_name(&k, user_id, path);
	rc = store_each(w->txn, w->st, DB_MAILBOXES, k.b, k.len, NULL, mbox_collect, &c);
	if (rc == 0)
		rc = mbox_move(w, user_id, from, to);
	for (size_t i = 0; i < c.n; i++) {
		if (rc == 0) {
			dest = xasprintf("%s%s", to, c.v[i] + flen);
			rc = mbox_move(w, user_id, c.v[i], dest);
			free(dest);
		}
		free(c.v[i]);
	}
	free(c.v);
	return rc;
}

static int
mbox_rename_fn(struct store_wtxn *w, void *arg)
{
	struct mbox_req *a = arg;
	struct store_mbox mb;
	uint64_t uid;
	int rc;

	if ((rc = mbox_req_load(w, a, &uid, &mb)) != 0)
		return rc;
	if ((rc = store_mbox_load(w->txn, w->st, uid, a->to, &mb)) != STORE_ENOTFOUND)
		return rc == 0 ? STORE_EEXISTS : rc;
	if ((rc = mbox_create_parents(w, uid, a->to)) != 0)
		return rc;
	return mbox_move_tree(w, uid, a->name, a->to);
}

/* mbox_args - normalize the address and name of a request; EINVAL or ENAMETOOLONG */
static int
mbox_args(struct mbox_req *a, const char *address, const char *name)
{
	if (store_addr_normalize(address, a->addr) != 0)
		return STORE_EINVAL;
	return store_mbox_name_normalize(name, a->name);
}

int
store_mailbox_create(struct store *st, const char *address, const char *name,
    unsigned special_use)
{
	struct mbox_req a = { .special_use = special_use };
	int rc;

	if ((rc = mbox_args(&a, address, name)) != 0)
		return rc;
	return store_writer_run(st, mbox_create_fn, &a);
}

int
store_mailbox_delete(struct store *st, const char *address, const char *name)
{
	struct mbox_req a = { 0 };

	if (mbox_args(&a, address, name) != 0 || strcmp(a.name, "INBOX") == 0)
		return STORE_EINVAL;
	return store_writer_run(st, mbox_delete_fn, &a);
}

int
store_mailbox_rename(struct store *st, const char *address, const char *from, const char *to)
{
	struct mbox_req a = { 0 };
	size_t n;
	int rc;

	if ((rc = mbox_args(&a, address, from)) != 0 || (rc = store_mbox_name_normalize(to, a.to)) != 0)
		return rc;
	if (strcmp(a.name, "INBOX") == 0)
		return STORE_EINVAL;
	n = strlen(a.name);
	if (strncmp(a.to, a.name, n) == 0 && a.to[n] == '/')
		return STORE_EINVAL;	/* into itself */
	return store_writer_run(st, mbox_rename_fn, &a);
}

int
store_mailbox_get(struct store_rtxn *r, const char *address, const char *name,
    struct store_mailbox *mb_r)
{
	struct mbox_req a;
	struct store_user_rec u;
	struct store_mbox mb;
	int rc;

	if (mbox_args(&a, address, name) != 0)
		return STORE_EINVAL;
	if ((rc = store_user_load(r->txn, r->st, a.addr, &u)) != 0 ||
	    (rc = store_mbox_load(r->txn, r->st, u.id, a.name, &mb)) != 0)
		return rc;
	*mb_r = mb.m;
	return 0;
}

struct mbox_list_ctx {
	int (*cb)(const struct store_mailbox *, void *);
	void *arg;
};

static int
mbox_list_one(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct mbox_list_ctx *c = arg;
	struct store_mailbox m;
	size_t n = k->mv_size - 8;

	if (n > STORE_MBOX_NAME_MAX || store_mbox_dec(v, &m) != 0)
		return STORE_ECORRUPT;
	memcpy(m.name, (const char *)k->mv_data + 8, n);
	m.name[n] = '\0';
	return c->cb(&m, c->arg);
}

int
store_mailbox_list(struct store_rtxn *r, const char *address,
    int (*cb)(const struct store_mailbox *, void *), void *arg)
{
	struct mbox_list_ctx c = { cb, arg };

	return store_user_each(r, address, DB_MAILBOXES, mbox_list_one, &c);
}
