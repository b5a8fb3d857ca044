/*
 * mime_imap.c - IMAP text for a parsed message: strings, ENVELOPE, and
 * BODY / BODYSTRUCTURE (RFC 3501 7.4.2, RFC 9051 7.5.2).
 *
 * Follows Dovecot where the RFCs leave room: a part without (or with a
 * broken) Content-Type is "text" "plain" ("charset" "us-ascii"), a text
 * part without parameters gets that charset, a missing encoding is
 * "7BIT", a multipart with no parts found shows one empty text/plain
 * part, and types and parameters keep the case they were given in.
 * Strings are written by imap_write_string(), the server's one quoting
 * rule (CR, LF, NUL, other controls, 8-bit bytes or over 1024 bytes: a
 * literal, NUL sent as 0x80), and the cache keeps them verbatim for FETCH.
 */
#include "mime/mime_int.h"

#include <string.h>

#include "imapsyn/imap_write.h"

/* what a multipart with no parts shows, so the syntax still holds */
#define EMPTY_BODY "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7BIT\" 0 0)"

/* field_nstring - a field's unfolded value as a string, NIL when absent */
static void
field_nstring(struct buf *out, const struct mime_tree *t, const struct mime_part *p,
    enum mime_field f)
{
	struct buf v = BUF_INIT;

	if (!p->field[f].set) {
		buf_puts(out, "NIL");
		return;
	}
	mime_part_field(t, p, f, &v);
	imap_write_string(out, mime_str(&v), v.len);
	buf_free(&v);
}

/* addresses - a field's IMAP address list, or nothing when it has no address */
static void
addresses(const struct mime_tree *t, const struct mime_part *p, enum mime_field f,
    struct buf *list)
{
	struct buf v = BUF_INIT;

	mime_part_field(t, p, f, &v);
	mime_address_write(mime_str(&v), v.len, list);
	buf_free(&v);
}

/* address_field - a field's address list; absent or empty uses fallback, then NIL */
static void
address_field(struct buf *out, const struct mime_tree *t, const struct mime_part *p,
    enum mime_field f, const struct buf *fallback)
{
	struct buf list = BUF_INIT;

	addresses(t, p, f, &list);
	if (list.len == 0 && fallback != NULL)
		buf_append(&list, fallback->data, fallback->len);
	if (list.len == 0)
		buf_puts(out, "NIL");
	else
		buf_append(out, list.data, list.len);
	buf_free(&list);
}

/* mime_imap_envelope - the ENVELOPE of the message whose header p holds */
void
mime_imap_envelope(const struct mime_tree *t, const struct mime_part *p, struct buf *out)
{
	struct buf from = BUF_INIT;

	addresses(t, p, MF_FROM, &from);
	buf_putc(out, '(');
	field_nstring(out, t, p, MF_DATE);
	buf_putc(out, ' ');
	field_nstring(out, t, p, MF_SUBJECT);
	buf_putc(out, ' ');
	address_field(out, t, p, MF_FROM, NULL);
	buf_putc(out, ' ');
	address_field(out, t, p, MF_SENDER, &from);
	buf_putc(out, ' ');
	address_field(out, t, p, MF_REPLY_TO, &from);
	buf_putc(out, ' ');
	address_field(out, t, p, MF_TO, NULL);
	buf_putc(out, ' ');
	address_field(out, t, p, MF_CC, NULL);
	buf_putc(out, ' ');
	address_field(out, t, p, MF_BCC, NULL);
	buf_putc(out, ' ');
	field_nstring(out, t, p, MF_IN_REPLY_TO);
	buf_putc(out, ' ');
	field_nstring(out, t, p, MF_MESSAGE_ID);
	buf_putc(out, ')');
	buf_free(&from);
}

/* params - a parameter list, NIL when empty */
static void
params(struct buf *out, const struct mime_ctype *ct)
{
	size_t i;

	if (ct->nparam == 0) {
		buf_puts(out, "NIL");
		return;
	}
	buf_putc(out, '(');
	for (i = 0; i < ct->nparam; i++) {
		if (i > 0)
			buf_putc(out, ' ');
		imap_write_string(out, mime_str(&ct->param[i].name), ct->param[i].name.len);
		buf_putc(out, ' ');
		imap_write_string(out, mime_str(&ct->param[i].value), ct->param[i].value.len);
	}
	buf_putc(out, ')');
}

/* disposition - ("type" params) from Content-Disposition, NIL when absent or broken */
static void
disposition(struct buf *out, const struct mime_tree *t, const struct mime_part *p)
{
	const struct mime_span *v = &p->field[MF_CONTENT_DISP];
	struct mime_ctype d;

	if (!v->set) {
		buf_puts(out, "NIL");
		return;
	}
	mime_ctype_parse(t->msg + v->off, v->len, false, &d);
	if (d.valid) {
		buf_putc(out, '(');
		imap_write_string(out, mime_str(&d.type), d.type.len);
		buf_putc(out, ' ');
		params(out, &d);
		buf_putc(out, ')');
	} else
		buf_puts(out, "NIL");
	mime_ctype_free(&d);
}

