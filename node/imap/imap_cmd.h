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
/* imap_special_attrs - " \Sent \Trash": the RFC 6154 attributes of special-use bits */
void imap_special_attrs(unsigned special_use, struct buf *b);
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
/*
 * a fetch-att list kept past its command, to send FETCH responses later
 * (NOTIFY's MessageNew): always with UID, never setting \Seen
 */
struct imap_fetch_atts;
/* imap_fetch_atts_new - parse a; NULL if bad or if it would set \Seen (not a PEEK) */
struct imap_fetch_atts *imap_fetch_atts_new(struct imap_session *s, const struct imap_arg *a);
/* imap_fetch_atts_send - "* n FETCH (...)" for uid of the view, now */
void imap_fetch_atts_send(struct imap_fetch_atts *atts, uint32_t uid);
void imap_fetch_atts_free(struct imap_fetch_atts **atts);
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
/* ESEARCH's RETURN options (RFC 4731, RFC 5182 SAVE, RFC 5267 for SORT, RFC 9394 PARTIAL) */
#define IMAP_RET_MIN	0x1
#define IMAP_RET_MAX	0x2
#define IMAP_RET_COUNT	0x4
#define IMAP_RET_ALL	0x8
#define IMAP_RET_SAVE	0x10
#define IMAP_RET_PARTIAL	0x20
#define IMAP_RET_UPDATE	0x40	/* CONTEXT=SEARCH: keep telling the result's changes */
/*
 * imap_search_return - a RETURN (...) list into IMAP_RET_* bits in *ret_r
 * (ALL for an empty list or one of only CONTEXT, a hint that is accepted
 * and ignored) and PARTIAL's range in *partial_r; -1 with a
 * reason for BAD in *err_r (a static string) for an unknown option, a
 * PARTIAL without a valid range, two PARTIALs or PARTIAL with ALL
 * (RFC 9394 3.1). All are read first, so a refused SAVE still empties
 * "$" (RFC 5182 2.1).
 */
int imap_search_return(const struct imap_arg *list, unsigned *ret_r, struct imap_partial *partial_r,
    const char **err_r);
/* imap_esearch_open - "* ESEARCH (TAG "t")", then " UID" for the UID form */
void imap_esearch_open(const char *tag, bool uid, struct buf *out);
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
/*
 * imap_search_eval - imap_search_one for m at sequence number seq (0:
 * never a hit); also on the loop, in a view sync's read txn
 */
int imap_search_eval(struct imap_session *s, struct store_rtxn *r, const struct imap_search *q,
    const struct store_msg *m, uint32_t seq, bool *hit_r);
/* imap_context.c */
IMAP_CMD(cancelupdate);
struct imap_sort_crit;
struct imap_sort_msg;
/* imap_update_tag_used - an updating search has the tag */
bool imap_update_tag_used(const struct imap_session *s, const char *tag);
/*
 * imap_update_search - RETURN (UPDATE) of the running SEARCH: keep *qp and
 * the result's UIDs (both taken; *qp left NULL, uids empty) to tell its
 * changes in ESEARCH ADDTO and REMOVEFROM; past IMAP_UPDATES_MAX, an
 * untagged NO [NOUPDATE "tag"] instead, and nothing is taken
 */
void imap_update_search(struct imap_session *s, bool uid, struct imap_search **qp,
    struct imap_seqset *uids);
/*
 * imap_update_sort - the same for a SORT: the matches in sort order, with
 * their keys (*msgs_p and *n_p taken and cleared unless refused)
 */
void imap_update_sort(struct imap_session *s, bool uid, struct imap_search **qp,
    const struct imap_sort_crit *crit, unsigned need, struct imap_sort_msg **msgs_p, size_t *n_p);
/* imap_cmd_sort.c */
IMAP_CMD(sort);
IMAP_CMD(thread);
/*
 * imap_sort_msg_load - sm for m at sequence number seq: the keys need asks
 * for, from m's structure cache
 */
void imap_sort_msg_load(struct store_rtxn *r, const struct store_msg *m, uint32_t seq, unsigned need,
    struct imap_sort_msg *sm);
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
/* imap_cmd_notify.c */
IMAP_CMD(notify);
/*
 * imap_cmd_notify_event - the registry's notice for a NOTIFY session: a
 * watched mailbox's messages changed, or the user's mailboxes or
 * subscriptions did; told now if the session is between commands, else
 * once the running one has finished
 */
void imap_cmd_notify_event(struct imap_session *s);
/* imap_cmd_notify_flush - tell what is pending, if anything (a command has finished) */
void imap_cmd_notify_flush(struct imap_session *s);
/* imap_cmd_notify_selected - whether the selected mailbox's changes are told unasked */
bool imap_cmd_notify_selected(const struct imap_session *s);
/*
 * imap_cmd_notify_sync - an unasked sync of the view (IDLE, NOTIFY):
 * expunges unless SELECTED-DELAYED holds them outside IDLE, then
 * MessageNew's FETCH for the new messages
 */
void imap_cmd_notify_sync(struct imap_session *s);
/* imap_cmd_notify_changed - this session changed its user's mailboxes or subscriptions */
void imap_cmd_notify_changed(struct imap_session *s);
/* imap_cmd_notify_end - NOTIFY NONE (logout, close, overflow) */
void imap_cmd_notify_end(struct imap_session *s);
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
/* imap_cmd_metadata.c */
IMAP_CMD(getmetadata);
IMAP_CMD(setmetadata);

#endif
