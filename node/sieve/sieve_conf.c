/*
 * sieve_conf.c - the Sieve limits from duplex.conf; see sieve_conf.h.
 */
#include "sieve/sieve_conf.h"

#include "conf/conf.h"

void
sieve_limits_conf(struct sieve_limits *lim, const struct conf *c)
{
	sieve_limits_default(lim);
	if (c == NULL)
		return;
	lim->max_script_size = (size_t)c->sieve_max_script_size;
	lim->max_nesting = (unsigned)c->sieve_max_nesting;
	lim->max_actions = (unsigned)c->sieve_max_actions;
	lim->max_redirects = (unsigned)c->sieve_max_redirects;
	lim->max_steps = (unsigned long)c->sieve_max_steps;
}
