/*
 * imap_cmd_search.c - SEARCH and UID SEARCH: CHARSET, every RFC 3501 key
 * (imap_search.c), CONDSTORE's MODSEQ key with its (MODSEQ n) result,
 * ESEARCH (RFC 4731) with RETURN (MIN MAX COUNT ALL) and the MODSEQ of
 * what it returns (RFC 7162 3.1.5), PARTIAL (RFC 9394: a window of the
 * result, counted from either end; MIN, MAX and COUNT stay those of the
 * whole result), and SEARCHRES
 * (RFC 5182): RETURN (SAVE) keeps the result's UIDs in the view as "$"
 * for later commands; SAVE alone sends no ESEARCH. An IMAP4rev2 session
 * always gets ESEARCH.
 *
 * The keys are parsed on the loop against the view ("*" is the last
 * message the client knows); the evaluation runs on the pool in one read
 * transaction over the store's records, the view mapping UIDs to sequence
 * numbers, so messages the client has not been told of are never
 * reported. Bodies are read only when a key needs them, and the structure
 * cache only for BODY and TEXT, whose text parts it locates so that
 * attachments are never read.
 *
 * Hazard: the job reads s->view from the pool; that is safe because the
 * session is paused until the done callback, and nothing else changes the
 * view of a busy session.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imap/imap_cmd.h"
#include "imap/imap_search.h"
#include "imapsyn/imap_write.h"
#include "svc/svc.h"
#include "util/log.h"
#include "util/xalloc.h"

struct search_job {
	struct imap_session *s;
	struct imap_search *q;
	struct store_rtxn *r;		/* during the evaluation only */
	bool uid, esearch;
	unsigned ret;			/* IMAP_RET_* */
	struct imap_partial partial;	/* with IMAP_RET_PARTIAL */
	struct imap_seqset hits;	/* seqs, or UIDs for UID SEARCH */
	struct imap_seqset uids;	/* IMAP_RET_SAVE: the hits' UIDs */
	struct imap_seqset kept;	/* IMAP_RET_UPDATE: the hits' UIDs */
	uint64_t modseq;		/* the highest of the hits */
	uint64_t min_modseq, max_modseq;	/* of the first and the last hit */
	int rc;
};

int
imap_search_one(struct imap_session *s, struct store_rtxn *r, const struct imap_search *q,
    const struct store_msg *m, uint32_t *seq_r, bool *hit_r)
{
	*seq_r = imap_view_seq(&s->view, m->uid);
	return imap_search_eval(s, r, q, m, *seq_r, hit_r);
}

int
imap_search_eval(struct imap_session *s, struct store_rtxn *r, const struct imap_search *q,
    const struct store_msg *m, uint32_t seq, bool *hit_r)
{
	struct imap_search_msg sm = { seq, m->uid, imap_recent_flags(s, m->uid, m->flags),
	    m->keywords, m->modseq,
	    m->internal_date, m->size, NULL, 0, NULL, 0, m->body_id, m->save_date };
	int rc;

	*hit_r = false;
	if (seq == 0)
		return 0;	/* not in the view: the client has not been told of it */
	if (imap_search_needs_data(q) && (rc = store_msg_body(r, m->body_id, &sm.data, &sm.len)) != 0)
		return rc;
	if (imap_search_needs_parts(q) && store_msg_cache(r, m->body_id, &sm.parts, &sm.parts_len) != 0)
		sm.parts = NULL;	/* no cache: the evaluator parses the message */
	*hit_r = imap_search_match(q, &sm);
	return 0;
}

