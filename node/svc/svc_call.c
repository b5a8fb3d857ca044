/*
 * svc_call.c - running a blocking call (the store's, a password check) off
 * the event loop; see svc.h.
 */
#include "svc/svc.h"

#include <stdlib.h>

#include "net/net.h"
#include "util/log.h"
#include "util/workpool.h"
#include "util/xalloc.h"

struct svc_call {
	struct net_conn *c;
	struct net_loop *loop;
	void (*job)(void *arg);
	void (*done)(void *arg);
	void *arg;
};

/* svc_call_finish - back on the loop: the protocol's done, then resume */
static void
svc_call_finish(void *arg)
{
	struct svc_call *call = arg;

	call->done(call->arg);
	net_conn_resume(call->c);
	free(call);
}

/* svc_call_run - on a pool thread: the blocking part, then post back */
static void
svc_call_run(void *arg)
{
	struct svc_call *call = arg;

	call->job(call->arg);
	if (net_loop_post(call->loop, svc_call_finish, call) < 0) {
		/* the loop is gone: net_stop() ran out of its grace period */
		log_warn(NULL, "store call finished after its loop stopped");
		free(call);
	}
}

/* svc_call_new - a call of job and done for c, not yet started */
static struct svc_call *
svc_call_new(struct net_conn *c, void (*job)(void *arg), void (*done)(void *arg), void *arg)
{
	struct svc_call *call = xcalloc(1, sizeof(*call));

	call->c = c;
	call->loop = net_conn_loop(c);
	call->job = job;
	call->done = done;
	call->arg = arg;
	return call;
}

void
svc_pool_call(struct net_conn *c, struct workpool *pool, void (*job)(void *arg),
    void (*done)(void *arg), void *arg)
{
	net_conn_pause(c);
	workpool_submit(pool, svc_call_run, svc_call_new(c, job, done, arg));
}

void
svc_store_call(struct net_conn *c, void (*job)(void *arg), void (*done)(void *arg), void *arg)
{
	struct svc_env *env = net_conn_listener_arg(c);

	svc_pool_call(c, env->pool, job, done, arg);
}
