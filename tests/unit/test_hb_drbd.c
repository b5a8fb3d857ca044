/*
 * test_hb_drbd.c - DRBD status parsing for duplex-hb: drbdsetup's JSON
 * (DRBD 9) and /proc/drbd (8.4), table-driven, each input also fed cut
 * short at every length so a truncated read never crashes the scanner.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hb/hb.h"

static const char json_synced[] =
    "[\n{\n  \"name\": \"duplex\",\n  \"node-id\": 0,\n  \"role\": \"Primary\",\n"
    "  \"suspended\": false,\n  \"write-ordering\": \"flush\",\n"
    "  \"devices\": [\n    {\n      \"volume\": 0,\n      \"minor\": 0,\n"
    "      \"disk-state\": \"UpToDate\",\n      \"client\": false,\n      \"quorum\": true\n    } ],\n"
    "  \"connections\": [\n  {\n    \"peer-node-id\": 1,\n    \"name\": \"beta\",\n"
    "    \"connection-state\": \"Connected\",\n    \"congested\": false,\n"
    "    \"peer-role\": \"Secondary\",\n    \"ap-in-flight\": 0,\n"
    "    \"peer_devices\": [\n      {\n        \"volume\": 0,\n"
    "        \"replication-state\": \"Established\",\n        \"peer-disk-state\": \"UpToDate\",\n"
    "        \"peer-client\": false,\n        \"resync-suspended\": \"no\",\n"
    "        \"percent-in-sync\": 100.00\n      } ]\n  } ]\n}\n]\n";

static const char json_syncing[] =
    "[{\"name\":\"other\",\"role\":\"Secondary\",\"devices\":[{\"disk-state\":\"Diskless\"}],"
    "\"connections\":[]},"
    "{\"name\":\"duplex\",\"role\":\"Primary\",\"devices\":[{\"volume\":0,\"disk-state\":\"UpToDate\"}],"
    "\"connections\":[{\"name\":\"beta\",\"connection-state\":\"Connected\",\"peer-role\":\"Secondary\","
    "\"peer_devices\":[{\"replication-state\":\"SyncSource\",\"peer-disk-state\":\"Inconsistent\","
    "\"percent-in-sync\":42.5}]}]}]";

static const char json_standalone[] =
    "[{\"name\":\"duplex\",\"role\":\"Primary\",\"devices\":[{\"disk-state\":\"UpToDate\"}],"
    "\"connections\":[{\"name\":\"beta\",\"connection-state\":\"StandAlone\",\"peer-role\":\"Unknown\","
    "\"peer_devices\":[{\"replication-state\":\"Off\",\"peer-disk-state\":\"DUnknown\"}]}]}]";

static const char proc_synced[] =
    "version: 8.4.11 (api:1/proto:86-101)\nsrcversion: 0123456789ABCDEF\n"
    " 0: cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate C r-----\n"
    "    ns:12 nr:0 dw:12 dr:100 al:1 bm:0 lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:0\n";

static const char proc_syncing[] =
    "version: 8.4.11 (api:1/proto:86-101)\n"
    " 0: cs:SyncSource ro:Primary/Secondary ds:UpToDate/Inconsistent C r-----\n"
    "    ns:1 nr:0 dw:0 dr:0 al:0 bm:0 lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:100\n"
    "\t[=====>..............] sync'ed: 31.4% (700/1000)K\n"
    "\tfinish: 0:00:10 speed: 1,000 (1,000) K/sec\n";

static const char proc_wfconn[] =
    "version: 8.4.11 (api:1/proto:86-101)\n"
    " 0: cs:WFConnection ro:Secondary/Unknown ds:Outdated/DUnknown C r-----\n";

struct row {
	const char *name, *text, *resource;
	int rc;
	const char *role, *peer_role, *disk, *peer_disk, *conn, *repl, *peer;
	double sync;
	bool connected;
};

static const struct row rows[] = {
	{ "json synced", json_synced, NULL, 0, "Primary", "Secondary", "UpToDate", "UpToDate",
	  "Connected", "Established", "beta", 100.0, true },
	{ "json syncing, second resource", json_syncing, "duplex", 0, "Primary", "Secondary",
	  "UpToDate", "Inconsistent", "Connected", "SyncSource", "beta", 42.5, true },
	{ "json standalone", json_standalone, "duplex", 0, "Primary", "Unknown", "UpToDate", "DUnknown",
	  "StandAlone", "Off", "beta", -1, false },
	{ "json missing resource", json_synced, "nope", -1, "", "", "", "", "", "", "", -1, false },
	{ "8.4 synced", proc_synced, NULL, 0, "Primary", "Secondary", "UpToDate", "UpToDate",
	  "Connected", "Established", "", 100.0, true },
	{ "8.4 syncing", proc_syncing, "0", 0, "Primary", "Secondary", "UpToDate", "Inconsistent",
	  "Connected", "SyncSource", "", 31.4, true },
	{ "8.4 waiting for peer", proc_wfconn, "0", 0, "Secondary", "Unknown", "Outdated", "DUnknown",
	  "WFConnection", "Off", "", -1, false },
	{ "8.4 no such minor", proc_synced, "1", -1, "", "", "", "", "", "", "", -1, false },
	{ "empty", "", NULL, -1, "", "", "", "", "", "", "", -1, false },
};

static void
test_table(void **state)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct hb_drbd d;
		int rc = hb_drbd_parse(r->text, r->resource, &d);

		if (rc != r->rc)
			fail_msg("%s: got rc %d, want %d", r->name, rc, r->rc);
		if (rc < 0)
			continue;
#define EQ(field, want) \
	if (strcmp(d.field, want) != 0) \
		fail_msg("%s: " #field ": got '%s', want '%s'", r->name, d.field, want)
		EQ(role, r->role);
		EQ(peer_role, r->peer_role);
		EQ(disk, r->disk);
		EQ(peer_disk, r->peer_disk);
		EQ(conn, r->conn);
		EQ(repl, r->repl);
		EQ(peer, r->peer);
#undef EQ
		if (d.sync_percent < r->sync - 0.01 || d.sync_percent > r->sync + 0.01)
			fail_msg("%s: sync: got %.2f, want %.2f", r->name, d.sync_percent, r->sync);
		if (hb_drbd_connected(&d) != r->connected)
			fail_msg("%s: connected: got %d, want %d", r->name, hb_drbd_connected(&d),
			    r->connected);
	}
}

/* test_truncated - every prefix of every input parses or fails, never overruns */
static void
test_truncated(void **state)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		size_t n = strlen(rows[i].text);

		for (size_t k = 0; k <= n; k++) {
			char *t = malloc(k + 1);
			struct hb_drbd d;

			memcpy(t, rows[i].text, k);
			t[k] = '\0';
			(void)hb_drbd_parse(t, rows[i].resource, &d);
			free(t);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_truncated),
	};

	return cmocka_run_group_tests_name("hb_drbd", tests, NULL, NULL);
}
