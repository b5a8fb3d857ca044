/*
 * mime_text.c - a message's text as SEARCH compares it (imap_search.c):
 * header blocks with their RFC 2047 words decoded, and the bodies of the
 * text parts with their transfer encoding undone and their charset
 * converted to UTF-8, as Dovecot searches without a full-text index.
 *
 * The parts come from the structure cache's part table (mime_cache.c),
 * so the bytes of an attachment are never read; a blob that is missing,
 * broken or not this message's is rebuilt from the bytes. A leaf part is
 * searched unless its Content-Type is valid and names a type other than
 * text, message or multipart (a container the parser left unsplit is
 * text/plain to IMAP too): images, audio, video and application types are
 * skipped. The parts of an attached message/rfc822 are searched like the
 * message's own, and its header is one of the header blocks.
 *
 * Degrading, never failing: a transfer encoding other than base64 and
 * quoted-printable is searched as it is, and so is text in a charset
 * iconv does not know; bytes a known charset does not define are kept.
 *
 * Limits: every piece is followed by a NUL, which no search string holds,
 * so a match never spans two pieces. The output is at most
 * MIME_CHARSET_GROWTH times the message size plus two bytes per part:
 * decoding never grows, conversion grows at most that much, and a piece
 * that would overlap one already taken is skipped (a message/rfc822 with
 * one part lists its header twice; a damaged blob could list anything).
 *
 * mime_preview (RFC 8970) takes the first text/plain leaf, or failing that
 * the first text/html one with its tags and a few entities undone, and
 * keeps MIME_PREVIEW_MAX characters of it with white space collapsed; only
 * the first PREVIEW_SCAN bytes of the part are decoded.
 */
#include "mime/mime_int.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"

#define PREVIEW_SCAN	(64 * 1024)	/* bytes of a part mime_preview decodes at most */

struct tpart {
	const char *section;
	size_t section_len;
	struct mime_part_loc loc;
};

struct walk {
	size_t len;		/* the message's, which every range must fit */
	struct tpart *v;
	size_t n, cap;
	bool bad;
};

/* collect - mime_cache_parts callback: keep each part whose ranges fit the message */
static bool
collect(const char *section, size_t section_len, const struct mime_part_loc *loc, void *arg)
{
	struct walk *w = arg;

	if (loc->header_off + loc->header_len > w->len || loc->body_off + loc->body_len > w->len) {
		w->bad = true;
		return false;
	}
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 16;
		w->v = xrealloc(w->v, w->cap * sizeof(*w->v));
	}
	w->v[w->n++] = (struct tpart){ section, section_len, *loc };
	return true;
}

/* is_leaf - no part follows v[k] inside it (the table is in section order) */
static bool
is_leaf(const struct walk *w, size_t k)
{
	const struct tpart *p = &w->v[k], *next = k + 1 < w->n ? &w->v[k + 1] : NULL;

	return next == NULL || next->section_len <= p->section_len ||
	    memcmp(next->section, p->section, p->section_len) != 0 ||
	    (p->section_len > 0 && next->section[p->section_len] != '.');
}

/* block_end - where the header block at off ends (its blank line included) */
static size_t
block_end(const char *msg, size_t off, size_t end)
{
	struct mime_hdr_iter it;
	struct mime_span name, value;

	mime_hdr_init(&it, msg, off, end);
	while (mime_hdr_next(&it, &name, &value))
		;
	return it.pos;
}

/* header_piece - the block [off, end) unfolded, its words decoded, then a NUL */
static void
header_piece(const char *msg, size_t off, size_t end, struct buf *out)
{
	struct buf line = BUF_INIT;
	size_t i = off;

	buf_reserve(&line, end - off);
	while (i < end) {
		const char *lf = memchr(msg + i, '\n', end - i);
		size_t e = lf != NULL ? (size_t)(lf - msg) : end, cut = e;

		if (lf != NULL && e + 1 < end && (msg[e + 1] == ' ' || msg[e + 1] == '\t')) {
			if (cut > i && msg[cut - 1] == '\r')
				cut--;		/* a fold: its line break goes */
			buf_append(&line, msg + i, cut - i);
		} else {
			buf_append(&line, msg + i, (lf != NULL ? e + 1 : end) - i);
		}
		i = lf != NULL ? e + 1 : end;
	}
	mime_2047_decode(mime_str(&line), line.len, out);
	buf_putc(out, '\0');
	buf_free(&line);
}

