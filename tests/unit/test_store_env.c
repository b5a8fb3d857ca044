/*
 * test_store_env.c - the environment: foreign and damaged files, schema
 * version, map full, group commit under concurrent delivery, verify
 * finding a broken reference count, backup, stat and read-only opens;
 * the durable open flags, the mailbox name bound against LMDB's key size
 * (longest name accepted, one byte more refused, at CREATE and RENAME),
 * and damage as a temporary error. Corruption is written through a raw
 * LMDB open, as only a test may.
 */
#include "test_store_fixture.h"
#include "test_store_raw.h"

#include <fcntl.h>
#include <lmdb.h>
#include <pthread.h>
#include <sys/stat.h>

#define TOMO "tomo@sample.com"

/* raw_put - write one record behind the store's back (the store is closed) */
static void
raw_put(const char *dir, const char *db, const void *key, size_t klen, const void *val,
    size_t vlen)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_val k = { klen, (void *)key }, v = { vlen, (void *)val };

	assert_int_equal(mdb_env_create(&env), 0);
	mdb_env_set_maxdbs(env, 32);
	assert_int_equal(mdb_env_open(env, dir, 0, 0600), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, db, MDB_CREATE, &dbi), 0);
	assert_int_equal(mdb_put(txn, dbi, &k, &v, 0), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
}

/* open_err - store_open's result on dir, with its message */
static int
open_err(const char *dir, char *err, size_t errlen)
{
	struct store_opts o = fx_opts();
	struct store *st = NULL;
	int rc = store_open(dir, &o, &st, err, errlen);

	store_close(&st);
	return rc;
}

