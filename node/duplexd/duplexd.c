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

static void
usage(void)
{
	fprintf(stderr, "usage: duplexd [-c FILE] [-d | -t | -p]\n");
	exit(2);
}

/* store_opts_from - the store's part of the config */
static void
store_opts_from(const struct conf *c, struct store_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->map_size = c->map_size;
	o->max_message_size = c->max_message_size;
	o->quota_warn_percent = (unsigned)c->quota_warn_percent;
	o->quota_purge_folders = c->quota_purge_folders;
	o->commit_batch_max = (unsigned)c->commit_batch_max;
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

/* what daemon_load reads */
struct daemon_parts {
	struct net *net;
	struct auth_gate *auth_gate;
};

/* daemon_load - status's view of the connections and the logins being checked */
static void
daemon_load(void *arg, struct ctl_load *out)
{
	const struct daemon_parts *p = arg;

	out->connections = net_connections(p->net);
	out->logins = auth_gate_inflight(p->auth_gate, NULL);
	out->logins_total = auth_gate_admitted(p->auth_gate);
}

/* serve - wait for signals until told to stop */
static void
serve(const char *path, struct conf *c, struct tls *tls)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
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

int
main(int argc, char **argv)
{
	const char *path = DEFAULT_CONF;
	bool daemonize = false, test = false, print = false, have_path = false;
	struct ctl_daemon info;
	struct daemon_parts parts;
	struct svc_env env = { 0 };
	struct tls *tls = NULL;
	struct relay *relay;
	struct net *net;
	struct net_config nc = { 0 };
	struct store_opts so;
	struct store *st;
	struct conf c;
	char err[1024];
	sigset_t set;
	int opt, rc;

	while ((opt = getopt(argc, argv, "c:dtpV")) != -1) {
		switch (opt) {
		case 'c': path = optarg; have_path = true; break;
		case 'd': daemonize = true; break;
		case 't': test = true; break;
		case 'p': print = true; break;
		case 'V': printf("duplexd %s\n", DUPLEX_VERSION); return 0;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	if (print && !have_path) {
		conf_defaults(&c);
		conf_print(stdout, &c);
		return 0;
	}
	if (conf_load(path, &c, err, sizeof(err)) < 0) {
		fprintf(stderr, "duplexd: %s\n", err);
		return 1;
	}
	if (print) {
		conf_print(stdout, &c);
		return 0;
	}
	if (relay_check(&c, err, sizeof(err)) < 0) {
		fprintf(stderr, "duplexd: %s: %s\n", path, err);
		conf_free(&c);
		return 1;
	}
	if (test) {
		printf("duplexd: %s: config ok\n", path);
		return 0;
	}

	/* signals are taken by sigwait in serve(); every thread inherits the mask */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (daemonize)
		daemon_detach();
	log_open("duplexd", true, (enum log_level)c.log_level);
	daemon_raise_nofile();
	daemon_prepare(&c);

	nc.threads = (unsigned)c.worker_threads;
	nc.max_conn_per_ip = (unsigned)c.max_connections_per_ip;
	nc.max_conn = (unsigned)c.max_connections;
	net = net_new(&nc);
	if (services_need_tls(&c)) {
		if ((tls = tls_new(c.tls_cert, c.tls_key, err, sizeof(err))) == NULL)
			log_fatal("TLS: %s", err);
		tls_attach(tls, net);
	}
	env.conf = &c;
	env.hostname = *c.hostname ? c.hostname : NULL;
	if (services_bind(net, &c, &env) < 0)
		log_fatal("cannot listen; see above");
	daemon_drop_privileges(&c);

	store_opts_from(&c, &so);
	if ((rc = store_open(c.data_dir, &so, &st, err, sizeof(err))) < 0)
		log_fatal("cannot open the store in %s: %s", c.data_dir, err);
	env.st = st;
	/* every committed change, whoever made it, reaches the sessions that watch it */
	store_set_change_hook(st, imap_notify_mailbox, NULL);
	env.pool = workpool_new((unsigned)c.store_threads);
	env.auth_pool = workpool_new((unsigned)c.auth_threads);
	env.auth_gate = auth_gate_new((unsigned)(c.auth_threads + c.auth_queue),
	    (unsigned)c.auth_attempts_per_ip);
	info.started = time(NULL);
	info.pid = getpid();
	parts.net = net;
	parts.auth_gate = env.auth_gate;
	info.load = daemon_load;
	info.load_arg = &parts;
	if ((rc = ctl_serve_start(c.control_socket, st, &c, &info)) < 0)
		log_fatal("control socket %s: %s", c.control_socket, strerror(-rc));
	if (net_start(net) < 0)
		log_fatal("cannot start the worker threads");
	relay = relay_start(st, &c, env.hostname);
	log_info(NULL, "duplexd %s serving %s", DUPLEX_VERSION, c.data_dir);
	if (daemonize)
		daemon_ready(c.log_level);

	serve(path, &c, tls);

	net_stop(net);
	relay_stop(&relay);
	workpool_free(&env.pool);
	workpool_free(&env.auth_pool);
	ctl_serve_stop();	/* before what status reads is freed */
	auth_gate_free(&env.auth_gate);
	store_close(&st);
	net_free(&net);
	tls_free(&tls);
	daemon_cleanup(&c);
	log_info(NULL, "stopped");
	conf_free(&c);
	return 0;
}
