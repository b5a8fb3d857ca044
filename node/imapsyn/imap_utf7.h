/*
 * imap_utf7.h - modified UTF-7 mailbox names (RFC 3501 section 5.1.3).
 *
 * IMAP4rev1 clients name mailboxes in modified UTF-7; the store keeps
 * UTF-8, and IMAP4rev2 / UTF8=ACCEPT sessions use UTF-8 on the wire. Both
 * directions are strict: a name that does not decode exactly, or that is
 * not the one canonical encoding of its characters, is refused rather than
 * turned into something else. Refused: bytes outside 0x20..0x7e, an
 * unterminated "&...", bad base64, non-zero padding bits, a bad surrogate
 * pair, an encoded printable ASCII character or NUL, an empty "&-" shift
 * other than "&" itself, and two shifts back to back ("&AOk-&AOk-").
 *
 * Output goes to a caller-owned struct buf; on failure out may hold a
 * partial result and should be discarded.
 */
#ifndef DUPLEX_IMAP_UTF7_H
#define DUPLEX_IMAP_UTF7_H

#include <stddef.h>

#include "util/buf.h"

/* imap_utf7_to_utf8 - decode name (len bytes) onto out; 0, or -1 if invalid */
int imap_utf7_to_utf8(const char *name, size_t len, struct buf *out);
/* imap_utf8_to_utf7 - encode name onto out; 0, or -1 if it is not valid UTF-8 */
int imap_utf8_to_utf7(const char *name, size_t len, struct buf *out);
/* imap_utf8_valid - strict UTF-8: no overlongs, surrogates or NUL; 0 or -1 */
int imap_utf8_valid(const char *s, size_t len);

#endif
