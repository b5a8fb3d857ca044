/*
 * imap_cmd_acl.c - ACL (RFC 4314): SETACL, DELETEACL, GETACL, LISTRIGHTS
 * and MYRIGHTS, on the user's own mailboxes and on shared ones where the
 * user holds "a" (MYRIGHTS: any right).
 *
 * Identifiers are "anyone", "authenticated" and the addresses of users of
 * the owner's domain; the owner holds every right and cannot be given or
 * denied any. Negative rights ("-identifier") are not kept: refused.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imap/imap_cmd.h"
#include "imap/imap_shared.h"
#include "imapsyn/imap_write.h"
#include "svc/svc.h"
#include "util/log.h"
#include "util/xalloc.h"

/* the mailbox a command names, and the user's rights on it */
struct acl_mbox {
	struct imap_mbox_ref ref;
	struct store_mailbox mb;
	uint32_t rights;
};

/*
 * acl_open - resolve and look up the mailbox in a new read transaction
 * (*r_r, to end by the caller on success), with the rights it needs;
 * replies and returns -1 on failure
 */
static int
acl_open(struct imap_session *s, const struct imap_arg *a, uint32_t need, const char *what,
    struct acl_mbox *m, struct store_rtxn **r_r)
{
	int rc;

	if (imap_mbox_in(s, a, &m->ref) != 0) {
		imap_reply(s, "BAD", "%s: bad mailbox name", what);
		return -1;
	}
	if (imap_rtxn(s, r_r) != 0)
		return -1;
	rc = imap_mbox_get(s, *r_r, &m->ref, &m->mb, &m->rights);
	if (rc != 0)
		imap_reply_store_err(s, rc);
	else if (imap_rights_deny(s, m->rights, need, what))
		rc = -1;
	if (rc != 0)
		store_rtxn_end(r_r);
	return rc != 0 ? -1 : 0;
}

/* acl_line - "WORD mailbox" of an untagged reply, the mailbox as the client named it, onto out */
static void
acl_line(struct imap_session *s, const char *word, const struct acl_mbox *m, struct buf *out)
{
	struct buf name = BUF_INIT;

	if (m->ref.shared)
		imap_mbox_shared_name(m->ref.owner, m->ref.name, &name);
	else
		buf_puts(&name, m->ref.name);
	buf_printf(out, "%s ", word);
	imap_write_mailbox(out, name.data, name.len, imap_utf8_names(s));
	buf_free(&name);
}

/* acl_answer - the untagged line in b (freed) and the tagged OK */
static enum imap_result
acl_answer(struct imap_session *s, struct buf *b, const char *what)
{
	imap_untagged(s, "%s", buf_cstr(b));
	imap_reply(s, "OK", "%s completed", what);
	buf_free(b);
	return IMAP_DONE;
}

/* acl_rights_word - rights as an astring ("" for none) onto out */
static void
acl_rights_word(uint32_t rights, struct buf *out)
{
	struct buf b = BUF_INIT;

	imap_acl_format(rights, &b);
	imap_write_astring(out, buf_cstr(&b), b.len);
	buf_free(&b);
}

/* acl_ident - an identifier argument; NULL (after a reply) for a bad or negative one */
static const char *
acl_ident(struct imap_session *s, const struct imap_arg *a, const char *what)
{
	const char *id = imap_arg_astring(a);

	if (id == NULL || a->has_nul || *id == '\0' || strlen(id) > STORE_ADDR_MAX) {
		imap_reply(s, "BAD", "%s: bad identifier", what);
		return NULL;
	}
	if (*id == '-') {
		imap_reply(s, "NO", "[CANNOT] Negative rights are not supported");
		return NULL;
	}
	return id;
}

/* acl_is_owner - whether identifier names the mailbox's owner */
static bool
acl_is_owner(const struct acl_mbox *m, const char *ident)
{
	return strcasecmp(ident, m->ref.owner) == 0;
}

struct acl_set_job {
	struct store *st;
	struct acl_mbox m;
	char ident[STORE_ADDR_MAX + 1];
	uint32_t add, remove;
	const char *what;
	int rc;
};

/* acl_set_run - the change, one durable write on the pool */
static void
acl_set_run(void *arg)
{
	struct acl_set_job *j = arg;

	j->rc = store_acl_set(j->st, j->m.ref.owner, j->m.ref.name, j->ident, j->add, j->remove, NULL);
}

/* acl_set_done - the answer */
static enum imap_result
acl_set_done(struct imap_session *s, void *arg)
{
	struct acl_set_job *j = arg;

	if (j->rc == STORE_EINVAL) {
		log_info(s->id, "imap: %s for identifier %s refused", j->what, j->ident);
		imap_reply(s, "NO", "[CANNOT] Identifiers are anyone, authenticated and users of"
		    " the owner's domain");
	} else if (j->rc == STORE_ENOTFOUND) {
		imap_reply(s, "NO", "[NONEXISTENT] No such mailbox or user");
	} else if (j->rc != 0) {
		imap_reply_store_err(s, j->rc);
	} else {
		log_info(s->id, "imap: %s %s on %s of %s by %s", j->what, j->ident, j->m.ref.name,
		    j->m.ref.owner, s->user);
		imap_reply(s, "OK", "%s completed", j->what);
	}
	free(j);
	return IMAP_DONE;
}

