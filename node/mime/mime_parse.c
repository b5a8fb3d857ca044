/*
 * mime_parse.c - a message's MIME structure as a tree of parts, each with
 * its header and body byte ranges and the raw values of the fields the
 * IMAP writers need.
 *
 * A multipart's children are found top-down: the parent's delimiter lines
 * cut its body into ranges, and each child is parsed inside its range, so
 * a child missing its close delimiter simply ends where the parent's next
 * delimiter begins. Delimiter lines must match exactly (RFC 2046 5.1.1:
 * "--" boundary, then "--" or only whitespace), so a boundary that is a
 * prefix of another never matches the longer one's lines.
 *
 * Never fails: a multipart without a boundary, a message/rfc822 in a
 * transfer encoding, and any container past MIME_MAX_DEPTH or past
 * MIME_MAX_PARTS become opaque text/plain leaves. Recursion is bounded by
 * MIME_MAX_DEPTH.
 */
#include "mime/mime_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"

static const char *const field_names[MF_COUNT] = {
	[MF_CONTENT_TYPE] = "Content-Type",
	[MF_CTE] = "Content-Transfer-Encoding",
	[MF_CONTENT_ID] = "Content-ID",
	[MF_CONTENT_DESC] = "Content-Description",
	[MF_CONTENT_DISP] = "Content-Disposition",
	[MF_CONTENT_LANG] = "Content-Language",
	[MF_CONTENT_LOC] = "Content-Location",
	[MF_CONTENT_MD5] = "Content-MD5",
	[MF_DATE] = "Date",
	[MF_SUBJECT] = "Subject",
	[MF_FROM] = "From",
	[MF_SENDER] = "Sender",
	[MF_REPLY_TO] = "Reply-To",
	[MF_TO] = "To",
	[MF_CC] = "Cc",
	[MF_BCC] = "Bcc",
	[MF_IN_REPLY_TO] = "In-Reply-To",
	[MF_MESSAGE_ID] = "Message-ID",
};

enum delim { DELIM_NONE, DELIM_PART, DELIM_CLOSE };

static struct mime_part *part_parse(struct mime_tree *t, size_t off, size_t end, unsigned depth,
    bool digest_child);

/* fields_read - remember the first occurrence of each field we serve; returns the body start */
static size_t
fields_read(const struct mime_tree *t, struct mime_part *p, size_t off, size_t end)
{
	struct mime_hdr_iter it;
	struct mime_span name, value;
	int f;

	mime_hdr_init(&it, t->msg, off, end);
	while (mime_hdr_next(&it, &name, &value)) {
		for (f = 0; f < MF_COUNT; f++) {
			if (!p->field[f].set && strlen(field_names[f]) == name.len &&
			    strncasecmp(t->msg + name.off, field_names[f], name.len) == 0) {
				p->field[f] = value;
				break;
			}
		}
	}
	return it.pos;
}

/* mime_part_field - a field's unfolded value (nothing when absent) */
void
mime_part_field(const struct mime_tree *t, const struct mime_part *p, enum mime_field f,
    struct buf *out)
{
	if (p->field[f].set)
		mime_unfold(t->msg + p->field[f].off, p->field[f].len, out);
}

/* mime_part_ctype - the Content-Type parsed; ct->valid false when absent or broken */
void
mime_part_ctype(const struct mime_tree *t, const struct mime_part *p, struct mime_ctype *ct)
{
	const struct mime_span *v = &p->field[MF_CONTENT_TYPE];

	mime_ctype_parse(v->set ? t->msg + v->off : "", v->set ? v->len : 0, true, ct);
}

/* mime_part_cte - the Content-Transfer-Encoding token (nothing when absent) */
void
mime_part_cte(const struct mime_tree *t, const struct mime_part *p, struct buf *out)
{
	const struct mime_span *v = &p->field[MF_CTE];
	const char *s = t->msg + v->off;

	if (v->set)
		mime_lex_token(s, mime_lex_cfws(s, 0, v->len), v->len, MIME_TSPECIALS, out);
}

/* encoded - whether the part has a transfer encoding that hides its structure */
static bool
encoded(const struct mime_tree *t, const struct mime_part *p)
{
	struct buf cte = BUF_INIT;
	const char *v;
	bool r;

	mime_part_cte(t, p, &cte);
	v = mime_str(&cte);
	r = cte.len > 0 && strcasecmp(v, "7bit") != 0 && strcasecmp(v, "8bit") != 0 &&
	    strcasecmp(v, "binary") != 0;
	buf_free(&cte);
	return r;
}

