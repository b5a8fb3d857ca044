/*
 * netecho.c - a trivial line server on the network core, for script tests.
 *
 * Greets "* OK netecho", echoes each line, and knows four commands:
 * STARTTLS (upgrade in place), SLOW (answer "SLOW paused" and pause reading;
 * another thread resumes the session 200 ms later through net_loop_post(),
 * as the store's commit writer will, and it answers "SLOW done"), TLS? (is
 * this connection encrypted), QUIT. On shutdown it sends "* BYE". SIGHUP
 * reloads the certificate; SIGTERM stops gracefully.
 * Prints "ready" on stdout once listening.
 *
 * usage: netecho -l host:port [-s host:port] [-c cert -k key] [-i idle_ms]
 *                [-m max_per_ip] [-L max_line] [-t threads] [-I max_input]
 *                [-H handshake_ms]
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net/net.h"
#include "tls/tls.h"
#include "util/log.h"
#include "util/xalloc.h"

struct echo {
	struct net_conn *c;
};

static unsigned idle_ms;
static size_t max_line = 1024;

static void *
echo_open(struct net_conn *c)
{
	struct echo *e = xcalloc(1, sizeof(*e));

	e->c = c;
	net_conn_set_idle_timeout(c, idle_ms);
	net_conn_set_max_line(c, max_line);
	net_conn_printf(c, "* OK netecho\r\n");
	return e;
}

/* echo_slow_done - on the session's loop: the "commit" completed */
static void
echo_slow_done(void *arg)
{
	struct echo *e = arg;

	net_conn_printf(e->c, "SLOW done\r\n");
	net_conn_resume(e->c);
}

/* echo_slow_thread - stands in for the commit writer: finish later, elsewhere */
static void *
echo_slow_thread(void *arg)
{
	struct echo *e = arg;
	struct timespec ts = { 0, 200 * 1000 * 1000 };

	nanosleep(&ts, NULL);
	if (net_loop_post(net_conn_loop(e->c), echo_slow_done, e) < 0)
		log_error(net_conn_id(e->c), "post after stop");
	return NULL;
}

/* echo_command - one line; false when no more lines may be taken now */
static bool
echo_command(struct echo *e, const char *line, size_t len)
{
	struct net_conn *c = e->c;
	pthread_t t;

	if (strcmp(line, "QUIT") == 0) {
		net_conn_printf(c, "* BYE bye\r\n");
		net_conn_close(c);
		return false;
	}
	if (strcmp(line, "STARTTLS") == 0) {
		if (!net_conn_can_starttls(c)) {
			net_conn_printf(c, "-ERR TLS not available\r\n");
			return true;
		}
		net_conn_printf(c, "OK begin TLS\r\n");
		net_conn_starttls(c);
		return false;
	}
	if (strcmp(line, "SLOW") == 0) {
		/* so a client knows SLOW was read, not left waiting in the input */
		net_conn_printf(c, "SLOW paused\r\n");
		net_conn_pause(c);
		if (pthread_create(&t, NULL, echo_slow_thread, e) != 0)
			log_panic("pthread_create");
		pthread_detach(t);
		return false;
	}
	if (strcmp(line, "TLS?") == 0) {
		net_conn_printf(c, "TLS %s\r\n", net_conn_is_tls(c) ? "yes" : "no");
		return true;
	}
	net_conn_write(c, line, len);
	net_conn_write(c, "\r\n", 2);
	return true;
}

static void
echo_input(struct net_conn *c, void *session)
{
	char *line;
	size_t len;
	int rc;

	while ((rc = net_conn_getline(c, &line, &len)) != NET_EAGAIN) {
		if (rc == NET_ETOOLONG)
			net_conn_printf(c, "-ERR line too long\r\n");
		else if (!echo_command(session, line, len))
			break;
	}
}

static void
echo_shutdown(struct net_conn *c, void *session)
{
	net_conn_printf(c, "* BYE server shutting down\r\n");
}

static void
echo_timeout(struct net_conn *c, void *session)
{
	net_conn_printf(c, "* BYE idle timeout\r\n");
}

static void
echo_close(struct net_conn *c, void *session)
{
	free(session);
}

static void
echo_too_many(struct net_conn *c, bool all)
{
	net_conn_printf(c, "* BYE too many connections %s%s\r\n", all ? "in all" : "from ",
	    all ? "" : net_conn_peer(c));
}

static const struct net_proto echo_proto = {
	.name = "netecho",
	.on_open = echo_open,
	.on_input = echo_input,
	.on_shutdown = echo_shutdown,
	.on_timeout = echo_timeout,
	.on_close = echo_close,
	.on_too_many = echo_too_many,
};

int
main(int argc, char **argv)
{
	struct net_config cfg = { 0 };
	const char *plain = NULL, *secure = NULL, *cert = NULL, *key = NULL;
	struct tls *tls = NULL;
	struct net *n;
	char err[512];
	sigset_t sigs;
	int opt, sig;

	while ((opt = getopt(argc, argv, "l:s:c:k:i:m:L:t:I:H:")) != -1) {
		switch (opt) {
		case 'l': plain = optarg; break;
		case 's': secure = optarg; break;
		case 'c': cert = optarg; break;
		case 'k': key = optarg; break;
		case 'i': idle_ms = (unsigned)atoi(optarg); break;
		case 'm': cfg.max_conn_per_ip = (unsigned)atoi(optarg); break;
		case 'L': max_line = (size_t)atol(optarg); break;
		case 't': cfg.threads = (unsigned)atoi(optarg); break;
		case 'I': cfg.max_input = (size_t)atol(optarg); break;
		case 'H': cfg.handshake_timeout_ms = (unsigned)atoi(optarg); break;
		default:
			fprintf(stderr, "usage: netecho -l host:port [-s host:port] [-c cert -k key] "
			    "[-i idle_ms] [-m max_per_ip] [-L max_line] [-t threads] [-I max_input] "
			    "[-H handshake_ms]\n");
			return 2;
		}
	}
	log_open("netecho", true, LOG_LEVEL_INFO);
	if (plain == NULL)
		log_fatal("-l host:port is required");
	n = net_new(&cfg);
	if (cert && key) {
		if ((tls = tls_new(cert, key, err, sizeof(err))) == NULL)
			log_fatal("%s", err);
		tls_attach(tls, n);
	}
	if (net_bind(n, plain, &echo_proto, 0, NULL) < 0 ||
	    (secure && net_bind(n, secure, &echo_proto, NET_LISTEN_TLS, NULL) < 0))
		log_fatal("cannot listen");
	/* the worker threads inherit this mask, so only sigwait() sees these */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	net_start(n);
	printf("ready\n");
	fflush(stdout);
	while (sigwait(&sigs, &sig) == 0 && sig == SIGHUP) {
		if (tls)
			tls_reload(tls, err, sizeof(err));
	}
	log_info("-", "stopping");
	net_stop(n);
	net_free(&n);
	tls_free(&tls);
	return 0;
}
