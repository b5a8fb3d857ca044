/*
 * store_subscribe.c - a user's subscriptions: a set of mailbox names kept
 * apart from the mailboxes (RFC 3501 6.3.6, RFC 9051 6.3.7).
 *
 * The subscriptions database is keyed by user id + normalized name, like
 * the mailboxes, so a user's subscriptions list in the same name order;
 * the value is a version byte. A name is subscribed whether or not a
 * mailbox has it: CREATE, DELETE and RENAME never touch the set (as in
 * Dovecot), store_account.c subscribes a new user to the default folders
 * and removes the set with the user.
 *
 * Up to schema 3 a subscription was a flag in the mailbox record;
 * store_sub_upgrade turns those flags into names once, at the writer's
 * open.
 */
#include "store/store_int.h"

#include <string.h>

#define SUB_REC_VERSION 1

struct sub_req {
	char addr[STORE_ADDR_MAX + 1];
	char name[STORE_MBOX_NAME_MAX + 1];
	bool on;
};

/* sub_put - the subscription under key k (user id + name) */
static int
sub_put(struct store_wtxn *w, struct store_key *k)
{
	static const unsigned char rec[1] = { SUB_REC_VERSION };

	return store_put(w, DB_SUBSCRIPTIONS, k, rec, sizeof(rec));
}

int
store_sub_put(struct store_wtxn *w, uint64_t user_id, const char *name)
{
	struct store_key k;

	store_key_id_name(&k, user_id, name);
	return sub_put(w, &k);
}

/* sub_set_fn - one name in or out of the set */
static int
sub_set_fn(struct store_wtxn *w, void *arg)
{
	struct sub_req *a = arg;
	struct store_user_rec u;
	struct store_key k;
	int rc;

	if ((rc = store_user_load(w->txn, w->st, a->addr, &u)) != 0)
		return rc;
	if (a->on)
		return store_sub_put(w, u.id, a->name);
	store_key_id_name(&k, u.id, a->name);
	rc = store_del(w, DB_SUBSCRIPTIONS, &k);
	return rc == STORE_ENOTFOUND ? 0 : rc;
}

int
store_mailbox_subscribe(struct store *st, const char *address, const char *name, bool on)
{
	struct sub_req a = { .on = on };
	int rc;

	if (store_addr_normalize(address, a.addr) != 0)
		return STORE_EINVAL;
	if ((rc = store_mbox_name_normalize(name, a.name)) != 0)
		return rc;
	return store_writer_run(st, sub_set_fn, &a);
}

struct sub_list_ctx {
	int (*cb)(const char *, void *);
	void *arg;
};

/* sub_list_one - the name out of the key */
static int
sub_list_one(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct sub_list_ctx *c = arg;
	char name[STORE_MBOX_NAME_MAX + 1];
	size_t n = k->mv_size - 8;

	if (n == 0 || n > STORE_MBOX_NAME_MAX)
		return STORE_ECORRUPT;
	memcpy(name, (const char *)k->mv_data + 8, n);
	name[n] = '\0';
	return c->cb(name, c->arg);
}

int
store_subscription_list(struct store_rtxn *r, const char *address,
    int (*cb)(const char *, void *), void *arg)
{
	struct sub_list_ctx c = { cb, arg };

	return store_user_each(r, address, DB_SUBSCRIPTIONS, sub_list_one, &c);
}

struct sub_upgrade {
	struct store_wtxn *w;
	size_t n;
};

/* sub_upgrade_one - a mailbox record's old flag, as a subscription */
static int
sub_upgrade_one(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct sub_upgrade *u = arg;
	struct store_key sk;
	bool on;
	int rc;

	if ((rc = store_mbox_dec_subscribed_v1(v, &on)) != 0 || !on)
		return rc;
	if (k->mv_size <= 8 || k->mv_size > sizeof(sk.b))
		return STORE_ECORRUPT;
	memcpy(sk.b, k->mv_data, k->mv_size);	/* the same user id + name key */
	sk.len = k->mv_size;
	u->n++;
	return sub_put(u->w, &sk);
}

int
store_sub_upgrade(struct store_wtxn *w, size_t *n_r)
{
	struct sub_upgrade u = { w, 0 };
	int rc;

	rc = store_each(w->txn, w->st, DB_MAILBOXES, NULL, 0, NULL, sub_upgrade_one, &u);
	*n_r = u.n;
	return rc;
}
