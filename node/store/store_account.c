/*
 * store_account.c - domains and users.
 *
 * Each domain is its own namespace: users are keyed by their full
 * lower-cased address, so tomo@sample.com and tomo@test.org never meet.
 * A user record holds the id, quota limits, policy and password hash;
 * usage lives in the usage database (store_quota.c) and user_by_id maps
 * ids back to addresses. A domain record counts its users so that a domain
 * with users cannot be deleted. A domain may name a spam header, which
 * store_deliver uses to file its users' mail into Junk.
 *
 * Hazard: the password hash is stored, never logged.
 */
#include "store/store_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/buf.h"
#include "util/log.h"
#include "util/xalloc.h"

#define LOCAL_MAX 64
#define DOMAIN_MAX 253
#define LABEL_MAX 63

/* the arguments of every account request */
struct acct_req {
	char addr[STORE_ADDR_MAX + 1];
	const char *hash;
	uint64_t bytes, messages;
	enum store_quota_policy policy;
	char spam_name[STORE_SPAM_NAME_MAX + 1];
	char spam_value[STORE_SPAM_VALUE_MAX + 1];
};

static const struct {
	const char *name;
	unsigned special_use;
} default_folders[] = {
	{ "INBOX", 0 }, { "Sent", STORE_SU_SENT }, { "Drafts", STORE_SU_DRAFTS },
	{ "Trash", STORE_SU_TRASH }, { "Junk", STORE_SU_JUNK }, { "Archive", STORE_SU_ARCHIVE },
};

const char *
store_quota_policy_name(enum store_quota_policy p)
{
	switch (p) {
	case STORE_QUOTA_INHERIT: return "inherit";
	case STORE_QUOTA_REJECT: return "reject";
	case STORE_QUOTA_PURGE_OLDEST: return "purge-oldest";
	}
	return "unknown";
}

int
store_quota_policy_parse(const char *s)
{
	for (int p = STORE_QUOTA_INHERIT; p <= STORE_QUOTA_PURGE_OLDEST; p++)
		if (strcmp(s, store_quota_policy_name(p)) == 0)
			return p;
	return -1;
}

/* domain_label_ok - letters, digits and inner hyphens, 1..63 bytes */
static bool
domain_label_ok(const char *s, size_t n)
{
	if (n == 0 || n > LABEL_MAX || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return false;
	return true;
}

/* store_domain_normalize - a DNS name, lower-cased, so lookups are exact */
int
store_domain_normalize(const char *in, char out[STORE_ADDR_MAX + 1])
{
	size_t n = strlen(in), start = 0;

	if (n == 0 || n > DOMAIN_MAX)
		return STORE_EINVAL;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && in[i] != '.')
			continue;
		if (!domain_label_ok(in + start, i - start))
			return STORE_EINVAL;
		start = i + 1;
	}
	for (size_t i = 0; i <= n; i++)
		out[i] = (char)tolower((unsigned char)in[i]);
	return 0;
}

