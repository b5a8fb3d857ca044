/*
 * test_store_fixture.h - the shared fixture of the store tests: a fresh
 * store in its own temporary directory with two domains and one user,
 * verified clean and removed at teardown. Included by test_store_*.c only.
 */
#ifndef TEST_STORE_FIXTURE_H
#define TEST_STORE_FIXTURE_H

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/store.h"
#include "util/log.h"

#define FX_FN static __attribute__((unused))

struct fx {
	char dir[64];
	struct store *st;
	struct store_opts opts;
};

/* fx_rmdir - remove the flat test directory */
FX_FN void
fx_rmdir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

FX_FN struct store_opts
fx_opts(void)
{
	return (struct store_opts){ .map_size = 64ULL << 20, .max_message_size = 1 << 20,
	    .quota_warn_percent = 90, .quota_purge_folders = "Trash,Junk,INBOX",
	    .commit_batch_max = 256 };
}

FX_FN void
fx_open(struct fx *f)
{
	char err[256] = "";
	int rc = store_open(f->dir, &f->opts, &f->st, err, sizeof(err));

	if (rc != 0)
		fail_msg("store_open %s: got %d (%s), want 0", f->dir, rc, err);
}

/* fx_setup_bare - an empty store in a new temporary dir */
FX_FN int
fx_setup_bare(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	log_set_level(LOG_LEVEL_WARN);
	snprintf(f->dir, sizeof(f->dir), "/tmp/duplex-store-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->opts = fx_opts();
	fx_open(f);
	*state = f;
	return 0;
}

/* fx_setup - domains sample.com and test.org, user tomo@sample.com */
FX_FN int
fx_setup(void **state)
{
	struct fx *f;

	fx_setup_bare(state);
	f = *state;
	assert_int_equal(store_domain_add(f->st, "sample.com"), 0);
	assert_int_equal(store_domain_add(f->st, "test.org"), 0);
	assert_int_equal(store_user_add(f->st, "tomo@sample.com", "$6$x$y", 0, 0), 0);
	return 0;
}

/* fx_teardown - every test must leave a store that verifies clean */
FX_FN int
fx_teardown(void **state)
{
	struct fx *f = *state;
	int problems = 0;

	if (f->st != NULL) {
		problems = store_verify(f->st, stderr);
		store_close(&f->st);
	}
	fx_rmdir(f->dir);
	free(f);
	if (problems != 0)
		fail_msg("store_verify at teardown: got %d problems, want 0", problems);
	return 0;
}

/* fx_mailbox - a mailbox's state, failing the test if it is missing */
FX_FN struct store_mailbox
fx_mailbox(struct fx *f, const char *addr, const char *name)
{
	struct store_rtxn *r;
	struct store_mailbox mb;
	int rc;

	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	rc = store_mailbox_get(r, addr, name, &mb);
	store_rtxn_end(&r);
	if (rc != 0)
		fail_msg("mailbox %s of %s: got %d, want 0", name, addr, rc);
	return mb;
}

/* fx_domain - a domain's settings */
FX_FN struct store_domain
fx_domain(struct fx *f, const char *name)
{
	struct store_rtxn *r;
	struct store_domain d;
	int rc;

	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	rc = store_domain_get(r, name, &d);
	store_rtxn_end(&r);
	if (rc != 0)
		fail_msg("domain %s: got %d, want 0", name, rc);
	return d;
}

/* fx_user - a user's state */
FX_FN struct store_user
fx_user(struct fx *f, const char *addr)
{
	struct store_rtxn *r;
	struct store_user u;
	int rc;

	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	rc = store_user_get(r, addr, &u);
	store_rtxn_end(&r);
	if (rc != 0)
		fail_msg("user %s: got %d, want 0", addr, rc);
	return u;
}

#define FX_MSG_MAX 64

/* the messages of one mailbox, as a list callback collects them */
struct fx_msgs {
	size_t n;
	struct store_msg m[FX_MSG_MAX];
};

FX_FN int
fx_msgs_one(const struct store_msg *m, void *arg)
{
	struct fx_msgs *l = arg;

	if (l->n < FX_MSG_MAX) {
		l->m[l->n] = *m;
		l->m[l->n].keywords = NULL;	/* dies with the rtxn */
		l->n++;
	}
	return 0;
}

FX_FN struct fx_msgs
fx_msgs(struct fx *f, uint64_t mbox_id)
{
	struct fx_msgs l = { 0 };
	struct store_rtxn *r;

	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_msg_list(r, mbox_id, 1, fx_msgs_one, &l), 0);
	store_rtxn_end(&r);
	return l;
}

/* fx_text - a small message of about size bytes with a subject */
FX_FN char *
fx_text(const char *subject, size_t size)
{
	size_t hdr = strlen(subject) + 64;
	char *m = malloc(size + hdr + 1);
	int n = snprintf(m, hdr, "From: a@b.example\nSubject: %s\n\n", subject);

	memset(m + n, 'x', size);
	for (size_t i = 70; i < size; i += 72)
		m[n + i] = '\n';
	m[n + size] = '\0';
	return m;
}

/* fx_deliver1 - one message to one recipient; the recipient's result */
FX_FN int
fx_deliver1(struct fx *f, const char *rcpt, const char *mailbox, const char *msg)
{
	struct store_rcpt_result res;
	const char *rcpts[] = { rcpt };
	int rc = store_deliver(f->st, "T1", msg, strlen(msg), rcpts, 1, mailbox, 1700000000, &res);

	return rc != 0 ? rc : res.err;
}

#endif
