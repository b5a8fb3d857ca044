/*
 * mime_int.h - internals shared by the node/mime/ files: the lexer, header
 * iteration, the part tree, Content-Type parsing and the IMAP writers.
 *
 * The part tree holds offsets into the caller's message bytes, never
 * copies, so a tree is valid only while those bytes are. Every scan takes
 * explicit bounds; nothing here relies on NUL termination.
 */
#ifndef DUPLEX_MIME_INT_H
#define DUPLEX_MIME_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "mime/mime.h"
#include "util/buf.h"

/* mime_str - a buffer's bytes as a C string (buffers stay NUL-terminated) */
static inline const char *
mime_str(const struct buf *b)
{
	return b->data != NULL ? b->data : "";
}

/* RFC 2045 tspecials: what ends a token in Content-* fields */
#define MIME_TSPECIALS "()<>@,;:\\\"/[]?="

/* mime_lex.c - RFC 5322 / RFC 2045 lexical pieces over [i, n) of s */
bool mime_is_wsp(char c);
size_t mime_lex_cfws(const char *s, size_t i, size_t n);
size_t mime_lex_comment(const char *s, size_t i, size_t n, struct buf *out);
size_t mime_lex_quoted(const char *s, size_t i, size_t n, struct buf *out);
size_t mime_lex_token(const char *s, size_t i, size_t n, const char *stop, struct buf *out);

/* mime_header.c - header fields of one header block */
struct mime_span {
	size_t off, len;
	bool set;
};

struct mime_hdr_iter {
	const char *s;
	size_t pos, end;	/* after the last field, pos is where the body starts */
};

size_t mime_line_next(const char *s, size_t off, size_t end);
void mime_hdr_init(struct mime_hdr_iter *it, const char *s, size_t off, size_t end);
bool mime_hdr_next(struct mime_hdr_iter *it, struct mime_span *name_r, struct mime_span *value_r);
void mime_unfold(const char *s, size_t n, struct buf *out);

/* mime_ctype.c - "type/subtype; a=b" (Content-Type) or "type; a=b" (Disposition) */
struct mime_param {
	struct buf name, value;
};

struct mime_ctype {
	struct buf type, subtype;
	struct mime_param *param;
	size_t nparam, cap;
	bool valid;
};

void mime_ctype_parse(const char *s, size_t n, bool want_subtype, struct mime_ctype *ct);
void mime_ctype_add(struct mime_ctype *ct, const char *name, const char *value);
const struct buf *mime_ctype_param(const struct mime_ctype *ct, const char *name);
bool mime_ctype_is(const struct mime_ctype *ct, const char *type, const char *subtype);
void mime_ctype_free(struct mime_ctype *ct);

/* mime_parse.c - the part tree */
enum mime_field {
	MF_CONTENT_TYPE, MF_CTE, MF_CONTENT_ID, MF_CONTENT_DESC, MF_CONTENT_DISP,
	MF_CONTENT_LANG, MF_CONTENT_LOC, MF_CONTENT_MD5, MF_DATE, MF_SUBJECT, MF_FROM,
	MF_SENDER, MF_REPLY_TO, MF_TO, MF_CC, MF_BCC, MF_IN_REPLY_TO, MF_MESSAGE_ID,
	MF_COUNT
};

enum mime_kind { MIME_LEAF, MIME_MULTIPART, MIME_MESSAGE };

struct mime_part {
	size_t hdr_off, hdr_len, body_off, body_len;
	enum mime_kind kind;
	bool digest_child;	/* no Content-Type means message/rfc822 (RFC 2046 5.1.5) */
	bool opaque;		/* a container not split (broken or over a limit): text/plain */
	struct mime_span field[MF_COUNT];	/* first occurrence, raw (folded) value */
	struct mime_part *child;		/* multipart children, or the enclosed message */
	struct mime_part *next;
};

struct mime_tree {
	const char *msg;
	size_t len;
	struct mime_part *root;
	size_t nparts;
};

void mime_tree_parse(struct mime_tree *t, const char *msg, size_t len);
void mime_tree_free(struct mime_tree *t);
void mime_part_field(const struct mime_tree *t, const struct mime_part *p, enum mime_field f,
    struct buf *out);
void mime_part_cte(const struct mime_tree *t, const struct mime_part *p, struct buf *out);
void mime_part_ctype(const struct mime_tree *t, const struct mime_part *p, struct mime_ctype *ct);

/* mime_cache.c - the part table, for mime_text.c; fn returns false to stop */
typedef bool mime_cache_part_fn(const char *section, size_t section_len,
    const struct mime_part_loc *loc, void *arg);
int mime_cache_parts(const void *blob, size_t len, mime_cache_part_fn *fn, void *arg);

/* mime_address.c - RFC 5322 address list to IMAP address list */
size_t mime_address_write(const char *s, size_t n, struct buf *out);

/* mime_imap.c - ENVELOPE, BODY and BODYSTRUCTURE (strings by imap_write_string) */
void mime_imap_envelope(const struct mime_tree *t, const struct mime_part *p, struct buf *out);
void mime_imap_body(const struct mime_tree *t, const struct mime_part *p, bool extended,
    struct buf *out);

#endif
