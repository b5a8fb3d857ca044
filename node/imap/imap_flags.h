/*
 * imap_flags.h - message flags between IMAP and the store: a command's
 * flag list (STORE, APPEND) read into enum store_flag bits and keywords,
 * and the "(\Seen $Work)" list FETCH and SELECT send back.
 *
 * This is where IMAP's flag names meet the store's bits, so it lives with
 * the server; the syntax layer (node/imapsyn) knows no store. \Recent is
 * the session's own: the IMAP_F_RECENT bit beside the store's, never
 * stored and never accepted from a client.
 */
#ifndef DUPLEX_IMAP_FLAGS_H
#define DUPLEX_IMAP_FLAGS_H

#include <stdint.h>

#include "imapsyn/imap_parser.h"
#include "util/buf.h"

/* \Recent: a session flag beside the enum store_flag bits, never stored */
#define IMAP_F_RECENT		(1u << 31)

/* imap_flags_parse - a flag list into bits and keywords; -1 if bad */
int imap_flags_parse(const struct imap_arg *list, uint32_t *flags_r, struct buf *keywords);
/*
 * imap_write_flags - "(\Answered \Flagged \Deleted \Seen \Draft \Recent kw ...)"
 * from enum store_flag bits and IMAP_F_RECENT, and space-separated
 * keywords (NULL for none).
 */
void imap_write_flags(struct buf *out, uint32_t flags, const char *keywords);

#endif