/* search_one - store_msg_list callback: evaluate one message the view holds */
static int
search_one(const struct store_msg *m, void *arg)
{
	struct search_job *j = arg;
	uint32_t seq;
	bool hit;
	int rc;

	if ((rc = imap_search_one(j->s, j->r, j->q, m, &seq, &hit)) != 0 || !hit)
		return rc;
	imap_seqset_add(&j->hits, j->uid ? m->uid : seq, j->uid ? m->uid : seq);
	if (j->ret & IMAP_RET_SAVE)
		imap_seqset_add(&j->uids, m->uid, m->uid);
	if (j->ret & IMAP_RET_UPDATE)
		imap_seqset_add(&j->kept, m->uid, m->uid);
	if (m->modseq > j->modseq)
		j->modseq = m->modseq;
	if (j->min_modseq == 0)		/* UID order: the first hit is MIN; modseqs start at 1 */
		j->min_modseq = m->modseq;
	j->max_modseq = m->modseq;
	return 0;
}

int
imap_search_walk(struct imap_session *s, struct store_rtxn **r_r,
    int (*cb)(const struct store_msg *, void *), void *arg)
{
	int rc;

	if ((rc = store_rtxn_begin(s->env->st, r_r)) != 0)
		return rc;
	rc = store_msg_list(*r_r, s->view.id, 1, cb, arg);
	store_rtxn_end(r_r);
	return rc;
}

/* search_run - on the pool: one read transaction over the mailbox */
static void
search_run(void *arg)
{
	struct search_job *j = arg;

	j->rc = imap_search_walk(j->s, &j->r, search_one, j);
}

void
imap_esearch_open(const char *tag, bool uid, struct buf *out)
{
	buf_puts(out, "* ESEARCH (TAG ");
	imap_write_string(out, tag, strlen(tag));
	buf_putc(out, ')');
	if (uid)
		buf_puts(out, " UID");
}

/*
 * search_modseq - RFC 7162 3.1.5: with MIN or MAX (or both) and neither
 * ALL nor COUNT, the highest mod-sequence of the messages returned; else
 * of all the hits
 */
static uint64_t
search_modseq(const struct search_job *j)
{
	uint64_t m = 0;

	if (j->ret & (IMAP_RET_ALL | IMAP_RET_COUNT) || !(j->ret & (IMAP_RET_MIN | IMAP_RET_MAX)))
		return j->modseq;
	if (j->ret & IMAP_RET_MIN)
		m = j->min_modseq;
	if ((j->ret & IMAP_RET_MAX) && j->max_modseq > m)
		m = j->max_modseq;
	return m;
}

/* search_partial - " PARTIAL (-1:-2 7,9)": the window of the hits, NIL if it is empty */
static void
search_partial(const struct search_job *j, struct buf *out)
{
	struct imap_seqset win = IMAP_SEQSET_INIT;
	uint64_t lo, hi;

	imap_partial_window(&j->partial, imap_seqset_count(&j->hits), &lo, &hi);
	imap_seqset_slice(&j->hits, lo, hi, &win);
	buf_puts(out, " PARTIAL (");
	imap_partial_format(&j->partial, out);
	buf_putc(out, ' ');
	if (win.n == 0)
		buf_puts(out, "NIL");
	imap_seqset_format(&win, out);
	buf_putc(out, ')');
	imap_seqset_free(&win);
}

/* search_esearch - "* ESEARCH (TAG "t") UID MIN 1 MAX 9 COUNT 3 ALL 1,4,9" */
static void
search_esearch(struct imap_session *s, const struct search_job *j, struct buf *out)
{
	bool any = j->hits.n > 0;

	imap_esearch_open(s->tag, j->uid, out);
	if ((j->ret & IMAP_RET_MIN) && any)
		buf_printf(out, " MIN %u", j->hits.r[0].lo);
	if ((j->ret & IMAP_RET_MAX) && any)
		buf_printf(out, " MAX %u", j->hits.r[j->hits.n - 1].hi);
	if (j->ret & IMAP_RET_COUNT)
		buf_printf(out, " COUNT %llu", (unsigned long long)imap_seqset_count(&j->hits));
	if ((j->ret & IMAP_RET_ALL) && any) {
		buf_puts(out, " ALL ");
		imap_seqset_format(&j->hits, out);
	}
	if (j->ret & IMAP_RET_PARTIAL)
		search_partial(j, out);
	if (imap_search_has_modseq(j->q) && any)
		buf_printf(out, " MODSEQ %llu", (unsigned long long)search_modseq(j));
	buf_puts(out, "\r\n");
}

