/*
 * imap_search.h - SEARCH keys (RFC 3501 6.4.4, RFC 9051 6.4.4, RFC 7162
 * MODSEQ): the parser from command args to a key tree, and the evaluator
 * of that tree against one message. No I/O and no store: the command
 * (imap_cmd_search.c) feeds each message's metadata and, only when the
 * tree needs it, its CRLF bytes.
 *
 * Semantics: string keys are substring matches on decoded text, as
 * Dovecot's without a full-text index:
 *  - HEADER, FROM, TO, CC, BCC and SUBJECT: each unfolded value of that
 *    field in the top-level header, its RFC 2047 encoded words decoded to
 *    UTF-8 (mime_2047_decode; a broken word, or one in a charset iconv
 *    does not know, compares as written). Only the decoded value is
 *    compared, not also the raw one: the raw form would make "utf" or
 *    "iso" hit every encoded subject. An address field (From, To, Cc,
 *    Bcc, Sender, Reply-To) matches too when its addresses as displayed
 *    (mime_address_display: comments and stray white space dropped) hold
 *    the string, so "a@b.org" finds "<a (x)@ (y) b.org>".
 *  - BODY: the body of every text part (a text or message type, no or a
 *    broken Content-Type, a multipart the parser left unsplit), those of
 *    attached messages included, with its base64 or quoted-printable
 *    undone and its charset converted to UTF-8 (mime_text). Image, audio,
 *    video and application parts are not searched.
 *  - TEXT: BODY's text and every header block, decoded as above: the
 *    message's, its MIME parts' and attached messages'.
 * A match never spans two parts, nor for the header keys two fields. Case
 * is ignored for ASCII letters only; other bytes compare exactly, so an
 * upper-case accented letter does not find its lower-case form (no
 * Unicode case folding or normalization). Dates compare whole days: the
 * internal date in UTC, the Date: header as written (its own zone); a
 * message without a parsable Date: matches no SENT* key. OLDER and
 * YOUNGER (RFC 5032) compare the internal date to the second with the time
 * the key was parsed: OLDER n is before now - n, YOUNGER n not. EMAILID
 * and THREADID (RFC 8474) take an object id; with no thread ids, THREADID
 * matches nothing. SAVEDBEFORE, SAVEDON and SAVEDSINCE (RFC 8514) compare
 * the save date's UTC day, or the internal date's where the save date is
 * unknown; SAVEDATESUPPORTED matches every message. \Recent is the
 * IMAP_F_RECENT bit (imap_flags.h) in flags, which the command sets for
 * the session's own \Recent messages.
 *
 * Limits: decoding one message for BODY or TEXT takes at most
 * MIME_CHARSET_GROWTH (4) times its size, freed when its match ends; a
 * header value at most that times the value. Header keys never decode
 * bodies.
 *
 * Ownership: the tree owns copies of every string it keeps; it outlives
 * the args it was parsed from. imap_search_free() releases it.
 */
#ifndef DUPLEX_IMAP_SEARCH_H
#define DUPLEX_IMAP_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imapsyn/imap_parser.h"
#include "imapsyn/imap_seqset.h"

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
	const void *parts;		/* its structure cache blob (mime.h), or NULL: */
	size_t parts_len;		/* parsed from data when BODY or TEXT needs it */
	uint64_t email_id;		/* OBJECTID's EMAILID: the body's id */
	int64_t save_date;		/* unix time; 0: unknown */
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
/* imap_search_needs_parts - whether a BODY or TEXT key would use m->parts */
bool imap_search_needs_parts(const struct imap_search *q);
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
