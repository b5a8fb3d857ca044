/*
 * net_conn_deflate.c - COMPRESS=DEFLATE (RFC 4978): a raw deflate layer
 * between a connection's transport (plain or TLS) and its buffers.
 *
 * net_conn_compress() wraps the transport in place: everything written
 * after the bytes already queued is deflated, everything read is inflated.
 * Each write is compressed and ended with Z_SYNC_FLUSH, so every reply
 * reaches the client whole and interactive use (IDLE) works.
 *
 * Writes follow the TLS retry rule: a write that returns NET_WANT_* is
 * retried with the same leading bytes (net keeps its output until a write
 * reports it sent), so a chunk is reported taken only once all of its
 * compressed bytes have gone down to the inner transport.
 *
 * Memory is bounded: one inflate and one deflate stream (windowBits -15,
 * memLevel 8: about 300 KiB), a compressed input buffer and a fixed
 * compressed output buffer. Input that does not inflate is an I/O error,
 * logged with zlib's reason, and the connection ends.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "net/net_int.h"
#include "util/log.h"
#include "util/xalloc.h"

#define ZIN_SIZE	(16 * 1024)	/* compressed input read at once */
#define ZOUT_SIZE	(16 * 1024)	/* compressed output sent at once */
#define ZCHUNK		(16 * 1024)	/* plain output compressed at once */

struct deflate_ctx {
	const struct net_transport *inner;
	void *inner_ctx;
	size_t raw_left;		/* queued before COMPRESS: sent as is */

	z_stream inf;
	unsigned char *zin;		/* compressed input not yet inflated */
	size_t zin_cap, zin_off, zin_len;

	z_stream def;
	unsigned char zout[ZOUT_SIZE];	/* compressed output not yet sent */
	size_t zout_off, zout_len;
	size_t chunk, taken;		/* the write under way: its size, bytes fed */
	bool busy, flushed;		/* a write under way; its flush ended */
};

/* deflate_read - inflate buffered input; read more from the inner transport when it runs out */
static ssize_t
deflate_read(struct net_conn *c, void *ctxp, void *p, size_t n)
{
	struct deflate_ctx *z = ctxp;

	for (;;) {
		ssize_t r;
		int rc;

		z->inf.next_in = z->zin + z->zin_off;
		z->inf.avail_in = (uInt)(z->zin_len - z->zin_off);
		z->inf.next_out = p;
		z->inf.avail_out = (uInt)(n > UINT32_MAX ? UINT32_MAX : n);
		rc = inflate(&z->inf, Z_SYNC_FLUSH);
		z->zin_off = z->zin_len - z->inf.avail_in;
		if (rc != Z_OK && rc != Z_BUF_ERROR) {
			log_warn(c->id, "net: bad compressed input from %s: %s", c->peer,
			    rc == Z_STREAM_END ? "end of the deflate stream" :
			    z->inf.msg ? z->inf.msg : "inflate failed");
			return NET_EIO;
		}
		if (z->inf.next_out != (unsigned char *)p)
			return (unsigned char *)z->inf.next_out - (unsigned char *)p;
		if (z->zin_off > 0) {
			memmove(z->zin, z->zin + z->zin_off, z->zin_len - z->zin_off);
			z->zin_len -= z->zin_off;
			z->zin_off = 0;
		}
		if (z->zin_len == z->zin_cap) {
			log_warn(c->id, "net: bad compressed input from %s: inflate stalled", c->peer);
			return NET_EIO;
		}
		r = z->inner->read(c, z->inner_ctx, z->zin + z->zin_len, z->zin_cap - z->zin_len);
		if (r <= 0)
			return r;
		z->zin_len += (size_t)r;
	}
}

/* deflate_push - send pending compressed output; 0 once all is sent, else NET_WANT_* or NET_EIO */
static int
deflate_push(struct net_conn *c, struct deflate_ctx *z)
{
	while (z->zout_off < z->zout_len) {
		ssize_t r = z->inner->write(c, z->inner_ctx, z->zout + z->zout_off,
		    z->zout_len - z->zout_off);

		if (r < 0)
			return (int)r;
		if (r == 0)
			return NET_EIO;
		z->zout_off += (size_t)r;
	}
	z->zout_off = z->zout_len = 0;
	return 0;
}

