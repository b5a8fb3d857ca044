/*
 * imap_thread.c - THREAD=ORDEREDSUBJECT and THREAD=REFERENCES (RFC 5256
 * 3) and THREAD=REFS, on the keys imap_sort.c made (imap_sort.h).
 *
 * Both build one tree of containers under a root: a container holds a
 * message or is a dummy (a message referred to but not in the result).
 * REFERENCES links containers by Message-ID, References and In-Reply-To
 * (its step 1), prunes dummies (4), merges threads whose base subjects
 * are equal (6) and sorts every set of siblings by sent date (5, 7);
 * ORDEREDSUBJECT groups by base subject. THREAD=REFS (Dovecot's) is
 * REFERENCES without the subject merge, its top-level threads ordered by
 * their newest message. A dummy sorts as its first child; equal dates
 * keep sequence order.
 *
 * Every walk over the tree is iterative (a post-order list, an explicit
 * stack), so a reply chain as long as the mailbox needs no deep stack.
 */
#include "imap/imap_sort.h"

#include <stdlib.h>
#include <string.h>

#include "util/hashtab.h"
#include "util/xalloc.h"

#define ROOT	0
#define NONE	(-1)

struct tnode {
	long msg;		/* index into msgs; NONE: a dummy */
	long parent;		/* NONE: not linked */
	long *kids;
	size_t nkids, cap;
};

struct tree {
	const struct imap_sort_msg *msgs;
	struct tnode *n;
	size_t len, cap;
};

/* node_new - a container of msg (NONE: a dummy), unlinked */
static long
node_new(struct tree *t, long msg)
{
	if (t->len == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->n = xrealloc(t->n, t->cap * sizeof(*t->n));
	}
	memset(&t->n[t->len], 0, sizeof(t->n[0]));
	t->n[t->len].msg = msg;
	t->n[t->len].parent = NONE;
	return (long)t->len++;
}

/* kid_add - make k the last child of p */
static void
kid_add(struct tree *t, long p, long k)
{
	struct tnode *pn = &t->n[p];

	if (pn->nkids == pn->cap) {
		pn->cap = pn->cap ? 2 * pn->cap : 4;
		pn->kids = xrealloc(pn->kids, pn->cap * sizeof(*pn->kids));
	}
	pn->kids[pn->nkids++] = k;
	t->n[k].parent = p;
}

/* kid_del - unlink k from its parent */
static void
kid_del(struct tree *t, long k)
{
	struct tnode *pn = &t->n[t->n[k].parent];

	for (size_t i = 0; i < pn->nkids; i++)
		if (pn->kids[i] == k) {
			memmove(pn->kids + i, pn->kids + i + 1, (pn->nkids - i - 1) * sizeof(*pn->kids));
			pn->nkids--;
			break;
		}
	t->n[k].parent = NONE;
}

/* under - whether b is a or lies under it */
static bool
under(const struct tree *t, long a, long b)
{
	for (; b != NONE; b = t->n[b].parent)
		if (b == a)
			return true;
	return false;
}

/* postorder - every node under the root, children before parents (n of them) */
static long *
postorder(const struct tree *t, size_t *n_r)
{
	long *out = xmalloc(t->len * sizeof(*out)), *stack = xmalloc(t->len * sizeof(*stack));
	size_t n = 0, sp = 0;

	stack[sp++] = ROOT;
	while (sp > 0) {
		long v = stack[--sp];

		out[n++] = v;
		for (size_t i = 0; i < t->n[v].nkids; i++)
			stack[sp++] = t->n[v].kids[i];
	}
	free(stack);
	for (size_t i = 0; i < n / 2; i++) {
		long x = out[i];

		out[i] = out[n - 1 - i];
		out[n - 1 - i] = x;
	}
	*n_r = n;
	return out;
}

/* first_msg - the message a container sorts and is named by: a dummy's first child's */
static const struct imap_sort_msg *
first_msg(const struct tree *t, long v)
{
	while (t->n[v].msg == NONE && t->n[v].nkids > 0)
		v = t->n[v].kids[0];
	return t->n[v].msg == NONE ? NULL : &t->msgs[t->n[v].msg];
}

