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
#include "util/base64.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* round_trip - out decodes from both its encodings back to itself */
static void
round_trip(const struct buf *out)
{
	const unsigned char *p = (const unsigned char *)(out->data ? out->data : "");
	struct buf enc = BUF_INIT, back = BUF_INIT;

	buf_reserve(&enc, 4 * ((out->len + 2) / 3) + 1);
	base64_encode(p, out->len, enc.data);
	enc.len = strlen(enc.data);
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
