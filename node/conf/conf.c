/*
 * conf.c - table-driven parser for duplex.conf; see conf.h.
 *
 * To add a key: add a field to struct conf and one row to conf_table.
 */
#include "conf.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/conf_lines.h"
#include "util/cidr.h"
#include "util/hostport.h"
#include "util/log.h"
#include "util/xalloc.h"

enum conf_type { CT_STR, CT_PATH, CT_SIZE, CT_UINT, CT_BOOL, CT_LEVEL, CT_LISTEN, CT_CIDRS, CT_DURATION,
	CT_RELAY_TLS };

struct conf_row {
	const char *name;
	enum conf_type type;
	size_t offset;
	const char *def;
	uint64_t min, max;	/* for CT_SIZE, CT_UINT and CT_DURATION */
	const char *doc;
};

#define F(field) offsetof(struct conf, field)
#define KiB (UINT64_C(1) << 10)
#define MiB (UINT64_C(1) << 20)
#define GiB (UINT64_C(1) << 30)
#define TiB (UINT64_C(1) << 40)

static const struct conf_row conf_table[] = {
	{ "data_dir", CT_PATH, F(data_dir), "/srv/duplex", 0, 0,
	  "directory of the LMDB environment (the DRBD-backed filesystem in a cluster)" },
	{ "lock_dir", CT_PATH, F(lock_dir), "", 0, 0,
	  "directory of LMDB's lock file (its table of readers), on local memory such as /run/duplex; "
	  "empty: beside the data. Set it when data_dir is on DRBD: readers then never wait for the "
	  "replicated disk, which DRBD freezes while a lost peer is fenced" },
	{ "control_socket", CT_PATH, F(control_socket), "/run/duplex/control.sock", 0, 0,
	  "unix socket for duplexctl, duplex-hb and the OCF monitor" },
	{ "pid_file", CT_PATH, F(pid_file), "/run/duplex/duplexd.pid", 0, 0,
	  "written by duplexd -d" },
	{ "log_level", CT_LEVEL, F(log_level), "info", 0, 0,
	  "debug, info, warn or error" },
	{ "user", CT_STR, F(user), "duplex", 0, 0,
	  "account duplexd drops to after binding its ports (empty: stay as started, which as "
	  "root logs a warning)" },
	{ "map_size", CT_SIZE, F(map_size), "256G", 16 * MiB, 64 * TiB,
	  "LMDB map size; sparse, so it costs address space, not disk" },
	{ "max_message_size", CT_SIZE, F(max_message_size), "50M", 1 * KiB, 2 * GiB,
	  "largest message accepted by any path" },
	{ "imap_listen", CT_LISTEN, F(imap_listen), "0.0.0.0:143", 0, 0, "IMAP with STARTTLS" },
	{ "imaps_listen", CT_LISTEN, F(imaps_listen), "0.0.0.0:993", 0, 0, "IMAP over implicit TLS" },
	{ "pop3_listen", CT_LISTEN, F(pop3_listen), "0.0.0.0:110", 0, 0, "POP3 with STLS" },
	{ "pop3s_listen", CT_LISTEN, F(pop3s_listen), "0.0.0.0:995", 0, 0, "POP3 over implicit TLS" },
	{ "managesieve_listen", CT_LISTEN, F(managesieve_listen), "0.0.0.0:4190", 0, 0,
	  "ManageSieve (RFC 5804) with STARTTLS, for users' Sieve scripts" },
	{ "lmtp_listen", CT_LISTEN, F(lmtp_listen), "127.0.0.1:24", 0, 0, "LMTP from the relay MTA" },
	{ "smtp_listen", CT_LISTEN, F(smtp_listen), "", 0, 0, "SMTP from the relay MTA (local recipients only)" },
	{ "submission_listen", CT_LISTEN, F(submission_listen), "", 0, 0,
	  "authenticated submission with STARTTLS" },
	{ "submissions_listen", CT_LISTEN, F(submissions_listen), "", 0, 0,
	  "authenticated submission over implicit TLS" },
	{ "tls_cert", CT_PATH, F(tls_cert), "/etc/duplex/tls/cert.pem", 0, 0,
	  "PEM certificate chain; reloaded on SIGHUP" },
	{ "tls_key", CT_PATH, F(tls_key), "/etc/duplex/tls/key.pem", 0, 0,
	  "PEM private key; reloaded on SIGHUP" },
	{ "allow_plaintext_auth", CT_BOOL, F(allow_plaintext_auth), "no", 0, 0,
	  "allow passwords on connections without TLS" },
	{ "auth_threads", CT_UINT, F(auth_threads), "2", 1, 256,
	  "threads checking passwords (yescrypt), apart from store_threads so logins never delay deliveries" },
	{ "auth_queue", CT_UINT, F(auth_queue), "64", 0, 100000,
	  "login attempts that may wait for an auth thread; past it logins fail with a temporary error" },
	{ "auth_attempts_per_ip", CT_UINT, F(auth_attempts_per_ip), "16", 1, 100000,
	  "login attempts one client address may have waiting or running at once; more fail with a "
	  "temporary error" },
	{ "hostname", CT_STR, F(hostname), "", 0, 0,
	  "name in greetings and Received: headers (empty: the system's host name)" },
	{ "worker_threads", CT_UINT, F(worker_threads), "4", 1, 256,
	  "event loop threads serving connections" },
	{ "store_threads", CT_UINT, F(store_threads), "64", 1, 4096,
	  "threads waiting on durable commits for connections; bounds group commit" },
	{ "max_connections", CT_UINT, F(max_connections), "1000", 0, 1000000,
	  "client connections duplexd holds open in all, every service together; more are "
	  "refused at once (0: unlimited; keep it below the descriptor limit)" },
	{ "max_connections_per_ip", CT_UINT, F(max_connections_per_ip), "50", 0, 1000000,
	  "connections one client address may hold open (0: unlimited)" },
	{ "imap_login_timeout", CT_UINT, F(imap_login_timeout), "180", 1, 86400,
	  "seconds an IMAP client may stay silent before it has logged in (Dovecot: at most 180)" },
	{ "imap_idle_timeout", CT_UINT, F(imap_idle_timeout), "1800", 10, 86400,
	  "seconds an IMAP client may stay silent, IDLE included (RFC 3501: at least 1800)" },
	{ "imap_max_line", CT_SIZE, F(imap_max_line), "64K", 1 * KiB, 16 * MiB,
	  "longest IMAP command line, literal data excluded" },
	{ "imap_metadata_max_size", CT_SIZE, F(imap_metadata_max_size), "1M", 0, 1 * GiB,
	  "bytes of one user's METADATA values together, server and mailboxes (RFC 5464); "
	  "past it SETMETADATA is NO [METADATA MAXSIZE n]" },
	{ "imap_metadata_max_entries", CT_UINT, F(imap_metadata_max_entries), "1000", 0, 1000000,
	  "METADATA entries one user may have; past it SETMETADATA is NO [METADATA TOOMANY]" },
	{ "sieve_max_script_size", CT_SIZE, F(sieve_max_script_size), "256K", 1 * KiB, 16 * MiB,
	  "bytes of one Sieve script; a longer one does not compile" },
	{ "sieve_max_nesting", CT_UINT, F(sieve_max_nesting), "32", 1, 1000,
	  "Sieve blocks and tests inside each other; deeper does not compile" },
	{ "sieve_max_actions", CT_UINT, F(sieve_max_actions), "32", 1, 10000,
	  "actions one Sieve run may take; past it the run fails and the message is kept" },
	{ "sieve_max_redirects", CT_UINT, F(sieve_max_redirects), "4", 0, 1000,
	  "redirects one Sieve run may take; past it the run fails and the message is kept" },
	{ "sieve_max_steps", CT_UINT, F(sieve_max_steps), "100000", 100, 100000000,
	  "commands, tests and comparisons one Sieve run may execute (its running time); past it "
	  "the run fails and the message is kept" },
	{ "imap_metadata_admin", CT_STR, F(imap_metadata_admin), "", 0, 0,
	  "URI of the server's administrator (mailto:...), shown as the /shared/admin METADATA "
	  "entry (empty: none)" },
	{ "lmtp_trusted_networks", CT_CIDRS, F(lmtp_trusted_networks), "127.0.0.0/8,::1/128", 0, 0,
	  "comma-separated CIDRs allowed to connect to lmtp_listen (the relay MTA); "
	  "others get 554 5.7.1" },
	{ "smtp_trusted_networks", CT_CIDRS, F(smtp_trusted_networks), "127.0.0.0/8,::1/128", 0, 0,
	  "comma-separated CIDRs allowed to connect to smtp_listen (the relay MTA)" },
	{ "smtp_max_recipients", CT_UINT, F(smtp_max_recipients), "1000", 1, 100000,
	  "recipients accepted per LMTP/SMTP transaction; more get 452 4.5.3" },
	{ "smtp_max_line", CT_UINT, F(smtp_max_line), "2048", 512, 65536,
	  "longest LMTP/SMTP command line in bytes; longer gets 500 5.5.2" },
	{ "smtp_idle_timeout", CT_UINT, F(smtp_idle_timeout), "300", 1, 86400,
	  "seconds an LMTP/SMTP connection may stay silent before 421 4.4.2" },
	{ "pop3_login_timeout", CT_UINT, F(pop3_login_timeout), "180", 1, 86400,
	  "seconds a POP3 client may stay silent before it has logged in" },
	{ "pop3_idle_timeout", CT_UINT, F(pop3_idle_timeout), "600", 1, 86400,
	  "seconds a POP3 session may stay silent before it is closed (RFC 1939: 600)" },
	{ "managesieve_login_timeout", CT_UINT, F(managesieve_login_timeout), "180", 1, 86400,
	  "seconds a ManageSieve client may stay silent before it has logged in" },
	{ "managesieve_idle_timeout", CT_UINT, F(managesieve_idle_timeout), "1800", 1, 86400,
	  "seconds a ManageSieve session may stay silent before it is closed" },
	{ "sieve_max_scripts", CT_UINT, F(sieve_max_scripts), "20", 0, 100000,
	  "Sieve scripts one user may have (0: unlimited); past it PUTSCRIPT is NO (QUOTA/MAXSCRIPTS)" },
	{ "sieve_max_user_size", CT_SIZE, F(sieve_max_user_size), "1M", 0, 1 * GiB,
	  "bytes of one user's Sieve scripts together, sources counted (0: unlimited); past it "
	  "PUTSCRIPT is NO (QUOTA/MAXSIZE)" },
	{ "submission_max_recipients", CT_UINT, F(submission_max_recipients), "100", 1, 100000,
	  "recipients accepted per submission transaction; more get 452 4.5.3" },
	{ "relay_host", CT_LISTEN, F(relay_host), "", 0, 0,
	  "smart host host:port that submitted mail for other domains is relayed to "
	  "(empty: such mail stays queued, with a warning)" },
	{ "relay_tls", CT_RELAY_TLS, F(relay_tls), "starttls", 0, 0,
	  "STARTTLS to the smart host: verify (required; the certificate must lead to a CA of "
	  "relay_tls_ca_file and carry relay_tls_name), starttls-required (required, the "
	  "certificate not verified), starttls (when offered, not verified) or none" },
	{ "relay_tls_ca_file", CT_PATH, F(relay_tls_ca_file), "", 0, 0,
	  "PEM file of the CAs trusted for relay_tls = verify (empty: the system's trust store)" },
	{ "relay_tls_name", CT_STR, F(relay_tls_name), "", 0, 0,
	  "name (or IP address) the smart host's certificate must carry for relay_tls = verify, "
	  "also sent as SNI (empty: relay_host's host part)" },
	{ "forward_srs_secret", CT_STR, F(forward_srs_secret), "", 0, 0,
	  "secret of the Sender Rewriting Scheme: when set, mail that forwards and Sieve redirects "
	  "send to other domains leaves with its sender rewritten as SRS0=...@our-domain, and "
	  "bounces to such an address go back to the original sender (empty: senders kept)" },
	{ "queue_lifetime", CT_DURATION, F(queue_lifetime), "5d", 0, 60 * 86400,
	  "how long a queued message is retried before it bounces (s, m, h or d suffix; "
	  "0: the first temporary failure bounces)" },
	{ "quota_warn_percent", CT_UINT, F(quota_warn_percent), "90", 1, 100,
	  "usage at which the user is warned once, by log and by message" },
	{ "quota_purge_folders", CT_STR, F(quota_purge_folders), "Trash,Junk,INBOX", 0, 0,
	  "folders the purge-oldest quota policy deletes from, in order" },
	{ "commit_batch_max", CT_UINT, F(commit_batch_max), "256", 1, 65536,
	  "most write requests the writer groups into one commit" },
};

