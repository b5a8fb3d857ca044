/*
 * fuzz_mime_decode.c - libFuzzer target for the base64 and
 * quoted-printable decoders: any input decodes without fault to no more
 * bytes than it had, and re-encoding the output as base64 or as
 * all-escapes quoted-printable decodes back to exactly it.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mime/mime.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* encode_b64 - plain base64 of p, for the round trip */
static void
encode_b64(const unsigned char *p, size_t n, struct buf *out)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
		    (i + 2 < n ? p[i + 2] : 0);

		buf_putc(out, a[v >> 18]);
		buf_putc(out, a[v >> 12 & 63]);
		buf_putc(out, i + 1 < n ? a[v >> 6 & 63] : '=');
		buf_putc(out, i + 2 < n ? a[v & 63] : '=');
	}
}

/* round_trip - out decodes from both its encodings back to itself */
static void
round_trip(const struct buf *out)
{
	const unsigned char *p = (const unsigned char *)(out->data ? out->data : "");
	struct buf enc = BUF_INIT, back = BUF_INIT;

	encode_b64(p, out->len, &enc);
	mime_decode_base64(enc.data, enc.len, &back);
	assert(back.len == out->len && (out->len == 0 || memcmp(back.data, p, out->len) == 0));
	buf_reset(&enc);
	buf_reset(&back);
	for (size_t i = 0; i < out->len; i++)
		buf_printf(&enc, "=%02X%s", p[i], i % 25 == 24 ? "=\r\n" : "");
	mime_decode_qp(enc.data, enc.len, &back);
	assert(back.len == out->len && (out->len == 0 || memcmp(back.data, p, out->len) == 0));
	buf_free(&enc);
	buf_free(&back);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct buf out = BUF_INIT;

	mime_decode_base64(s, size, &out);
	assert(out.len <= size);
	round_trip(&out);
	buf_reset(&out);
	mime_decode_qp(s, size, &out);
	assert(out.len <= size);
	round_trip(&out);
	buf_free(&out);
	return 0;
}