/* local_ok - RFC 5322 dot-atom text; quoted local parts are refused */
static bool
local_ok(const char *s, size_t n)
{
	static const char special[] = "!#$%&'*+-/=?^_`{|}~";

	if (n == 0 || n > LOCAL_MAX || s[0] == '.' || s[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.' && s[i + 1] == '.')
			return false;
		if (!isalnum(c) && c != '.' && (c == 0 || strchr(special, c) == NULL))
			return false;
	}
	return true;
}

int
store_addr_normalize(const char *in, char out[STORE_ADDR_MAX + 1])
{
	const char *at = in ? strchr(in, '@') : NULL;
	size_t n;

	if (at == NULL || strchr(at + 1, '@') != NULL || (n = strlen(in)) > STORE_ADDR_MAX)
		return STORE_EINVAL;
	if (!local_ok(in, (size_t)(at - in)) || store_domain_normalize(at + 1, out) != 0)
		return STORE_EINVAL;
	for (size_t i = 0; i <= n; i++)
		out[i] = (char)tolower((unsigned char)in[i]);
	return 0;
}

const char *
store_addr_domain(const char *addr)
{
	const char *at = strchr(addr, '@');

	return at ? at + 1 : addr;
}

/* store_domain_load - the domain record of a normalized name */
int
store_domain_load(MDB_txn *txn, struct store *st, const char *name, struct store_domain *d)
{
	struct store_key k;
	MDB_val v;
	int rc;

	memset(d, 0, sizeof(*d));
	store_key_str(&k, name);
	if ((rc = store_get(txn, st, DB_DOMAINS, &k, &v)) != 0)
		return rc;
	snprintf(d->name, sizeof(d->name), "%s", name);
	return store_domain_dec(&v, d);
}

static int
domain_save(struct store_wtxn *w, const struct store_domain *d)
{
	struct store_key k;
	struct buf b = BUF_INIT;
	int rc;

	store_key_str(&k, d->name);
	store_domain_enc(d, &b);
	rc = store_put(w, DB_DOMAINS, &k, b.data, b.len);
	buf_free(&b);
	return rc;
}

int
store_domain_exists(MDB_txn *txn, struct store *st, const char *domain)
{
	struct store_domain d;

	return store_domain_load(txn, st, domain, &d);
}

/* store_addr_available - users and aliases share one namespace; both adds check it here */
int
store_addr_available(MDB_txn *txn, struct store *st, const char *addr)
{
	struct store_key k;
	MDB_val v;
	int rc;

	if ((rc = store_domain_exists(txn, st, store_addr_domain(addr))) != 0)
		return rc;
	store_key_str(&k, addr);
	if (store_get(txn, st, DB_ALIASES, &k, &v) == 0 || store_get(txn, st, DB_USERS, &k, &v) == 0)
		return STORE_EEXISTS;
	return 0;
}

/* domain_count_users - keep the domain's user count with every add and delete */
static int
domain_count_users(struct store_wtxn *w, const char *addr, int delta)
{
	struct store_domain d;
	int rc;

	if ((rc = store_domain_load(w->txn, w->st, store_addr_domain(addr), &d)) != 0)
		return rc;
	d.users = (unsigned)((int)d.users + delta);
	return domain_save(w, &d);
}

static int
domain_add_fn(struct store_wtxn *w, void *arg)
{
	struct acct_req *a = arg;
	struct store_domain d = { .policy = STORE_QUOTA_INHERIT };

	if (store_domain_exists(w->txn, w->st, a->addr) == 0)
		return STORE_EEXISTS;
	snprintf(d.name, sizeof(d.name), "%s", a->addr);
	return domain_save(w, &d);
}

static int
domain_del_fn(struct store_wtxn *w, void *arg)
{
	struct acct_req *a = arg;
	struct store_domain d;
	struct store_key k;
	int rc;

	if ((rc = store_domain_load(w->txn, w->st, a->addr, &d)) != 0)
		return rc;
	if (d.users > 0)
		return STORE_ENOTEMPTY;
	if ((rc = store_sieve_domain_forget(w, a->addr)) != 0)
		return rc;
	store_key_str(&k, a->addr);
	return store_del(w, DB_DOMAINS, &k);
}

static int
domain_policy_fn(struct store_wtxn *w, void *arg)
{
	struct acct_req *a = arg;
	struct store_domain d;
	int rc;

	if ((rc = store_domain_load(w->txn, w->st, a->addr, &d)) != 0)
		return rc;
	d.policy = a->policy;
	return domain_save(w, &d);
}

static int
domain_spam_fn(struct store_wtxn *w, void *arg)
{
	struct acct_req *a = arg;
	struct store_domain d;
	int rc;

	if ((rc = store_domain_load(w->txn, w->st, a->addr, &d)) != 0)
		return rc;
	memcpy(d.spam_name, a->spam_name, sizeof(d.spam_name));
	memcpy(d.spam_value, a->spam_value, sizeof(d.spam_value));
	return domain_save(w, &d);
}

/* domain_run - normalize the domain name, then run fn with a in the writer */
static int
domain_run(struct store *st, const char *domain, struct acct_req *a, store_req_fn fn)
{
	if (store_domain_normalize(domain, a->addr) != 0)
		return STORE_EINVAL;
	return store_writer_run(st, fn, a);
}

int
store_domain_add(struct store *st, const char *domain)
{
	return domain_run(st, domain, &(struct acct_req){ .policy = STORE_QUOTA_INHERIT },
	    domain_add_fn);
}

int
store_domain_del(struct store *st, const char *domain)
{
	return domain_run(st, domain, &(struct acct_req){ .hash = NULL }, domain_del_fn);
}

int
store_domain_set_policy(struct store *st, const char *domain, enum store_quota_policy p)
{
	if (p > STORE_QUOTA_PURGE_OLDEST)
		return STORE_EINVAL;
	return domain_run(st, domain, &(struct acct_req){ .policy = p }, domain_policy_fn);
}

/* spam_trim - s without leading and trailing blanks, into out; false if it does not fit */
static bool
spam_trim(const char *s, size_t n, char *out, size_t size)
{
	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= size)
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

/* spam_parse - "Name: value" into a field name (RFC 5322 ftext) and a printable ASCII value */
static int
spam_parse(const char *header, struct acct_req *a)
{
	const char *colon = strchr(header, ':');

	if (*header == '\0')
		return 0;	/* off: both parts stay empty */
	if (colon == NULL ||
	    !spam_trim(header, (size_t)(colon - header), a->spam_name, sizeof(a->spam_name)) ||
	    !spam_trim(colon + 1, strlen(colon + 1), a->spam_value, sizeof(a->spam_value)) ||
	    a->spam_name[0] == '\0' || a->spam_value[0] == '\0')
		return STORE_EINVAL;
	for (const char *p = a->spam_name; *p; p++)
		if (*p < 33 || *p > 126)
			return STORE_EINVAL;
	for (const char *p = a->spam_value; *p; p++)
		if ((*p < 32 && *p != '\t') || *p == 127)
			return STORE_EINVAL;
	return 0;
}

int
store_domain_set_spam(struct store *st, const char *domain, const char *header)
{
	struct acct_req a = { .hash = NULL };
	int rc;

	if (header == NULL || spam_parse(header, &a) != 0)
		return STORE_EINVAL;
	if ((rc = domain_run(st, domain, &a, domain_spam_fn)) == 0)
		log_info("-", "domain %s: spam filing %s%s%s", a.addr,
		    a.spam_name[0] ? a.spam_name : "off", a.spam_name[0] ? ": " : "", a.spam_value);
	return rc;
}

int
store_domain_get(struct store_rtxn *r, const char *domain, struct store_domain *d_r)
{
	char name[STORE_ADDR_MAX + 1];

	if (store_domain_normalize(domain, name) != 0)
		return STORE_EINVAL;
	return store_domain_load(r->txn, r->st, name, d_r);
}

/* the caller's callback, for the walks below */
struct list_ctx {
	struct store_rtxn *r;
	const char *domain;
	int (*dcb)(const struct store_domain *, void *);
	int (*ucb)(const struct store_user *, void *);
	void *arg;
};

static int
domain_list_one(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct list_ctx *c = arg;
	struct store_domain d = { .name = "" };

	if (store_domain_dec(v, &d) != 0)
		return STORE_ECORRUPT;
	snprintf(d.name, sizeof(d.name), "%.*s", (int)k->mv_size, (const char *)k->mv_data);
	return c->dcb(&d, c->arg);
}

int
store_domain_list(struct store_rtxn *r, int (*cb)(const struct store_domain *, void *), void *arg)
{
	struct list_ctx c = { .r = r, .dcb = cb, .arg = arg };

	return store_each(r->txn, r->st, DB_DOMAINS, NULL, 0, NULL, domain_list_one, &c);
}

/* ---- users ---- */

int
store_user_load(MDB_txn *txn, struct store *st, const char *addr, struct store_user_rec *u)
{
	struct store_key k;
	MDB_val v;
	int rc;

	store_key_str(&k, addr);
	if ((rc = store_get(txn, st, DB_USERS, &k, &v)) != 0)
		return rc;
	return store_user_dec(&v, u);
}

int
store_user_each(struct store_rtxn *r, const char *address, enum store_db db, store_each_fn fn,
    void *arg)
{
	char addr[STORE_ADDR_MAX + 1];
	struct store_user_rec u;
	unsigned char prefix[8];
	int rc;

	if (store_addr_normalize(address, addr) != 0)
		return STORE_EINVAL;
	if ((rc = store_user_load(r->txn, r->st, addr, &u)) != 0)
		return rc;
	store_put64(prefix, u.id);
	return store_each(r->txn, r->st, db, prefix, 8, NULL, fn, arg);
}

int
store_user_address(MDB_txn *txn, struct store *st, uint64_t user_id, char out[STORE_ADDR_MAX + 1])
{
	struct store_key k;
	MDB_val v;
	int rc;

	store_key_id(&k, user_id);
	if ((rc = store_get(txn, st, DB_USER_BY_ID, &k, &v)) != 0)
		return rc;
	if (v.mv_size > STORE_ADDR_MAX)
		return STORE_ECORRUPT;
	memcpy(out, v.mv_data, v.mv_size);
	out[v.mv_size] = '\0';
	return 0;
}

/* store_user_effective_policy - the user's own, else the domain's, else reject */
enum store_quota_policy
store_user_effective_policy(MDB_txn *txn, struct store *st, const char *addr,
    enum store_quota_policy own)
{
	struct store_domain d;

	if (own != STORE_QUOTA_INHERIT)
		return own;
	if (store_domain_load(txn, st, store_addr_domain(addr), &d) == 0 && d.policy != STORE_QUOTA_INHERIT)
		return d.policy;
	return STORE_QUOTA_REJECT;
}

static int
user_save(struct store_wtxn *w, const char *addr, const struct store_user_rec *u)
{
	struct store_key k;
	struct buf b = BUF_INIT;
	int rc;

	store_key_str(&k, addr);
	store_user_enc(u, &b);
	rc = store_put(w, DB_USERS, &k, b.data, b.len);
	buf_free(&b);
	return rc;
}

/* user_add_records - the user, its id mapping, zero usage, and the domain's count */
static int
user_add_records(struct store_wtxn *w, const char *addr, const struct store_user_rec *u)
{
	struct store_usage_rec zero = { 0 };
	struct store_key k;
	int rc;

	if ((rc = user_save(w, addr, u)) != 0)
		return rc;
	store_key_id(&k, u->id);
	if ((rc = store_put(w, DB_USER_BY_ID, &k, addr, strlen(addr))) != 0 ||
	    (rc = store_usage_save(w, u->id, &zero)) != 0)
		return rc;
	return domain_count_users(w, addr, 1);
}

static int
user_add_fn(struct store_wtxn *w, void *arg)
{
	struct acct_req *a = arg;
	struct store_user_rec u = {
		.quota_bytes = a->bytes, .quota_messages = a->messages,
		.policy = STORE_QUOTA_INHERIT, .created = time(NULL), .hash = a->hash,
	};
	int rc;

	if ((rc = store_addr_available(w->txn, w->st, a->addr)) != 0 ||
	    (rc = store_counter_next(w, "next_user", &u.id)) != 0 ||
	    (rc = user_add_records(w, a->addr, &u)) != 0)
		return rc;
	for (size_t i = 0; i < sizeof(default_folders) / sizeof(default_folders[0]); i++)
		if ((rc = store_mbox_create_in(w, u.id, default_folders[i].name,
		    default_folders[i].special_use)) != 0 ||
		    (rc = store_sub_put(w, u.id, default_folders[i].name)) != 0)
			return rc;
	return 0;
}

/* user_first_mbox - the name of some mailbox of a user, to remove them one by one */
static int
user_first_mbox(const MDB_val *k, const MDB_val *v, void *arg)
{
	char *name = arg;
	size_t n = k->mv_size - 8;

	memcpy(name, (const char *)k->mv_data + 8, n);
	name[n] = '\0';
	return 1;
}

/* user_del_mailboxes - every mailbox, messages and all; bodies are unref'd */
static int
user_del_mailboxes(struct store_wtxn *w, uint64_t user_id)
{
	char name[STORE_MBOX_NAME_MAX + 1];
	unsigned char prefix[8];
	struct store_mbox mb;
	int rc;

	store_put64(prefix, user_id);
	while ((rc = store_each(w->txn, w->st, DB_MAILBOXES, prefix, 8, NULL, user_first_mbox,
	    name)) == 1) {
		if ((rc = store_mbox_load(w->txn, w->st, user_id, name, &mb)) != 0 ||
		    (rc = store_mbox_remove(w, &mb)) != 0)
			return rc;
	}
	return rc;
}

static int
user_del_fn(struct store_wtxn *w, void *arg)
{
	struct acct_req *a = arg;
	struct store_user_rec u;
	struct store_key k;
	int rc;

	if ((rc = store_user_load(w->txn, w->st, a->addr, &u)) != 0)
		return rc;
	if ((rc = user_del_mailboxes(w, u.id)) != 0 ||
	    (rc = store_del_prefix(w, DB_SUBSCRIPTIONS, u.id)) != 0 ||
	    (rc = store_del_prefix(w, DB_METADATA, u.id)) != 0 ||
	    (rc = store_del_prefix(w, DB_SIEVE, u.id)) != 0 ||
	    (rc = store_del_prefix(w, DB_SIEVE_SEEN, u.id)) != 0 ||
	    (rc = store_acl_forget(w, a->addr)) != 0)
		return rc;
	store_key_str(&k, a->addr);
	if ((rc = store_del(w, DB_FORWARDS, &k)) != 0 && rc != STORE_ENOTFOUND)
		return rc;
	if ((rc = store_del(w, DB_USERS, &k)) != 0)
		return rc;
	store_key_id(&k, u.id);
	if ((rc = store_del(w, DB_USAGE, &k)) != 0 || (rc = store_del(w, DB_USER_BY_ID, &k)) != 0)
		return rc;
	store_hook_note(w->st, "-", "user %s deleted", a->addr);
	return domain_count_users(w, a->addr, -1);
}

static int
user_password_fn(struct store_wtxn *w, void *arg)
{
	struct acct_req *a = arg;
	struct store_user_rec u;
	int rc;

	if ((rc = store_user_load(w->txn, w->st, a->addr, &u)) != 0)
		return rc;
	u.hash = a->hash;
	return user_save(w, a->addr, &u);
}

static int
user_quota_fn(struct store_wtxn *w, void *arg)
{
	struct acct_req *a = arg;
	struct store_user_rec u;
	int rc;

	if ((rc = store_user_load(w->txn, w->st, a->addr, &u)) != 0)
		return rc;
	u.quota_bytes = a->bytes;
	u.quota_messages = a->messages;
	u.policy = a->policy;
	if ((rc = user_save(w, a->addr, &u)) != 0)
		return rc;
	return store_usage_add(w, u.id, 0, 0);	/* a raised limit may clear the warning */
}

/* user_run - normalize the address, then run fn with a in the writer */
static int
user_run(struct store *st, const char *address, struct acct_req *a, store_req_fn fn)
{
	if (store_addr_normalize(address, a->addr) != 0)
		return STORE_EINVAL;
	return store_writer_run(st, fn, a);
}

int
store_user_add(struct store *st, const char *address, const char *password_hash,
    uint64_t quota_bytes, uint64_t quota_messages)
{
	struct acct_req a = { .hash = password_hash ? password_hash : "", .bytes = quota_bytes,
	    .messages = quota_messages };
	int rc = user_run(st, address, &a, user_add_fn);

	if (rc == 0)
		log_info("-", "user %s added", a.addr);
	return rc;
}

int
store_user_del(struct store *st, const char *address)
{
	struct acct_req a = { .hash = NULL };

	return user_run(st, address, &a, user_del_fn);
}

int
store_user_set_password(struct store *st, const char *address, const char *password_hash)
{
	struct acct_req a = { .hash = password_hash };

	if (password_hash == NULL)
		return STORE_EINVAL;
	return user_run(st, address, &a, user_password_fn);
}

int
store_user_set_quota(struct store *st, const char *address, uint64_t bytes, uint64_t messages,
    enum store_quota_policy policy)
{
	struct acct_req a = { .bytes = bytes, .messages = messages, .policy = policy };

	if (policy > STORE_QUOTA_PURGE_OLDEST)
		return STORE_EINVAL;
	return user_run(st, address, &a, user_quota_fn);
}

/* user_fill - the public view: record, usage and effective policy */
static int
user_fill(MDB_txn *txn, struct store *st, const char *addr, const struct store_user_rec *u,
    struct store_user *out)
{
	struct store_usage_rec use;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = store_usage_load(txn, st, u->id, &use)) != 0)
		return rc;
	snprintf(out->address, sizeof(out->address), "%s", addr);
	out->id = u->id;
	out->quota_bytes = u->quota_bytes;
	out->quota_messages = u->quota_messages;
	out->policy = u->policy;
	out->effective_policy = store_user_effective_policy(txn, st, addr, u->policy);
	out->used_bytes = use.bytes;
	out->used_messages = use.messages;
	out->created = u->created;
	out->quota_warned = use.warned;
	return 0;
}

