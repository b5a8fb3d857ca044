/*
 * fuzz_mime.c - libFuzzer target for the MIME parser and cache writer:
 * normalize, build, and require that a fresh blob validates and that every
 * accessor answers within the blob and the message; the preview (RFC
 * 8970) stays within its character bound.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "mime/mime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const sections[] = { "", "1", "2", "1.1", "1.2", "2.1", "2.2.1", "3" };

/* check_blob - everything a FETCH would ask of a freshly built blob */
static void
check_blob(const struct buf *msg, const struct buf *blob)
{
	struct mime_part_loc loc;
	const char *s;
	size_t n, i;

	assert(mime_cache_validate(blob->data, blob->len) == 0);
	assert(mime_cache_envelope(blob->data, blob->len, &s, &n) == 0 && n >= 2);
	assert(mime_cache_bodystructure(blob->data, blob->len, false, &s, &n) == 0 && n >= 2);
	assert(mime_cache_bodystructure(blob->data, blob->len, true, &s, &n) == 0 && n >= 2);
	assert(mime_cache_part(blob->data, blob->len, "", &loc) == 0 && loc.header_off == 0);
	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (mime_cache_part(blob->data, blob->len, sections[i], &loc) == 0)
			assert(loc.header_off + loc.header_len <= loc.body_off &&
			    loc.body_off + loc.body_len <= msg->len);
}

/* check_preview - the preview is MIME_PREVIEW_MAX characters at most, with or without the blob */
static void
check_preview(const struct buf *msg, const struct buf *blob)
{
	struct buf pv = BUF_INIT;
	size_t chars = 0;

	for (int with_blob = 0; with_blob < 2; with_blob++) {
		buf_reset(&pv);
		mime_preview(msg->data, msg->len, with_blob ? blob->data : NULL,
		    with_blob ? blob->len : 0, &pv);
		chars = 0;
		for (size_t i = 0; i < pv.len; i++)
			chars += ((unsigned char)pv.data[i] & 0xc0) != 0x80;
		assert(chars <= MIME_PREVIEW_MAX);
		assert(pv.len == 0 || (pv.data[0] != ' ' && pv.data[pv.len - 1] != ' '));
	}
	buf_free(&pv);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf msg = BUF_INIT, blob = BUF_INIT, raw = BUF_INIT, hdr = BUF_INIT;

	mime_to_crlf((const char *)data, size, &msg);
	mime_cache_build(buf_cstr(&msg), msg.len, &blob);
	check_blob(&msg, &blob);
	/* the parser must also cope with input that skipped normalization */
	mime_cache_build((const char *)data, size, &raw);
	assert(mime_cache_validate(raw.data, raw.len) == 0);
	mime_header_get(buf_cstr(&msg), msg.len, "Subject", &hdr);
	check_preview(&msg, &blob);
	buf_free(&msg);
	buf_free(&blob);
	buf_free(&raw);
	buf_free(&hdr);
	return 0;
}
