/*
 * net_loop.c - worker threads, each an epoll loop with timers and posts.
 *
 * A loop waits on its listeners (shared, EPOLLEXCLUSIVE, so one loop is
 * woken per new client), its connections (level-triggered) and an eventfd
 * that other threads kick after queueing a post. After each wake-up it runs
 * due timers, sweeps connection timeouts, then processes every connection
 * marked dirty, and only then frees the ones closed during the round, so an
 * event later in the same batch never reaches freed memory.
 *
 * Hazards: posts still queued when a loop exits are dropped unrun; timers
 * are loop-local and must be cancelled by whoever owns their argument.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "net/net_int.h"
#include "net/net_limit.h"
#include "util/log.h"
#include "util/mono.h"
#include "util/xalloc.h"

#define NET_SWEEP_MS	100
#define NET_EVENTS	64

/* net_default - v, or def when the config left it 0 */
static unsigned
net_default(unsigned v, unsigned def)
{
	return v ? v : def;
}

struct net *
net_new(const struct net_config *cfg)
{
	struct net *n = xcalloc(1, sizeof(*n));

	if (cfg)
		n->cfg = *cfg;
	n->cfg.threads = net_default(n->cfg.threads, 2);
	if (n->cfg.max_input == 0)
		n->cfg.max_input = 64 * 1024;
	if (n->cfg.max_output == 0)
		n->cfg.max_output = 4 * 1024 * 1024;
	n->cfg.handshake_timeout_ms = net_default(n->cfg.handshake_timeout_ms, 30000);
	n->cfg.drain_timeout_ms = net_default(n->cfg.drain_timeout_ms, 10000);
	n->cfg.shutdown_grace_ms = net_default(n->cfg.shutdown_grace_ms, 10000);
	n->limit = net_limit_new(n->cfg.max_conn_per_ip, n->cfg.max_conn);
	return n;
}

unsigned
net_connections(struct net *n)
{
	return net_limit_total(n->limit);
}

void
net_set_tls(struct net *n, int (*start)(void *tls, struct net_conn *c), void *tls)
{
	n->tls_start = start;
	n->tls = tls;
}

/* net_loop_mark - c needs net_conn_process() before the loop sleeps again */
void
net_loop_mark(struct net_conn *c)
{
	if (c->in_dirty || c->dead)
		return;
	c->in_dirty = true;
	c->dirty_next = c->loop->dirty;
	c->loop->dirty = c;
}

