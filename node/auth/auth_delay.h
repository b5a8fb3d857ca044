/*
 * auth_delay.h - answering failed logins slowly, per client address.
 *
 * Each failure from an address doubles the delay before its answer, from
 * base_ms up to max_ms, whatever account it was for. Failures are counted
 * per (address, account): a success forgets only the failures from that
 * address at that account, so logging in to one's own account does not
 * reset the penalty for guessing at another. A pair quiet for expire_s is
 * forgotten. The table is bounded: when full the least recently used pair
 * is dropped. All calls are thread-safe (one mutex), since every worker
 * loop and pool thread shares one table.
 *
 * The delay is the protocol's to apply without blocking: keep the
 * connection paused and answer from a net timer (never sleep on a loop or
 * a store pool thread).
 *
 * Times (now_ms) are util/mono.h's mono_ms().
 */
#ifndef DUPLEX_AUTH_DELAY_H
#define DUPLEX_AUTH_DELAY_H

#include <stddef.h>
#include <stdint.h>

#define AUTH_DELAY_BASE_MS 500
#define AUTH_DELAY_MAX_MS 15000
#define AUTH_DELAY_EXPIRE_S 900
#define AUTH_DELAY_SLOTS 4096

struct auth_delay;

/* auth_delay_new - an empty table of at most slots addresses */
struct auth_delay *auth_delay_new(size_t slots, unsigned base_ms, unsigned max_ms,
    unsigned expire_s);
/* auth_delay_free - clears *dp; NULL is fine */
void auth_delay_free(struct auth_delay **dp);
/* auth_delay_global - the process's table, made on first use with the defaults */
struct auth_delay *auth_delay_global(void);

/*
 * auth_delay_fail - count a failure from addr at account (the name tried,
 * "" when none could be read) at now_ms; returns the delay in ms for all
 * of addr's failures
 */
unsigned auth_delay_fail(struct auth_delay *d, const char *addr, const char *account,
    uint64_t now_ms);
/* auth_delay_ok - a success from addr at account: forget the failures of that pair only */
void auth_delay_ok(struct auth_delay *d, const char *addr, const char *account);
/* auth_delay_failures - failures counted for addr now, every account (0 if none live) */
unsigned auth_delay_failures(struct auth_delay *d, const char *addr, uint64_t now_ms);
/* auth_delay_count - (address, account) pairs in the table (tests) */
size_t auth_delay_count(struct auth_delay *d);

#endif