/* field_find - the first field named name in the part's header, raw */
static bool
field_find(const char *msg, const struct mime_part_loc *loc, const char *name,
    struct mime_span *value_r)
{
	struct mime_hdr_iter it;
	struct mime_span fname;
	size_t nlen = strlen(name);

	mime_hdr_init(&it, msg, loc->header_off, loc->header_off + loc->header_len);
	while (mime_hdr_next(&it, &fname, value_r))
		if (fname.len == nlen && strncasecmp(msg + fname.off, name, nlen) == 0)
			return true;
	return false;
}

/* body_piece - a leaf's body decoded and in UTF-8, then a NUL; nothing for non-text types */
static void
body_piece(const char *msg, const struct mime_part_loc *loc, struct buf *out)
{
	struct mime_ctype ct;
	struct mime_span v;
	struct buf cte = BUF_INIT, dec = BUF_INIT;
	const struct buf *cs = NULL;
	const char *src = msg + loc->body_off, *csname = "us-ascii";
	size_t n = loc->body_len;
	bool b64, qp;

	if (field_find(msg, loc, "Content-Type", &v))
		mime_ctype_parse(msg + v.off, v.len, true, &ct);
	else
		mime_ctype_parse("", 0, true, &ct);
	if (ct.valid && !mime_ctype_is(&ct, "text", NULL) && !mime_ctype_is(&ct, "message", NULL) &&
	    !mime_ctype_is(&ct, "multipart", NULL)) {
		mime_ctype_free(&ct);
		return;
	}
	if (ct.valid && !mime_ctype_is(&ct, "text", NULL))
		csname = NULL;		/* a container's bytes: no charset to convert from */
	else if ((cs = mime_ctype_param(&ct, "charset")) != NULL && cs->len > 0)
		csname = mime_str(cs);
	if (field_find(msg, loc, "Content-Transfer-Encoding", &v))
		mime_lex_token(msg + v.off, mime_lex_cfws(msg + v.off, 0, v.len), v.len,
		    MIME_TSPECIALS, &cte);
	b64 = strcasecmp(mime_str(&cte), "base64") == 0;
	qp = strcasecmp(mime_str(&cte), "quoted-printable") == 0;
	if (b64)
		mime_decode_base64(src, n, &dec);
	else if (qp)
		mime_decode_qp(src, n, &dec);
	if (b64 || qp) {
		src = mime_str(&dec);
		n = dec.len;
	}
	if (csname == NULL || mime_charset_utf8(csname, strlen(csname), src, n, out) < 0)
		buf_append(out, src, n);
	buf_putc(out, '\0');
	buf_free(&cte);
	buf_free(&dec);
	mime_ctype_free(&ct);
}

/* walk_parts - the part table of msg, from blob or, if that is unusable, rebuilt into built */
static void
walk_parts(const char *msg, size_t len, const void *blob, size_t bloblen, struct walk *w,
    struct buf *built)
{
	if (blob == NULL || mime_cache_parts(blob, bloblen, collect, w) != 0 || w->bad ||
	    w->n == 0) {
		w->n = 0;
		w->bad = false;
		mime_cache_build(msg, len, built);
		mime_cache_parts(built->data, built->len, collect, w);
	}
}

/* mime_text - SEARCH's BODY and TEXT compare against this */
void
mime_text(const char *msg, size_t len, const void *blob, size_t bloblen, unsigned what,
    struct buf *out)
{
	struct walk w = { len, NULL, 0, 0, false };
	struct buf built = BUF_INIT;
	size_t done = 0;	/* pieces start at or after this: none is read twice */