#define CONF_NROWS (sizeof(conf_table) / sizeof(conf_table[0]))

/* the relay_tls values, indexed by enum conf_relay_tls, for parsing and printing */
static const char *const relay_tls_names[] = {
	[CONF_RELAY_TLS_VERIFY] = "verify", [CONF_RELAY_TLS_REQUIRED] = "starttls-required",
	[CONF_RELAY_TLS_MAY] = "starttls", [CONF_RELAY_TLS_NONE] = "none",
};

static const struct conf_row *
conf_row_find(const char *key)
{
	for (size_t i = 0; i < CONF_NROWS; i++)
		if (strcmp(conf_table[i].name, key) == 0)
			return &conf_table[i];
	return NULL;
}

int
conf_parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	uint64_t mult = 1;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (toupper((unsigned char)*end)) {
	case '\0': break;
	case 'K': mult = KiB; end++; break;
	case 'M': mult = MiB; end++; break;
	case 'G': mult = GiB; end++; break;
	case 'T': mult = TiB; end++; break;
	default: return -1;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end != '\0' || (v && UINT64_MAX / mult < v))
		return -1;
	*out = v * mult;
	return 0;
}

int
conf_parse_duration(const char *s, uint64_t *out)
{
	static const struct { char suffix; uint64_t mult; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
	};
	char *end;
	unsigned long long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	if (*end == '\0') {
		*out = v;
		return 0;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (tolower((unsigned char)*end) == units[i].suffix && end[1] == '\0' &&
		    UINT64_MAX / units[i].mult >= v) {
			*out = v * units[i].mult;
			return 0;
		}
	return -1;
}

/* conf_apply_string - CT_STR, CT_PATH, CT_LISTEN, CT_CIDRS: checked by type, then copied */
static int
conf_apply_string(const struct conf_row *row, char **field, const char *value, char *err,
    size_t errlen)
{
	char host[256];
	unsigned port;

	if (row->type == CT_PATH && *value && *value != '/') {
		snprintf(err, errlen, "%s must be an absolute path", row->name);
		return -1;
	}
	if (row->type == CT_LISTEN && *value &&
	    hostport_split(value, host, sizeof(host), &port) < 0) {
		snprintf(err, errlen, "%s must be host:port or empty, not '%s'", row->name, value);
		return -1;
	}
	if (row->type == CT_CIDRS && !cidr_list_ok(value)) {
		snprintf(err, errlen, "%s must be comma-separated CIDR blocks "
		    "(like 10.0.0.0/8, ::1/128), not '%s'", row->name, value);
		return -1;
	}
	free(*field);
	*field = xstrdup(value);
	return 0;
}

/* conf_number_parse - a size takes a unit, a plain number none, a duration its own units */
static int
conf_number_parse(const struct conf_row *row, const char *value, uint64_t *n)
{
	if (row->type == CT_DURATION)
		return conf_parse_duration(value, n);
	if (conf_parse_size(value, n) < 0 ||
	    (row->type == CT_UINT && !isdigit((unsigned char)value[strlen(value) - 1])))
		return -1;
	return 0;
}

/* conf_apply_number - CT_SIZE, CT_UINT, CT_DURATION: parsed, then held to the row's bounds */
static int
conf_apply_number(const struct conf_row *row, uint64_t *field, const char *value, char *err,
    size_t errlen)
{
	uint64_t n;

	if (conf_number_parse(row, value, &n) < 0) {
		snprintf(err, errlen, "%s: '%s' is not a %s", row->name, value,
		    row->type == CT_SIZE ? "size (like 64M or 2G)" :
		    row->type == CT_UINT ? "number" : "duration (like 90s, 15m, 1h or 5d)");
		return -1;
	}
	if (n < row->min || n > row->max) {
		snprintf(err, errlen, "%s: %s is outside %" PRIu64 "..%" PRIu64 "%s", row->name, value,
		    row->min, row->max, row->type == CT_DURATION ? " seconds" : "");
		return -1;
	}
	*field = n;
	return 0;
}

/* conf_apply_relay_tls - CT_RELAY_TLS: the index of its name in relay_tls_names */
static int
conf_apply_relay_tls(const struct conf_row *row, int *field, const char *value, char *err,
    size_t errlen)
{
	for (size_t i = 0; i < sizeof(relay_tls_names) / sizeof(relay_tls_names[0]); i++)
		if (strcmp(value, relay_tls_names[i]) == 0) {
			*field = (int)i;
			return 0;
		}
	snprintf(err, errlen, "%s must be verify, starttls-required, starttls or none, not '%s'",
	    row->name, value);
	return -1;
}

/* conf_apply_bool - CT_BOOL: yes, true or 1; no, false or 0 */
static int
conf_apply_bool(const struct conf_row *row, bool *field, const char *value, char *err,
    size_t errlen)
{
	if (!strcasecmp(value, "yes") || !strcasecmp(value, "true") || !strcmp(value, "1"))
		*field = true;
	else if (!strcasecmp(value, "no") || !strcasecmp(value, "false") || !strcmp(value, "0"))
		*field = false;
	else {
		snprintf(err, errlen, "%s must be yes or no, not '%s'", row->name, value);
		return -1;
	}
	return 0;
}

/* conf_apply_level - CT_LEVEL: a log level by name */
static int
conf_apply_level(const struct conf_row *row, int *field, const char *value, char *err,
    size_t errlen)
{
	int lvl;

	if ((lvl = log_level_parse(value)) < 0) {
		snprintf(err, errlen, "%s must be debug, info, warn or error", row->name);
		return -1;
	}
	*field = lvl;
	return 0;
}

/* conf_apply - parse value for row into c; 0 or -1 with a reason in err */
static int
conf_apply(struct conf *c, const struct conf_row *row, const char *value, char *err, size_t errlen)
{
	void *field = (char *)c + row->offset;

	switch (row->type) {
	case CT_STR: case CT_PATH: case CT_LISTEN: case CT_CIDRS:
		return conf_apply_string(row, field, value, err, errlen);
	case CT_SIZE: case CT_UINT: case CT_DURATION:
		return conf_apply_number(row, field, value, err, errlen);
	case CT_RELAY_TLS:
		return conf_apply_relay_tls(row, field, value, err, errlen);
	case CT_BOOL:
		return conf_apply_bool(row, field, value, err, errlen);
	case CT_LEVEL:
		return conf_apply_level(row, field, value, err, errlen);
	}
	return -1;
}

int
conf_set(struct conf *c, const char *key, const char *value, char *err, size_t errlen)
{
	const struct conf_row *row = conf_row_find(key);

	if (row == NULL) {
		snprintf(err, errlen, "unknown key '%s'", key);
		return -1;
	}
	return conf_apply(c, row, value, err, errlen);
}

void
conf_defaults(struct conf *c)
{
	char err[256];

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < CONF_NROWS; i++)
		if (conf_apply(c, &conf_table[i], conf_table[i].def, err, sizeof(err)) < 0)
			log_panic("bad default: %s", err);
}

