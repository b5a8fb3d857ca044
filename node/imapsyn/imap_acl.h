/*
 * imap_acl.h - the rights of RFC 4314 (IMAP ACL) as bits: parsing a
 * rights string (with SETACL's "+" and "-" modifiers), writing one back,
 * and the obsolete "c" and "d" of RFC 2086.
 *
 * The rights are l r s w i p k x t e a. "c" and "d" are not rights of
 * their own (RFC 4314 2.1.1, the reading of RIGHTS=texk): "c" stands for
 * "k", "d" for "x", "t" and "e". A list that grants "k" is written with
 * "c" added, one that grants any of "x", "t", "e" with "d" added.
 * Identifiers are not parsed here: they are the store's business.
 */
#ifndef DUPLEX_IMAP_ACL_H
#define DUPLEX_IMAP_ACL_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

enum imap_acl_right {
	IMAP_ACL_LOOKUP = 1 << 0,	/* l: LIST, SUBSCRIBE */
	IMAP_ACL_READ = 1 << 1,		/* r: SELECT, FETCH, SEARCH, COPY from */
	IMAP_ACL_SEEN = 1 << 2,		/* s: keep \Seen */
	IMAP_ACL_WRITE = 1 << 3,	/* w: other flags and keywords */
	IMAP_ACL_INSERT = 1 << 4,	/* i: APPEND, COPY into */
	IMAP_ACL_POST = 1 << 5,		/* p: mail to the submission address */
	IMAP_ACL_CREATE = 1 << 6,	/* k: CREATE below, RENAME into */
	IMAP_ACL_DELETE = 1 << 7,	/* x: DELETE, RENAME away */
	IMAP_ACL_DELETED = 1 << 8,	/* t: \Deleted */
	IMAP_ACL_EXPUNGE = 1 << 9,	/* e: EXPUNGE */
	IMAP_ACL_ADMIN = 1 << 10,	/* a: SETACL, DELETEACL, GETACL, LISTRIGHTS */
};

#define IMAP_ACL_ALL	0x7ffu
/* the rights "d" stands for */
#define IMAP_ACL_D	(IMAP_ACL_DELETE | IMAP_ACL_DELETED | IMAP_ACL_EXPUNGE)

/* how a SETACL rights string changes the identifier's rights */
enum imap_acl_mod {
	IMAP_ACL_REPLACE,	/* "lrs": exactly these */
	IMAP_ACL_ADD,		/* "+lrs": these added */
	IMAP_ACL_REMOVE,	/* "-lrs": these taken away */
};

/*
 * imap_acl_parse - a rights string of len bytes, with a leading "+" or "-"
 * unless mod_r is NULL, into bits (*rights_r) and the modifier (*mod_r).
 * Letters may repeat; "c" and "d" are mapped. 0, or -1 for any other
 * character (RFC 4314 3.1: the whole command fails).
 */
int imap_acl_parse(const char *s, size_t len, uint32_t *rights_r, enum imap_acl_mod *mod_r);
/*
 * imap_acl_change - mod with bits as the rights to add and those to take
 * away: the new rights are (old & ~*remove_r) | *add_r
 */
void imap_acl_change(enum imap_acl_mod mod, uint32_t bits, uint32_t *add_r, uint32_t *remove_r);
/* imap_acl_format - the letters of rights in "lrswipkxtea" order, then "c" and "d" as mapped */
void imap_acl_format(uint32_t rights, struct buf *out);
/*
 * imap_acl_listrights - LISTRIGHTS's answer for an identifier that may
 * hold any of the rights, none of them always: "" then each right on its
 * own, "c" and "d" last (RFC 4314 3.7)
 */
void imap_acl_listrights(struct buf *out);

#endif