	msg = msg != NULL ? msg : "";
	walk_parts(msg, len, blob, bloblen, &w, &built);
	for (size_t k = 0; k < w.n; k++) {
		const struct mime_part_loc *l = &w.v[k].loc;
		size_t end;

		if ((what & MIME_TEXT_HEADERS) && l->header_off >= done) {
			end = l->header_off + l->header_len;
			header_piece(msg, l->header_off, end, out);
			done = end;
		}
		if ((what & MIME_TEXT_HEADERS) && l->is_message && l->body_off >= done) {
			end = block_end(msg, l->body_off, l->body_off + l->body_len);
			header_piece(msg, l->body_off, end, out);	/* the attached message's */
			done = end;
		}
		if ((what & MIME_TEXT_BODIES) && is_leaf(&w, k) && l->body_off >= done) {
			body_piece(msg, l, out);
			done = l->body_off + l->body_len;
		}
	}
	free(w.v);
	buf_free(&built);
}

/* leaf_type - the part's "type/subtype" in lower case into out (text/plain when none or broken) */
static void
leaf_type(const char *msg, const struct mime_part_loc *loc, struct buf *out)
{
	struct mime_ctype ct;
	struct mime_span v;

	if (field_find(msg, loc, "Content-Type", &v))
		mime_ctype_parse(msg + v.off, v.len, true, &ct);
	else
		mime_ctype_parse("", 0, true, &ct);
	if (ct.valid)
		buf_printf(out, "%s/%s", mime_str(&ct.type), mime_str(&ct.subtype));
	else
		buf_puts(out, "text/plain");
	for (size_t i = 0; i < out->len; i++)
		out->data[i] = (char)tolower((unsigned char)out->data[i]);
	mime_ctype_free(&ct);
}

/* is_textual - whether body_piece gives the text of a part of this type */
static bool
is_textual(const char *type)
{
	return strncmp(type, "text/", 5) == 0 || strncmp(type, "message/", 8) == 0 ||
	    strncmp(type, "multipart/", 10) == 0;
}

/* leaf_bytes - a leaf's body with its transfer encoding undone, then a NUL */
static void
leaf_bytes(const char *msg, const struct mime_part_loc *loc, struct buf *out)
{
	struct mime_span v;
	struct buf cte = BUF_INIT;

	if (field_find(msg, loc, "Content-Transfer-Encoding", &v))
		mime_lex_token(msg + v.off, mime_lex_cfws(msg + v.off, 0, v.len), v.len,
		    MIME_TSPECIALS, &cte);
	if (mime_decode(mime_str(&cte), cte.len, msg + loc->body_off, loc->body_len, out) < 0)
		buf_append(out, msg + loc->body_off, loc->body_len);
	buf_putc(out, '\0');
	buf_free(&cte);
}

/* mime_leaf_each - Sieve's body test walks the leaves with their types */
void
mime_leaf_each(const char *msg, size_t len, mime_leaf_fn *fn, void *arg)
{
	struct walk w = { len, NULL, 0, 0, false };
	struct buf built = BUF_INIT, type = BUF_INIT, body = BUF_INIT;
	bool more = true;

	msg = msg != NULL ? msg : "";
	walk_parts(msg, len, NULL, 0, &w, &built);
	for (size_t k = 0; more && k < w.n; k++) {
		if (!is_leaf(&w, k))
			continue;
		buf_reset(&type);
		buf_reset(&body);
		leaf_type(msg, &w.v[k].loc, &type);
		if (is_textual(buf_cstr(&type)))
			body_piece(msg, &w.v[k].loc, &body);
		else
			leaf_bytes(msg, &w.v[k].loc, &body);
		more = fn(arg, buf_cstr(&type), mime_str(&body), body.len > 0 ? body.len - 1 : 0);
	}
	free(w.v);
	buf_free(&built);
	buf_free(&type);
	buf_free(&body);
}

/* leaf_subtype - whether a leaf part is text/<sub> (no Content-Type: text/plain) */
static bool
leaf_subtype(const char *msg, const struct mime_part_loc *loc, const char *sub)
{
	struct mime_ctype ct;
	struct mime_span v;
	bool is;

	if (!field_find(msg, loc, "Content-Type", &v))
		return strcmp(sub, "plain") == 0;
	mime_ctype_parse(msg + v.off, v.len, true, &ct);
	is = ct.valid ? mime_ctype_is(&ct, "text", sub) : strcmp(sub, "plain") == 0;
	mime_ctype_free(&ct);
	return is;
}

