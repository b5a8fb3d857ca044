/*
 * imap_cmd_sort.c - SORT and UID SORT (RFC 5256, SORT=DISPLAY of RFC
 * 5957) with ESORT's RETURN (MIN MAX COUNT ALL) (RFC 5267), PARTIAL (RFC
 * 9394: positions in the sort order) and SAVE (RFC 5182: MIN and MAX are
 * the first and last in the sort order, as in Dovecot), and THREAD and UID THREAD with ORDEREDSUBJECT and REFERENCES
 * (RFC 5256) and Dovecot's REFS.
 *
 * The command parses the criteria on the loop, as SEARCH does (its keys,
 * its CHARSET rule: UTF-8 and US-ASCII), then one pool job walks the
 * mailbox in a read transaction: each message the view holds that the
 * search keys match gets its sort keys from the ENVELOPE in its structure
 * cache (imap_sort.h), built at delivery, so no message body is read
 * unless a search key needs it. THREAD=REFERENCES and REFS also read the
 * References field, from the message's header. The sort or threading
 * runs on the pool as well; the loop only sends the answer.
 *
 * Hazard: like SEARCH, the job reads s->view from the pool while the
 * session is paused until the done callback.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imap/imap_cmd.h"
#include "imap/imap_search.h"
#include "imap/imap_sort.h"
#include "mime/mime.h"
#include "util/log.h"
#include "util/xalloc.h"

struct sort_job {
	struct imap_session *s;
	struct imap_search *q;
	struct store_rtxn *r;		/* during the walk only */
	bool uid, thread, esort;
	unsigned ret;			/* IMAP_RET_*, with esort */
	struct imap_partial partial;	/* with IMAP_RET_PARTIAL */
	struct imap_sort_crit crit;
	enum imap_thread_alg alg;
	unsigned need;			/* IMAP_SORT_NEED bits */
	struct imap_sort_msg *msgs;	/* the matches */
	size_t n, cap;
	struct buf out;			/* THREAD: the threads */
	int rc;
};

/* sort_refs - THREAD=REFERENCES and REFS: the References field, from the header only */
static void
sort_refs(struct sort_job *j, const struct store_msg *m, struct imap_sort_msg *sm)
{
	struct buf v = BUF_INIT;
	const char *data;
	size_t len;

	if (store_msg_body(j->r, m->body_id, &data, &len) == 0 &&
	    mime_header_get(data, len, "References", &v) == 0)
		sm->refs = xstrdup(buf_cstr(&v));
	buf_free(&v);
}

void
imap_sort_msg_load(struct store_rtxn *r, const struct store_msg *m, uint32_t seq, unsigned need,
    struct imap_sort_msg *sm)
{
	const void *blob;
	const char *env = NULL;
	size_t bl, el = 0;

	memset(sm, 0, sizeof(*sm));
	sm->seq = seq;
	sm->uid = m->uid;
	sm->arrival = m->internal_date;
	sm->size = m->size;
	if ((need & ~(IMAP_SORT_NEED(IMAP_SORT_ARRIVAL) | IMAP_SORT_NEED(IMAP_SORT_SIZE))) != 0 &&
	    (store_msg_cache(r, m->body_id, &blob, &bl) != 0 ||
	    mime_cache_envelope(blob, bl, &env, &el) != 0))
		env = NULL;		/* no cache: the header keys are absent, as in FETCH */
	imap_sort_msg_fill(sm, env, el, need);
}

/* sort_one - store_msg_list callback: a match's keys, from its structure cache */
static int
sort_one(const struct store_msg *m, void *arg)
{
	struct sort_job *j = arg;
	struct imap_sort_msg *sm;
	uint32_t seq;
	bool hit;
	int rc;

	if ((rc = imap_search_one(j->s, j->r, j->q, m, &seq, &hit)) != 0 || !hit)
		return rc;
	if (j->n == j->cap) {
		j->cap = j->cap ? 2 * j->cap : 256;
		j->msgs = xrealloc(j->msgs, j->cap * sizeof(*j->msgs));
	}
	sm = &j->msgs[j->n++];
	imap_sort_msg_load(j->r, m, seq, j->need, sm);
	if (j->thread && j->alg != IMAP_THREAD_ORDEREDSUBJECT)
		sort_refs(j, m, sm);
	return 0;
}

/* sort_run - on the pool: the walk, then the sort or the threads */
static void
sort_run(void *arg)
{
	struct sort_job *j = arg;

	if ((j->rc = imap_search_walk(j->s, &j->r, sort_one, j)) != 0)
		return;
	if (j->thread)
		imap_thread_run(j->alg, j->msgs, j->n, j->uid, &j->out);
	else
		imap_sort_run(&j->crit, j->msgs, j->n);
}

