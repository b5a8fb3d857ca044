/*
 * imap_search.h - SEARCH keys (RFC 3501 6.4.4, RFC 9051 6.4.4, RFC 7162
 * MODSEQ): the parser from command args to a key tree, and the evaluator
 * of that tree against one message. No I/O and no store: the command
 * (imap_cmd_search.c) feeds each message's metadata and, only when the
 * tree needs it, its CRLF bytes.
 *
 * Semantics: string keys (HEADER, FROM, TO, CC, BCC, SUBJECT, BODY, TEXT)
 * are substring matches ignoring ASCII case, on unfolded header values and
 * raw body bytes (no RFC 2047 or transfer decoding). Dates compare whole
 * days: the internal date in UTC, the Date: header as written (its own
 * zone); a message without a parsable Date: matches no SENT* key. \Recent
 * is the IMAP_F_RECENT bit (imap_write.h) in flags, which the command sets
 * for the session's own \Recent messages.
 *
 * Ownership: the tree owns copies of every string it keeps; it outlives
 * the args it was parsed from. imap_search_free() releases it.
 */
#ifndef DUPLEX_IMAP_SEARCH_H
#define DUPLEX_IMAP_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imap/imap_parser.h"
#include "imap/imap_seqset.h"

#define IMAP_SEARCH_DEPTH_MAX	64	/* nested NOT/OR/() beyond this is BAD */

struct imap_search;

/* one message, as the evaluator sees it */
struct imap_search_msg {
	uint32_t seq, uid;
	uint32_t flags;			/* enum store_flag bits, IMAP_F_RECENT */
	const char *keywords;		/* space-separated; "" for none */
	uint64_t modseq;
	int64_t internal_date;		/* unix time */
	uint64_t size;
	const char *data;		/* the CRLF message; NULL unless needed */
	size_t len;
};

/*
 * imap_search_parse - the keys in args[0..n) (an implicit AND) into a
 * tree; "*" in a sequence set is max_seq, in a UID set max_uid; "$" and
 * "UID $" (RFC 5182) are the UIDs in saved (copied; NULL is empty). 0, or
 * -1 with a reason for a BAD reply in *err_r (a static string).
 */
int imap_search_parse(const struct imap_arg *args, size_t n, uint32_t max_seq, uint32_t max_uid,
    const struct imap_seqset *saved, struct imap_search **q_r, const char **err_r);
/* imap_search_match - whether m matches q */
bool imap_search_match(const struct imap_search *q, const struct imap_search_msg *m);
/* imap_search_needs_data - whether imap_search_match reads m->data */
bool imap_search_needs_data(const struct imap_search *q);
/* imap_search_has_modseq - a MODSEQ key is used (CONDSTORE: report (MODSEQ n)) */
bool imap_search_has_modseq(const struct imap_search *q);
/* imap_search_free - the tree; clears *qp; NULL is fine */
void imap_search_free(struct imap_search **qp);

#define IMAP_SEARCH_NO_DAY	INT64_MIN

/*
 * imap_search_sent_day - the day (days since 1970-01-01) a Date: header
 * value names, as written, ignoring time and zone; IMAP_SEARCH_NO_DAY if
 * unparsable
 */
int64_t imap_search_sent_day(const char *s, size_t len);

#endif