/* search_plain - "* SEARCH 1 4 9 (MODSEQ 12)" */
static void
search_plain(const struct search_job *j, struct buf *out)
{
	struct imap_seqset_iter it = IMAP_SEQSET_ITER_INIT;
	uint32_t v;

	buf_puts(out, "* SEARCH");
	while (imap_seqset_next(&j->hits, &it, &v))
		buf_printf(out, " %u", v);
	if (imap_search_has_modseq(j->q) && j->hits.n > 0)
		buf_printf(out, " (MODSEQ %llu)", (unsigned long long)j->modseq);
	buf_puts(out, "\r\n");
}

/*
 * search_save - RFC 5182 2.1 and RFC 9394 3.2: with MIN, MAX or PARTIAL
 * but neither ALL nor COUNT, only the messages those return are saved;
 * otherwise the whole result
 */
static void
search_save(struct imap_session *s, struct search_job *j)
{
	struct imap_seqset *saved = &s->view.saved;
	uint64_t lo, hi;

	imap_seqset_free(saved);
	if ((j->ret & (IMAP_RET_ALL | IMAP_RET_COUNT)) ||
	    !(j->ret & (IMAP_RET_MIN | IMAP_RET_MAX | IMAP_RET_PARTIAL)) || j->uids.n == 0) {
		*saved = j->uids;
		memset(&j->uids, 0, sizeof(j->uids));
		return;
	}
	if (j->ret & IMAP_RET_PARTIAL) {
		imap_partial_window(&j->partial, imap_seqset_count(&j->uids), &lo, &hi);
		imap_seqset_slice(&j->uids, lo, hi, saved);
	}
	if (j->ret & IMAP_RET_MIN)
		imap_seqset_add(saved, j->uids.r[0].lo, j->uids.r[0].lo);
	if (j->ret & IMAP_RET_MAX)
		imap_seqset_add(saved, j->uids.r[j->uids.n - 1].hi, j->uids.r[j->uids.n - 1].hi);
}

/* search_done - the result line, then the tagged OK (after the view sync) */
static enum imap_result
search_done(struct imap_session *s, void *arg)
{
	struct search_job *j = arg;
	struct buf out = BUF_INIT;

	if (j->rc != 0) {
		if (j->ret & IMAP_RET_SAVE)
			imap_seqset_clear(&s->view.saved);	/* a failed SAVE leaves "$" empty */
		imap_reply_store_err(s, j->rc);
	} else {
		if (j->ret & IMAP_RET_SAVE)
			search_save(s, j);
		if (j->esearch && j->ret != IMAP_RET_SAVE)
			search_esearch(s, j, &out);
		else if (!j->esearch)
			search_plain(j, &out);
		imap_send(s, out.data, out.len);
		if (j->ret & IMAP_RET_UPDATE)
			imap_update_search(s, j->uid, &j->q, &j->kept);
		imap_reply(s, "OK", "%sSEARCH completed", j->uid ? "UID " : "");
	}
	buf_free(&out);
	imap_search_free(&j->q);
	imap_seqset_free(&j->hits);
	imap_seqset_free(&j->uids);
	imap_seqset_free(&j->kept);
	free(j);
	return IMAP_DONE;
}

/* return_partial - PARTIAL's range at list[*ip + 1]; advances *ip past it */
static int
return_partial(const struct imap_arg *list, size_t *ip, unsigned *ret_r,
    struct imap_partial *partial_r, const char **err_r)
{
	const struct imap_arg *a = *ip + 1 < list->count ? &list->list[*ip + 1] : NULL;

