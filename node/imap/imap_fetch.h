/*
 * imap_fetch.h - the bytes of a FETCH body section, from a message and
 * its parsed-structure cache blob (mime.h); see imap_fetch.c.
 */
#ifndef DUPLEX_IMAP_FETCH_H
#define DUPLEX_IMAP_FETCH_H

#include <stddef.h>

#include "imapsyn/imap_parser.h"
#include "util/buf.h"

/*
 * imap_fetch_section - append the bytes sec names in msg (CRLF, len bytes)
 * to out, <partial> applied. 0, or -1 when the part does not exist (or is
 * not a message, for HEADER and TEXT): nothing appended, which FETCH
 * answers as empty.
 */
int imap_fetch_section(const struct imap_section *sec, const char *msg, size_t len,
    const void *blob, size_t bloblen, struct buf *out);

/*
 * imap_fetch_binary - the same for BINARY[part]: the part's body decoded
 * (mime_decode), then <partial>. 0, or -1 when the part's
 * Content-Transfer-Encoding is unknown (nothing appended).
 */
int imap_fetch_binary(const struct imap_section *sec, const char *msg, size_t len,
    const void *blob, size_t bloblen, struct buf *out);

#endif
