/*
 * sieve_conf.h - the Sieve limits duplex.conf sets (sieve_max_script_size,
 * sieve_max_nesting, sieve_max_actions, sieve_max_redirects,
 * sieve_max_steps), for everything that compiles or runs scripts:
 * ManageSieve, duplexctl and delivery.
 */
#ifndef DUPLEX_SIEVE_CONF_H
#define DUPLEX_SIEVE_CONF_H

#include "sieve/sieve.h"

struct conf;

/* sieve_limits_conf - the defaults, then what c sets (c NULL: the defaults only) */
void sieve_limits_conf(struct sieve_limits *lim, const struct conf *c);

#endif