/* sort_id - the i-th match's number as the client asked */
static uint32_t
sort_id(const struct sort_job *j, size_t i)
{
	return j->uid ? j->msgs[i].uid : j->msgs[i].seq;
}

/* sort_all - ESORT's ALL of matches [lo, hi): the sorted numbers, each ascending run as a range */
static void
sort_all(const struct sort_job *j, size_t lo, size_t hi, struct buf *out)
{
	for (size_t i = lo; i < hi;) {
		size_t k = i;

		while (k + 1 < hi && sort_id(j, k + 1) == sort_id(j, k) + 1)
			k++;
		buf_printf(out, "%s%u", i > lo ? "," : "", sort_id(j, i));
		if (k > i)
			buf_printf(out, ":%u", sort_id(j, k));
		i = k + 1;
	}
}

/* sort_window - the positions [*lo_r, *hi_r) in the sort order that PARTIAL selects */
static void
sort_window(const struct sort_job *j, size_t *lo_r, size_t *hi_r)
{
	uint64_t lo, hi;

	imap_partial_window(&j->partial, j->n, &lo, &hi);
	*lo_r = (size_t)lo;
	*hi_r = (size_t)hi;
}

/*
 * sort_esearch - "* ESEARCH (TAG "t") UID MIN 4 MAX 2 COUNT 3 ALL 4,1:2":
 * MIN and MAX are the first and the last message in the sort order
 */
static void
sort_esearch(struct imap_session *s, const struct sort_job *j, struct buf *out)
{
	imap_esearch_open(s->tag, j->uid, out);
	if ((j->ret & IMAP_RET_MIN) && j->n > 0)
		buf_printf(out, " MIN %u", sort_id(j, 0));
	if ((j->ret & IMAP_RET_MAX) && j->n > 0)
		buf_printf(out, " MAX %u", sort_id(j, j->n - 1));
	if (j->ret & IMAP_RET_COUNT)
		buf_printf(out, " COUNT %zu", j->n);
	if ((j->ret & IMAP_RET_ALL) && j->n > 0) {
		buf_puts(out, " ALL ");
		sort_all(j, 0, j->n, out);
	}
	if (j->ret & IMAP_RET_PARTIAL) {
		size_t lo, hi;

		sort_window(j, &lo, &hi);
		buf_puts(out, " PARTIAL (");
		imap_partial_format(&j->partial, out);
		buf_puts(out, lo < hi ? " " : " NIL");
		sort_all(j, lo, hi, out);
		buf_putc(out, ')');
	}
	buf_puts(out, "\r\n");
}

/* uid_cmp - qsort: ascending UIDs */
static int
uid_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * sort_save - RETURN (SAVE) (RFC 5182, RFC 5267, RFC 9394 3.2): the
 * matches' UIDs become "$"; with MIN, MAX or PARTIAL but neither ALL nor
 * COUNT, only the first or the last in the sort order, as Dovecot does,
 * and PARTIAL's window. Added in ascending order, so each add is an
 * append.
 */
static void
sort_save(struct imap_session *s, const struct sort_job *j)
{
	bool some = (j->ret & (IMAP_RET_MIN | IMAP_RET_MAX | IMAP_RET_PARTIAL)) &&
	    !(j->ret & (IMAP_RET_ALL | IMAP_RET_COUNT));
	uint32_t *uids = xmalloc((j->n + 1) * sizeof(*uids));
	size_t n = 0, lo = 0, hi = 0;

	if (j->ret & IMAP_RET_PARTIAL)
		sort_window(j, &lo, &hi);
	for (size_t i = 0; i < j->n; i++)
		if (!some || ((j->ret & IMAP_RET_MIN) && i == 0) || ((j->ret & IMAP_RET_MAX) && i == j->n - 1) ||
		    (i >= lo && i < hi))
			uids[n++] = j->msgs[i].uid;
	if (n > 1)
		qsort(uids, n, sizeof(*uids), uid_cmp);
	imap_seqset_clear(&s->view.saved);
	for (size_t i = 0; i < n; i++)
		imap_seqset_add(&s->view.saved, uids[i], uids[i]);
	free(uids);
}

/* sort_job_free - the job and everything it holds */
static void
sort_job_free(struct sort_job *j)
{
	for (size_t i = 0; i < j->n; i++)
		imap_sort_msg_free(&j->msgs[i]);
	free(j->msgs);
	buf_free(&j->out);
	imap_search_free(&j->q);
	free(j);
}