int
net_loop_post(struct net_loop *l, void (*fn)(void *arg), void *arg)
{
	struct net_post *p;
	uint64_t one = 1;

	pthread_mutex_lock(&l->mu);
	if (l->exited) {
		pthread_mutex_unlock(&l->mu);
		return NET_ESTOPPED;
	}
	p = xcalloc(1, sizeof(*p));
	p->fn = fn;
	p->arg = arg;
	*l->posts_tail = p;
	l->posts_tail = &p->next;
	pthread_mutex_unlock(&l->mu);
	/* the counter only wakes the loop; a full counter (EAGAIN) wakes it too */
	if (write(l->evfd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		log_error("-", "net: eventfd write: %s", strerror(errno));
	return 0;
}

/* net_loop_take_posts - detach the queued posts, oldest first */
static struct net_post *
net_loop_take_posts(struct net_loop *l)
{
	struct net_post *p;

	pthread_mutex_lock(&l->mu);
	p = l->posts;
	l->posts = NULL;
	l->posts_tail = &l->posts;
	pthread_mutex_unlock(&l->mu);
	return p;
}

/* net_loop_run_posts - the eventfd fired: run what other threads queued */
static void
net_loop_run_posts(struct net_loop *l)
{
	uint64_t v;
	struct net_post *p, *next;

	if (read(l->evfd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		log_error("-", "net: eventfd read: %s", strerror(errno));
	for (p = net_loop_take_posts(l); p; p = next) {
		next = p->next;
		p->fn(p->arg);
		free(p);
	}
}

struct net_timer *
net_timer_add(struct net_loop *l, unsigned ms, void (*fn)(void *arg), void *arg)
{
	struct net_timer *t = xcalloc(1, sizeof(*t)), **pp;

	t->loop = l;
	/* mono_ms() rounds down: count from the next millisecond, never fire early */
	t->when = mono_ms() + 1 + ms;
	t->fn = fn;
	t->arg = arg;
	for (pp = &l->timers; *pp && (*pp)->when <= t->when; pp = &(*pp)->next)
		;
	t->next = *pp;
	*pp = t;
	return t;
}

void
net_timer_cancel(struct net_timer **tp)
{
	struct net_timer *t = *tp, **pp;

	if (t == NULL)
		return;
	for (pp = &t->loop->timers; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	free(t);
	*tp = NULL;
}

/* net_loop_run_timers - fire what is due; a timer may add or cancel others */
static void
net_loop_run_timers(struct net_loop *l, uint64_t now)
{
	while (l->timers && l->timers->when <= now) {
		struct net_timer *t = l->timers;

		l->timers = t->next;
		t->fn(t->arg);
		free(t);
	}
}

/* net_loop_timeout - how long epoll_wait may sleep, in ms, or -1 */
static int
net_loop_timeout(struct net_loop *l, uint64_t now)
{
	uint64_t until = UINT64_MAX;

	if (l->nconns)
		until = l->next_sweep;
	if (l->timers && l->timers->when < until)
		until = l->timers->when;
	if (l->stopping && l->stop_deadline < until)
		until = l->stop_deadline;
	if (l->dirty)
		return 0;
	if (until == UINT64_MAX)
		return -1;
	return until <= now ? 0 : (int)(until - now);
}

/* net_loop_round - what follows every wake-up: timers, sweeps, dirty conns */
static void
net_loop_round(struct net_loop *l)
{
	uint64_t now = mono_ms();
	struct net_conn *c, *next;

	net_loop_run_timers(l, now);
	if (now >= l->next_sweep) {
		for (c = l->conns; c; c = next) {
			next = c->next;
			net_conn_sweep(c, now);
		}
		l->next_sweep = now + NET_SWEEP_MS;
	}
	/* marks made while processing wait for the next round: fairness */
	for (c = l->dirty, l->dirty = NULL; c; c = next) {
		next = c->dirty_next;
		c->in_dirty = false;
		net_conn_process(c);
	}
	while ((c = l->zombies) != NULL) {
		l->zombies = c->next;
		free(c);
	}
}

/* net_loop_main - one worker thread */
static void *
net_loop_main(void *arg)
{
	struct net_loop *l = arg;
	struct epoll_event ev[NET_EVENTS];
	struct net_post *p, *next;

	net_listen_watch(l, true);
	for (;;) {
		uint64_t now = mono_ms();
		int n;

		if (l->stopping && (l->conns == NULL || now >= l->stop_deadline))
			break;
		n = epoll_wait(l->epfd, ev, NET_EVENTS, net_loop_timeout(l, now));
		if (n < 0 && errno != EINTR)
			log_panic("net: epoll_wait: %s", strerror(errno));
		for (int i = 0; i < n; i++) {
			enum net_ev_kind *k = ev[i].data.ptr;

			if (*k == NET_EV_WAKE)
				net_loop_run_posts(l);
			else if (*k == NET_EV_LISTENER)
				net_listen_accept(l, (struct net_listener *)k);
			else
				net_loop_mark((struct net_conn *)k);
		}
		net_loop_round(l);
	}
	/* out of grace: whatever is left goes, paused or not */
	while (l->conns)
		net_conn_destroy(l->conns, "shutdown timeout");
	net_loop_round(l);
	pthread_mutex_lock(&l->mu);
	l->exited = true;
	pthread_mutex_unlock(&l->mu);
	for (p = net_loop_take_posts(l); p; p = next) {
		next = p->next;
		free(p);
	}
	while (l->timers) {
		struct net_timer *t = l->timers;

		net_timer_cancel(&t);
	}
	return NULL;
}

int
net_start(struct net *n)
{
	struct epoll_event ev = { .events = EPOLLIN };

	if (n->started)
		return NET_ESYS;
	n->nloops = n->cfg.threads;
	n->loops = xcalloc(n->nloops, sizeof(*n->loops));
	for (unsigned i = 0; i < n->nloops; i++) {
		struct net_loop *l = &n->loops[i];

		l->kind = NET_EV_WAKE;
		l->net = n;
		l->index = i;
		pthread_mutex_init(&l->mu, NULL);
		l->posts_tail = &l->posts;
		l->epfd = epoll_create1(EPOLL_CLOEXEC);
		l->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (l->epfd < 0 || l->evfd < 0)
			log_fatal("net: epoll/eventfd: %s", strerror(errno));
		ev.data.ptr = l;
		if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, l->evfd, &ev) < 0)
			log_fatal("net: epoll_ctl eventfd: %s", strerror(errno));
	}
	for (unsigned i = 0; i < n->nloops; i++) {
		int rc = pthread_create(&n->loops[i].thread, NULL, net_loop_main, &n->loops[i]);

		if (rc != 0)
			log_fatal("net: pthread_create: %s", strerror(rc));
	}
	n->started = true;
	return 0;
}

/* net_loop_stop - on the loop: stop accepting, ask every session to finish */
static void
net_loop_stop(void *arg)
{
	struct net_loop *l = arg;
	struct net_conn *c, *next;

	l->stopping = true;
	l->stop_deadline = mono_ms() + l->net->cfg.shutdown_grace_ms;
	if (l->accept_pause != NULL)
		net_timer_cancel(&l->accept_pause);	/* the listeners are unwatched already */
	else
		net_listen_watch(l, false);
	for (c = l->conns; c; c = next) {
		next = c->next;
		net_conn_stop(c);
	}
}

void
net_stop(struct net *n)
{
	if (!n->started)
		return;
	for (unsigned i = 0; i < n->nloops; i++)
		if (net_loop_post(&n->loops[i], net_loop_stop, &n->loops[i]) < 0)
			log_panic("net_stop: loop %u already stopped", i);
	for (unsigned i = 0; i < n->nloops; i++)
		pthread_join(n->loops[i].thread, NULL);
	n->started = false;
}

void
net_free(struct net **np)
{
	struct net *n = *np;
	struct net_listener *ls;

	if (n == NULL)
		return;
	if (n->started)
		log_panic("net_free: net_stop() first");
	for (unsigned i = 0; i < n->nloops; i++) {
		close(n->loops[i].epfd);
		close(n->loops[i].evfd);
		pthread_mutex_destroy(&n->loops[i].mu);
	}
	free(n->loops);
	while ((ls = n->listeners) != NULL) {
		n->listeners = ls->next;
		close(ls->fd);
		free(ls->name);
		free(ls);
	}
	net_limit_free(&n->limit);
	free(n);
	*np = NULL;
}
