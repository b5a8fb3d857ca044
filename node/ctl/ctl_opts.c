/*
 * ctl_opts.c - the store's part of the config, one mapping for both openers
 * of a store: duplexd, and duplexctl when it works without the daemon. Two
 * copies could drift apart, and a store opened with another lock_dir than
 * the daemon's would keep a second table of readers.
 */
#include "ctl/ctl.h"

#include <string.h>

#include "conf/conf.h"
#include "sieve/sieve_conf.h"
#include "store/store.h"

/* ctl_store_opts - the store options that the config sets */
void
ctl_store_opts(const struct conf *c, struct store_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->map_size = c->map_size;
	o->max_message_size = c->max_message_size;
	o->quota_warn_percent = (unsigned)c->quota_warn_percent;
	o->quota_purge_folders = c->quota_purge_folders;
	o->commit_batch_max = (unsigned)c->commit_batch_max;
	o->lock_dir = c->lock_dir;
	o->srs_secret = c->forward_srs_secret;
	sieve_limits_conf(&o->sieve, c);
}
