/*
 * conf.h - the duplex.conf file: one "key = value" per line, '#' comments.
 *
 * Every key is one row of the table in conf.c: name, type, default, minimum,
 * maximum and a line of documentation. An unknown key, a bad value or a
 * value outside its bounds is an error naming the line. The same file is
 * deployed to both nodes; mutable data lives in LMDB, not here.
 *
 * Ownership: conf_load() fills a struct conf whose strings it owns;
 * conf_free() releases them.
 */
#ifndef DUPLEX_CONF_H
#define DUPLEX_CONF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* relay_tls: how the relay worker uses STARTTLS with the smart host */
enum conf_relay_tls {
	CONF_RELAY_TLS_REQUIRED,	/* starttls-required: no TLS, no delivery; not verified */
	CONF_RELAY_TLS_MAY,		/* starttls: when the smart host offers it */
	CONF_RELAY_TLS_NONE,		/* none: never (a smart host on loopback) */
	CONF_RELAY_TLS_VERIFY,		/* verify: required, chain and name checked */
};

struct conf {
	char *data_dir;
	char *lock_dir;
	char *control_socket;
	char *pid_file;
	int log_level;		/* enum log_level */
	char *user;
	uint64_t map_size;
	uint64_t max_message_size;

	/* listeners: "host:port", or "" for off */
	char *imap_listen;
	char *imaps_listen;
	char *pop3_listen;
	char *pop3s_listen;
	char *managesieve_listen;
	char *lmtp_listen;
	char *smtp_listen;
	char *submission_listen;
	char *submissions_listen;
	char *tls_cert;
	char *tls_key;
	bool allow_plaintext_auth;
	uint64_t auth_threads;
	uint64_t auth_queue;		/* attempts waiting beyond auth_threads */
	uint64_t auth_attempts_per_ip;
	char *hostname;			/* empty: the system's */
	uint64_t worker_threads;
	uint64_t store_threads;
	uint64_t max_connections;
	uint64_t max_connections_per_ip;
	uint64_t imap_login_timeout;	/* seconds, before login */
	uint64_t imap_idle_timeout;	/* seconds */
	uint64_t imap_max_line;
	uint64_t imap_metadata_max_size;	/* bytes of a user's METADATA values together */
	uint64_t imap_metadata_max_entries;	/* a user's METADATA entries */
	uint64_t sieve_max_script_size;	/* bytes of one Sieve script */
	uint64_t sieve_max_nesting;	/* Sieve blocks and tests inside each other */
	uint64_t sieve_max_actions;	/* actions one Sieve run may take */
	uint64_t sieve_max_redirects;	/* redirects one Sieve run may take */
	uint64_t sieve_max_steps;	/* commands, tests and comparisons one Sieve run may execute */
	char *imap_metadata_admin;	/* the server's /shared/admin; "" for none */
	uint64_t pop3_login_timeout;	/* seconds, before login */
	uint64_t pop3_idle_timeout;	/* seconds */
	uint64_t managesieve_login_timeout;	/* seconds, before login */
	uint64_t managesieve_idle_timeout;	/* seconds */
	uint64_t sieve_max_scripts;	/* a user's Sieve scripts; 0: unlimited */
	uint64_t sieve_max_user_size;	/* bytes of a user's Sieve sources together; 0: unlimited */

	/* LMTP and relay SMTP */
	char *lmtp_trusted_networks;	/* comma-separated CIDRs */
	char *smtp_trusted_networks;	/* comma-separated CIDRs */
	uint64_t smtp_max_recipients;
	uint64_t smtp_max_line;
	uint64_t smtp_idle_timeout;	/* seconds */

	/* submission and the outbound queue */
	uint64_t submission_max_recipients;
	char *relay_host;		/* smart host "host:port"; "" keeps mail queued */
	int relay_tls;			/* enum conf_relay_tls */
	char *relay_tls_ca_file;	/* PEM CAs for verify; "" is the system's trust store */
	char *relay_tls_name;		/* name the certificate must carry; "" is relay_host's */
	char *forward_srs_secret;	/* SRS for forwarded mail; "" is off */
	uint64_t queue_lifetime;	/* seconds before a queued message bounces */

	/* store policy */
	uint64_t quota_warn_percent;
	char *quota_purge_folders;	/* comma-separated, tried in order */
	uint64_t commit_batch_max;
};

/* conf_defaults - fill c with every key's default */
void conf_defaults(struct conf *c);
/*
 * conf_load - defaults, then the file at path on top. Returns 0, or -1 with
 * a message like "duplex.conf:12: unknown key 'foo'" in err.
 */
int conf_load(const char *path, struct conf *c, char *err, size_t errlen);
/* conf_parse - the same from an open stream; name is used in messages */
int conf_parse(FILE *fp, const char *name, struct conf *c, char *err, size_t errlen);
/* conf_set - set one key from text, as a line of the file would */
int conf_set(struct conf *c, const char *key, const char *value, char *err, size_t errlen);
void conf_free(struct conf *c);
/* conf_print - every key with its value (or default) and its documentation */
void conf_print(FILE *fp, const struct conf *c);
/* conf_parse_size - "64M", "1G", "512" into bytes; -1 on bad syntax */
int conf_parse_size(const char *s, uint64_t *out);
/* conf_parse_duration - "90", "90s", "15m", "1h", "5d" into seconds; -1 on bad syntax */
int conf_parse_duration(const char *s, uint64_t *out);

#endif