static void
test_foreign_files(void **state)
{
	struct fx *f = *state;
	char dir[96], path[128], err[256];
	int fd;
	unsigned char schema[4] = { 0, 0, 0, STORE_SCHEMA_VERSION + 1 };

	/* a text file named data.mdb */
	snprintf(dir, sizeof(dir), "%s/text", f->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	assert_true(write(fd, "hello, this is not a database\n", 30) == 30);
	close(fd);
	err[0] = '\0';
	assert_int_equal(open_err(dir, err, sizeof(err)), STORE_ECORRUPT);
	assert_true(strlen(err) > 0);
	fx_rmdir(dir);
	/* an LMDB environment that is not ours */
	snprintf(dir, sizeof(dir), "%s/other", f->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	raw_put(dir, "stuff", "k", 1, "v", 1);
	err[0] = '\0';
	assert_int_equal(open_err(dir, err, sizeof(err)), STORE_ECORRUPT);
	assert_non_null(strstr(err, "Duplex"));
	fx_rmdir(dir);
	/* ours, from a newer schema */
	store_close(&f->st);
	raw_put(f->dir, "meta", "schema", 6, schema, 4);
	assert_int_equal(open_err(f->dir, err, sizeof(err)), STORE_ECORRUPT);
	assert_non_null(strstr(err, "newer"));
	schema[3] = STORE_SCHEMA_VERSION;
	raw_put(f->dir, "meta", "schema", 6, schema, 4);
	fx_open(f);
}

static void
test_map_full(void **state)
{
	struct fx *f = *state;
	char *big, *small = fx_text("small", 2000);
	int rc;

	store_close(&f->st);
	f->opts.map_size = 1 << 20;
	f->opts.max_message_size = 8 << 20;
	fx_open(f);
	big = fx_text("big", 2 << 20);
	assert_int_equal(fx_deliver1(f, TOMO, NULL, big), STORE_EFULL);
	assert_int_equal(store_append(f->st, TOMO, "INBOX", big, strlen(big), 0, NULL, 0, NULL,
	    NULL), STORE_EFULL);
	assert_int_equal(fx_mailbox(f, TOMO, "INBOX").messages, 0);
	assert_int_equal(fx_user(f, TOMO).used_bytes, 0);
	rc = fx_deliver1(f, TOMO, NULL, small);
	if (rc != 0)
		fail_msg("small delivery after MAP_FULL: got %d, want 0", rc);
	assert_int_equal(fx_mailbox(f, TOMO, "INBOX").messages, 1);
	assert_true(store_err_is_temporary(STORE_EFULL));
	free(big);
	free(small);
}

/* the store never trades durability for speed: no flag that skips or defers a sync */
static void
test_env_flags_durable(void **state)
{
	struct fx *f = *state;
	unsigned flags = 0;

	assert_int_equal(mdb_env_get_flags(f->st->env, &flags), 0);
	assert_int_equal(flags & (MDB_NOSYNC | MDB_NOMETASYNC | MDB_WRITEMAP | MDB_MAPASYNC), 0);
}

/* name_of - a mailbox name of exactly n bytes: "a/" then 'x's, or all 'x's */
static char *
name_of(size_t n, bool child)
{
	char *s = malloc(n + 1);

	memset(s, 'x', n);
	s[n] = '\0';
	if (child)
		memcpy(s, "a/", 2);
	return s;
}

/*
 * Every key holding a mailbox name fits LMDB's: the longest name is
 * created, renamed and found; one byte more is refused as too long, at
 * CREATE and RENAME, also when a rename would push a child past it
 */
static void
test_mailbox_name_bound(void **state)
{
	struct fx *f = *state;
	char *max = name_of(STORE_MBOX_NAME_MAX, false), *over = name_of(STORE_MBOX_NAME_MAX + 1,
	    false), *child = name_of(STORE_MBOX_NAME_MAX, true);
	struct store_mailbox mb;

	assert_true(8 + STORE_MBOX_NAME_MAX + 1 <= (size_t)mdb_env_get_maxkeysize(f->st->env));
	assert_int_equal(store_mailbox_create(f->st, TOMO, max, 0), 0);
	mb = fx_mailbox(f, TOMO, max);
	assert_string_equal(mb.name, max);
	assert_int_equal(store_mailbox_create(f->st, TOMO, over, 0), STORE_ENAMETOOLONG);
	assert_string_equal(store_strerror(STORE_ENAMETOOLONG), "mailbox name too long");
	assert_int_equal(store_mailbox_rename(f->st, TOMO, max, over), STORE_ENAMETOOLONG);
	assert_int_equal(store_mailbox_delete(f->st, TOMO, max), 0);
	/* a/xxx... at the bound: renaming a to ab would make it one byte too long */
	assert_int_equal(store_mailbox_create(f->st, TOMO, child, 0), 0);
	assert_int_equal(store_mailbox_rename(f->st, TOMO, "a", "ab"), STORE_ENAMETOOLONG);
	assert_string_equal(fx_mailbox(f, TOMO, child).name, child);	/* left as it was */
	assert_int_equal(store_mailbox_rename(f->st, TOMO, "a", "b"), 0);
	child[0] = 'b';
	assert_string_equal(fx_mailbox(f, TOMO, child).name, child);
	free(max);
	free(over);
	free(child);
}

/* a damaged record never bounces mail: it is a temporary failure */
static void
test_corrupt_is_temporary(void **state)
{
	assert_true(store_err_is_temporary(STORE_ECORRUPT));
	assert_false(store_err_is_temporary(STORE_ENAMETOOLONG));
}

#define THREADS 8
#define PER_THREAD 25

struct worker {
	struct fx *f;
	pthread_barrier_t *go;
	int failures;
};

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	char *msg = fx_text("concurrent", 1000);

	pthread_barrier_wait(w->go);
	for (int i = 0; i < PER_THREAD; i++)
		w->failures += fx_deliver1(w->f, TOMO, NULL, msg) != 0;
	free(msg);
	return NULL;
}

static void
test_group_commit(void **state)
{
	struct fx *f = *state;
	struct worker w[THREADS];
	pthread_t t[THREADS];
	pthread_barrier_t go;
	struct store_stat before, after;
	uint64_t commits, requests;

	assert_int_equal(store_stat(f->st, &before), 0);
	pthread_barrier_init(&go, NULL, THREADS);
	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ f, &go, 0 };
		pthread_create(&t[i], NULL, worker_main, &w[i]);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].failures, 0);
	}
	pthread_barrier_destroy(&go);
	assert_int_equal(fx_mailbox(f, TOMO, "INBOX").messages, THREADS * PER_THREAD);
	assert_int_equal(store_stat(f->st, &after), 0);
	commits = after.commits - before.commits;
	requests = after.requests - before.requests;
	assert_int_equal(requests, THREADS * PER_THREAD);
	if (commits >= requests)
		fail_msg("batching: got %llu commits for %llu requests, want fewer commits",
		    (unsigned long long)commits, (unsigned long long)requests);
	assert_true(after.entries > 0);
	assert_true(after.file_size > 0 && after.map_used <= after.map_size);
	assert_int_equal(after.readers_max, 1024);
}

