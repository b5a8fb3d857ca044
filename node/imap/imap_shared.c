/*
 * imap_shared.c - the shared namespace and the rights behind every
 * mailbox name: "shared/<owner>/<name>" is owner's mailbox name, seen by
 * another user of the domain who holds rights on it (RFC 4314 ACLs kept
 * by the store), as Dovecot's "shared/%u/" namespace shows it. Any other
 * name is the session user's own, on which it holds every right.
 *
 * A mailbox on which the user holds no right at all is reported as not
 * existing (RFC 4314 4), so that its name is not given away. The rights
 * on a selected mailbox are read at SELECT and again after each change
 * notice, since an ACL change fires the store's change hook too.
 */
#include <string.h>
#include <strings.h>

#include "imap/imap_shared.h"
#include "net/net.h"
#include "svc/svc.h"
#include "util/log.h"

int
imap_mbox_ref(const struct imap_session *s, const char *name, struct imap_mbox_ref *ref)
{
	size_t plen = strlen(IMAP_SHARED_PREFIX);
	const char *owner = name + plen, *slash;

	if (strncmp(name, IMAP_SHARED_PREFIX, plen) != 0 || (slash = strchr(owner, '/')) == NULL ||
	    memchr(owner, '@', (size_t)(slash - owner)) == NULL) {
		snprintf(ref->owner, sizeof(ref->owner), "%s", s->user);
		snprintf(ref->name, sizeof(ref->name), "%s", name);
		ref->shared = false;
		return 0;
	}
	if ((size_t)(slash - owner) > STORE_ADDR_MAX || slash[1] == '\0')
		return -1;
	memcpy(ref->owner, owner, (size_t)(slash - owner));
	ref->owner[slash - owner] = '\0';
	snprintf(ref->name, sizeof(ref->name), "%s", slash + 1);
	if (strcasecmp(ref->name, "INBOX") == 0)
		strcpy(ref->name, "INBOX");
	ref->shared = strcasecmp(ref->owner, s->user) != 0;
	return 0;
}

bool
imap_mbox_in_shared_ns(const char *name)
{
	size_t plen = strlen(IMAP_SHARED_PREFIX);

	return strncmp(name, IMAP_SHARED_PREFIX, plen - 1) == 0 &&
	    (name[plen - 1] == '\0' || name[plen - 1] == '/');
}

int
imap_mbox_get(const struct imap_session *s, struct store_rtxn *r, const struct imap_mbox_ref *ref,
    struct store_mailbox *mb_r, uint32_t *rights_r)
{
	uint32_t rights;
	int rc;

	if ((rc = store_mailbox_get(r, ref->owner, ref->name, mb_r)) != 0)
		return rc == STORE_EINVAL && ref->shared ? STORE_ENOTFOUND : rc;
	if ((rc = store_acl_rights(r, s->user, mb_r->id, &rights)) != 0)
		return rc;
	*rights_r = rights & IMAP_ACL_ALL;
	return *rights_r == 0 ? STORE_ENOTFOUND : 0;
}

int
imap_mbox_in(struct imap_session *s, const struct imap_arg *a, struct imap_mbox_ref *ref)
{
	char name[STORE_MBOX_NAME_MAX + 1];
	int rc;

	if ((rc = imap_mailbox_in(s, a, name)) != 0)
		return rc;
	return imap_mbox_ref(s, name, ref);
}

void
imap_mbox_shared_name(const char *owner, const char *name, struct buf *out)
{
	buf_printf(out, "%s%s/%s", IMAP_SHARED_PREFIX, owner, name);
}

bool
imap_rights_deny(struct imap_session *s, uint32_t rights, uint32_t need, const char *what)
{
	if ((rights & need) == need)
		return false;
	log_info(s->id, "imap: %s refused: %s lacks the right", what, s->user);
	imap_reply(s, "NO", "[NOPERM] Permission denied");
	return true;
}

void
imap_rights_flags(uint32_t rights, uint32_t *flags, struct buf *kw)
{
	if (!(rights & IMAP_ACL_SEEN))
		*flags &= ~(uint32_t)STORE_F_SEEN;
	if (!(rights & IMAP_ACL_DELETED))
		*flags &= ~(uint32_t)STORE_F_DELETED;
	if (!(rights & IMAP_ACL_WRITE)) {
		*flags &= STORE_F_SEEN | STORE_F_DELETED;
		if (kw != NULL)
			buf_reset(kw);
	}
}

int
imap_mbox_need(struct imap_session *s, const struct imap_mbox_ref *ref, uint32_t need,
    const char *what, uint32_t *rights_r)
{
	struct store_mailbox mb;
	struct store_rtxn *r;
	int rc;

	*rights_r = IMAP_ACL_ALL;
	if (!ref->shared)
		return 0;
	if (imap_rtxn(s, &r) != 0)
		return -1;
	rc = imap_mbox_get(s, r, ref, &mb, rights_r);
	store_rtxn_end(&r);
	if (rc == STORE_ENOTFOUND)
		imap_reply(s, "NO", "[TRYCREATE] No such mailbox");
	else if (rc != 0)
		imap_reply_store_err(s, rc);
	else if (imap_rights_deny(s, *rights_r, need, what))
		rc = -1;
	return rc != 0 ? -1 : 0;
}

/* rights_ended - the read right is gone: no more of the mailbox, not even its changes */
static void
rights_ended(struct imap_session *s)
{
	log_info(s->id, "imap: %s lost the read right on %s of %s: closing", s->user, s->view.name,
	    s->view.owner);
	imap_untagged(s, "BYE Access to the selected mailbox was revoked");
	imap_view_clear(s);
	s->state = IMAP_STATE_LOGOUT;
	net_conn_close(s->c);
}

bool
imap_view_rights(struct imap_session *s)
{
	const uint32_t told = IMAP_ACL_SEEN | IMAP_ACL_WRITE | IMAP_ACL_DELETED;
	struct imap_view *v = &s->view;
	uint32_t rights, old = v->rights;
	struct store_rtxn *r;
	int rc;

	if (!s->selected || !v->rights_stale)
		return true;
	if (strcasecmp(v->owner, s->user) == 0) {
		v->rights_stale = false;
		return true;
	}
	if (store_rtxn_begin(s->env->st, &r) != 0)
		return true;	/* still stale: the next command tries again */
	rc = store_acl_rights(r, s->user, v->id, &rights);
	store_rtxn_end(&r);
	v->rights_stale = false;
	if (rc != 0)
		return true;	/* the mailbox or the user is gone: as for one's own */
	rights &= IMAP_ACL_ALL;
	if (!(rights & IMAP_ACL_READ)) {
		rights_ended(s);
		return false;
	}
	v->rights = rights;
	if (rights != old)
		log_info(s->id, "imap: rights of %s on %s of %s changed while selected", s->user,
		    v->name, v->owner);
	if ((rights & told) != (old & told) && !v->readonly)
		imap_keywords_tell(s);
	return true;
}
