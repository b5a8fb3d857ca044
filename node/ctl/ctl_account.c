/*
 * ctl_account.c - duplexctl's account commands: domains, users, aliases,
 * forwards and quotas. Every change is one durable store call.
 */
#include "ctl/ctl_int.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/passwd.h"
#include "store/store.h"
#include "util/json.h"

/* with_rtxn - run fn inside a read transaction */
static int
with_rtxn(struct ctl_ctx *ctx, int (*fn)(struct ctl_ctx *, struct store_rtxn *, void *), void *arg)
{
	struct store_rtxn *r;
	int rc;

	if ((rc = store_rtxn_begin(ctx->st, &r)) < 0)
		return ctl_store_fail(ctx, "read", rc);
	rc = fn(ctx, r, arg);
	store_rtxn_end(&r);
	return rc;
}

/* done - the common ending of a change: a message, or the store's reason */
static int
done(struct ctl_ctx *ctx, int rc, const char *what, const char *name)
{
	if (rc < 0) {
		char buf[STORE_ADDR_MAX + 64];

		snprintf(buf, sizeof(buf), "%s %s", what, name);
		return ctl_store_fail(ctx, buf, rc);
	}
	if (!ctx->json)
		fprintf(ctx->out, "%s: %s\n", name, what);
	else
		fprintf(ctx->out, "{\"ok\":true}\n");
	return CTL_EXIT_OK;
}

int
ctl_domain_add(struct ctl_ctx *ctx, int argc, char **argv)
{
	return done(ctx, store_domain_add(ctx->st, argv[0]), "domain added", argv[0]);
}

int
ctl_domain_del(struct ctl_ctx *ctx, int argc, char **argv)
{
	return done(ctx, store_domain_del(ctx->st, argv[0]), "domain deleted", argv[0]);
}

/* domain_set_policy - the quota policy of users who have none of their own */
static int
domain_set_policy(struct ctl_ctx *ctx, const char *domain, const char *name)
{
	int policy = store_quota_policy_parse(name);

	if (policy != STORE_QUOTA_REJECT && policy != STORE_QUOTA_PURGE_OLDEST)
		return ctl_usage_fail(ctx, "policy must be reject or purge-oldest");
	return done(ctx, store_domain_set_policy(ctx->st, domain, policy), "quota policy set", domain);
}

int
ctl_domain_set(struct ctl_ctx *ctx, int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--policy") == 0)
		return domain_set_policy(ctx, argv[0], argv[2]);
	if (argc != 3 || strcmp(argv[1], "--spam-header") != 0)
		return ctl_usage_fail(ctx, "usage: duplexctl domain set DOMAIN --spam-header 'NAME: VALUE'|'' "
		    "or --policy reject|purge-oldest");
	return done(ctx, store_domain_set_spam(ctx->st, argv[0], argv[2]),
	    argv[2][0] ? "spam header set" : "spam header cleared", argv[0]);
}

struct list_state {
	struct ctl_ctx *ctx;
	int n;
};

/* json_sep - the comma between JSON array items */
static void
json_sep(struct list_state *ls)
{
	if (ls->n++ > 0)
		fputc(',', ls->ctx->out);
}

static int
domain_row(const struct store_domain *d, void *arg)
{
	struct list_state *ls = arg;
	FILE *out = ls->ctx->out;
	char spam[STORE_SPAM_NAME_MAX + STORE_SPAM_VALUE_MAX + 3] = "";

	if (d->spam_name[0])
		snprintf(spam, sizeof(spam), "%s: %s", d->spam_name, d->spam_value);
	if (ls->ctx->json) {
		json_sep(ls);
		fputs("{\"domain\":", out);
		json_write_str(out, d->name);
		fprintf(out, ",\"users\":%u,\"quota_policy\":\"%s\",\"spam_header\":", d->users,
		    store_quota_policy_name(d->policy));
		json_write_str(out, spam);
		fputc('}', out);
	} else {
		fprintf(out, "%-40s %6u users  policy %s%s%s\n", d->name, d->users,
		    store_quota_policy_name(d->policy), spam[0] ? "  spam " : "", spam);
	}
	return 0;
}

static int
domain_list_r(struct ctl_ctx *ctx, struct store_rtxn *r, void *arg)
{
	struct list_state ls = { ctx, 0 };
	int rc;

	if (ctx->json)
		fputc('[', ctx->out);
	rc = store_domain_list(r, domain_row, &ls);
	if (ctx->json)
		fputs("]\n", ctx->out);
	return rc < 0 ? ctl_store_fail(ctx, "domain list", rc) : CTL_EXIT_OK;
}

int
ctl_domain_list(struct ctl_ctx *ctx, int argc, char **argv)
{
	return with_rtxn(ctx, domain_list_r, NULL);
}