/* sort_done - the SORT, ESEARCH or THREAD line, then the tagged OK */
static enum imap_result
sort_done(struct imap_session *s, void *arg)
{
	struct sort_job *j = arg;
	struct buf out = BUF_INIT;
	const char *name = j->thread ? "THREAD" : "SORT";

	if (j->rc != 0) {
		if (j->ret & IMAP_RET_SAVE)
			imap_seqset_clear(&s->view.saved);	/* a failed SAVE leaves "$" empty */
		imap_reply_store_err(s, j->rc);
	} else {
		if (j->ret & IMAP_RET_SAVE)
			sort_save(s, j);
		if (j->thread) {
			buf_puts(&out, "* THREAD ");
			buf_append(&out, j->out.data, j->out.len);
			buf_puts(&out, "\r\n");
		} else if (j->esort) {
			if (j->ret != IMAP_RET_SAVE)
				sort_esearch(s, j, &out);
		} else {
			buf_puts(&out, "* SORT");
			for (size_t i = 0; i < j->n; i++)
				buf_printf(&out, " %u", sort_id(j, i));
			buf_puts(&out, "\r\n");
		}
		imap_send(s, out.data, out.len);
		if (j->ret & IMAP_RET_UPDATE)
			imap_update_sort(s, j->uid, &j->q, &j->crit, j->need, &j->msgs, &j->n);
		imap_reply(s, "OK", "%s%s completed", j->uid ? "UID " : "", name);
	}
	buf_free(&out);
	sort_job_free(j);
	return IMAP_DONE;
}

/*
 * sort_refuse - a BAD or NO for the command, logged; a refused SAVE
 * empties "$" (RFC 5182 2.1); frees j
 */
static enum imap_result
sort_refuse(struct imap_session *s, struct sort_job *j, const char *status, const char *why)
{
	if (j->ret & IMAP_RET_SAVE)
		imap_seqset_clear(&s->view.saved);
	log_info(s->id, "imap: %s refused: %s", j->thread ? "THREAD" : "SORT", why);
	imap_reply(s, status, "%s", why);
	sort_job_free(j);
	return IMAP_DONE;
}

/* sort_start - the charset and the search keys at args[0..n), then the walk */
static enum imap_result
sort_start(struct imap_session *s, struct sort_job *j, const struct imap_arg *args, size_t n)
{
	const struct imap_view *v = &s->view;
	const char *cs = n > 0 ? imap_arg_astring(&args[0]) : NULL;
	const char *err = NULL;

	if (cs == NULL || n < 2)
		return sort_refuse(s, j, "BAD", "Missing charset or search keys");
	if (strcasecmp(cs, "UTF-8") != 0 && strcasecmp(cs, "US-ASCII") != 0)
		return sort_refuse(s, j, "NO", "[BADCHARSET (UTF-8 US-ASCII)] Unsupported charset");
	if (imap_search_parse(args + 1, n - 1, (uint32_t)v->n, v->n ? v->msgs[v->n - 1].uid : 0,
	    &v->saved, &j->q, &err) != 0)
		return sort_refuse(s, j, "BAD", err);
	return imap_wait(s, sort_run, sort_done, j);
}

IMAP_CMD(sort)
{
	struct sort_job *j = xcalloc(1, sizeof(*j));
	const char *err = NULL;
	size_t i = 0;

	j->s = s;
	j->uid = uid;
	if (n >= 2 && imap_arg_atom_is(&args[0], "RETURN") && args[1].type == IMAP_ARG_LIST) {
		j->esort = true;
		if (imap_search_return(&args[1], &j->ret, &j->partial, &err) != 0)
			return sort_refuse(s, j, "BAD", err);
		if ((j->ret & IMAP_RET_UPDATE) && imap_update_tag_used(s, s->tag))
			return sort_refuse(s, j, "BAD", "An updating search has this tag");
		i = 2;
	}
	if (i >= n)
		return sort_refuse(s, j, "BAD", "SORT needs a list of sort keys");
	if (imap_sort_parse(&args[i], &j->crit, &err) != 0)
		return sort_refuse(s, j, "BAD", err);
	j->need = imap_sort_needs(&j->crit);
	return sort_start(s, j, args + i + 1, n - i - 1);
}

IMAP_CMD(thread)
{
	struct sort_job *j = xcalloc(1, sizeof(*j));

	j->s = s;
	j->uid = uid;
	j->thread = true;
	j->need = IMAP_SORT_NEED_THREAD;
	if (n == 0 || imap_thread_alg_parse(&args[0], &j->alg) != 0)
		return sort_refuse(s, j, "BAD", "Unknown threading algorithm");
	return sort_start(s, j, args + 1, n - 1);
}
