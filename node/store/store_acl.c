/*
 * store_acl.c - access control lists on mailboxes (RFC 4314): who else
 * may do what with a user's mailbox.
 *
 * The acl database is keyed by mailbox id + identifier, the value a
 * version byte and the rights as 32 bits (the letters are imapsyn's
 * imap_acl.h; the store only keeps bits). An identifier is "anyone",
 * "authenticated" or the address of a user of the owner's domain, never
 * the owner's own: the owner holds every right, always. Users of another
 * domain hold none, "anyone"'s included: domains do not see each other.
 * Someone not logged in (a delivery) has "anyone"'s. An entry never
 * holds no rights: taking the last one away removes it. A new mailbox
 * starts with its parent's entries (store_acl_inherit), as Dovecot's
 * inheritance does, so a team's new folder is the team's. Keyed by mailbox
 * id, the entries follow a RENAME and go with a DELETE
 * (store_mbox_remove); deleting a user removes those naming it
 * (store_acl_forget). Finding the mailboxes shared with a user reads the
 * whole database: ACLs are few next to mailboxes. Delivery reads the
 * "anyone" entry for "+detail" addresses (store_deliver.c). A change
 * fires the change hook for its mailbox, as a message change does, so that
 * the sessions that have it selected learn of their new rights at once.
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"

#define ACL_REC_VERSION 1
#define ACL_REC_LEN 5

struct acl_req {
	char owner[STORE_ADDR_MAX + 1];
	char name[STORE_MBOX_NAME_MAX + 1];
	char ident[STORE_ADDR_MAX + 1];
	uint32_t add, remove;
	uint32_t rights;	/* out: after the change */
};

int
store_acl_rec_dec(const MDB_val *v, uint32_t *rights_r)
{
	const unsigned char *p = v->mv_data;

	if (v->mv_size != ACL_REC_LEN || p[0] != ACL_REC_VERSION)
		return STORE_ECORRUPT;
	*rights_r = store_get32(p + 1);
	return 0;
}

/* acl_ident_special - "anyone" or "authenticated" (any case), into out lower-cased */
static bool
acl_ident_special(const char *in, char out[STORE_ADDR_MAX + 1])
{
	static const char *const special[] = { STORE_ACL_ANYONE, STORE_ACL_AUTHENTICATED };

	for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		if (strcasecmp(in, special[i]) == 0) {
			strcpy(out, special[i]);
			return true;
		}
	return false;
}

/* acl_ident_check - a user identifier may hold rights on owner's mailboxes: same domain, not owner */
static int
acl_ident_check(MDB_txn *txn, struct store *st, const char *owner, const char *ident)
{
	struct store_user_rec u;

	if (strcmp(ident, owner) == 0 ||
	    strcmp(store_addr_domain(ident), store_addr_domain(owner)) != 0)
		return STORE_EINVAL;
	return store_user_load(txn, st, ident, &u);
}

/* acl_set_fn - read, change and write back (or remove) one entry */
static int
acl_set_fn(struct store_wtxn *w, void *arg)
{
	struct acl_req *a = arg;
	struct store_user_rec u;
	struct store_mbox mb;
	struct store_key k;
	unsigned char rec[ACL_REC_LEN] = { ACL_REC_VERSION };
	uint32_t old = 0;
	MDB_val v;
	int rc;

	if ((rc = store_user_load(w->txn, w->st, a->owner, &u)) != 0 ||
	    (rc = store_mbox_load(w->txn, w->st, u.id, a->name, &mb)) != 0)
		return rc;
	if (strcmp(a->ident, STORE_ACL_ANYONE) != 0 && strcmp(a->ident, STORE_ACL_AUTHENTICATED) != 0 &&
	    (rc = acl_ident_check(w->txn, w->st, a->owner, a->ident)) != 0)
		return rc;
	store_key_id_name(&k, mb.m.id, a->ident);
	rc = store_get(w->txn, w->st, DB_ACL, &k, &v);
	if (rc == 0)
		rc = store_acl_rec_dec(&v, &old);
	else if (rc == STORE_ENOTFOUND)
		rc = 0;
	if (rc != 0)
		return rc;
	a->rights = (old & ~a->remove) | a->add;
	if (a->rights == old)
		return 0;
	/* the sessions that have it selected reread their rights (imap_view_rights) */
	store_hook_mark(w->st, mb.m.id);
	if (a->rights == 0)
		return store_del(w, DB_ACL, &k);
	store_put32(rec + 1, a->rights);
	return store_put(w, DB_ACL, &k, rec, sizeof(rec));
}