/* read_password - one line from the caller's stdin, hashed */
static int
read_password(struct ctl_ctx *ctx, char hash[PASSWD_HASH_MAX])
{
	char pw[PASSWD_MAX + 2];
	int rc = 0;

	fflush(ctx->out);
	if (passwd_read(ctx->in_fd, pw, sizeof(pw)) < 0) {
		fprintf(ctx->err, "duplexctl: no password on standard input (one line, at most %d bytes)\n",
		    PASSWD_MAX);
		rc = CTL_EXIT_USAGE;
	} else if (passwd_hash(pw, hash) < 0) {
		fprintf(ctx->err, "duplexctl: cannot hash the password\n");
		rc = CTL_EXIT_SOFTWARE;
	}
	explicit_bzero(pw, sizeof(pw));
	return rc;
}

int
ctl_user_add(struct ctl_ctx *ctx, int argc, char **argv)
{
	char hash[PASSWD_HASH_MAX] = PASSWD_DISABLED;
	uint64_t quota = 0, messages = 0;
	bool have_pw = false;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--password-stdin") == 0)
			have_pw = true;
		else if (strcmp(argv[i], "--quota") == 0 && i + 1 < argc) {
			if ((rc = ctl_parse_size(ctx, argv[++i], &quota)) != 0)
				return rc;
		} else if (strcmp(argv[i], "--messages") == 0 && i + 1 < argc) {
			if ((rc = ctl_parse_size(ctx, argv[++i], &messages)) != 0)
				return rc;
		} else
			return ctl_usage_fail(ctx, "user add: unexpected '%s'", argv[i]);
	}
	if (have_pw && (rc = read_password(ctx, hash)) != 0)
		return rc;
	rc = store_user_add(ctx->st, argv[0], hash, quota, messages);
	explicit_bzero(hash, sizeof(hash));
	if (rc == 0 && !have_pw && !ctx->json)
		fprintf(ctx->out, "%s: no password set; login disabled until 'user passwd'\n", argv[0]);
	return done(ctx, rc, "user added", argv[0]);
}

int
ctl_user_del(struct ctl_ctx *ctx, int argc, char **argv)
{
	return done(ctx, store_user_del(ctx->st, argv[0]), "user deleted", argv[0]);
}

int
ctl_user_passwd(struct ctl_ctx *ctx, int argc, char **argv)
{
	char hash[PASSWD_HASH_MAX];
	int rc;

	if (argc < 2 || strcmp(argv[1], "--password-stdin") != 0)
		return ctl_usage_fail(ctx, "usage: duplexctl user passwd ADDRESS --password-stdin");
	if ((rc = read_password(ctx, hash)) != 0)
		return rc;
	rc = store_user_set_password(ctx->st, argv[0], hash);
	explicit_bzero(hash, sizeof(hash));
	return done(ctx, rc, "password changed", argv[0]);
}

/* limit_text - a quota figure, or "unlimited" */
static const char *
limit_text(uint64_t v, char *buf, size_t n)
{
	if (v == 0)
		return "unlimited";
	snprintf(buf, n, "%" PRIu64, v);
	return buf;
}

/* user_print - one user, as a line or a JSON object; long adds details */
static void
user_print(struct ctl_ctx *ctx, const struct store_user *u, bool long_form)
{
	FILE *out = ctx->out;
	char b1[32], b2[32];

	if (ctx->json) {
		fputs("{\"address\":", out);
		json_write_str(out, u->address);
		fprintf(out,
		    ",\"quota_bytes\":%" PRIu64 ",\"quota_messages\":%" PRIu64
		    ",\"used_bytes\":%" PRIu64 ",\"used_messages\":%" PRIu64
		    ",\"policy\":\"%s\",\"effective_policy\":\"%s\",\"created\":%" PRId64 "}",
		    u->quota_bytes, u->quota_messages, u->used_bytes, u->used_messages,
		    store_quota_policy_name(u->policy), store_quota_policy_name(u->effective_policy),
		    u->created);
		return;
	}
	if (!long_form) {
		fprintf(out, "%-40s %12" PRIu64 " bytes %8" PRIu64 " messages\n", u->address,
		    u->used_bytes, u->used_messages);
		return;
	}
	fprintf(out, "address:        %s\n", u->address);
	fprintf(out, "used:           %" PRIu64 " bytes, %" PRIu64 " messages\n", u->used_bytes,
	    u->used_messages);
	fprintf(out, "quota:          %s bytes, %s messages\n",
	    limit_text(u->quota_bytes, b1, sizeof(b1)), limit_text(u->quota_messages, b2, sizeof(b2)));
	fprintf(out, "quota policy:   %s (effective: %s)\n", store_quota_policy_name(u->policy),
	    store_quota_policy_name(u->effective_policy));
	fprintf(out, "created:        %s", ctime(&(time_t){ (time_t)u->created }));
}

static int
user_row(const struct store_user *u, void *arg)
{
	struct list_state *ls = arg;

	if (ls->ctx->json)
		json_sep(ls);
	user_print(ls->ctx, u, false);
	return 0;
}

