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

#endif
