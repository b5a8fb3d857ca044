/*
 * workpool.c - a fixed thread pool with a FIFO job queue; see workpool.h.
 */
#include "util/workpool.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "util/log.h"
#include "util/xalloc.h"

struct job {
	void (*fn)(void *arg);
	void *arg;
	struct job *next;
};

struct workpool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct job *head, *tail;
	bool stopping;
	unsigned n;
	pthread_t *threads;
};

/* workpool_main - take jobs until stopping and the queue is empty */
static void *
workpool_main(void *arg)
{
	struct workpool *p = arg;

	for (;;) {
		struct job *j;

		pthread_mutex_lock(&p->mu);
		while (p->head == NULL && !p->stopping)
			pthread_cond_wait(&p->cv, &p->mu);
		if ((j = p->head) == NULL) {
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		if ((p->head = j->next) == NULL)
			p->tail = NULL;
		pthread_mutex_unlock(&p->mu);
		j->fn(j->arg);
		free(j);
	}
}

struct workpool *
workpool_new(unsigned n)
{
	struct workpool *p = xcalloc(1, sizeof(*p));

	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->n = n ? n : 1;
	p->threads = xcalloc(p->n, sizeof(*p->threads));
	for (unsigned i = 0; i < p->n; i++)
		if (pthread_create(&p->threads[i], NULL, workpool_main, p) != 0)
			log_panic("workpool: cannot start thread %u", i);
	return p;
}

void
workpool_submit(struct workpool *p, void (*fn)(void *arg), void *arg)
{
	struct job *j = xmalloc(sizeof(*j));

	j->fn = fn;
	j->arg = arg;
	j->next = NULL;
	pthread_mutex_lock(&p->mu);
	if (p->tail)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void
workpool_free(struct workpool **pp)
{
	struct workpool *p = *pp;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->stopping = true;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (unsigned i = 0; i < p->n; i++)
		pthread_join(p->threads[i], NULL);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p->threads);
	free(p);
	*pp = NULL;
}
