/*
 * test_conf.c - the duplex.conf parser: defaults, values, bounds, errors
 * that name the line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "conf/conf.h"

/* parse - text through conf_parse; returns its result, err filled */
static int
parse(const char *text, struct conf *c, char *err, size_t errlen)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	int rc = conf_parse(fp, "t.conf", c, err, errlen);

	fclose(fp);
	return rc;
}

static void
test_defaults(void **state)
{
	struct conf c;
	char err[256];

	assert_int_equal(parse("# nothing\n\n", &c, err, sizeof(err)), 0);
	assert_string_equal(c.data_dir, "/srv/duplex");
	assert_int_equal(c.map_size, 256ULL << 30);
	assert_int_equal(c.max_message_size, 50ULL << 20);
	assert_string_equal(c.imap_listen, "0.0.0.0:143");
	assert_false(c.allow_plaintext_auth);
	assert_string_equal(c.relay_host, "");
	assert_int_equal(c.relay_tls, CONF_RELAY_TLS_MAY);
	assert_string_equal(c.relay_tls_ca_file, "");
	assert_string_equal(c.relay_tls_name, "");
	assert_int_equal(c.queue_lifetime, 5 * 86400);
	assert_int_equal(c.submission_max_recipients, 100);
	conf_free(&c);
}

static void
test_relay_keys(void **state)
{
	struct conf c;
	char err[256];

	assert_int_equal(parse("relay_host = smarthost.example:25\nrelay_tls = starttls-required\n"
			       "queue_lifetime = 36h\n", &c, err, sizeof(err)), 0);
	assert_string_equal(c.relay_host, "smarthost.example:25");
	assert_int_equal(c.relay_tls, CONF_RELAY_TLS_REQUIRED);
	assert_int_equal(c.queue_lifetime, 36 * 3600);
	conf_free(&c);
	assert_int_equal(parse("relay_tls = none\n", &c, err, sizeof(err)), 0);
	assert_int_equal(c.relay_tls, CONF_RELAY_TLS_NONE);
	conf_free(&c);
}

static void
test_relay_verify_keys(void **state)
{
	static const struct { const char *text; int tls; const char *ca, *name; } cases[] = {
		{ "relay_tls = verify\n", CONF_RELAY_TLS_VERIFY, "", "" },
		{ "relay_tls = verify\nrelay_tls_ca_file = /etc/duplex/relay-ca.pem\n",
		  CONF_RELAY_TLS_VERIFY, "/etc/duplex/relay-ca.pem", "" },
		{ "relay_tls = verify\nrelay_tls_name = mx.example.net\n", CONF_RELAY_TLS_VERIFY, "",
		  "mx.example.net" },
		{ "relay_tls_ca_file = /etc/ca.pem\nrelay_tls_ca_file =\nrelay_tls = starttls\n",
		  CONF_RELAY_TLS_MAY, "", "" },
		{ "relay_tls = verify\nrelay_tls = starttls-required\n", CONF_RELAY_TLS_REQUIRED, "", "" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct conf c;
		char err[256] = "";

		if (parse(cases[i].text, &c, err, sizeof(err)) != 0)
			fail_msg("case %zu: got error '%s', want none", i, err);
		if (c.relay_tls != cases[i].tls || strcmp(c.relay_tls_ca_file, cases[i].ca) != 0 ||
		    strcmp(c.relay_tls_name, cases[i].name) != 0)
			fail_msg("case %zu: got %d '%s' '%s', want %d '%s' '%s'", i, c.relay_tls,
			    c.relay_tls_ca_file, c.relay_tls_name, cases[i].tls, cases[i].ca, cases[i].name);
		conf_free(&c);
	}
}

static void
test_relay_verify_print(void **state)
{
	struct conf c;
	char err[256], *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);

	assert_int_equal(parse("relay_tls = verify\nrelay_tls_ca_file = /etc/ca.pem\n", &c, err,
	    sizeof(err)), 0);
	conf_print(fp, &c);
	fclose(fp);
	assert_non_null(strstr(out, "\nrelay_tls = verify\n"));
	assert_non_null(strstr(out, "\nrelay_tls_ca_file = /etc/ca.pem\n"));
	assert_non_null(strstr(out, "\nrelay_tls_name = \n"));
	assert_non_null(strstr(out, "# STARTTLS to the smart host: verify ("));
	conf_free(&c);
	free(out);
}