/* set_line - conf_set() as a conf_line_fn */
static int
set_line(void *c, const char *key, const char *value, char *why, size_t whylen)
{
	return conf_set(c, key, value, why, whylen);
}

int
conf_parse(FILE *fp, const char *name, struct conf *c, char *err, size_t errlen)
{
	conf_defaults(c);
	if (conf_lines_read(fp, name, set_line, c, err, errlen) == 0)
		return 0;
	conf_free(c);
	return -1;
}

int
conf_load(const char *path, struct conf *c, char *err, size_t errlen)
{
	FILE *fp;
	int rc;

	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		conf_defaults(c);
		conf_free(c);
		return -1;
	}
	rc = conf_parse(fp, path, c, err, errlen);
	fclose(fp);
	return rc;
}

void
conf_free(struct conf *c)
{
	for (size_t i = 0; i < CONF_NROWS; i++) {
		enum conf_type t = conf_table[i].type;

		if (t == CT_STR || t == CT_PATH || t == CT_LISTEN || t == CT_CIDRS) {
			char **p = (char **)((char *)c + conf_table[i].offset);
			free(*p);
			*p = NULL;
		}
	}
}

void
conf_print(FILE *fp, const struct conf *c)
{
	static const char *const levels[] = { "debug", "info", "warn", "error" };

	for (size_t i = 0; i < CONF_NROWS; i++) {
		const struct conf_row *row = &conf_table[i];
		const void *field = (const char *)c + row->offset;

		fprintf(fp, "# %s (default: %s)\n%s = ", row->doc, *row->def ? row->def : "empty",
		    row->name);
		switch (row->type) {
		case CT_STR: case CT_PATH: case CT_LISTEN: case CT_CIDRS:
			fprintf(fp, "%s\n", *(char *const *)field);
			break;
		case CT_SIZE: case CT_UINT:
			fprintf(fp, "%" PRIu64 "\n", *(const uint64_t *)field);
			break;
		case CT_DURATION:
			fprintf(fp, "%" PRIu64 "s\n", *(const uint64_t *)field);
			break;
		case CT_RELAY_TLS:
			fprintf(fp, "%s\n", relay_tls_names[*(const int *)field]);
			break;
		case CT_BOOL:
			fprintf(fp, "%s\n", *(const bool *)field ? "yes" : "no");
			break;
		case CT_LEVEL:
			fprintf(fp, "%s\n", levels[*(const int *)field]);
			break;
		}
	}
}
