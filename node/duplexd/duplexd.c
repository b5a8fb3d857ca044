/*
 * duplexd.c - the Duplex store daemon.
 *
 * duplexd -c FILE      run in the foreground, logging to stderr
 * duplexd -c FILE -d   daemonize; the parent exits 0 only once the daemon
 *                      serves, or 1 after the child has said why on stderr
 * duplexd -c FILE -t   check the config: exit 0, or 1 naming the line
 * duplexd [-c FILE] -p print every key with its value and documentation
 *
 * Start-up order: config, descriptor limit, owner lock on data_dir, pid
 * file, run directory, TLS and listeners (bound as root), privilege drop,
 * store, control socket, worker threads, then signals. SIGTERM and SIGINT
 * stop gracefully: no new connections, every session says goodbye, running
 * commands finish and queued commits land. SIGHUP reloads the certificate
 * and reloadable keys.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auth/auth_gate.h"
#include "conf/conf.h"
#include "ctl/ctl.h"
#include "duplexd/daemon.h"
#include "duplexd/services.h"
#include "imap/imap_session.h"
#include "net/net.h"
#include "relay/relay.h"
#include "svc/svc.h"
#include "tls/tls.h"
#include "store/store.h"
#include "util/lockfile.h"
#include "util/log.h"
#include "util/version.h"
#include "util/workpool.h"

#define DEFAULT_CONF "/etc/duplex/duplex.conf"

/* usage - the synopsis on stderr; exit 2 */
static void
usage(void)
{
	fprintf(stderr, "usage: duplexd [-c FILE] [-d | -t | -p]\n");
	exit(2);
}

/* reload - SIGHUP: the certificate, and the keys that can change without a restart */
static void
reload(const char *path, struct conf *live, struct tls *tls)
{
	struct conf c;
	char err[512];

	if (tls != NULL && tls_reload(tls, err, sizeof(err)) < 0)
		log_error(NULL, "reload: %s; keeping the old certificate", err);
	if (conf_load(path, &c, err, sizeof(err)) < 0) {
		log_error(NULL, "reload: %s; keeping the running config", err);
		return;
	}
	live->log_level = c.log_level;
	log_set_level((enum log_level)c.log_level);
	conf_free(&c);
	log_info(NULL, "reload: done");
}

/* signal_set - the signals serve() takes: stop on TERM and INT, reload on HUP */
static void
signal_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
}

/* serve - wait for signals until told to stop */
static void
serve(const char *path, struct conf *c, struct tls *tls)
{
	sigset_t set;
	int sig;

	signal_set(&set);
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGHUP) {
			reload(path, c, tls);
			continue;
		}
		log_info(NULL, "stopping on signal %d", sig);
		return;
	}
}

/* the command line */
struct duplexd_args {
	const char *path;
	bool daemonize, test, print, have_path;
};

/* the running daemon: what the start-up steps build and shut_down releases */
struct duplexd {
	struct conf c;
	struct svc_env env;
	struct ctl_daemon info;
	struct tls *tls;
	struct net *net;
	struct store *st;
	struct relay *relay;
};

/* daemon_load - status's view of the connections and the logins being checked */
static void
daemon_load(void *arg, struct ctl_load *out)
{
	struct duplexd *d = arg;

	out->connections = net_connections(d->net);
	out->logins = auth_gate_inflight(d->env.auth_gate, NULL);
	out->logins_total = auth_gate_admitted(d->env.auth_gate);
}

/* parse_args - the options; -V answers and exits here */
static void
parse_args(int argc, char **argv, struct duplexd_args *a)
{
	int opt;

	*a = (struct duplexd_args){ .path = DEFAULT_CONF };
	while ((opt = getopt(argc, argv, "c:dtpV")) != -1) {
		switch (opt) {
		case 'c': a->path = optarg; a->have_path = true; break;
		case 'd': a->daemonize = true; break;
		case 't': a->test = true; break;
		case 'p': a->print = true; break;
		case 'V': printf("duplexd %s\n", DUPLEX_VERSION); exit(0);
		default: usage();
		}
	}
	if (optind != argc)
		usage();
}

/*
 * config_ready - load and check the config into c; false when the process
 * ends here (-p, -t or a bad config) with *status_r its exit status
 */
