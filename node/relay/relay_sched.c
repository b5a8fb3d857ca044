/*
 * relay_sched.c - the retry schedule; see relay_sched.h.
 */
#include "relay/relay_sched.h"

int64_t
relay_sched_delay(uint32_t attempts)
{
	int64_t d = RELAY_RETRY_MIN_S;

	for (uint32_t i = 1; i < attempts && d < RELAY_RETRY_MAX_S; i++)
		d *= 2;
	return d < RELAY_RETRY_MAX_S ? d : RELAY_RETRY_MAX_S;
}

bool
relay_sched_expired(int64_t created, int64_t now, uint64_t lifetime)
{
	return now >= created && (uint64_t)(now - created) >= lifetime;
}