/* date_cmp - qsort_r: by sent date, then sequence number */
static int
date_cmp(const void *pa, const void *pb, void *arg)
{
	const struct tree *t = arg;
	const struct imap_sort_msg *a = first_msg(t, *(const long *)pa);
	const struct imap_sort_msg *b = first_msg(t, *(const long *)pb);

	if (a == NULL || b == NULL)
		return (a == NULL) - (b == NULL);
	if (a->sent != b->sent)
		return a->sent < b->sent ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* sort_all - every set of siblings by date, bottom up so a dummy's first child is known */
static void
sort_all(struct tree *t)
{
	size_t n;
	long *order = postorder(t, &n);

	for (size_t i = 0; i < n; i++) {
		struct tnode *v = &t->n[order[i]];

		if (v->nkids > 1)	/* kids is NULL when there are none */
			qsort_r(v->kids, v->nkids, sizeof(*v->kids), date_cmp, t);
	}
	free(order);
}

/*
 * prune - step 4: a dummy without children goes; one with children gives
 * them to its parent, unless that would put several of them at the top
 */
static void
prune(struct tree *t)
{
	size_t n;
	long *order = postorder(t, &n);

	for (size_t i = 0; i < n; i++) {
		long p = order[i];
		size_t nk = t->n[p].nkids;
		long *kids = t->n[p].kids;

		t->n[p].kids = NULL;
		t->n[p].nkids = t->n[p].cap = 0;
		for (size_t k = 0; k < nk; k++) {
			struct tnode *c = &t->n[kids[k]];

			if (c->msg != NONE || (c->nkids > 1 && p == ROOT)) {
				kid_add(t, p, kids[k]);
				continue;
			}
			for (size_t g = 0; g < c->nkids; g++)
				kid_add(t, p, c->kids[g]);
			c->nkids = 0;
			c->parent = NONE;
		}
		free(kids);
	}
	free(order);
}

/* id_node - the container of a message id, a new dummy if it has none */
static long
id_node(struct tree *t, struct hashtab *ids, const char *id)
{
	bool added;
	long *v = hashtab_put(ids, id, &added);

	if (added)
		*v = node_new(t, NONE);
	return *v;
}

/* self_node - step 1A: m's container; a missing or repeated Message-ID gets a fresh one */
static long
self_node(struct tree *t, struct hashtab *ids, long i)
{
	const char *id = t->msgs[i].msgid;
	bool added;
	long *v, c;

	if (id == NULL)
		return node_new(t, i);
	v = hashtab_put(ids, id, &added);
	if (added) {
		c = node_new(t, i);
		*v = c;
		return c;
	}
	if (t->n[*v].msg == NONE) {
		t->n[*v].msg = i;
		return *v;
	}
	return node_new(t, i);
}

/* link_refs - step 1B: chain the referenced ids; the container of the last, or NONE */
static long
link_refs(struct tree *t, struct hashtab *ids, const char *refs)
{
	long prev = NONE, c;
	char *id;

	while (refs != NULL && (refs = strchr(refs, '<')) != NULL) {
		const char *gt = strchr(refs, '>');

		if (gt == NULL)
			break;
		if (gt - refs < 2 || memchr(refs + 1, '<', (size_t)(gt - refs - 1)) != NULL) {
			refs++;
			continue;
		}
		id = xstrndup(refs, (size_t)(gt - refs + 1));
		c = id_node(t, ids, id);
		free(id);
		if (prev != NONE && t->n[c].parent == NONE && !under(t, c, prev))
			kid_add(t, prev, c);
		prev = c;
		refs = gt + 1;
	}
	return prev;
}

/* references_link - steps 1 and 2: every message linked, the parentless under the root */
static void
references_link(struct tree *t, size_t n)
{
	struct hashtab *ids = hashtab_new(n + 1, sizeof(long));

	for (size_t i = 0; i < n; i++) {
		const struct imap_sort_msg *m = &t->msgs[i];
		long self = self_node(t, ids, (long)i), last;

		last = link_refs(t, ids, m->refs != NULL && strchr(m->refs, '<') != NULL ? m->refs : m->irt);
		if (t->n[self].parent != NONE)
			kid_del(t, self);
		if (last != NONE && !under(t, self, last))
			kid_add(t, last, self);
	}
	for (size_t i = ROOT + 1; i < t->len; i++)
		if (t->n[i].parent == NONE)
			kid_add(t, ROOT, (long)i);
	hashtab_free(&ids);
}

/* subject_of - a top-level container's thread subject; NULL if empty */
static const char *
subject_of(const struct tree *t, long v)
{
	const struct imap_sort_msg *m = first_msg(t, v);

	return m != NULL && m->subject != NULL && m->subject[0] != '\0' ? m->subject : NULL;
}

/* is_reply - a message container whose subject said reply or forward */
static bool
is_reply(const struct tree *t, long v)
{
	return t->n[v].msg != NONE && t->msgs[t->n[v].msg].reply;
}

/* merge - step 6D: the top-level container v into the subject table's *e */
static void
merge(struct tree *t, long v, long *e)
{
	bool vd = t->n[v].msg == NONE, ed = t->n[*e].msg == NONE;
	long d;

	if (vd && ed) {
		for (size_t g = 0; g < t->n[v].nkids; g++)
			kid_add(t, *e, t->n[v].kids[g]);
		t->n[v].nkids = 0;
		t->n[v].parent = NONE;
	} else if (ed || (is_reply(t, v) && !is_reply(t, *e))) {
		kid_add(t, *e, v);
	} else {
		d = node_new(t, NONE);
		kid_add(t, ROOT, d);
		kid_add(t, d, *e);
		kid_add(t, d, v);
		*e = d;
	}
}

/* subject_merge - step 6: top-level threads of one base subject become one */
static void
subject_merge(struct tree *t)
{
	struct hashtab *subj = hashtab_new(t->n[ROOT].nkids + 1, sizeof(long));
	size_t n = t->n[ROOT].nkids, k;
	long *top = xmalloc((n + 1) * sizeof(*top)), *e;
	const char *s;
	bool added;

	memcpy(top, t->n[ROOT].kids, n * sizeof(*top));
	for (size_t i = 0; i < n; i++) {
		if ((s = subject_of(t, top[i])) == NULL)
			continue;
		e = hashtab_put(subj, s, &added);
		if (added || (t->n[*e].msg != NONE &&
		    (t->n[top[i]].msg == NONE || (is_reply(t, *e) && !is_reply(t, top[i])))))
			*e = top[i];
	}
	for (size_t i = 0; i < n; i++)
		if (t->n[top[i]].parent == ROOT && (s = subject_of(t, top[i])) != NULL &&
		    *(e = hashtab_get(subj, s)) != top[i])
			merge(t, top[i], e);
	for (size_t i = k = 0; i < t->n[ROOT].nkids; i++)
		if (t->n[t->n[ROOT].kids[i]].parent == ROOT)
			t->n[ROOT].kids[k++] = t->n[ROOT].kids[i];
	t->n[ROOT].nkids = k;
	free(top);
	hashtab_free(&subj);
}

/* subject_cmp - qsort_r on message indexes: base subject, sent date, sequence */
static int
subject_cmp(const void *pa, const void *pb, void *arg)
{
	const struct imap_sort_msg *msgs = arg;
	const struct imap_sort_msg *a = &msgs[*(const long *)pa], *b = &msgs[*(const long *)pb];
	int r = strcmp(a->subject, b->subject);

	if (r != 0)
		return r;
	if (a->sent != b->sent)
		return a->sent < b->sent ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* ordered_subject - each base subject's first message, the others its children */
static void
ordered_subject(struct tree *t, size_t n)
{
	long *idx = xmalloc((n + 1) * sizeof(*idx)), head = NONE;

	for (size_t i = 0; i < n; i++)
		idx[i] = (long)i;
	if (n > 1)
		qsort_r(idx, n, sizeof(*idx), subject_cmp, (void *)t->msgs);
	for (size_t i = 0; i < n; i++) {
		long v = node_new(t, idx[i]);

		if (i > 0 && strcmp(t->msgs[idx[i]].subject, t->msgs[idx[i - 1]].subject) == 0) {
			kid_add(t, head, v);
			continue;
		}
		kid_add(t, ROOT, v);
		head = v;
	}
	free(idx);
}

/* a top-level thread's newest message, for THREAD=REFS */
struct latest {
	const struct tree *t;
	long *msg;		/* per node: the index of the newest message under it, or NONE */
};

/* newer - whether message a sorts after message b (sent date, then sequence) */
static bool
newer(const struct imap_sort_msg *msgs, long a, long b)
{
	if (b == NONE)
		return a != NONE;
	if (a == NONE)
		return false;
	if (msgs[a].sent != msgs[b].sent)
		return msgs[a].sent > msgs[b].sent;
	return msgs[a].seq > msgs[b].seq;
}

/* latest_cmp - qsort_r: top-level threads by their newest message */
static int
latest_cmp(const void *pa, const void *pb, void *arg)
{
	const struct latest *l = arg;
	long a = l->msg[*(const long *)pa], b = l->msg[*(const long *)pb];

	return newer(l->t->msgs, a, b) ? 1 : newer(l->t->msgs, b, a) ? -1 : 0;
}

/* sort_latest - THREAD=REFS: the top-level threads ordered by their newest message */
static void
sort_latest(struct tree *t)
{
	struct latest l = { t, xmalloc(t->len * sizeof(long)) };
	size_t n;
	long *order = postorder(t, &n);

	for (size_t i = 0; i < n; i++) {
		const struct tnode *v = &t->n[order[i]];

		l.msg[order[i]] = v->msg;
		for (size_t k = 0; k < v->nkids; k++)
			if (newer(t->msgs, l.msg[v->kids[k]], l.msg[order[i]]))
				l.msg[order[i]] = l.msg[v->kids[k]];
	}
	qsort_r(t->n[ROOT].kids, t->n[ROOT].nkids, sizeof(long), latest_cmp, &l);
	free(order);
	free(l.msg);
}

#define CLOSE	(-1)

/* write_threads - "(1 2)(3 (4)(5))": a chain of single children in one list, a fork as lists */
static void
write_threads(const struct tree *t, bool uid, struct buf *out)
{
	long *stack = xmalloc(2 * t->len * sizeof(*stack));
	size_t sp = 0;

	for (size_t i = t->n[ROOT].nkids; i-- > 0;)
		stack[sp++] = t->n[ROOT].kids[i];
	while (sp > 0) {
		long v = stack[--sp];

		if (v == CLOSE) {
			buf_putc(out, ')');
			continue;
		}
		buf_putc(out, '(');
		for (;;) {
			const struct tnode *c = &t->n[v];

			if (c->msg != NONE) {
				const struct imap_sort_msg *m = &t->msgs[c->msg];

				buf_printf(out, "%u%s", uid ? m->uid : m->seq, c->nkids > 0 ? " " : "");
			}
			if (c->nkids == 1) {
				v = c->kids[0];
				continue;
			}
			if (c->nkids == 0) {
				buf_putc(out, ')');
				break;
			}
			stack[sp++] = CLOSE;
			for (size_t i = c->nkids; i-- > 0;)
				stack[sp++] = c->kids[i];
			break;
		}
	}
	free(stack);
}

int
imap_thread_alg_parse(const struct imap_arg *a, enum imap_thread_alg *alg_r)
{
	if (imap_arg_atom_is(a, "ORDEREDSUBJECT"))
		*alg_r = IMAP_THREAD_ORDEREDSUBJECT;
	else if (imap_arg_atom_is(a, "REFERENCES"))
		*alg_r = IMAP_THREAD_REFERENCES;
	else if (imap_arg_atom_is(a, "REFS"))
		*alg_r = IMAP_THREAD_REFS;
	else
		return -1;
	return 0;
}

void
imap_thread_run(enum imap_thread_alg alg, const struct imap_sort_msg *msgs, size_t n, bool uid,
    struct buf *out)
{
	struct tree t = { msgs, NULL, 0, 0 };

	node_new(&t, NONE);	/* the root */
	if (alg == IMAP_THREAD_ORDEREDSUBJECT) {
		ordered_subject(&t, n);
		sort_all(&t);
	} else if (alg == IMAP_THREAD_REFS) {
		references_link(&t, n);
		prune(&t);
		sort_all(&t);
		sort_latest(&t);
	} else {
		references_link(&t, n);
		prune(&t);
		sort_all(&t);
		subject_merge(&t);
		sort_all(&t);
	}
	write_threads(&t, uid, out);
	for (size_t i = 0; i < t.len; i++)
		free(t.n[i].kids);
	free(t.n);
}
