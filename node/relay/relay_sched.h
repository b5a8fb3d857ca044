/*
 * relay_sched.h - when a queued message is tried again, and when it has
 * been tried long enough: the retry schedule of the relay worker.
 *
 * After the n-th failed attempt the next one waits RELAY_RETRY_MIN_S
 * doubled n-1 times, capped at RELAY_RETRY_MAX_S (1 min, 2, 4, ... 1 h).
 * A message older than queue_lifetime is not tried again: what is left
 * bounces. Pure arithmetic on the caller's clock, so it is unit tested.
 */
#ifndef DUPLEX_RELAY_SCHED_H
#define DUPLEX_RELAY_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#define RELAY_RETRY_MIN_S 60
#define RELAY_RETRY_MAX_S 3600

/* relay_sched_delay - seconds to wait after the attempts-th failure (attempts >= 1) */
int64_t relay_sched_delay(uint32_t attempts);
/* relay_sched_expired - whether a message accepted at created is past lifetime at now */
bool relay_sched_expired(int64_t created, int64_t now, uint64_t lifetime);

#endif
