/*
 * imap_seqset.c - sequence sets: parsing, merging, membership, iteration.
 *
 * Parsing appends ranges as written, then sorts and merges once, so a set
 * of many small ranges is not quadratic. imap_seqset_add() keeps the set
 * normalized as it goes and is cheap when numbers come in ascending order.
 * Numbers are read into 64 bits, so overflow is a syntax error, not a wrap.
 * PARTIAL ranges (RFC 9394) live here too: their syntax is a seq-range's
 * without "*", with an optional minus on both ends.
 */
#include <stdlib.h>
#include <string.h>

#include "imapsyn/imap_seqset.h"
#include "util/xalloc.h"

/* push - append a range, unsorted */
static void
push(struct imap_seqset *set, uint32_t lo, uint32_t hi)
{
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 8;
		set->r = xrealloc(set->r, set->cap * sizeof(*set->r));
	}
	set->r[set->n].lo = lo;
	set->r[set->n].hi = hi;
	set->n++;
}

/* range_cmp - qsort order: by lo */
static int
range_cmp(const void *a, const void *b)
{
	const struct imap_range *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* normalize - sort, then merge overlapping and adjacent ranges */
static void
normalize(struct imap_seqset *set)
{
	size_t out = 0;

	if (set->n < 2)
		return;
	qsort(set->r, set->n, sizeof(*set->r), range_cmp);
	for (size_t i = 1; i < set->n; i++) {
		struct imap_range *last = &set->r[out];

		if ((uint64_t)set->r[i].lo <= (uint64_t)last->hi + 1) {
			if (set->r[i].hi > last->hi)
				last->hi = set->r[i].hi;
		} else {
			set->r[++out] = set->r[i];
		}
	}
	set->n = out + 1;
}

/* number - a seq-number: nz-number or "*"; advances *ip */
static int
number(const char *s, size_t len, size_t *ip, uint32_t max, uint32_t *v_r)
{
	uint64_t v = 0;
	size_t i = *ip;

	if (i < len && s[i] == '*') {
		*ip = i + 1;
		*v_r = max;
		return 0;
	}
	if (i == len || s[i] < '1' || s[i] > '9')
		return -1;
	while (i < len && s[i] >= '0' && s[i] <= '9') {
		v = v * 10 + (uint64_t)(s[i++] - '0');
		if (v > UINT32_MAX)
			return -1;
	}
	*ip = i;
	*v_r = (uint32_t)v;
	return 0;
}

/* element - a seq-number or seq-range, added to set */
static int
element(const char *s, size_t len, size_t *ip, uint32_t max, struct imap_seqset *set)
{
	uint32_t a, b;

	if (number(s, len, ip, max, &a) < 0)
		return -1;
	b = a;
	if (*ip < len && s[*ip] == ':') {
		++*ip;
		if (number(s, len, ip, max, &b) < 0)
			return -1;
	}
	if (a > b) {
		uint32_t t = a;

		a = b;
		b = t;
	}
	if (a == 0)	/* "*" in an empty mailbox */
		a = 1;
	if (a <= b)
		push(set, a, b);
	return 0;
}

int
imap_seqset_parse(const char *s, size_t len, uint32_t max, unsigned flags,
    struct imap_seqset *set)
{
	size_t i = 0;

	imap_seqset_clear(set);
	if (len == 1 && s[0] == '$')
		return (flags & IMAP_SEQSET_ALLOW_SAVED) ? IMAP_SEQSET_SAVED : -1;
	for (;;) {
		if (element(s, len, &i, max, set) < 0)
			break;
		if (i == len) {
			normalize(set);
			return 0;
		}
		if (s[i++] != ',')
			break;
	}
	imap_seqset_clear(set);
	return -1;
}

/* find - index of the first range whose hi + 1 reaches v */
static size_t
find(const struct imap_seqset *set, uint32_t v)
{
	size_t lo = 0, hi = set->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if ((uint64_t)set->r[mid].hi + 1 < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void
imap_seqset_add(struct imap_seqset *set, uint32_t lo, uint32_t hi)
{
	size_t i, j;

	if (lo > hi) {
		uint32_t t = lo;

		lo = hi;
		hi = t;
	}
	i = find(set, lo);
	if (i == set->n || (uint64_t)hi + 1 < set->r[i].lo) {
		push(set, lo, hi);	/* grow, then open a slot at i */
		memmove(&set->r[i + 1], &set->r[i], (set->n - 1 - i) * sizeof(*set->r));
		set->r[i].lo = lo;
		set->r[i].hi = hi;
		return;
	}
	/* overlaps or touches r[i]: absorb every range up to hi + 1 */
	for (j = i + 1; j < set->n && set->r[j].lo <= (uint64_t)hi + 1; j++)
		;
	if (set->r[j - 1].hi > hi)
		hi = set->r[j - 1].hi;
	if (set->r[i].lo < lo)
		lo = set->r[i].lo;
	set->r[i].lo = lo;
	set->r[i].hi = hi;
	memmove(&set->r[i + 1], &set->r[j], (set->n - j) * sizeof(*set->r));
	set->n -= j - i - 1;
}

bool
imap_seqset_contains(const struct imap_seqset *set, uint32_t v)
{
	size_t i = find(set, v);

	return i < set->n && set->r[i].lo <= v && v <= set->r[i].hi;
}

uint64_t
imap_seqset_count(const struct imap_seqset *set)
{
	uint64_t n = 0;

	for (size_t i = 0; i < set->n; i++)
		n += (uint64_t)set->r[i].hi - set->r[i].lo + 1;
	return n;
}

void
imap_seqset_format(const struct imap_seqset *set, struct buf *out)
{
	for (size_t i = 0; i < set->n; i++) {
		buf_printf(out, "%s%u", i ? "," : "", set->r[i].lo);
		if (set->r[i].hi != set->r[i].lo)
			buf_printf(out, ":%u", set->r[i].hi);
	}
}

void
imap_seqset_clear(struct imap_seqset *set)
{
	set->n = 0;
}

void
imap_seqset_free(struct imap_seqset *set)
{
	free(set->r);
	set->r = NULL;
	set->n = set->cap = 0;
}

bool
imap_seqset_next(const struct imap_seqset *set, struct imap_seqset_iter *it, uint32_t *v_r)
{
	if (it->i < set->n && it->v > set->r[it->i].hi)
		it->i++;
	if (it->i >= set->n)
		return false;
	if (it->v < set->r[it->i].lo)
		it->v = set->r[it->i].lo;
	*v_r = (uint32_t)it->v++;
	return true;
}

/* partial_end - one end of a PARTIAL range: an nz-number, after a '-' when neg */
static int
partial_end(const char *s, size_t len, size_t *ip, bool neg, uint32_t *v_r)
{
	if (neg && (*ip == len || s[(*ip)++] != '-'))
		return -1;
	if (*ip < len && s[*ip] == '*')
		return -1;
	return number(s, len, ip, 0, v_r);
}

int
imap_partial_parse(const char *s, size_t len, struct imap_partial *p)
{
	bool neg = len > 0 && s[0] == '-';
	size_t i = 0;
	uint32_t a, b;

	if (partial_end(s, len, &i, neg, &a) < 0 || i == len || s[i++] != ':' ||
	    partial_end(s, len, &i, neg, &b) < 0 || i != len)
		return -1;
	p->first = a < b ? a : b;
	p->last = a < b ? b : a;
	p->from_end = neg;
	return 0;
}

void
imap_partial_format(const struct imap_partial *p, struct buf *out)
{
	const char *m = p->from_end ? "-" : "";

	buf_printf(out, "%s%u:%s%u", m, p->first, m, p->last);
}

void
imap_partial_window(const struct imap_partial *p, uint64_t n, uint64_t *lo_r, uint64_t *hi_r)
{
	uint64_t lo, hi;

	if (!p->from_end) {
		lo = p->first - 1;
		hi = p->last < n ? p->last : n;
	} else {
		lo = n > p->last ? n - p->last : 0;
		hi = n >= p->first ? n - p->first + 1 : 0;
	}
	*lo_r = lo < hi ? lo : 0;
	*hi_r = lo < hi ? hi : 0;
}

void
imap_seqset_slice(const struct imap_seqset *set, uint64_t lo, uint64_t hi,
    struct imap_seqset *out)
{
	uint64_t pos = 0;

	for (size_t i = 0; i < set->n && pos < hi; i++) {
		uint64_t len = (uint64_t)set->r[i].hi - set->r[i].lo + 1;
		uint64_t a = lo > pos ? lo - pos : 0, b = hi - pos < len ? hi - pos : len;

		if (a < b)
			imap_seqset_add(out, (uint32_t)(set->r[i].lo + a), (uint32_t)(set->r[i].lo + b - 1));
		pos += len;
	}
}