	if (a == NULL || a->type != IMAP_ARG_ATOM || imap_partial_parse(a->str, a->len, partial_r) != 0) {
		*err_r = "PARTIAL needs a range such as 1:100 or -1:-100";
		return -1;
	}
	++*ip;
	if (*ret_r & IMAP_RET_PARTIAL) {
		*err_r = "PARTIAL given twice";
		return -1;
	}
	*ret_r |= IMAP_RET_PARTIAL;
	return 0;
}

int
imap_search_return(const struct imap_arg *list, unsigned *ret_r, struct imap_partial *partial_r,
    const char **err_r)
{
	static const struct { const char *name; unsigned bit; } opts[] = {
		{ "MIN", IMAP_RET_MIN }, { "MAX", IMAP_RET_MAX }, { "COUNT", IMAP_RET_COUNT },
		{ "ALL", IMAP_RET_ALL }, { "SAVE", IMAP_RET_SAVE }, { "UPDATE", IMAP_RET_UPDATE },
		{ "CONTEXT", 0 },
	};
	int rc = 0;

	*ret_r = 0;
	for (size_t i = 0; i < list->count; i++) {
		size_t k;

		if (imap_arg_atom_is(&list->list[i], "PARTIAL")) {
			if (return_partial(list, &i, ret_r, partial_r, err_r) != 0)
				rc = -1;
			continue;
		}
		for (k = 0; k < sizeof(opts) / sizeof(opts[0]); k++)
			if (imap_arg_atom_is(&list->list[i], opts[k].name))
				break;
		if (k == sizeof(opts) / sizeof(opts[0])) {
			*err_r = "Unknown RETURN option";
			rc = -1;
		} else {
			*ret_r |= opts[k].bit;
		}
	}
	if ((*ret_r & IMAP_RET_PARTIAL) && (*ret_r & IMAP_RET_ALL)) {
		*err_r = "PARTIAL and ALL cannot be used together";
		rc = -1;
	}
	if (*ret_r == 0)
		*ret_r = IMAP_RET_ALL;	/* RETURN () */
	return rc;
}

IMAP_CMD(search)
{
	struct search_job *j = xcalloc(1, sizeof(*j));
	const struct imap_view *v = &s->view;
	const char *err = "Bad SEARCH arguments", *status = "BAD";
	size_t i = 0;

	j->s = s;
	j->uid = uid;
	if (n >= 2 && imap_arg_atom_is(&args[0], "RETURN") && args[1].type == IMAP_ARG_LIST) {
		j->esearch = true;
		if (imap_search_return(&args[1], &j->ret, &j->partial, &err) != 0)
			goto bad;
		if ((j->ret & IMAP_RET_UPDATE) && imap_update_tag_used(s, s->tag)) {
			err = "An updating search has this tag";
			goto bad;
		}
		i = 2;
	} else if (s->enabled & IMAP_EN_REV2) {
		j->esearch = true;	/* RFC 9051: ESEARCH is the only answer */
		j->ret = IMAP_RET_ALL;
	}
	if (i + 1 < n && imap_arg_atom_is(&args[i], "CHARSET")) {
		const char *cs = imap_arg_astring(&args[i + 1]);

		if (cs == NULL || (strcasecmp(cs, "UTF-8") != 0 && strcasecmp(cs, "US-ASCII") != 0)) {
			status = "NO";
			err = "[BADCHARSET (UTF-8 US-ASCII)] Unsupported charset";
			goto bad;
		}
		i += 2;
	}
	if (imap_search_parse(args + i, n - i, (uint32_t)v->n, v->n ? v->msgs[v->n - 1].uid : 0,
	    &v->saved, &j->q, &err) != 0)
		goto bad;
	if (imap_search_has_modseq(j->q))
		imap_condstore_on(s);
	return imap_wait(s, search_run, search_done, j);
bad:
	if (j->ret & IMAP_RET_SAVE)
		imap_seqset_clear(&s->view.saved);
	imap_search_free(&j->q);
	free(j);
	log_info(s->id, "imap: SEARCH refused: %s", err);
	imap_reply(s, status, "%s", err);
	return IMAP_DONE;
}
