/*
 * imap_sort.h - SORT and THREAD without I/O (RFC 5256, RFC 5957): the
 * i;unicode-casemap canonical form (RFC 5051), base subject extraction,
 * the sort keys of one message taken from its cached ENVELOPE, the SORT
 * criteria parser, the sort itself, and the ORDEREDSUBJECT and REFERENCES
 * threading algorithms. The command (imap_cmd_sort.c) feeds each
 * message's cache blob; nothing here reads a message body.
 *
 * Collation: every string key is compared as the octets of its
 * i;unicode-casemap form: each character's simple titlecase mapping, then
 * its compatibility decomposition (NFKD). The mapping table covers U+0000
 * to U+052F (Latin, Greek, Cyrillic); characters above it compare as
 * they are (most have no case).
 *
 * Keys (RFC 5256 3, RFC 5957): ARRIVAL the internal date; DATE the Date:
 * header's instant, or the internal date when it has none or it does not
 * parse; SIZE the size; SUBJECT the base subject; FROM, TO and CC the
 * addr-mailbox of the field's first address (a group's name, when the
 * field starts with a group, as Dovecot has it); DISPLAYFROM and
 * DISPLAYTO its display name, RFC 2047 decoded, or "mailbox@host" when
 * it has none.
 * A missing field sorts as "". Messages equal on every key stay in
 * sequence order.
 *
 * Ownership: struct imap_sort_msg owns its strings;
 * imap_sort_msg_free() releases them.
 */
#ifndef DUPLEX_IMAP_SORT_H
#define DUPLEX_IMAP_SORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imapsyn/imap_parser.h"
#include "util/buf.h"

#define IMAP_SORT_KEYS_MAX	16	/* criteria beyond this are BAD */

enum imap_sort_key {
	IMAP_SORT_ARRIVAL, IMAP_SORT_CC, IMAP_SORT_DATE, IMAP_SORT_FROM, IMAP_SORT_SIZE,
	IMAP_SORT_SUBJECT, IMAP_SORT_TO, IMAP_SORT_DISPLAYFROM, IMAP_SORT_DISPLAYTO,
};

/* what imap_sort_msg_fill computes: a bit per key, and threading's */
#define IMAP_SORT_NEED(key)	(1u << (key))
#define IMAP_SORT_NEED_THREAD	(1u << 16)	/* Message-ID and In-Reply-To */

struct imap_sort_crit {
	size_t n;
	struct {
		enum imap_sort_key key;
		bool reverse;
	} k[IMAP_SORT_KEYS_MAX];
};

/* one message's keys; string keys are casemapped, "" when absent */
struct imap_sort_msg {
	uint32_t seq, uid;
	int64_t arrival;		/* internal date, unix time */
	int64_t sent;			/* the Date: header's, else arrival */
	uint64_t size;
	char *subject;			/* base subject */
	bool reply;			/* the subject said reply or forward */
	char *from, *to, *cc, *dfrom, *dto;
	char *msgid;			/* "<id>", or NULL: threading */
	char *irt;			/* In-Reply-To's first "<id>", or NULL */
	char *refs;			/* the References field as written, or NULL */
};

/* imap_sort_casemap - append s in its i;unicode-casemap form */
void imap_sort_casemap(const char *s, size_t len, struct buf *out);

/*
 * imap_sort_base_subject - append the base subject (RFC 5256 2.1) of a
 * Subject: value as written (encoded words are decoded here), casemapped;
 * whether it was a reply or forward (a "Re:", "Fwd:", "(fwd)" or
 * "[fwd: ...]" came off)
 */
bool imap_sort_base_subject(const char *s, size_t len, struct buf *out);

/*
 * imap_sort_parse - a SORT criteria list (RFC 5256, RFC 5957 DISPLAY*)
 * into c; 0, or -1 with a reason for BAD in *err_r (a static string)
 */
int imap_sort_parse(const struct imap_arg *list, struct imap_sort_crit *c, const char **err_r);
/* imap_sort_needs - the IMAP_SORT_NEED bits of c's keys */
unsigned imap_sort_needs(const struct imap_sort_crit *c);

/*
 * imap_sort_msg_fill - the keys need asks for from envelope (FETCH
 * ENVELOPE's text, as the structure cache holds it; NULL or broken: every
 * header key is absent). m's seq, uid, arrival and size are the caller's;
 * sent is set whenever asked for.
 */
void imap_sort_msg_fill(struct imap_sort_msg *m, const char *envelope, size_t len, unsigned need);
/* imap_sort_msg_free - the strings of m */
void imap_sort_msg_free(struct imap_sort_msg *m);

/* imap_sort_run - msgs[0..n) into c's order (stable on seq) */
void imap_sort_run(const struct imap_sort_crit *c, struct imap_sort_msg *msgs, size_t n);

/* ---- imap_thread.c ---- */

/* REFS: Dovecot's REFERENCES without subject merging, threads ordered by their newest message */
enum imap_thread_alg { IMAP_THREAD_ORDEREDSUBJECT, IMAP_THREAD_REFERENCES, IMAP_THREAD_REFS };

/* imap_thread_alg_parse - ORDEREDSUBJECT, REFERENCES or REFS, any case; -1 if none */
int imap_thread_alg_parse(const struct imap_arg *a, enum imap_thread_alg *alg_r);
/*
 * imap_thread_run - the THREAD response's threads, "(1 2)(3 (4)(5))",
 * onto out: UIDs when uid, else sequence numbers. msgs need their
 * subject, reply, sent and for REFERENCES msgid, irt and refs; their
 * order is kept.
 */
void imap_thread_run(enum imap_thread_alg alg, const struct imap_sort_msg *msgs, size_t n, bool uid,
    struct buf *out);

#endif