static bool
config_ready(const struct duplexd_args *a, struct conf *c, int *status_r)
{
	char err[1024];

	*status_r = 0;
	if (a->print && !a->have_path) {
		conf_defaults(c);
		conf_print(stdout, c);
		return false;
	}
	if (conf_load(a->path, c, err, sizeof(err)) < 0) {
		fprintf(stderr, "duplexd: %s\n", err);
		*status_r = 1;
		return false;
	}
	if (a->print) {
		conf_print(stdout, c);
		return false;
	}
	if (relay_check(c, err, sizeof(err)) < 0) {
		fprintf(stderr, "duplexd: %s: %s\n", a->path, err);
		conf_free(c);
		*status_r = 1;
		return false;
	}
	if (a->test) {
		printf("duplexd: %s: config ok\n", a->path);
		return false;
	}
	return true;
}

/* block_signals - serve() takes the signals by sigwait; every thread inherits the mask */
static void
block_signals(void)
{
	sigset_t set;

	signal_set(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* start_listeners - the event loops, TLS and every listener, bound while still root */
static void
start_listeners(struct duplexd *d)
{
	struct net_config nc = { 0 };
	char err[1024];

	nc.threads = (unsigned)d->c.worker_threads;
	nc.max_conn_per_ip = (unsigned)d->c.max_connections_per_ip;
	nc.max_conn = (unsigned)d->c.max_connections;
	d->net = net_new(&nc);
	if (services_need_tls(&d->c)) {
		if ((d->tls = tls_new(d->c.tls_cert, d->c.tls_key, err, sizeof(err))) == NULL)
			log_fatal("TLS: %s", err);
		tls_attach(d->tls, d->net);
	}
	d->env.conf = &d->c;
	d->env.hostname = *d->c.hostname ? d->c.hostname : NULL;
	if (services_bind(d->net, &d->c, &d->env) < 0)
		log_fatal("cannot listen; see above");
}

/* start_store - the store, and the pools and gate the sessions reach it through */
static void
start_store(struct duplexd *d)
{
	struct store_opts so;
	char err[1024];

	ctl_store_opts(&d->c, &so);
	if (store_open(d->c.data_dir, &so, &d->st, err, sizeof(err)) < 0)
		log_fatal("cannot open the store in %s: %s", d->c.data_dir, err);
	d->env.st = d->st;
	/* every committed change, whoever made it, reaches the sessions that watch it */
	store_set_change_hook(d->st, imap_notify_mailbox, NULL);
	d->env.pool = workpool_new((unsigned)d->c.store_threads);
	d->env.auth_pool = workpool_new((unsigned)d->c.auth_threads);
	d->env.auth_gate = auth_gate_new((unsigned)(d->c.auth_threads + d->c.auth_queue),
	    (unsigned)d->c.auth_attempts_per_ip);
}

/* start_serving - the control socket, the worker threads and the relay: from here on we serve */
static void
start_serving(struct duplexd *d)
{
	int rc;

	d->info.started = time(NULL);
	d->info.pid = getpid();
	d->info.load = daemon_load;
	d->info.load_arg = d;
	if ((rc = ctl_serve_start(d->c.control_socket, d->st, &d->c, &d->info)) < 0)
		log_fatal("control socket %s: %s", d->c.control_socket, strerror(-rc));
	if (net_start(d->net) < 0)
		log_fatal("cannot start the worker threads");
	d->relay = relay_start(d->st, &d->c, d->env.hostname);
	log_info(NULL, "duplexd %s serving %s", DUPLEX_VERSION, d->c.data_dir);
}

/* shut_down - no new connections, then the relay, the pools, the control socket and the store */
static void
shut_down(struct duplexd *d)
{
	net_stop(d->net);
	relay_stop(&d->relay);
	workpool_free(&d->env.pool);
	workpool_free(&d->env.auth_pool);
	ctl_serve_stop();	/* before what status reads is freed */
	auth_gate_free(&d->env.auth_gate);
	store_close(&d->st);
	net_free(&d->net);
	tls_free(&d->tls);
	daemon_cleanup(&d->c);
	log_info(NULL, "stopped");
	conf_free(&d->c);
}

int
main(int argc, char **argv)
{
	struct duplexd_args a;
	struct duplexd d = { 0 };
	int status;

	parse_args(argc, argv, &a);
	if (!config_ready(&a, &d.c, &status))
		return status;
	block_signals();
	if (a.daemonize)
		daemon_detach();
	log_open("duplexd", true, (enum log_level)d.c.log_level);
	daemon_raise_nofile();
	daemon_prepare(&d.c);
	start_listeners(&d);
	daemon_drop_privileges(&d.c);
	start_store(&d);
	start_serving(&d);
	if (a.daemonize)
		daemon_ready(d.c.log_level);
	serve(a.path, &d.c, d.tls);
	shut_down(&d);
	return 0;
}