/* part_kind - what the part's Content-Type makes it; the boundary goes to boundary_r */
static enum mime_kind
part_kind(const struct mime_tree *t, const struct mime_part *p, struct buf *boundary_r,
    bool *digest_r)
{
	struct mime_ctype ct;
	const struct buf *b;
	enum mime_kind kind = MIME_LEAF;

	if (!p->field[MF_CONTENT_TYPE].set)
		return p->digest_child ? MIME_MESSAGE : MIME_LEAF;
	mime_part_ctype(t, p, &ct);
	if (mime_ctype_is(&ct, "multipart", NULL)) {
		b = mime_ctype_param(&ct, "boundary");
		if (b != NULL && b->len > 0) {
			buf_append(boundary_r, b->data, b->len);
			kind = MIME_MULTIPART;
			*digest_r = mime_ctype_is(&ct, "multipart", "digest");
		}
	} else if (mime_ctype_is(&ct, "message", "rfc822") || mime_ctype_is(&ct, "message", "global"))
		kind = MIME_MESSAGE;
	mime_ctype_free(&ct);
	return kind;
}

/* is_container_type - whether the Content-Type names a multipart or an enclosed message */
static bool
is_container_type(const struct mime_tree *t, const struct mime_part *p)
{
	struct mime_ctype ct;
	bool r;

	if (!p->field[MF_CONTENT_TYPE].set)
		return p->digest_child;
	mime_part_ctype(t, p, &ct);
	r = mime_ctype_is(&ct, "multipart", NULL) || mime_ctype_is(&ct, "message", "rfc822") ||
	    mime_ctype_is(&ct, "message", "global");
	mime_ctype_free(&ct);
	return r;
}

/* delim_match - whether the line [s, s+n) is a delimiter line for boundary b */
static enum delim
delim_match(const char *s, size_t n, const struct buf *b)
{
	size_t i;

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	if (n < 2 + b->len || s[0] != '-' || s[1] != '-' || memcmp(s + 2, b->data, b->len) != 0)
		return DELIM_NONE;
	i = 2 + b->len;
	if (n - i >= 2 && s[i] == '-' && s[i + 1] == '-')
		return DELIM_CLOSE;
	for (; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return DELIM_NONE;
	return DELIM_PART;
}

/* delim_start - the end of a child's body: the CRLF before a delimiter belongs to it */
static size_t
delim_start(const char *s, size_t start, size_t pos)
{
	if (pos > start && s[pos - 1] == '\n')
		pos--;
	if (pos > start && s[pos - 1] == '\r')
		pos--;
	return pos;
}

/* multipart_parse - cut the body at its delimiter lines and parse each child */
static void
multipart_parse(struct mime_tree *t, struct mime_part *p, const struct buf *boundary,
    unsigned depth, bool digest)
{
	struct mime_part **tail = &p->child;
	size_t pos = p->body_off, end = p->body_off + p->body_len, start = 0;
	bool open = false;

	while (pos < end) {
		size_t next = mime_line_next(t->msg, pos, end);
		enum delim d = delim_match(t->msg + pos, next - pos, boundary);

		if (d != DELIM_NONE) {
			if (open) {
				*tail = part_parse(t, start, delim_start(t->msg, start, pos),
				    depth + 1, digest);
				tail = &(*tail)->next;
			}
			open = d == DELIM_PART && t->nparts < MIME_MAX_PARTS;
			if (!open)
				return;
			start = next;
		}
		pos = next;
	}
	if (open)
		*tail = part_parse(t, start, end, depth + 1, digest);
}

/* part_parse - one part over [off, end) and, within limits, everything inside it */
static struct mime_part *
part_parse(struct mime_tree *t, size_t off, size_t end, unsigned depth, bool digest_child)
{
	struct mime_part *p = xcalloc(1, sizeof(*p));
	struct buf boundary = BUF_INIT;
	bool digest = false;

	t->nparts++;
	p->digest_child = digest_child;
	p->hdr_off = off;
	p->body_off = fields_read(t, p, off, end);
	p->hdr_len = p->body_off - off;
	p->body_len = end - p->body_off;
	p->kind = part_kind(t, p, &boundary, &digest);
	if (p->kind == MIME_MESSAGE && encoded(t, p))
		p->kind = MIME_LEAF;
	if (depth >= MIME_MAX_DEPTH || t->nparts >= MIME_MAX_PARTS)
		p->kind = MIME_LEAF;
	p->opaque = p->kind == MIME_LEAF && is_container_type(t, p);
	if (p->kind == MIME_MULTIPART)
		multipart_parse(t, p, &boundary, depth, digest);
	else if (p->kind == MIME_MESSAGE)
		p->child = part_parse(t, p->body_off, end, depth + 1, false);
	buf_free(&boundary);
	return p;
}

/* mime_tree_parse - the whole message's tree; t borrows msg (NULL allowed when len is 0) */
void
mime_tree_parse(struct mime_tree *t, const char *msg, size_t len)
{
	t->msg = msg != NULL ? msg : "";
	t->len = len;
	t->nparts = 0;
	t->root = part_parse(t, 0, len, 0, false);
}

/* part_free - a subtree; depth is bounded by MIME_MAX_DEPTH */
static void
part_free(struct mime_part *p)
{
	while (p != NULL) {
		struct mime_part *next = p->next;

		part_free(p->child);
		free(p);
		p = next;
	}
}

/* mime_tree_free - release the tree; the message bytes are the caller's */
void
mime_tree_free(struct mime_tree *t)
{
	part_free(t->root);
	t->root = NULL;
}
