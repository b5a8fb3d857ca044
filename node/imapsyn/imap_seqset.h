/*
 * imap_seqset.h - IMAP sequence sets ("1:*,5,7:9") as sorted ranges.
 *
 * A set is a sorted array of disjoint, non-adjacent closed ranges, so
 * membership is a binary search and iteration is in ascending order. "*"
 * is resolved against the caller's max (the highest sequence number or
 * UID in use) while parsing; a range reaching 0 that way (an empty
 * mailbox) loses the 0, and "*" alone becomes the empty set. "$" (RFC 5182
 * SEARCHRES) is only recognized as the whole set, and only when asked for.
 *
 * Ownership: the set owns its array; imap_seqset_free() releases it and
 * leaves an empty, reusable set.
 */
#ifndef DUPLEX_IMAP_SEQSET_H
#define DUPLEX_IMAP_SEQSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct imap_range {
	uint32_t lo;
	uint32_t hi;		/* lo <= hi */
};

struct imap_seqset {
	struct imap_range *r;
	size_t n;
	size_t cap;
};

#define IMAP_SEQSET_INIT { NULL, 0, 0 }

/* imap_seqset_parse results besides 0 and -1 */
#define IMAP_SEQSET_SAVED	1	/* the set was "$": use the saved search result */

/* flags for imap_seqset_parse() */
#define IMAP_SEQSET_ALLOW_SAVED	0x1

/*
 * imap_seqset_parse - replace set with the parse of s (len bytes), "*"
 * meaning max. 0; IMAP_SEQSET_SAVED for "$" with IMAP_SEQSET_ALLOW_SAVED
 * (set left empty); -1 on bad syntax, a 0 or a number over 4294967295 (set
 * left empty).
 */
int imap_seqset_parse(const char *s, size_t len, uint32_t max, unsigned flags,
    struct imap_seqset *set);
/* imap_seqset_add - add lo:hi (either order), merging; for building results */
void imap_seqset_add(struct imap_seqset *set, uint32_t lo, uint32_t hi);
/* imap_seqset_contains - v is in the set */
bool imap_seqset_contains(const struct imap_seqset *set, uint32_t v);
/* imap_seqset_count - how many numbers the set holds */
uint64_t imap_seqset_count(const struct imap_seqset *set);
/* imap_seqset_format - append the set as IMAP text ("1:3,5"); nothing if empty */
void imap_seqset_format(const struct imap_seqset *set, struct buf *out);
/* imap_seqset_clear - empty the set, keeping its memory */
void imap_seqset_clear(struct imap_seqset *set);
/* imap_seqset_free - release the array; the set is empty and reusable */
void imap_seqset_free(struct imap_seqset *set);

/*
 * a PARTIAL range (RFC 9394 4): first:last of the 1-based positions in a
 * result, counted back from its end (-1 is the last) when from_end
 */
struct imap_partial {
	uint32_t first, last;	/* 1 <= first <= last */
	bool from_end;
};

/*
 * imap_partial_parse - "1:100" or "-1:-100", either order (500:400 is
 * 400:500); 0, or -1 for bad syntax, a 0, "*", mixed signs or a number
 * over 4294967295
 */
int imap_partial_parse(const char *s, size_t len, struct imap_partial *p);
/* imap_partial_format - append p as the ESEARCH PARTIAL echo: "1:100", "-1:-100" */
void imap_partial_format(const struct imap_partial *p, struct buf *out);
/* imap_partial_window - the 0-based positions [*lo_r, *hi_r) p selects of n results */
void imap_partial_window(const struct imap_partial *p, uint64_t n, uint64_t *lo_r, uint64_t *hi_r);
/* imap_seqset_slice - append to out the numbers at 0-based positions [lo, hi) of set */
void imap_seqset_slice(const struct imap_seqset *set, uint64_t lo, uint64_t hi,
    struct imap_seqset *out);

/* ascending iteration: IMAP_SEQSET_ITER_INIT, then while (next(set, &it, &v)) */
struct imap_seqset_iter {
	size_t i;		/* range index */
	uint64_t v;		/* next value in it; 0 before the first */
};

#define IMAP_SEQSET_ITER_INIT { 0, 0 }

/* imap_seqset_next - the next number in ascending order; false at the end */
bool imap_seqset_next(const struct imap_seqset *set, struct imap_seqset_iter *it,
    uint32_t *v_r);

#endif
