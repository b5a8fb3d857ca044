/*
 * auth_gate.h - admission of login attempts to the authentication pool.
 *
 * Password checks (yescrypt, tens of ms of CPU each) run on a pool of
 * their own (auth_threads), apart from the store pool where deliveries
 * wait for their commits, so a flood of logins cannot hold up mail intake.
 * The gate bounds the attempts in flight there (queued or running): at
 * most max_total in all, and at most max_per_addr from one client address.
 * An attempt past either bound is never queued; the protocol answers a
 * temporary failure at once. The per-address delay after failures
 * (auth_delay.h) bounds how fast an address may try again; this bounds
 * how much of the pool it may hold at once. All calls are thread-safe.
 */
#ifndef DUPLEX_AUTH_GATE_H
#define DUPLEX_AUTH_GATE_H

enum auth_gate_err {
	AUTH_GATE_OK = 0,
	AUTH_GATE_EFULL = -1,	/* max_total attempts in flight */
	AUTH_GATE_EADDR = -2,	/* max_per_addr attempts in flight from this address */
};

struct auth_gate;

/* auth_gate_new - an open gate; both bounds at least 1 */
struct auth_gate *auth_gate_new(unsigned max_total, unsigned max_per_addr);
/* auth_gate_free - clears *gp; NULL is fine */
void auth_gate_free(struct auth_gate **gp);
/* auth_gate_enter - admit one attempt from addr: AUTH_GATE_OK, or why not */
int auth_gate_enter(struct auth_gate *g, const char *addr);
/* auth_gate_leave - the attempt admitted for addr is done */
void auth_gate_leave(struct auth_gate *g, const char *addr);
/* auth_gate_inflight - attempts in flight from addr, or from everyone when addr is NULL */
unsigned auth_gate_inflight(struct auth_gate *g, const char *addr);
/* auth_gate_admitted - attempts admitted since the gate was made */
unsigned long long auth_gate_admitted(struct auth_gate *g);
/* auth_gate_strerror - a constant English reason */
const char *auth_gate_strerror(int err);

#endif
