/*
 * imap_metadata.h - METADATA syntax (RFC 5464): entry names and the
 * options of GETMETADATA.
 *
 * An entry name is a '/'-separated path under "/private" or "/shared"
 * (RFC 5464 3.2): printable ASCII, no '*' or '%', no empty component (two
 * slashes in a row) and no trailing '/'. Names are case-insensitive: the
 * checked name is written lower-cased, as Dovecot keeps them.
 */
#ifndef DUPLEX_IMAP_METADATA_H
#define DUPLEX_IMAP_METADATA_H

#include <stddef.h>
#include <stdint.h>

#include "imapsyn/imap_parser.h"

#define IMAP_META_ENTRY_MAX 255		/* bytes of an entry name we keep */
#define IMAP_META_DEPTH_INFINITY UINT32_MAX

/*
 * imap_meta_entry - check the entry name s (n bytes) and write it
 * lower-cased into out; 0, or -1 with a reason for a BAD in *why_r.
 * A name that is only "/private" or "/shared" is allowed where a parent is
 * meant (GETMETADATA with DEPTH); leaf says one is not.
 */
int imap_meta_entry(const char *s, size_t n, bool leaf, char out[IMAP_META_ENTRY_MAX + 1],
    const char **why_r);

/* GETMETADATA's options (RFC 5464 4.2) */
struct imap_meta_opts {
	uint64_t maxsize;	/* UINT64_MAX: none */
	uint32_t depth;		/* 0, 1 or IMAP_META_DEPTH_INFINITY */
};

/*
 * imap_meta_options - a parenthesized option list: "MAXSIZE n" and
 * "DEPTH 0|1|infinity", each at most once; 0, or -1 with a reason
 */
int imap_meta_options(const struct imap_arg *list, struct imap_meta_opts *o, const char **why_r);

#endif
