/*
 * services.c - which protocol serves which *_listen key.
 *
 * A key whose protocol is not in the table yet is skipped with a warning at
 * start, so that a configured port is never silently left unserved.
 */
#include "duplexd/services.h"

#include <stddef.h>

#include "conf/conf.h"
#include "imap/imap_session.h"
#include "managesieve/managesieve.h"
#include "net/net.h"
#include "pop3/pop3.h"
#include "smtp/smtp.h"
#include "svc/svc.h"
#include "util/log.h"

struct service {
	const char *key;
	size_t conf_off;		/* of the char * listen value in struct conf */
	const struct net_proto *proto;	/* NULL: not served yet */
	unsigned flags;			/* NET_LISTEN_TLS for implicit TLS */
};

#define KEY(k) #k, offsetof(struct conf, k)

static const struct service services[] = {
	{ KEY(imap_listen), &imap_proto, 0 },
	{ KEY(imaps_listen), &imap_proto, NET_LISTEN_TLS },
	{ KEY(pop3_listen), &pop3_proto, 0 },
	{ KEY(pop3s_listen), &pop3_proto, NET_LISTEN_TLS },
	{ KEY(managesieve_listen), &managesieve_proto, 0 },
	{ KEY(lmtp_listen), &smtp_proto_lmtp, 0 },
	{ KEY(smtp_listen), &smtp_proto_smtp, 0 },
	{ KEY(submission_listen), &smtp_proto_submission, 0 },
	{ KEY(submissions_listen), &smtp_proto_submission, NET_LISTEN_TLS },
};

#define NSERVICES (sizeof(services) / sizeof(services[0]))

/* listen_value - the configured "host:port" of a row, "" when off */
static const char *
listen_value(const struct conf *c, const struct service *s)
{
	return *(char *const *)((const char *)c + s->conf_off);
}

bool
services_need_tls(const struct conf *c)
{
	for (size_t i = 0; i < NSERVICES; i++)
		if (*listen_value(c, &services[i]) && services[i].proto != NULL)
			return true;
	return false;
}

int
services_bind(struct net *n, const struct conf *c, struct svc_env *env)
{
	for (size_t i = 0; i < NSERVICES; i++) {
		const struct service *s = &services[i];
		const char *hp = listen_value(c, s);
		int rc;

		if (*hp == '\0')
			continue;
		if (s->proto == NULL) {
			log_warn(NULL, "%s = %s: not served by this version", s->key, hp);
			continue;
		}
		if ((rc = net_bind(n, hp, s->proto, s->flags, env)) < 0) {
			log_error(NULL, "%s = %s: %s", s->key, hp, net_strerror(rc));
			return -1;
		}
	}
	return 0;
}
