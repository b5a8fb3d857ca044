/*
 * store_probe.c - a write through the commit path for health checks.
 *
 * The OCF monitor (depth 20) and duplex-hb time this call: it writes the
 * current time to the meta database in a real group-committed transaction,
 * so it measures the same fsync (and, on DRBD protocol C, the same peer
 * round trip) that every acknowledged message waits for.
 */
#include <time.h>

#include "store/store_int.h"

/* probe_write - meta "probe" = now, as 8 big-endian bytes */
static int
probe_write(struct store_wtxn *w, void *arg)
{
	struct store_key k;
	unsigned char v[8];

	store_key_str(&k, "probe");
	store_put64(v, (uint64_t)time(NULL));
	return store_put(w, DB_META, &k, v, sizeof(v));
}

int
store_probe(struct store *st)
{
	return store_writer_run(st, probe_write, NULL);
}