/* html_entity - the character an entity at s names (a few common ones), its length in *n_r */
static char
html_entity(const char *s, size_t left, size_t *n_r)
{
	static const struct { const char *name; char c; } ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' },
		{ "&#39;", '\'' }, { "&nbsp;", ' ' }, { "&apos;", '\'' },
	};

	for (size_t i = 0; i < sizeof(ents) / sizeof(ents[0]); i++) {
		size_t n = strlen(ents[i].name);

		if (n <= left && strncasecmp(s, ents[i].name, n) == 0) {
			*n_r = n;
			return ents[i].c;
		}
	}
	*n_r = 1;
	return '&';
}

/* html_skip - past the tag at s[0] == '<'; a <style> or <script> element is skipped whole */
static size_t
html_skip(const char *s, size_t left)
{
	static const char *const hidden[] = { "style", "script", "head" };
	const char *gt = memchr(s, '>', left);
	size_t end = gt != NULL ? (size_t)(gt - s) + 1 : left;

	for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++) {
		size_t n = strlen(hidden[i]);
		char close[16];

		if (left < n + 2 || strncasecmp(s + 1, hidden[i], n) != 0 ||
		    (s[n + 1] != '>' && s[n + 1] != ' ' && s[n + 1] != '\t'))
			continue;
		snprintf(close, sizeof(close), "</%s", hidden[i]);
		for (size_t k = end; k + strlen(close) <= left; k++)
			if (strncasecmp(s + k, close, strlen(close)) == 0) {
				gt = memchr(s + k, '>', left - k);
				return gt != NULL ? (size_t)(gt - s) + 1 : left;
			}
		return left;
	}
	return end;
}

/* preview_put - one byte of preview text: white space runs become one space (none leading), controls go */
static void
preview_put(struct buf *out, char c, size_t *chars)
{
	unsigned char u = (unsigned char)c;

	if (u < 0x20 || u == 0x7f || c == ' ') {
		if (out->len == 0 || out->data[out->len - 1] == ' ')
			return;
		c = ' ';
	}
	if ((u & 0xc0) != 0x80)
		(*chars)++;		/* a character starts here */
	if (*chars <= MIME_PREVIEW_MAX)
		buf_putc(out, c);
}

void
mime_preview(const char *msg, size_t len, const void *blob, size_t bloblen, struct buf *out)
{
	struct walk w = { len, NULL, 0, 0, false };
	struct buf built = BUF_INIT, text = BUF_INIT, pv = BUF_INIT;
	size_t k = 0, chars = 0;
	bool html = false;

	msg = msg != NULL ? msg : "";
	walk_parts(msg, len, blob, bloblen, &w, &built);
	while (k < w.n && !(is_leaf(&w, k) && leaf_subtype(msg, &w.v[k].loc, "plain")))
		k++;
	if (k == w.n) {
		for (k = 0; k < w.n && !(is_leaf(&w, k) && leaf_subtype(msg, &w.v[k].loc, "html")); k++)
			;
		html = true;
	}
	if (k < w.n) {
		struct mime_part_loc loc = w.v[k].loc;

		/* the start is enough: a big part costs no more than a small one */
		if (loc.body_len > PREVIEW_SCAN)
			loc.body_len = PREVIEW_SCAN;
		body_piece(msg, &loc, &text);
	}
	/* a character past the limit is never started, so no UTF-8 sequence is cut */
	for (size_t i = 0; i < text.len && text.data[i] != '\0' && chars <= MIME_PREVIEW_MAX; ) {
		size_t n = 1;

		if (html && text.data[i] == '<') {
			i += html_skip(text.data + i, text.len - i);
			preview_put(&pv, ' ', &chars);
			continue;
		}
		preview_put(&pv, html && text.data[i] == '&' ?
		    html_entity(text.data + i, text.len - i, &n) : text.data[i], &chars);
		i += n;
	}
	if (pv.len > 0 && pv.data[pv.len - 1] == ' ')
		pv.len--;
	buf_append(out, pv.data, pv.len);
	free(w.v);
	buf_free(&built);
	buf_free(&text);
	buf_free(&pv);
}
