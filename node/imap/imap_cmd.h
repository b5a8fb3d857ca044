/*
 * imap_cmd.h - the command handlers, one family per imap_cmd_*.c file;
 * imap_session.c's dispatch table names them with the states they run in.
 */
#ifndef DUPLEX_IMAP_CMD_H
#define DUPLEX_IMAP_CMD_H

#include "imap/imap_session.h"

#define IMAP_CMD(name) enum imap_result imap_cmd_##name(struct imap_session *s, \
    const struct imap_arg *args, size_t n, bool uid)

/* imap_cmd_any.c */
IMAP_CMD(capability);
IMAP_CMD(noop);
IMAP_CMD(logout);
IMAP_CMD(id);
IMAP_CMD(enable);
IMAP_CMD(namespace);
/* imap_cmd_auth.c */
IMAP_CMD(starttls);
IMAP_CMD(login);
IMAP_CMD(authenticate);
/* imap_cmd_compress.c */
IMAP_CMD(compress);
/* imap_cmd_unauthenticate.c */
IMAP_CMD(unauthenticate);
/* imap_cmd_mailbox.c */
IMAP_CMD(create);
IMAP_CMD(delete);
IMAP_CMD(rename);
IMAP_CMD(subscribe);
IMAP_CMD(unsubscribe);
/* imap_cmd_list.c */
IMAP_CMD(list);
IMAP_CMD(lsub);
/* imap_cmd_status.c */
IMAP_CMD(status);
/* imap_status_items - "(MESSAGES 3 ...)" for a STATUS item list; -1 if bad */
int imap_status_items(const struct imap_arg *items, struct store_rtxn *r,
    const struct store_mailbox *mb, struct buf *out);
/* imap_cmd_select.c */
IMAP_CMD(select);
IMAP_CMD(examine);
IMAP_CMD(close);
IMAP_CMD(unselect);
IMAP_CMD(check);
/* imap_cmd_fetch.c */
IMAP_CMD(fetch);
/* imap_cmd_store.c */
IMAP_CMD(store);
/*
 * imap_flags_apply - change the flags of uids in one durable write (pool
 * thread); messages with a modseq above unchangedsince (UINT64_MAX: no
 * condition) are left alone and their UIDs put in modified (may be NULL)
 */
int imap_flags_apply(struct store *st, uint64_t mbox_id, const struct imap_seqset *uids,
    enum store_flags_op op, uint32_t flags, const char *kw, uint64_t unchangedsince,
    struct imap_seqset *modified);
/* imap_cmd_search.c */
IMAP_CMD(search);
struct imap_search;
/* ESEARCH's RETURN options (RFC 4731, RFC 5182 SAVE, RFC 5267 for SORT) */
#define IMAP_RET_MIN	0x1
#define IMAP_RET_MAX	0x2
#define IMAP_RET_COUNT	0x4
#define IMAP_RET_ALL	0x8
#define IMAP_RET_SAVE	0x10
/*
 * imap_search_return - a RETURN (...) list into IMAP_RET_* bits in *ret_r
 * (ALL for an empty list); -1 if one is unknown. All are read first, so
 * a refused SAVE still empties "$" (RFC 5182 2.1).
 */
int imap_search_return(const struct imap_arg *list, unsigned *ret_r);
/* imap_esearch_open - "* ESEARCH (TAG "t")", then " UID" for the UID form */
void imap_esearch_open(struct imap_session *s, bool uid, struct buf *out);
/*
 * imap_search_walk - cb on every message of the selected mailbox in one
 * read transaction, held in *r_r while it runs (pool thread); 0, or a
 * store error or cb's
 */
int imap_search_walk(struct imap_session *s, struct store_rtxn **r_r,
    int (*cb)(const struct store_msg *, void *), void *arg);
/*
 * imap_search_one - whether m is in the view (its number in *seq_r, else
 * 0) and matches q, its body and structure cache read only when q needs
 * them (pool thread); 0, or a store error
 */
int imap_search_one(struct imap_session *s, struct store_rtxn *r, const struct imap_search *q,
    const struct store_msg *m, uint32_t *seq_r, bool *hit_r);
/* imap_cmd_sort.c */
IMAP_CMD(sort);
IMAP_CMD(thread);
/* imap_cmd_copy.c */
IMAP_CMD(copy);
IMAP_CMD(move);
/* imap_cmd_append.c */
IMAP_CMD(append);
/* imap_catenate.c */
#define IMAP_CATENATE_BADURL	1	/* beside the store's (negative) errors */
struct imap_cat_part;
/*
 * imap_catenate - on the pool: the message the n parts of a CATENATE list
 * make, appended to out. URL parts name user's messages, a relative one in
 * the mailbox named selected ("" if none). 0; IMAP_CATENATE_BADURL with
 * *bad_r the part's index; STORE_ETOOBIG past max bytes (0: no limit); or
 * a store error.
 */
int imap_catenate(struct store *st, const char *user, const char *selected,
    const struct imap_cat_part *parts, size_t n, uint64_t max, struct buf *out, size_t *bad_r);
/* imap_cmd_expunge.c */
IMAP_CMD(expunge);
/*
 * imap_expunge_deleted - expunge the \Deleted messages (of uids, if not
 * NULL); close: CLOSE, silently, leaving the selected state
 */
enum imap_result imap_expunge_deleted(struct imap_session *s, const struct imap_seqset *uids,
    bool close);
/* imap_cmd_idle.c */
IMAP_CMD(idle);
/* imap_cmd_idle_notice - the mailbox changed: an idling session tells its client */
void imap_cmd_idle_notice(struct imap_session *s);
/* idle_line - the line that ends IDLE ("DONE") */
enum imap_result imap_cmd_idle_line(struct imap_session *s, const char *line, size_t len);
/* imap_cmd_auth_line - a SASL response line during AUTHENTICATE */
enum imap_result imap_cmd_auth_line(struct imap_session *s, const char *line, size_t len);
/* imap_cmd_auth_abort - the session closes in the middle of AUTHENTICATE */
void imap_cmd_auth_abort(struct imap_session *s);
/* imap_cmd_acl.c */
IMAP_CMD(setacl);
IMAP_CMD(deleteacl);
IMAP_CMD(getacl);
IMAP_CMD(listrights);
IMAP_CMD(myrights);
/* imap_cmd_quota.c */
IMAP_CMD(getquota);
IMAP_CMD(getquotaroot);
IMAP_CMD(setquota);

#endif