/* acl_change - SETACL and DELETEACL: check, then the write on the pool */
static enum imap_result
acl_change(struct imap_session *s, const struct imap_arg *args, const char *ident,
    uint32_t add, uint32_t remove, const char *what)
{
	struct acl_set_job *j = xcalloc(1, sizeof(*j));
	struct store_rtxn *r;

	if (acl_open(s, &args[0], IMAP_ACL_ADMIN, what, &j->m, &r) != 0) {
		free(j);
		return IMAP_DONE;
	}
	store_rtxn_end(&r);
	if (acl_is_owner(&j->m, ident)) {
		free(j);
		imap_reply(s, "NO", "[CANNOT] The owner always has every right");
		return IMAP_DONE;
	}
	j->st = s->env->st;
	snprintf(j->ident, sizeof(j->ident), "%s", ident);
	j->add = add;
	j->remove = remove;
	j->what = what;
	return imap_wait(s, acl_set_run, acl_set_done, j);
}

IMAP_CMD(setacl)
{
	const char *ident, *rights;
	enum imap_acl_mod mod;
	uint32_t bits, add, remove;

	if (n != 3 || (rights = imap_arg_astring(&args[2])) == NULL || args[2].has_nul) {
		imap_reply(s, "BAD", "SETACL needs a mailbox, an identifier and rights");
		return IMAP_DONE;
	}
	if ((ident = acl_ident(s, &args[1], "SETACL")) == NULL)
		return IMAP_DONE;
	if (imap_acl_parse(rights, args[2].len, &bits, &mod) != 0) {
		log_info(s->id, "imap: SETACL with unknown rights refused");
		imap_reply(s, "BAD", "Unknown rights (lrswipkxteacd)");
		return IMAP_DONE;
	}
	imap_acl_change(mod, bits, &add, &remove);
	return acl_change(s, args, ident, add, remove, "SETACL");
}

IMAP_CMD(deleteacl)
{
	const char *ident;

	if (n != 2) {
		imap_reply(s, "BAD", "DELETEACL needs a mailbox and an identifier");
		return IMAP_DONE;
	}
	if ((ident = acl_ident(s, &args[1], "DELETEACL")) == NULL)
		return IMAP_DONE;
	return acl_change(s, args, ident, 0, IMAP_ACL_ALL, "DELETEACL");
}

/* acl_entry - " identifier rights" of GETACL */
static int
acl_entry(const char *ident, uint32_t rights, void *arg)
{
	struct buf *out = arg;

	buf_putc(out, ' ');
	imap_write_astring(out, ident, strlen(ident));
	buf_putc(out, ' ');
	acl_rights_word(rights & IMAP_ACL_ALL, out);
	return 0;
}

IMAP_CMD(getacl)
{
	struct store_rtxn *r;
	struct acl_mbox m;
	struct buf b = BUF_INIT;
	int rc;

	if (n != 1) {
		imap_reply(s, "BAD", "GETACL needs a mailbox");
		return IMAP_DONE;
	}
	if (acl_open(s, &args[0], IMAP_ACL_ADMIN, "GETACL", &m, &r) != 0)
		return IMAP_DONE;
	acl_line(s, "ACL", &m, &b);
	acl_entry(m.ref.owner, IMAP_ACL_ALL, &b);
	rc = store_acl_list(r, m.mb.id, acl_entry, &b);
	store_rtxn_end(&r);
	if (rc == 0)
		return acl_answer(s, &b, "GETACL");
	imap_reply_store_err(s, rc);
	buf_free(&b);
	return IMAP_DONE;
}

IMAP_CMD(listrights)
{
	struct store_rtxn *r;
	struct acl_mbox m;
	struct buf b = BUF_INIT;
	const char *ident;

	if (n != 2) {
		imap_reply(s, "BAD", "LISTRIGHTS needs a mailbox and an identifier");
		return IMAP_DONE;
	}
	if ((ident = acl_ident(s, &args[1], "LISTRIGHTS")) == NULL ||
	    acl_open(s, &args[0], IMAP_ACL_ADMIN, "LISTRIGHTS", &m, &r) != 0)
		return IMAP_DONE;
	store_rtxn_end(&r);
	acl_line(s, "LISTRIGHTS", &m, &b);
	buf_putc(&b, ' ');
	imap_write_astring(&b, ident, strlen(ident));
	buf_putc(&b, ' ');
	if (acl_is_owner(&m, ident))
		acl_rights_word(IMAP_ACL_ALL, &b);
	else
		imap_acl_listrights(&b);
	return acl_answer(s, &b, "LISTRIGHTS");
}

IMAP_CMD(myrights)
{
	struct store_rtxn *r;
	struct acl_mbox m;
	struct buf b = BUF_INIT;

	if (n != 1) {
		imap_reply(s, "BAD", "MYRIGHTS needs a mailbox");
		return IMAP_DONE;
	}
	if (acl_open(s, &args[0], 0, "MYRIGHTS", &m, &r) != 0)
		return IMAP_DONE;
	store_rtxn_end(&r);
	acl_line(s, "MYRIGHTS", &m, &b);
	buf_putc(&b, ' ');
	acl_rights_word(m.rights, &b);
	return acl_answer(s, &b, "MYRIGHTS");
}