int
store_user_get(struct store_rtxn *r, const char *address, struct store_user *u_r)
{
	char addr[STORE_ADDR_MAX + 1];
	struct store_user_rec u;
	int rc;

	if (store_addr_normalize(address, addr) != 0)
		return STORE_EINVAL;
	if ((rc = store_user_load(r->txn, r->st, addr, &u)) != 0)
		return rc;
	return user_fill(r->txn, r->st, addr, &u, u_r);
}

int
store_user_password_hash(struct store_rtxn *r, const char *address, const char **hash_r)
{
	char addr[STORE_ADDR_MAX + 1];
	struct store_user_rec u;
	int rc;

	if (store_addr_normalize(address, addr) != 0)
		return STORE_EINVAL;
	if ((rc = store_user_load(r->txn, r->st, addr, &u)) != 0)
		return rc;
	*hash_r = u.hash;
	return 0;
}

static int
user_list_one(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct list_ctx *c = arg;
	char addr[STORE_ADDR_MAX + 1];
	struct store_user_rec u;
	struct store_user pub;
	int rc;

	if (k->mv_size > STORE_ADDR_MAX || store_user_dec(v, &u) != 0)
		return STORE_ECORRUPT;
	memcpy(addr, k->mv_data, k->mv_size);
	addr[k->mv_size] = '\0';
	if (c->domain != NULL && strcmp(store_addr_domain(addr), c->domain) != 0)
		return 0;
	if ((rc = user_fill(c->r->txn, c->r->st, addr, &u, &pub)) != 0)
		return rc;
	return c->ucb(&pub, c->arg);
}

int
store_user_list(struct store_rtxn *r, const char *domain,
    int (*cb)(const struct store_user *, void *), void *arg)
{
	char name[STORE_ADDR_MAX + 1];
	struct list_ctx c = { .r = r, .ucb = cb, .arg = arg };

	if (domain != NULL) {
		if (store_domain_normalize(domain, name) != 0)
			return STORE_EINVAL;
		c.domain = name;
	}
	return store_each(r->txn, r->st, DB_USERS, NULL, 0, NULL, user_list_one, &c);
}
