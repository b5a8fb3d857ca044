/*
 * imap_fetch.c - the bytes of one FETCH body section: BODY[part.HEADER],
 * HEADER.FIELDS (.NOT), TEXT, MIME, a part, the whole message, and the
 * <partial> window, located through the parsed-structure cache (the
 * message is never reparsed).
 *
 * BINARY (RFC 3516) decodes a leaf part's Content-Transfer-Encoding before
 * <partial> applies; a multipart or message/rfc822 part, and the whole
 * message, come out as stored, since RFC 2045 allows them no encoding but
 * the identity ones.
 *
 * The result is copied into a caller buffer, so the read transaction the
 * body came from can end before the bytes are sent.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "imap/imap_fetch.h"
#include "mime/mime.h"

/* split_header - the length of a message's header, blank line included */
static size_t
split_header(const char *p, size_t len)
{
	for (size_t i = 0; i + 3 < len; i++)
		if (p[i] == '\r' && p[i + 1] == '\n' && p[i + 2] == '\r' && p[i + 3] == '\n')
			return i + 4;
	return len;
}

/* field_wanted - header line's name is (or, for .NOT, is not) in the list */
static bool
field_wanted(const struct imap_section *sec, const char *line, size_t len)
{
	const char *colon = memchr(line, ':', len);
	size_t nl = colon ? (size_t)(colon - line) : 0;
	bool in = false;

	while (nl > 0 && (line[nl - 1] == ' ' || line[nl - 1] == '\t'))
		nl--;
	for (unsigned i = 0; colon && i < sec->nfields; i++)
		if (sec->field_len[i] == nl && strncasecmp(sec->field[i], line, nl) == 0)
			in = true;
	return colon && (sec->text == IMAP_SECTION_HEADER_FIELDS ? in : !in);
}

/* filter_fields - the header lines (folded lines kept whole) that are wanted */
static void
filter_fields(const struct imap_section *sec, const char *h, size_t len, struct buf *out)
{
	size_t i = 0;

	while (i < len) {
		size_t end = i;

		/* a field runs to a CRLF not followed by white space */
		for (;;) {
			const char *lf = memchr(h + end, '\n', len - end);

			end = lf ? (size_t)(lf - h) + 1 : len;
			if (end >= len || (h[end] != ' ' && h[end] != '\t'))
				break;
		}
		if (end - i > 2 && field_wanted(sec, h + i, end - i))
			buf_append(out, h + i, end - i);
		i = end;
	}
	buf_puts(out, "\r\n");
}

/* section_loc - where sec's part lives; -1 if the message has no such part */
static int
section_loc(const struct imap_section *sec, size_t len, const void *blob, size_t bloblen,
    struct mime_part_loc *loc_r)
{
	char part[IMAP_SECTION_MAX_PARTS * 11] = "";

	for (unsigned i = 0; i < sec->nparts; i++)
		snprintf(part + strlen(part), sizeof(part) - strlen(part), "%s%u",
		    i ? "." : "", sec->part[i]);
	if (mime_cache_part(blob, bloblen, part, loc_r) != 0 ||
	    loc_r->body_off + loc_r->body_len > len || loc_r->header_off + loc_r->header_len > len)
		return -1;
	return 0;
}

/* append_partial - both BODY and BINARY apply <offset.count> to the final bytes */
static void
append_partial(const struct imap_section *sec, const char *p, size_t n, struct buf *out)
{
	if (sec->partial) {
		size_t off = sec->offset < n ? sec->offset : n;

		p += off;
		n -= off;
		if (n > sec->count)
			n = sec->count;
	}
	buf_append(out, p, n);
}

int
imap_fetch_section(const struct imap_section *sec, const char *msg, size_t len,
    const void *blob, size_t bloblen, struct buf *out)
{
	const char *p = msg;
	size_t n = len, hl;
	struct buf tmp = BUF_INIT;

	if (sec->nparts > 0) {
		struct mime_part_loc loc;

		if (section_loc(sec, len, blob, bloblen, &loc) != 0)
			return -1;	/* no such part: empty */
		if (sec->text == IMAP_SECTION_MIME) {
			p = msg + loc.header_off;
			n = loc.header_len;
		} else {
			p = msg + loc.body_off;
			n = loc.body_len;
			if (sec->text != IMAP_SECTION_ALL && !loc.is_message)
				return -1;
		}
	}
	hl = split_header(p, n);
	switch (sec->text) {
	case IMAP_SECTION_ALL:
	case IMAP_SECTION_MIME:
		break;
	case IMAP_SECTION_HEADER:
		n = hl;
		break;
	case IMAP_SECTION_TEXT:
		p += hl;
		n -= hl;
		break;
	case IMAP_SECTION_HEADER_FIELDS:
	case IMAP_SECTION_HEADER_FIELDS_NOT:
		filter_fields(sec, p, hl, &tmp);
		p = tmp.data;
		n = tmp.len;
		break;
	}
	append_partial(sec, p, n, out);
	buf_free(&tmp);
	return 0;
}

/* is_composite - a multipart or message/rfc822 part has no encoding of its own to undo */
static bool
is_composite(const char *msg, const struct mime_part_loc *loc)
{
	struct buf ct = BUF_INIT;
	size_t i = 0;
	bool multi;

	if (loc->is_message)
		return true;
	if (mime_header_get(msg + loc->header_off, loc->header_len, "Content-Type", &ct) != 0)
		return false;
	while (i < ct.len && (ct.data[i] == ' ' || ct.data[i] == '\t'))
		i++;
	multi = ct.len - i >= 10 && strncasecmp(ct.data + i, "multipart/", 10) == 0;
	buf_free(&ct);
	return multi;
}

int
imap_fetch_binary(const struct imap_section *sec, const char *msg, size_t len,
    const void *blob, size_t bloblen, struct buf *out)
{
	struct mime_part_loc loc;
	struct buf cte = BUF_INIT, data = BUF_INIT;
	int rc = 0;

	if (sec->nparts == 0) {
		append_partial(sec, msg, len, out);	/* a whole message is not decoded */
		return 0;
	}
	if (section_loc(sec, len, blob, bloblen, &loc) != 0)
		return 0;	/* no such part: empty */
	if (is_composite(msg, &loc)) {
		buf_append(&data, msg + loc.body_off, loc.body_len);
	} else {
		mime_header_get(msg + loc.header_off, loc.header_len, "Content-Transfer-Encoding",
		    &cte);
		rc = mime_decode(cte.data ? cte.data : "", cte.len, msg + loc.body_off,
		    loc.body_len, &data);
	}
	if (rc == 0)
		append_partial(sec, data.data ? data.data : "", data.len, out);
	buf_free(&cte);
	buf_free(&data);
	return rc;
}
