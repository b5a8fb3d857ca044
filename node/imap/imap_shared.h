/*
 * imap_shared.h - mailbox names to their owners and the session user's
 * rights on them (imap_shared.c), for the command files of node/imap;
 * the rights letters are imapsyn/imap_acl.h's.
 */
#ifndef DUPLEX_IMAP_SHARED_H
#define DUPLEX_IMAP_SHARED_H

#include "imap/imap_session.h"
#include "imapsyn/imap_acl.h"

/* the shared namespace: "shared/<owner address>/<owner's name>" */
#define IMAP_SHARED_PREFIX "shared/"

/* a mailbox as the session names it: whose, and under which of the owner's names */
struct imap_mbox_ref {
	char owner[STORE_ADDR_MAX + 1];
	char name[STORE_MBOX_NAME_MAX + 1];
	bool shared;		/* another user's */
};

/*
 * imap_mbox_ref - a store-form name (imap_mailbox_in's) resolved: a
 * "shared/<address>/<name>" one to that owner, any other to the session
 * user. -1 for a shared name without a mailbox part.
 */
int imap_mbox_ref(const struct imap_session *s, const char *name, struct imap_mbox_ref *ref);
/*
 * imap_mbox_in_shared_ns - whether a store-form name is the shared
 * namespace's root ("shared") or below it, whoever it names
 */
bool imap_mbox_in_shared_ns(const char *name);
/* imap_mbox_in - imap_mailbox_in, then imap_mbox_ref */
int imap_mbox_in(struct imap_session *s, const struct imap_arg *a, struct imap_mbox_ref *ref);
/*
 * imap_mbox_get - the mailbox and the session user's rights on it
 * (IMAP_ACL_ALL for the owner); ENOTFOUND also when the user holds none
 */
int imap_mbox_get(const struct imap_session *s, struct store_rtxn *r, const struct imap_mbox_ref *ref,
    struct store_mailbox *mb_r, uint32_t *rights_r);
/* imap_mbox_shared_name - how owner's mailbox name is listed to others, onto out */
void imap_mbox_shared_name(const char *owner, const char *name, struct buf *out);
/*
 * imap_rights_deny - unless rights hold all of need: log, reply
 * "NO [NOPERM]" and return true
 */
bool imap_rights_deny(struct imap_session *s, uint32_t rights, uint32_t need, const char *what);

/*
 * imap_mbox_need - a target another user owns (APPEND, COPY, MOVE) must
 * exist for the user ("NO [TRYCREATE]") and grant need ("NO [NOPERM]"):
 * 0 with the rights, or -1 after the reply; a mailbox of the user's own
 * is left to the store, with every right
 */
int imap_mbox_need(struct imap_session *s, const struct imap_mbox_ref *ref, uint32_t need,
    const char *what, uint32_t *rights_r);
/*
 * imap_rights_flags - leave off the flags (STORE_F_* bits) and keywords
 * (kw, may be NULL) that rights do not let the user set: \Seen without
 * "s", \Deleted without "t", the others and keywords without "w"
 */
void imap_rights_flags(uint32_t rights, uint32_t *flags, struct buf *kw);
/*
 * imap_view_rights - after a change notice (imap_notify), reread the
 * user's rights on a selected mailbox of another owner, so that a SETACL
 * takes effect for a session that has it selected (RFC 4314 5): a
 * narrower set refuses the next STORE or EXPUNGE, a change of the flags
 * the user may keep is told in PERMANENTFLAGS, and without "r" the session
 * ends with an untagged BYE. false if it ended (the connection closing).
 */
bool imap_view_rights(struct imap_session *s);

#endif
