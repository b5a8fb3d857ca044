/*
 * crashload.c - the store's crash test: deliver, SIGKILL, reopen, check.
 *
 * crashload DIR ROUNDS SEED
 *
 * Each round forks a child that opens the store in DIR and delivers from
 * four threads; after store_deliver() returns OK (the commit is durable) it
 * appends the message's id to DIR/acked. The parent kills the child with
 * SIGKILL after a random 1-40 ms, reopens the store, runs store_verify,
 * and checks that every acknowledged id is present exactly once and that no
 * id is present twice. It prints its seed, so a failure can be replayed.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mime/mime.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xalloc.h"

#define THREADS 4
#define USER "crash@crash.test"

static const char *dir;
static int round_no;

static struct store_opts opts = {
	.map_size = 1ULL << 30, .max_message_size = 1 << 20, .quota_warn_percent = 90,
	.quota_purge_folders = "Trash", .commit_batch_max = 64,
};

static struct store *
open_store(void)
{
	struct store *st;
	char err[512];

	if (store_open(dir, &opts, &st, err, sizeof(err)) < 0) {
		fprintf(stderr, "crashload: store_open: %s\n", err);
		exit(1);
	}
	return st;
}

/* deliverer - deliver until killed, recording each acknowledged id */
static void *
deliverer(void *arg)
{
	struct store *st = ((void **)arg)[0];
	int t = (int)(intptr_t)((void **)arg)[1], fd;
	char path[4096], msg[1024], id[64];
	const char *rcpt = USER;

	snprintf(path, sizeof(path), "%s/acked", dir);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600);
	for (int i = 0;; i++) {
		struct store_rcpt_result res;
		int n;

		snprintf(id, sizeof(id), "<%d.%d.%d@crash.test>", round_no, t, i);
		n = snprintf(msg, sizeof(msg),
		    "From: load@crash.test\r\nTo: " USER "\r\nMessage-ID: %s\r\n"
		    "Subject: crash %d\r\n\r\nround %d thread %d message %d\r\n%0*d\r\n",
		    id, i, round_no, t, i, 100 + i % 400, 0);
		if (store_deliver(st, id, msg, (size_t)n, &rcpt, 1, NULL, time(NULL), &res) == 0 &&
		    res.err == 0) {
			char line[80];
			int l = snprintf(line, sizeof(line), "%s\n", id);

			if (write(fd, line, (size_t)l) != l)
				_exit(3);
		}
	}
	return NULL;
}

static void
child(void)
{
	struct store *st = open_store();
	pthread_t th[THREADS];
	void *args[THREADS][2];

	for (int t = 0; t < THREADS; t++) {
		args[t][0] = st;
		args[t][1] = (void *)(intptr_t)t;
		pthread_create(&th[t], NULL, deliverer, args[t]);
	}
	pthread_join(th[0], NULL);
	_exit(0);
}

/* id list with counts: small linear-probing hash set */
struct idset {
	char **ids;
	int *count;
	size_t cap;
};

static size_t
idset_slot(struct idset *s, const char *id)
{
	size_t h = 5381;

	for (const char *p = id; *p; p++)
		h = h * 33 + (unsigned char)*p;
	for (h %= s->cap; s->ids[h] && strcmp(s->ids[h], id) != 0; h = (h + 1) % s->cap)
		;
	return h;
}

static void
idset_add(struct idset *s, const char *id)
{
	size_t h = idset_slot(s, id);

	if (s->ids[h] == NULL)
		s->ids[h] = xstrdup(id);
	s->count[h]++;
}

struct scan {
	struct store_rtxn *r;
	struct idset *present;
	int bad;
};

static int
scan_msg(const struct store_msg *m, void *arg)
{
	struct scan *sc = arg;
	struct buf id = BUF_INIT;
	const char *data;
	size_t len;

	if (store_msg_body(sc->r, m->body_id, &data, &len) < 0 ||
	    mime_header_get(data, len, "Message-ID", &id) < 0)
		sc->bad++;
	else if (strstr(buf_cstr(&id), "@crash.test"))
		idset_add(sc->present, buf_cstr(&id));
	buf_free(&id);
	return 0;
}

/* check - verify, then compare the acked ids with what is stored */
static int
check(unsigned long *acked_r, unsigned long *present_r)
{
	struct store *st = open_store();
	struct idset present = { xcalloc(1 << 20, sizeof(char *)), xcalloc(1 << 20, sizeof(int)), 1 << 20 };
	struct scan sc = { NULL, &present, 0 };
	struct store_mailbox mb;
	char path[4096], line[128];
	int problems, lost = 0, dup = 0;
	FILE *fp;

	if ((problems = store_verify(st, stderr)) != 0)
		fprintf(stderr, "crashload: round %d: verify found %d problems\n", round_no, problems);
	store_rtxn_begin(st, &sc.r);
	if (store_mailbox_get(sc.r, USER, "INBOX", &mb) < 0 ||
	    store_msg_list(sc.r, mb.id, 1, scan_msg, &sc) < 0)
		sc.bad++;
	store_rtxn_end(&sc.r);
	store_close(&st);
	*acked_r = 0;
	*present_r = 0;
	for (size_t i = 0; i < present.cap; i++) {
		if (present.ids[i] == NULL)
			continue;
		++*present_r;
		if (present.count[i] > 1) {
			fprintf(stderr, "crashload: %s stored %d times\n", present.ids[i], present.count[i]);
			dup++;
		}
	}
	snprintf(path, sizeof(path), "%s/acked", dir);
	if ((fp = fopen(path, "r")) != NULL) {
		while (fgets(line, sizeof(line), fp)) {
			line[strcspn(line, "\n")] = '\0';
			++*acked_r;
			if (present.ids[idset_slot(&present, line)] == NULL) {
				fprintf(stderr, "crashload: acknowledged %s is missing\n", line);
				lost++;
			}
		}
		fclose(fp);
	}
	for (size_t i = 0; i < present.cap; i++)
		free(present.ids[i]);
	free(present.ids);
	free(present.count);
	return problems || lost || dup || sc.bad ? -1 : 0;
}

int
main(int argc, char **argv)
{
	unsigned long acked = 0, present = 0;
	unsigned seed;
	int rounds, kills = 0;
	struct store *st;
	char hash[] = "!";

	if (argc != 4) {
		fprintf(stderr, "usage: crashload DIR ROUNDS SEED\n");
		return 2;
	}
	dir = argv[1];
	rounds = atoi(argv[2]);
	seed = (unsigned)strtoul(argv[3], NULL, 10);
	srand(seed);
	log_open("crashload", true, LOG_LEVEL_WARN);
	printf("crashload: seed %u, %d rounds\n", seed, rounds);
	st = open_store();
	if (store_domain_add(st, "crash.test") < 0 || store_user_add(st, USER, hash, 0, 0) < 0) {
		fprintf(stderr, "crashload: cannot create the test user\n");
		return 1;
	}
	store_close(&st);
	for (round_no = 1; round_no <= rounds; round_no++) {
		pid_t pid = fork();
		struct timespec ts = { 0, (1 + rand() % 40) * 1000000L };

		if (pid == 0)
			child();
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		kills++;
		if (check(&acked, &present) < 0) {
			printf("crashload: FAILED after kill %d (seed %u)\n", kills, seed);
			return 1;
		}
	}
	printf("crashload: %d kills, acked=%lu present=%lu lost=0 dup=0 verify clean\n", kills, acked,
	    present);
	return acked > 0 ? 0 : 1;
}