static void
test_durations(void **state)
{
	static const struct { const char *s; int rc; uint64_t v; } cases[] = {
		{ "0", 0, 0 }, { "90", 0, 90 }, { "90s", 0, 90 }, { "15m", 0, 900 },
		{ "1h", 0, 3600 }, { "5d", 0, 432000 }, { "5D", 0, 432000 }, { "", -1, 0 },
		{ "d", -1, 0 }, { "5w", -1, 0 }, { "5dd", -1, 0 }, { "-5", -1, 0 },
		{ "99999999999999999999", -1, 0 }, { "999999999999999999d", -1, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v = 0;
		int rc = conf_parse_duration(cases[i].s, &v);

		if (rc != cases[i].rc || (rc == 0 && v != cases[i].v))
			fail_msg("'%s': got rc %d v %llu, want rc %d v %llu", cases[i].s, rc,
			    (unsigned long long)v, cases[i].rc, (unsigned long long)cases[i].v);
	}
}

static void
test_values(void **state)
{
	struct conf c;
	char err[256];

	assert_int_equal(parse("map_size = 2G\n  user=mail  \nimap_listen =\n"
			       "smtp_listen = [::1]:25\nallow_plaintext_auth = yes\n"
			       "log_level = debug\n"
			       "smtp_trusted_networks = 192.0.2.0/24, 2001:db8::1 ,,10.1.2.3/32\n",
			       &c, err, sizeof(err)), 0);
	assert_int_equal(c.map_size, 2ULL << 30);
	assert_string_equal(c.user, "mail");
	assert_string_equal(c.imap_listen, "");
	assert_string_equal(c.smtp_listen, "[::1]:25");
	assert_true(c.allow_plaintext_auth);
	assert_int_equal(c.log_level, 0);
	assert_string_equal(c.smtp_trusted_networks, "192.0.2.0/24, 2001:db8::1 ,,10.1.2.3/32");
	conf_free(&c);
}

static void
test_errors(void **state)
{
	static const struct { const char *text, *want; } cases[] = {
		{ "foo = 1\n", "t.conf:1: unknown key 'foo'" },
		{ "\n\nmap_size = 1K\n", "t.conf:3: map_size: 1K is outside" },
		{ "map_size = lots\n", "t.conf:1: map_size: 'lots' is not a size" },
		{ "quota_warn_percent = 101\n", "t.conf:1: quota_warn_percent: 101 is outside" },
		{ "quota_warn_percent = 5M\n", "t.conf:1: quota_warn_percent: '5M' is not a number" },
		{ "imap_listen = 143\n", "t.conf:1: imap_listen must be host:port" },
		{ "imap_listen = host:99999\n", "t.conf:1: imap_listen must be host:port" },
		{ "data_dir = relative/path\n", "t.conf:1: data_dir must be an absolute path" },
		{ "allow_plaintext_auth = maybe\n", "t.conf:1: allow_plaintext_auth must be yes or no" },
		{ "log_level = loud\n", "t.conf:1: log_level must be" },
		{ "smtp_trusted_networks = 10.0.0.0/33\n", "t.conf:1: smtp_trusted_networks must be" },
		{ "smtp_trusted_networks = 127.0.0.1,relay.example\n",
		  "t.conf:1: smtp_trusted_networks must be comma-separated CIDR blocks" },
		{ "smtp_trusted_networks = ::1/129\n", "t.conf:1: smtp_trusted_networks must be" },
		{ "lmtp_trusted_networks = 198.51.100.0/33\n", "t.conf:1: lmtp_trusted_networks must be" },
		{ "lmtp_trusted_networks = relay.example\n",
		  "t.conf:1: lmtp_trusted_networks must be comma-separated CIDR blocks" },
		{ "just words\n", "t.conf:1: expected 'key = value'" },
		{ "relay_tls = maybe\n",
		  "t.conf:1: relay_tls must be verify, starttls-required, starttls or none, not 'maybe'" },
		{ "relay_tls = VERIFY\n", "t.conf:1: relay_tls must be verify" },
		{ "relay_tls_ca_file = ca.pem\n", "t.conf:1: relay_tls_ca_file must be an absolute path" },
		{ "queue_lifetime = 61d\n", "t.conf:1: queue_lifetime: 61d is outside" },
		{ "queue_lifetime = soon\n", "t.conf:1: queue_lifetime: 'soon' is not a duration" },
		{ "relay_host = smarthost\n", "t.conf:1: relay_host must be host:port" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct conf c;
		char err[256] = "";

		if (parse(cases[i].text, &c, err, sizeof(err)) != -1 ||
		    strncmp(err, cases[i].want, strlen(cases[i].want)) != 0)
			fail_msg("case %zu: got '%s', want prefix '%s'", i, err, cases[i].want);
	}
}

/*
 * test_comments - comments take whole lines: a '#' that starts a value or
 * follows white space in it is refused with the line named, on every key
 * type (a path would otherwise keep the comment as part of its value); a
 * '#' inside a word stays part of the value.
 */
static void
test_comments(void **state)
{
	static const char *const bad[] = {
		"data_dir = /srv/duplex   # the store\n",
		"lmtp_listen = 0.0.0.0:24 # the relay\n",
		"relay_tls_ca_file =                 # empty: the system's store\n",
		"\n# fine\nmap_size = 64G\t# sparse\n",
		"quota_purge_folders = Trash,Junk #,INBOX\n",
		"allow_plaintext_auth = no #yes\n",
		"hostname = #mx\n",
	};
	static const unsigned bad_line[] = { 1, 1, 1, 3, 1, 1, 1 };
	struct conf c;
	char err[256], want[128];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(want, sizeof(want), "t.conf:%u: '#' after a value; comments must be on a "
		    "line of their own", bad_line[i]);
		err[0] = '\0';
		if (parse(bad[i], &c, err, sizeof(err)) != -1 || strcmp(err, want) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, err, want);
	}
	assert_int_equal(parse("  # whole line\n\t#\tindented too\ndata_dir = /srv/mail#2\n"
			       "quota_purge_folders = Trash,#Junk\n", &c, err, sizeof(err)), 0);
	assert_string_equal(c.data_dir, "/srv/mail#2");
	assert_string_equal(c.quota_purge_folders, "Trash,#Junk");
	conf_free(&c);
}

static void
test_sizes(void **state)
{
	static const struct { const char *s; int rc; uint64_t v; } cases[] = {
		{ "0", 0, 0 }, { "512", 0, 512 }, { "4k", 0, 4096 }, { "64M", 0, 64ULL << 20 },
		{ "1GB", 0, 1ULL << 30 }, { "2T", 0, 2ULL << 40 }, { "", -1, 0 }, { "M", -1, 0 },
		{ "1X", -1, 0 }, { "-1", -1, 0 }, { "99999999999999999999", -1, 0 },
		{ "17179869184T", -1, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v = 0;
		int rc = conf_parse_size(cases[i].s, &v);

		if (rc != cases[i].rc || (rc == 0 && v != cases[i].v))
			fail_msg("'%s': got rc %d v %llu, want rc %d v %llu", cases[i].s, rc,
			    (unsigned long long)v, cases[i].rc, (unsigned long long)cases[i].v);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_relay_keys),
		cmocka_unit_test(test_relay_verify_keys),
		cmocka_unit_test(test_relay_verify_print),
		cmocka_unit_test(test_durations),
	};

	return cmocka_run_group_tests_name("conf", tests, NULL, NULL);
}