int
store_acl_set(struct store *st, const char *owner, const char *name, const char *identifier,
    uint32_t add, uint32_t remove, uint32_t *rights_r)
{
	struct acl_req a = { .add = add, .remove = remove };
	int rc;

	if (store_addr_normalize(owner, a.owner) != 0)
		return STORE_EINVAL;
	if ((rc = store_mbox_name_normalize(name, a.name)) != 0)
		return rc;
	if (!acl_ident_special(identifier, a.ident) && store_addr_normalize(identifier, a.ident) != 0)
		return STORE_EINVAL;
	if ((rc = store_writer_run(st, acl_set_fn, &a)) == 0 && rights_r != NULL)
		*rights_r = a.rights;
	return rc;
}

struct acl_list_ctx {
	int (*cb)(const char *, uint32_t, void *);
	void *arg;
};

/* acl_list_one - an entry's identifier and rights to the callback */
static int
acl_list_one(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct acl_list_ctx *c = arg;
	char ident[STORE_ADDR_MAX + 1];
	size_t n = k->mv_size - 8;
	uint32_t rights;
	int rc;

	if (n == 0 || n > STORE_ADDR_MAX)
		return STORE_ECORRUPT;
	if ((rc = store_acl_rec_dec(v, &rights)) != 0)
		return rc;
	memcpy(ident, (const char *)k->mv_data + 8, n);
	ident[n] = '\0';
	return c->cb(ident, rights, c->arg);
}

int
store_acl_list(struct store_rtxn *r, uint64_t mailbox_id,
    int (*cb)(const char *identifier, uint32_t rights, void *), void *arg)
{
	struct acl_list_ctx c = { cb, arg };
	unsigned char prefix[8];

	store_put64(prefix, mailbox_id);
	return store_each(r->txn, r->st, DB_ACL, prefix, 8, NULL, acl_list_one, &c);
}

/* acl_entry - the rights of one identifier on a mailbox; 0 without an entry */
static int
acl_entry(MDB_txn *txn, struct store *st, uint64_t mbox_id, const char *ident, uint32_t *rights_r)
{
	struct store_key k;
	MDB_val v;
	int rc;

	*rights_r = 0;
	store_key_id_name(&k, mbox_id, ident);
	if ((rc = store_get(txn, st, DB_ACL, &k, &v)) == STORE_ENOTFOUND)
		return 0;
	return rc != 0 ? rc : store_acl_rec_dec(&v, rights_r);
}

/* acl_rights - what user (NULL: not logged in) may do on mailbox mb */
static int
acl_rights(MDB_txn *txn, struct store *st, const char *user, const struct store_mbox *mb,
    uint32_t *rights_r)
{
	char owner[STORE_ADDR_MAX + 1];
	struct store_user_rec u;
	uint32_t mine = 0, any = 0, auth = 0;
	int rc;

	if (user != NULL) {
		if ((rc = store_user_load(txn, st, user, &u)) != 0)
			return rc;
		if (u.id == mb->user_id) {
			*rights_r = STORE_ACL_OWNER;
			return 0;
		}
		if ((rc = store_user_address(txn, st, mb->user_id, owner)) != 0)
			return rc;
		if (strcmp(store_addr_domain(owner), store_addr_domain(user)) != 0) {
			*rights_r = 0;
			return 0;
		}
		if ((rc = acl_entry(txn, st, mb->m.id, user, &mine)) != 0 ||
		    (rc = acl_entry(txn, st, mb->m.id, STORE_ACL_AUTHENTICATED, &auth)) != 0)
			return rc;
	}
	if ((rc = acl_entry(txn, st, mb->m.id, STORE_ACL_ANYONE, &any)) != 0)
		return rc;
	*rights_r = mine | any | auth;
	return 0;
}

int
store_acl_rights(struct store_rtxn *r, const char *user, uint64_t mailbox_id, uint32_t *rights_r)
{
	char addr[STORE_ADDR_MAX + 1];
	struct store_mbox mb;
	int rc;

	if (user != NULL && store_addr_normalize(user, addr) != 0)
		return STORE_EINVAL;
	if ((rc = store_mbox_load_id(r->txn, r->st, mailbox_id, &mb)) != 0)
		return rc;
	return acl_rights(r->txn, r->st, user != NULL ? addr : NULL, &mb, rights_r);
}

struct acl_shared_ctx {
	struct store_rtxn *r;
	const char *user;
	uint64_t last;		/* the mailbox id done last: its entries are together */
	int (*cb)(const char *, const struct store_mailbox *, uint32_t, void *);
	void *arg;
};

/* acl_shared_one - the first entry of each mailbox: its rights for the user, if any */
static int
acl_shared_one(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct acl_shared_ctx *c = arg;
	char owner[STORE_ADDR_MAX + 1];
	struct store_mbox mb;
	uint64_t id;
	uint32_t rights;
	int rc;

	if (k->mv_size < 8)
		return STORE_ECORRUPT;
	if ((id = store_get64(k->mv_data)) == c->last)
		return 0;
	c->last = id;
	if ((rc = store_mbox_load_id(c->r->txn, c->r->st, id, &mb)) != 0 ||
	    (rc = acl_rights(c->r->txn, c->r->st, c->user, &mb, &rights)) != 0 ||
	    (rc = store_user_address(c->r->txn, c->r->st, mb.user_id, owner)) != 0)
		return rc;
	if (rights == 0 || rights == STORE_ACL_OWNER)
		return 0;
	return c->cb(owner, &mb.m, rights, c->arg);
}