/* deflate_write - compress up to ZCHUNK bytes of p; taken once all of it is sent */
static ssize_t
deflate_write(struct net_conn *c, void *ctxp, const void *p, size_t n)
{
	struct deflate_ctx *z = ctxp;
	int rc;

	if (z->raw_left > 0) {
		ssize_t r = z->inner->write(c, z->inner_ctx, p, n < z->raw_left ? n : z->raw_left);

		if (r > 0)
			z->raw_left -= (size_t)r;
		return r;
	}
	if (!z->busy) {
		z->chunk = n < ZCHUNK ? n : ZCHUNK;
		z->taken = 0;
		z->busy = true;
		z->flushed = false;
	}
	for (;;) {
		if ((rc = deflate_push(c, z)) != 0)
			return rc;
		if (z->flushed) {
			z->busy = false;
			return (ssize_t)z->chunk;
		}
		/* the retry's p holds the same leading bytes; zlib has copied what it took */
		z->def.next_in = (unsigned char *)p + z->taken;
		z->def.avail_in = (uInt)(z->chunk - z->taken);
		z->def.next_out = z->zout;
		z->def.avail_out = ZOUT_SIZE;
		rc = deflate(&z->def, Z_SYNC_FLUSH);
		if (rc != Z_OK && rc != Z_BUF_ERROR) {
			log_error(c->id, "net: deflate failed: %s", z->def.msg ? z->def.msg : "?");
			return NET_EIO;
		}
		z->taken = z->chunk - z->def.avail_in;
		z->zout_len = ZOUT_SIZE - z->def.avail_out;
		/* output space left over: the input is used up and the flush complete */
		z->flushed = z->def.avail_out > 0;
	}
}

/* deflate_shutdown - the inner transport's goodbye; the stream is just cut */
static void
deflate_shutdown(struct net_conn *c, void *ctxp)
{
	struct deflate_ctx *z = ctxp;

	z->inner->shutdown(c, z->inner_ctx);
}

/* deflate_free - both streams, the buffers, and the inner transport */
static void
deflate_free(void *ctxp)
{
	struct deflate_ctx *z = ctxp;

	inflateEnd(&z->inf);
	deflateEnd(&z->def);
	z->inner->free(z->inner_ctx);
	free(z->zin);
	free(z);
}

static const struct net_transport net_transport_deflate = {
	.name = "deflate",
	.read = deflate_read,
	.write = deflate_write,
	.handshake = NULL,
	.shutdown = deflate_shutdown,
	.free = deflate_free,
};

bool
net_conn_is_compressed(const struct net_conn *c)
{
	return c->tr == &net_transport_deflate;
}

int
net_conn_compress(struct net_conn *c, const void *pre, size_t npre)
{
	struct deflate_ctx *z;
	size_t nin = net_buf_len(&c->in);

	if (net_conn_is_compressed(c) || c->starttls || c->closing || c->failed ||
	    c->state != NET_CONN_OPEN)
		return NET_ECLOSED;
	z = xcalloc(1, sizeof(*z));
	if (inflateInit2(&z->inf, -15) != Z_OK) {
		free(z);
		return NET_ESYS;
	}
	if (deflateInit2(&z->def, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		inflateEnd(&z->inf);
		free(z);
		return NET_ESYS;
	}
	/* compressed bytes the client sent right behind the command */
	z->zin_cap = ZIN_SIZE > npre + nin ? ZIN_SIZE : npre + nin;
	z->zin = xmalloc(z->zin_cap);
	if (npre > 0)
		memcpy(z->zin, pre, npre);
	memcpy(z->zin + npre, net_buf_peek(&c->in), nin);
	z->zin_len = npre + nin;
	net_buf_clear(&c->in);
	z->raw_left = net_buf_len(&c->out);
	z->inner = c->tr;
	z->inner_ctx = c->trctx;
	c->tr = &net_transport_deflate;
	c->trctx = z;
	c->kick = true;
	net_loop_mark(c);
	log_debug(c->id, "net: DEFLATE compression on");
	return 0;
}
