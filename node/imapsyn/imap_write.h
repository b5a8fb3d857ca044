/*
 * imap_write.h - IMAP output syntax: strings, literals, mailbox names.
 *
 * Everything appends to a caller-owned struct buf and never fails except
 * where it says so. The string writers choose the form the bytes allow: a
 * quoted string when every byte may appear in one (printable or tab,
 * 7-bit, no NUL, CR or LF, and not too long), a literal otherwise, NIL for
 * a NULL nstring. Literals are written "{n}\r\n" followed by the data, as
 * a server sends them (no continuation is waited for).
 *
 * Nothing here knows the store or a session, so any server that speaks
 * IMAP strings (ManageSieve does) may write with it. Message flags meet
 * the store's bits in the IMAP server (imap/imap_flags.h).
 */
#ifndef DUPLEX_IMAP_WRITE_H
#define DUPLEX_IMAP_WRITE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

#define IMAP_WRITE_QUOTED_MAX	1024	/* longer strings go as literals */

/* imap_write_string - s as a quoted string or a literal */
void imap_write_string(struct buf *out, const char *s, size_t n);
/* imap_write_nstring - like imap_write_string, NIL when s is NULL */
void imap_write_nstring(struct buf *out, const char *s, size_t n);
/* imap_write_astring - an atom when s is a non-empty atom other than NIL */
void imap_write_astring(struct buf *out, const char *s, size_t n);
/* imap_write_literal - "{n}\r\n" (or "~{n}\r\n" when binary) and the data */
void imap_write_literal(struct buf *out, const char *s, size_t n, bool binary);
/*
 * imap_write_mailbox - a UTF-8 mailbox name as an astring: modified UTF-7
 * for IMAP4rev1, UTF-8 itself (a quoted string may carry it) when utf8 is
 * set (IMAP4rev2, UTF8=ACCEPT). 0, or -1 (nothing written) if name is not
 * valid UTF-8.
 */
int imap_write_mailbox(struct buf *out, const char *name, size_t n, bool utf8);

#endif