static int
user_list_r(struct ctl_ctx *ctx, struct store_rtxn *r, void *arg)
{
	struct list_state ls = { ctx, 0 };
	int rc;

	if (ctx->json)
		fputc('[', ctx->out);
	rc = store_user_list(r, arg, user_row, &ls);
	if (ctx->json)
		fputs("]\n", ctx->out);
	return rc < 0 ? ctl_store_fail(ctx, "user list", rc) : CTL_EXIT_OK;
}

int
ctl_user_list(struct ctl_ctx *ctx, int argc, char **argv)
{
	return with_rtxn(ctx, user_list_r, argc > 0 ? argv[0] : NULL);
}

static int
user_show_r(struct ctl_ctx *ctx, struct store_rtxn *r, void *arg)
{
	struct store_user u;
	int rc;

	if ((rc = store_user_get(r, arg, &u)) < 0)
		return ctl_store_fail(ctx, arg, rc);
	user_print(ctx, &u, true);
	if (ctx->json)
		fputc('\n', ctx->out);
	return CTL_EXIT_OK;
}

int
ctl_user_show(struct ctl_ctx *ctx, int argc, char **argv)
{
	return with_rtxn(ctx, user_show_r, argv[0]);
}

int
ctl_quota_show(struct ctl_ctx *ctx, int argc, char **argv)
{
	return with_rtxn(ctx, user_show_r, argv[0]);
}

int
ctl_quota_set(struct ctl_ctx *ctx, int argc, char **argv)
{
	uint64_t bytes, messages = 0;
	int policy = STORE_QUOTA_INHERIT, rc;

	if ((rc = ctl_parse_size(ctx, argv[1], &bytes)) != 0)
		return rc;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--messages") == 0 && i + 1 < argc) {
			if ((rc = ctl_parse_size(ctx, argv[++i], &messages)) != 0)
				return rc;
		} else if (strcmp(argv[i], "--policy") == 0 && i + 1 < argc) {
			if ((policy = store_quota_policy_parse(argv[++i])) < 0)
				return ctl_usage_fail(ctx, "policy must be reject, purge-oldest or inherit");
		} else
			return ctl_usage_fail(ctx, "quota set: unexpected '%s'", argv[i]);
	}
	return done(ctx, store_user_set_quota(ctx->st, argv[0], bytes, messages, policy), "quota set",
	    argv[0]);
}

int
ctl_alias_add(struct ctl_ctx *ctx, int argc, char **argv)
{
	return done(ctx, store_alias_add(ctx->st, argv[0], (const char *const *)argv + 1,
	    (size_t)argc - 1), "alias added", argv[0]);
}

int
ctl_alias_del(struct ctl_ctx *ctx, int argc, char **argv)
{
	return done(ctx, store_alias_del(ctx->st, argv[0]), "alias deleted", argv[0]);
}

/* targets_print - an alias or forward's targets, space- or JSON-separated */
static void
targets_print(struct ctl_ctx *ctx, const char *const *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (ctx->json) {
			if (i)
				fputc(',', ctx->out);
			json_write_str(ctx->out, t[i]);
		} else
			fprintf(ctx->out, " %s", t[i]);
	}
}

static int
alias_row(const char *address, const char *const *targets, size_t n, void *arg)
{
	struct list_state *ls = arg;
	FILE *out = ls->ctx->out;

	if (ls->ctx->json) {
		json_sep(ls);
		fputs("{\"alias\":", out);
		json_write_str(out, address);
		fputs(",\"targets\":[", out);
		targets_print(ls->ctx, targets, n);
		fputs("]}", out);
	} else {
		fprintf(out, "%s ->", address);
		targets_print(ls->ctx, targets, n);
		fputc('\n', out);
	}
	return 0;
}

static int
alias_list_r(struct ctl_ctx *ctx, struct store_rtxn *r, void *arg)
{
	struct list_state ls = { ctx, 0 };
	int rc;

	if (ctx->json)
		fputc('[', ctx->out);
	rc = store_alias_list(r, alias_row, &ls);
	if (ctx->json)
		fputs("]\n", ctx->out);
	return rc < 0 ? ctl_store_fail(ctx, "alias list", rc) : CTL_EXIT_OK;
}

int
ctl_alias_list(struct ctl_ctx *ctx, int argc, char **argv)
{
	return with_rtxn(ctx, alias_list_r, NULL);
}

int
ctl_forward_set(struct ctl_ctx *ctx, int argc, char **argv)
{
	bool keep = false;
	int n = argc - 1;

	if (strcmp(argv[argc - 1], "--keep") == 0) {
		keep = true;
		n--;
	}
	if (n < 1)
		return ctl_usage_fail(ctx, "forward set needs at least one target");
	return done(ctx, store_forward_set(ctx->st, argv[0], (const char *const *)argv + 1,
	    (size_t)n, keep), keep ? "forward set, keeping a copy" : "forward set", argv[0]);
}

int
ctl_forward_clear(struct ctl_ctx *ctx, int argc, char **argv)
{
	return done(ctx, store_forward_clear(ctx->st, argv[0]), "forward cleared", argv[0]);
}
