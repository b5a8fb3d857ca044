/*
 * mime_header.c - walking the fields of one header block, unfolding, and
 * mime_header_get and mime_header_has for the store, mime_header_all for Sieve.
 *
 * A header block runs to the first empty line (which belongs to it) or to
 * the end of the data when there is none. Lines end in LF with an optional
 * CR before it, so even input that skipped mime_to_crlf is handled. Lines
 * without a colon are skipped, not fatal (mbox "From " lines, garbage).
 */
#include "mime/mime_int.h"

#include <string.h>
#include <strings.h>

/* mime_line_next - offset just past the line starting at off (its LF included) */
size_t
mime_line_next(const char *s, size_t off, size_t end)
{
	const char *nl = memchr(s + off, '\n', end - off);

	return nl != NULL ? (size_t)(nl - s) + 1 : end;
}

/* mime_hdr_init - start iterating the header block that begins at off */
void
mime_hdr_init(struct mime_hdr_iter *it, const char *s, size_t off, size_t end)
{
	it->s = s;
	it->pos = off;
	it->end = end;
}

/* line_blank - whether [off, next) is the empty line that ends a header */
static bool
line_blank(const char *s, size_t off, size_t next)
{
	size_t n = next - off;

	return n == 0 || (s[off] == '\n') || (s[off] == '\r' && (n == 1 || s[off + 1] == '\n'));
}

/* field_split - name and value of the field [off, end); false if it has no colon */
static bool
field_split(const char *s, size_t off, size_t end, struct mime_span *name_r,
    struct mime_span *value_r)
{
	size_t eol = mime_line_next(s, off, end);
	const char *colon = memchr(s + off, ':', eol - off);
	size_t c, nend;

	if (colon == NULL)
		return false;
	c = (size_t)(colon - s);
	for (nend = c; nend > off && (s[nend - 1] == ' ' || s[nend - 1] == '\t'); nend--)
		;
	if (nend == off)
		return false;
	while (end > c + 1 && (s[end - 1] == '\n' || s[end - 1] == '\r'))
		end--;
	*name_r = (struct mime_span){ off, nend - off, true };
	*value_r = (struct mime_span){ c + 1, end - c - 1, true };
	return true;
}

/* mime_hdr_next - the next field, continuation lines included; false at the header's end */
bool
mime_hdr_next(struct mime_hdr_iter *it, struct mime_span *name_r, struct mime_span *value_r)
{
	while (it->pos < it->end) {
		size_t off = it->pos, next = mime_line_next(it->s, off, it->end);

		if (line_blank(it->s, off, next)) {
			it->pos = next;
			return false;
		}
		while (next < it->end && (it->s[next] == ' ' || it->s[next] == '\t'))
			next = mime_line_next(it->s, next, it->end);
		it->pos = next;
		if (field_split(it->s, off, next, name_r, value_r))
			return true;
	}
	return false;
}

/* mime_unfold - the value as one line: folds removed, outer whitespace trimmed */
void
mime_unfold(const char *s, size_t n, struct buf *out)
{
	size_t i = 0;

	while (i < n && mime_is_wsp(s[i]))
		i++;
	while (n > i && mime_is_wsp(s[n - 1]))
		n--;
	for (; i < n; i++)
		if (s[i] != '\r' && s[i] != '\n')
			buf_putc(out, s[i]);
}

/* header_next_named - the next field named name (any case), unfolded and appended to out */
static bool
header_next_named(struct mime_hdr_iter *it, const char *name, struct buf *out)
{
	struct mime_span fname, value;
	size_t nlen = strlen(name);

	while (mime_hdr_next(it, &fname, &value)) {
		if (fname.len == nlen && strncasecmp(it->s + fname.off, name, nlen) == 0) {
			mime_unfold(it->s + value.off, value.len, out);
			return true;
		}
	}
	return false;
}

/* mime_header_get - the store needs single fields (Message-ID, Date) without a full parse */
int
mime_header_get(const char *msg, size_t len, const char *name, struct buf *out)
{
	struct mime_hdr_iter it;

	mime_hdr_init(&it, msg, 0, len);
	return header_next_named(&it, name, out) ? 0 : -1;
}

/* mime_header_all - Sieve's header test looks at every field of the name */
size_t
mime_header_all(const char *msg, size_t len, const char *name, struct buf *out)
{
	struct mime_hdr_iter it;
	size_t n = 0;

	mime_hdr_init(&it, msg, 0, len);
	while (header_next_named(&it, name, out)) {
		buf_putc(out, '\0');
		n++;
	}
	return n;
}

/* mime_header_has - spam filing looks at every field of the name, as Sieve's header test does */
bool
mime_header_has(const char *msg, size_t len, const char *name, const char *value)
{
	struct mime_hdr_iter it;
	struct buf v = BUF_INIT;
	bool found = false;

	mime_hdr_init(&it, msg, 0, len);
	while (!found && header_next_named(&it, name, &v)) {
		found = strcasecmp(buf_cstr(&v), value) == 0;
		buf_reset(&v);
	}
	buf_free(&v);
	return found;
}
