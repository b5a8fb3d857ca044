/*
 * workpool.h - a fixed pool of threads that run blocking jobs.
 *
 * Event loops never block; a protocol that must wait for a durable commit
 * hands the blocking store call to this pool. Because many pool threads
 * wait on the store's writer at once, their requests share group commits:
 * the pool size bounds how many commits can be grouped.
 */
#ifndef DUPLEX_WORKPOOL_H
#define DUPLEX_WORKPOOL_H

struct workpool;

/* workpool_new - start n threads */
struct workpool *workpool_new(unsigned n);
/* workpool_submit - run fn(arg) on a pool thread, in submission order */
void workpool_submit(struct workpool *p, void (*fn)(void *arg), void *arg);
/* workpool_free - finish every submitted job, join the threads; clears *pp */
void workpool_free(struct workpool **pp);

#endif
