/*
 * mime.h - message parsing for the store: CRLF normalization, header
 * lookup, and the parsed-structure cache (ENVELOPE, BODY, BODYSTRUCTURE and
 * the byte ranges of every MIME part) computed once at delivery so that
 * FETCH never reparses.
 *
 * The parser does no I/O, never fails on broken MIME (it degrades to
 * text/plain, as RFC 3501 servers do), and caps nesting depth and part
 * count. The parser, the cache and so ENVELOPE and BODYSTRUCTURE keep
 * RFC 2047 encoded words raw, as RFC 3501 requires; only SEARCH decodes
 * them (mime_2047_decode, mime_text), with the charset conversion below.
 *
 * Ownership: output goes into caller-owned struct buf; pointers returned by
 * the mime_cache_* accessors point into the blob the caller passed and stay
 * valid as long as it does.
 */
#ifndef DUPLEX_MIME_H
#define DUPLEX_MIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define MIME_MAX_DEPTH 32	/* nested multiparts/message beyond this are opaque */
#define MIME_MAX_PARTS 1000	/* parts beyond this are not split further */

/* mime_to_crlf - append in to out with every bare LF or bare CR made CRLF */
void mime_to_crlf(const char *in, size_t len, struct buf *out);

/*
 * mime_header_get - the unfolded value of the first header field named
 * name (case-insensitive) in the message's top-level header, appended to
 * out without the trailing CRLF. Returns 0, or -1 if there is none.
 */
int mime_header_get(const char *msg, size_t len, const char *name, struct buf *out);

/*
 * mime_header_has - whether any top-level header field named name (any
 * case) has, unfolded and trimmed, the value value (any case)
 */
bool mime_header_has(const char *msg, size_t len, const char *name, const char *value);

/*
 * mime_header_all - append the unfolded value of every top-level header
 * field named name (case-insensitive), each followed by a NUL, in message
 * order. Returns how many there were.
 */
size_t mime_header_all(const char *msg, size_t len, const char *name, struct buf *out);

/* mime_cache_build - parse a CRLF message and append its cache blob to blob */
void mime_cache_build(const char *msg, size_t len, struct buf *blob);

/* mime_cache_validate - 0 if blob is a well-formed cache blob, else -1 */
int mime_cache_validate(const void *blob, size_t len);

/* mime_cache_envelope - the ENVELOPE, as IMAP text: "(date subject ...)" */
int mime_cache_envelope(const void *blob, size_t len, const char **s_r, size_t *n_r);

/* mime_cache_bodystructure - BODYSTRUCTURE (extended) or BODY (!extended) */
int mime_cache_bodystructure(const void *blob, size_t len, bool extended, const char **s_r,
    size_t *n_r);

/* where one part lives inside the message bytes */
struct mime_part_loc {
	uint64_t header_off, header_len;	/* the part's MIME header, with its blank line */
	uint64_t body_off, body_len;		/* the part's body */
	bool is_message;			/* message/rfc822: body holds a whole message */
};

/*
 * mime_cache_part - locate an IMAP section part number ("1", "2.1"; "" is
 * the whole message). Returns 0, or -1 if there is no such part.
 */
int mime_cache_part(const void *blob, size_t len, const char *section, struct mime_part_loc *loc_r);

/*
 * Content-Transfer-Encoding decoding (mime_decode.c): lenient, never
 * failing on bad input, the output never longer than the input.
 */
/* mime_decode_base64 - append the decoded bytes, skipping non-alphabet characters */
void mime_decode_base64(const char *in, size_t len, struct buf *out);
/* mime_decode_qp - append the decoded bytes; hard line breaks stay as they were */
void mime_decode_qp(const char *in, size_t len, struct buf *out);
/*
 * mime_decode - append in decoded by the Content-Transfer-Encoding field
 * value cte (ctelen bytes; empty means 7bit). 0, or -1 for an encoding
 * other than 7bit, 8bit, binary, base64 and quoted-printable.
 */
int mime_decode(const char *cte, size_t ctelen, const char *in, size_t len, struct buf *out);

/*
 * Text as SEARCH compares it: UTF-8, whatever charset and encoding it was
 * written in. Lenient like the decoders above: bad input degrades to its
 * raw bytes, nothing fails, and every output is bounded.
 */
#define MIME_CHARSET_GROWTH	4	/* output bytes per input byte, at most */
#define MIME_CHARSET_NAME_MAX	40	/* longer names are unknown charsets */

/*
 * mime_charset_utf8 - append in, written in charset cs (cslen bytes, not
 * NUL-terminated), converted to UTF-8 (glibc iconv; UTF-8 and US-ASCII are
 * copied as they are). 0 if all of it converted; 1 if some bytes were
 * copied unconverted or the MIME_CHARSET_GROWTH bound cut the output; -1,
 * nothing appended, if the charset is unknown.
 */
int mime_charset_utf8(const char *cs, size_t cslen, const char *in, size_t len, struct buf *out);

/*
 * mime_2047_decode - append the header value in (unfolded) with its RFC
 * 2047 encoded words decoded to UTF-8: B and Q, "charset*language"
 * accepted, white space between adjacent words dropped (RFC 2047 6.2), a
 * broken word or one in an unknown charset kept as written. Returns the
 * number of encoded words found; 0 means out got in unchanged.
 */
size_t mime_2047_decode(const char *in, size_t len, struct buf *out);

/*
 * mime_address_display - append the address list s[0..n) (an
 * unfolded From, To, ... value) as it is displayed: "name <mailbox@host>"
 * or "mailbox@host", comments and stray white space dropped, ", " between
 * addresses, a group as "name: members;". Encoded words are left as they are.
 */
void mime_address_display(const char *s, size_t n, struct buf *out);

#define MIME_TEXT_HEADERS	0x1	/* every header block: the message's, its parts', attached messages' */
#define MIME_TEXT_BODIES	0x2	/* the body of every text leaf part */

/*
 * mime_text - append the message's searchable text: for each piece what
 * asks for, in message order, the piece then a NUL. Header blocks are
 * unfolded and mime_2047_decode'd; a leaf body is decoded by its
 * Content-Transfer-Encoding and converted from its charset (us-ascii when
 * none), unless its Content-Type names a type other than text, message or
 * multipart (those are not searched). blob is the message's cache blob, or
 * NULL: the parts are then parsed from msg. The output is at most
 * MIME_CHARSET_GROWTH times len plus two bytes per part.
 */
void mime_text(const char *msg, size_t len, const void *blob, size_t bloblen, unsigned what,
    struct buf *out);

/*
 * mime_leaf_each - call fn for each leaf part of msg, in message order,
 * with its media type ("type/subtype" in lower case; text/plain when it
 * has none or a broken one) and its body as mime_text gives it: decoded
 * and in UTF-8; other types only with their transfer encoding undone.
 * fn returns false to stop.
 */
typedef bool mime_leaf_fn(void *arg, const char *type, const char *body, size_t n);
void mime_leaf_each(const char *msg, size_t len, mime_leaf_fn *fn, void *arg);

#define MIME_PREVIEW_MAX	200	/* characters of a preview (RFC 8970 allows 256) */

/*
 * mime_preview - append the message's preview text (RFC 8970), UTF-8, at
 * most MIME_PREVIEW_MAX characters: the first text/plain part, else the
 * first text/html one without its markup, white space collapsed to single
 * spaces; nothing when there is no text part. blob as for mime_text.
 */
void mime_preview(const char *msg, size_t len, const void *blob, size_t bloblen, struct buf *out);

#endif