/* language - Content-Language tags: NIL, one string, or a list of them */
static void
language(struct buf *out, const struct mime_tree *t, const struct mime_part *p)
{
	const struct mime_span *v = &p->field[MF_CONTENT_LANG];
	const char *s = t->msg + v->off;
	struct buf tag = BUF_INIT, list = BUF_INIT;
	size_t i = 0, n = v->set ? v->len : 0, count = 0;

	while ((i = mime_lex_cfws(s, i, n)) < n) {
		buf_reset(&tag);
		i = mime_lex_token(s, i, n, MIME_TSPECIALS, &tag);
		if (tag.len == 0) {
			i++;
			continue;
		}
		if (count++ > 0)
			buf_putc(&list, ' ');
		imap_write_string(&list, tag.data, tag.len);
	}
	if (count == 0)
		buf_puts(out, "NIL");
	if (count > 1)
		buf_putc(out, '(');
	buf_append(out, list.data, list.len);
	if (count > 1)
		buf_putc(out, ')');
	buf_free(&tag);
	buf_free(&list);
}

/* extension_tail - disposition, language and location, common to both part shapes */
static void
extension_tail(struct buf *out, const struct mime_tree *t, const struct mime_part *p)
{
	buf_putc(out, ' ');
	disposition(out, t, p);
	buf_putc(out, ' ');
	language(out, t, p);
	buf_putc(out, ' ');
	field_nstring(out, t, p, MF_CONTENT_LOC);
}

/* body_multipart - (parts "subtype" [params disposition language location]) */
static void
body_multipart(struct buf *out, const struct mime_tree *t, const struct mime_part *p,
    bool extended)
{
	struct mime_ctype ct;
	const struct mime_part *c;

	mime_part_ctype(t, p, &ct);
	buf_putc(out, '(');
	if (p->child == NULL)
		buf_puts(out, EMPTY_BODY);
	for (c = p->child; c != NULL; c = c->next)
		mime_imap_body(t, c, extended, out);
	buf_putc(out, ' ');
	imap_write_string(out, mime_str(&ct.subtype), ct.subtype.len);
	if (extended) {
		buf_putc(out, ' ');
		params(out, &ct);
		extension_tail(out, t, p);
	}
	buf_putc(out, ')');
	mime_ctype_free(&ct);
}

/* single_ctype - the Content-Type a leaf or message part shows, defaults applied */
static void
single_ctype(const struct mime_tree *t, const struct mime_part *p, struct mime_ctype *ct)
{
	mime_part_ctype(t, p, ct);
	if (ct->valid && !p->opaque)
		goto charset;
	mime_ctype_free(ct);
	ct->valid = true;
	if (p->digest_child && !p->opaque && !p->field[MF_CONTENT_TYPE].set) {
		buf_puts(&ct->type, "message");
		buf_puts(&ct->subtype, "rfc822");
		return;
	}
	buf_puts(&ct->type, "text");
	buf_puts(&ct->subtype, "plain");
charset:
	if (ct->nparam == 0 && mime_ctype_is(ct, "text", NULL))
		mime_ctype_add(ct, "charset", "us-ascii");
}

/* lines - the body's line count, as LFs (bodies are CRLF) */
static size_t
lines(const struct mime_tree *t, const struct mime_part *p)
{
	const char *s = t->msg + p->body_off, *e = s + p->body_len;
	size_t n = 0;

	while (s < e && (s = memchr(s, '\n', (size_t)(e - s))) != NULL) {
		n++;
		s++;
	}
	return n;
}

/* encoding - the transfer encoding as given, "7BIT" when absent */
static void
encoding(struct buf *out, const struct mime_tree *t, const struct mime_part *p)
{
	struct buf cte = BUF_INIT;

	mime_part_cte(t, p, &cte);
	if (cte.len == 0)
		buf_puts(&cte, "7BIT");
	imap_write_string(out, cte.data, cte.len);
	buf_free(&cte);
}

/* body_single - a basic, text or message/rfc822 body with its fields */
static void
body_single(struct buf *out, const struct mime_tree *t, const struct mime_part *p,
    bool extended)
{
	struct mime_ctype ct;

	single_ctype(t, p, &ct);
	buf_putc(out, '(');
	imap_write_string(out, mime_str(&ct.type), ct.type.len);
	buf_putc(out, ' ');
	imap_write_string(out, mime_str(&ct.subtype), ct.subtype.len);
	buf_putc(out, ' ');
	params(out, &ct);
	buf_putc(out, ' ');
	field_nstring(out, t, p, MF_CONTENT_ID);
	buf_putc(out, ' ');
	field_nstring(out, t, p, MF_CONTENT_DESC);
	buf_putc(out, ' ');
	encoding(out, t, p);
	buf_printf(out, " %zu", p->body_len);
	if (p->kind == MIME_MESSAGE) {
		buf_putc(out, ' ');
		mime_imap_envelope(t, p->child, out);
		buf_putc(out, ' ');
		mime_imap_body(t, p->child, extended, out);
		buf_printf(out, " %zu", lines(t, p));
	} else if (mime_ctype_is(&ct, "text", NULL))
		buf_printf(out, " %zu", lines(t, p));
	if (extended) {
		buf_putc(out, ' ');
		field_nstring(out, t, p, MF_CONTENT_MD5);
		extension_tail(out, t, p);
	}
	buf_putc(out, ')');
	mime_ctype_free(&ct);
}

/* mime_imap_body - BODYSTRUCTURE (extended) or BODY of the part p */
void
mime_imap_body(const struct mime_tree *t, const struct mime_part *p, bool extended,
    struct buf *out)
{
	if (p->kind == MIME_MULTIPART)
		body_multipart(out, t, p, extended);
	else
		body_single(out, t, p, extended);
}