int
store_acl_shared(struct store_rtxn *r, const char *user,
    int (*cb)(const char *owner, const struct store_mailbox *mb, uint32_t rights, void *),
    void *arg)
{
	char addr[STORE_ADDR_MAX + 1];
	struct acl_shared_ctx c = { r, addr, 0, cb, arg };

	if (store_addr_normalize(user, addr) != 0)
		return STORE_EINVAL;
	return store_each(r->txn, r->st, DB_ACL, NULL, 0, NULL, acl_shared_one, &c);
}

/* entries gathered in one walk, to write after it (a walk must not write its database) */
struct acl_keys {
	const char *ident;	/* only this identifier's; NULL: all */
	struct store_key *keys;
	uint32_t *rights;
	size_t n, cap;
};

/* acl_keys_one - an entry (of the identifier, if one is asked for): its key and rights */
static int
acl_keys_one(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct acl_keys *c = arg;
	size_t n = c->ident ? strlen(c->ident) : 0;
	int rc;

	if (k->mv_size < 8 || k->mv_size > sizeof(c->keys[0].b))
		return STORE_ECORRUPT;
	if (c->ident != NULL &&
	    (k->mv_size != 8 + n || memcmp((const char *)k->mv_data + 8, c->ident, n) != 0))
		return 0;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 8;
		c->keys = xrealloc(c->keys, c->cap * sizeof(*c->keys));
		c->rights = xrealloc(c->rights, c->cap * sizeof(*c->rights));
	}
	if ((rc = store_acl_rec_dec(v, &c->rights[c->n])) != 0)
		return rc;
	memcpy(c->keys[c->n].b, k->mv_data, k->mv_size);
	c->keys[c->n++].len = k->mv_size;
	return 0;
}

/* acl_keys_free - what a walk gathered */
static void
acl_keys_free(struct acl_keys *c)
{
	free(c->keys);
	free(c->rights);
}

int
store_acl_forget(struct store_wtxn *w, const char *address)
{
	struct acl_keys c = { .ident = address };
	int rc;

	rc = store_each(w->txn, w->st, DB_ACL, NULL, 0, NULL, acl_keys_one, &c);
	for (size_t i = 0; rc == 0 && i < c.n; i++)
		rc = store_del(w, DB_ACL, &c.keys[i]);
	acl_keys_free(&c);
	return rc;
}

int
store_acl_inherit(struct store_wtxn *w, const struct store_mbox *mb)
{
	char parent[STORE_MBOX_NAME_MAX + 1];
	unsigned char rec[ACL_REC_LEN] = { ACL_REC_VERSION };
	const char *slash = strrchr(mb->m.name, '/');
	struct acl_keys c = { 0 };
	struct store_mbox p;
	unsigned char prefix[8];
	int rc;

	if (slash == NULL)
		return 0;
	snprintf(parent, sizeof(parent), "%.*s", (int)(slash - mb->m.name), mb->m.name);
	if ((rc = store_mbox_load(w->txn, w->st, mb->user_id, parent, &p)) != 0)
		return rc == STORE_ENOTFOUND ? 0 : rc;
	store_put64(prefix, p.m.id);
	rc = store_each(w->txn, w->st, DB_ACL, prefix, 8, NULL, acl_keys_one, &c);
	for (size_t i = 0; rc == 0 && i < c.n; i++) {
		store_put64(c.keys[i].b, mb->m.id);	/* the same identifier, on the new mailbox */
		store_put32(rec + 1, c.rights[i]);
		rc = store_put(w, DB_ACL, &c.keys[i], rec, sizeof(rec));
	}
	acl_keys_free(&c);
	return rc;
}

int
store_acl_anyone(MDB_txn *txn, struct store *st, uint64_t mbox_id, uint32_t *rights_r)
{
	return acl_entry(txn, st, mbox_id, STORE_ACL_ANYONE, rights_r);
}

bool
store_detail_split(const char *addr, char base[STORE_ADDR_MAX + 1],
    char detail[STORE_MBOX_NAME_MAX + 1])
{
	const char *at = strchr(addr, '@'), *plus = strchr(addr, '+');

	if (at == NULL || plus == NULL || plus > at || plus == addr || plus + 1 == at)
		return false;
	snprintf(base, STORE_ADDR_MAX + 1, "%.*s%s", (int)(plus - addr), addr, at);
	snprintf(detail, STORE_MBOX_NAME_MAX + 1, "%.*s", (int)(at - plus - 1), plus + 1);
	return true;
}