static void
test_verify_finds_refcount(void **state)
{
	struct fx *f = *state;
	const char *rcpts[] = { TOMO };
	struct store_rcpt_result res;
	struct fx_msgs l;
	unsigned char key[8], bad[4] = { 0, 0, 0, 7 }, good[4] = { 0, 0, 0, 1 };
	char *msg = fx_text("refs", 100);
	FILE *sink = fopen("/dev/null", "w");

	assert_int_equal(store_deliver(f->st, "Q", msg, strlen(msg), rcpts, 1, NULL, 0, &res), 0);
	l = fx_msgs(f, fx_mailbox(f, TOMO, "INBOX").id);
	assert_int_equal(store_verify(f->st, sink), 0);
	store_close(&f->st);
	for (int i = 0; i < 8; i++)
		key[i] = (unsigned char)(l.m[0].body_id >> (56 - 8 * i));
	raw_put(f->dir, "bodyrefs", key, 8, bad, 4);
	fx_open(f);
	assert_int_equal(store_verify(f->st, sink), 1);
	store_close(&f->st);
	raw_put(f->dir, "bodyrefs", key, 8, good, 4);
	fx_open(f);
	fclose(sink);
	free(msg);
}

static void
test_backup_and_read_only(void **state)
{
	struct fx *f = *state;
	struct store_opts ro = fx_opts();
	struct store *copy = NULL;
	char dir[96], path[128], err[256];
	char *msg = fx_text("backup", 500);
	int fd;

	assert_int_equal(fx_deliver1(f, TOMO, NULL, msg), 0);
	snprintf(dir, sizeof(dir), "%s/bak", f->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_int_equal(store_backup_fd(f->st, fd), 0);
	close(fd);
	ro.read_only = true;
	assert_int_equal(store_open(dir, &ro, &copy, err, sizeof(err)), 0);
	assert_int_equal(store_verify(copy, stderr), 0);
	assert_int_equal(store_domain_add(copy, "new.org"), STORE_EINVAL);
	store_close(&copy);
	assert_null(copy);
	fx_rmdir(dir);
	free(msg);
}

/* link_of - the target of dir/lock.mdb, or "" when it is not a symbolic link */
static const char *
link_of(const char *dir, char *buf, size_t len)
{
	char path[128];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/lock.mdb", dir);
	n = readlink(path, buf, len - 1);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

/*
 * lock_dir: the readers' table moves to lock_dir and back, the store works
 * from either place, and reopening keeps the messages
 */
static void
test_lock_dir(void **state)
{
	struct fx *f = *state;
	char ldir[96], want[128], got[256], path[128];
	struct stat sb;

	assert_int_equal(fx_deliver1(f, TOMO, NULL, "Subject: a\r\n\r\nbody\r\n"), 0);
	store_close(&f->st);
	snprintf(ldir, sizeof(ldir), "%s/run", f->dir);
	snprintf(want, sizeof(want), "%s/lock.mdb", ldir);
	f->opts.lock_dir = ldir;
	fx_open(f);
	assert_string_equal(link_of(f->dir, got, sizeof(got)), want);
	assert_int_equal(stat(want, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(fx_mailbox(f, TOMO, "INBOX").messages, 1);
	store_close(&f->st);
	/* a link to another place is replaced, not followed */
	snprintf(path, sizeof(path), "%s/lock.mdb", f->dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink("/nonexistent/lock.mdb", path), 0);
	fx_open(f);
	assert_string_equal(link_of(f->dir, got, sizeof(got)), want);
	store_close(&f->st);
	/* without lock_dir it is a plain file beside the data again */
	f->opts.lock_dir = NULL;
	fx_open(f);
	assert_string_equal(link_of(f->dir, got, sizeof(got)), "");
	assert_int_equal(lstat(path, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(fx_mailbox(f, TOMO, "INBOX").messages, 1);
	unlink(want);
	rmdir(ldir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_env_flags_durable, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_mailbox_name_bound, fx_setup, fx_teardown),
		cmocka_unit_test(test_corrupt_is_temporary),
		cmocka_unit_test_setup_teardown(test_foreign_files, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_map_full, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_group_commit, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_verify_finds_refcount, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_backup_and_read_only, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_lock_dir, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
