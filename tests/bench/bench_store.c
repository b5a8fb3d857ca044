/*
 * bench_store.c - durable deliveries per second through the store's group
 * commit, with 1, 4 and 16 concurrent delivering threads.
 *
 * Each run opens a fresh store in build/bench-tmp (under the checkout, so
 * fsync reaches a real disk rather than a tmpfs /tmp), delivers ~20 KB
 * messages to one user for a fixed time, and prints deliveries per second
 * and the commits/requests ratio (how many requests shared one commit).
 * The filesystem type of the directory is printed with the table.
 * BENCH_SECONDS overrides the duration of each run (default 3).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

#include "store/store.h"
#include "util/log.h"

#define MSG_SIZE (20 * 1024)
#define RCPT "bench@bench.test"

struct run {
	struct store *st;
	const char *msg;
	size_t len;
	double until;
	atomic_ulong done, failed;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* fs_name - the filesystem type of dir, for the reader of the table */
static const char *
fs_name(const char *dir)
{
	struct statfs sf;

	if (statfs(dir, &sf) != 0)
		return "unknown";
	switch ((unsigned long)sf.f_type) {
	case 0x01021994: return "tmpfs (fsync is free: figures are not durable-disk figures)";
	case 0xEF53: return "ext2/3/4";
	case 0x58465342: return "xfs";
	case 0x9123683E: return "btrfs";
	case 0x794c7630: return "overlayfs";
	default: return "other";
	}
}

static void
rm_flat(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static void *
worker(void *arg)
{
	struct run *r = arg;
	const char *rcpts[] = { RCPT };
	struct store_rcpt_result res;

	while (now() < r->until) {
		if (store_deliver(r->st, "bench", r->msg, r->len, rcpts, 1, NULL, 0, &res) == 0 &&
		    res.err == 0)
			atomic_fetch_add(&r->done, 1);
		else
			atomic_fetch_add(&r->failed, 1);
	}
	return NULL;
}

/* bench_one - one timed run with n threads on a fresh store */
static int
bench_one(const char *dir, int n, double seconds, const char *msg)
{
	struct store_opts o = { .map_size = 4ULL << 30, .max_message_size = 50 << 20,
	    .quota_warn_percent = 90, .quota_purge_folders = "Trash,Junk,INBOX",
	    .commit_batch_max = 256 };
	struct store_stat s;
	struct run r = { .msg = msg, .len = strlen(msg) };
	pthread_t t[16];
	char err[256];
	double t0, el;

	rm_flat(dir);
	mkdir(dir, 0700);
	if (store_open(dir, &o, &r.st, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench_store: %s\n", err);
		return 1;
	}
	store_domain_add(r.st, "bench.test");
	store_user_add(r.st, RCPT, "x", 0, 0);
	t0 = now();
	r.until = t0 + seconds;
	for (int i = 0; i < n; i++)
		pthread_create(&t[i], NULL, worker, &r);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	el = now() - t0;
	store_stat(r.st, &s);
	printf("%7d %12lu %10.0f %10llu %10llu %14.3f %8lu\n", n, atomic_load(&r.done),
	    atomic_load(&r.done) / el, (unsigned long long)s.commits,
	    (unsigned long long)s.requests, s.requests ? (double)s.commits / s.requests : 0,
	    atomic_load(&r.failed));
	store_close(&r.st);
	rm_flat(dir);
	return atomic_load(&r.failed) != 0;
}

int
main(void)
{
	static const int threads[] = { 1, 4, 16 };
	const char *dir = "build/bench-tmp";
	const char *env = getenv("BENCH_SECONDS");
	double seconds = env ? atof(env) : 3;
	char *msg = malloc(MSG_SIZE + 1);
	int n, bad = 0;

	log_open("bench_store", true, LOG_LEVEL_WARN);
	n = snprintf(msg, MSG_SIZE, "From: a@b.test\r\nTo: %s\r\nSubject: bench\r\n\r\n", RCPT);
	for (; n < MSG_SIZE; n++)
		msg[n] = (n % 78 == 77) ? '\n' : 'a' + n % 26;
	msg[MSG_SIZE] = '\0';
	mkdir("build", 0755);
	mkdir(dir, 0700);
	printf("bench_store: durable deliveries of %d-byte messages to one user, %.1f s per run\n",
	    MSG_SIZE, seconds);
	printf("directory %s on %s\n", dir, fs_name(dir));
	printf("%7s %12s %10s %10s %10s %14s %8s\n", "threads", "deliveries", "per_sec",
	    "commits", "requests", "commits/reqs", "failed");
	for (size_t i = 0; i < sizeof(threads) / sizeof(threads[0]); i++)
		bad |= bench_one(dir, threads[i], seconds, msg);
	free(msg);
	return bad;
}
