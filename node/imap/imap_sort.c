/*
 * imap_sort.c - SORT's criteria, keys and order (imap_sort.h): base
 * subject extraction (RFC 5256 2.1), the reader of a cached ENVELOPE's
 * text, the Date: header's instant, and the comparison of two messages.
 *
 * Hazard: the ENVELOPE text comes from a blob on disk whose checksum
 * passed but whose text is trusted no further: the reader checks every
 * length against what is left and gives up (the keys stay absent) on
 * anything out of place.
 */
#include "imap/imap_sort.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "mime/mime.h"
#include "util/xalloc.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct { const char *name; enum imap_sort_key key; } key_names[] = {
	{ "ARRIVAL", IMAP_SORT_ARRIVAL }, { "CC", IMAP_SORT_CC }, { "DATE", IMAP_SORT_DATE },
	{ "FROM", IMAP_SORT_FROM }, { "SIZE", IMAP_SORT_SIZE }, { "SUBJECT", IMAP_SORT_SUBJECT },
	{ "TO", IMAP_SORT_TO }, { "DISPLAYFROM", IMAP_SORT_DISPLAYFROM },
	{ "DISPLAYTO", IMAP_SORT_DISPLAYTO },
};

/* ---- base subject ---- */

/* strip_trailers - RFC 5256 2.1 (2): "(fwd)" and white space off the end; whether a "(fwd)" was */
static bool
strip_trailers(const char *s, size_t b, size_t *e)
{
	bool fwd = false;

	for (;;) {
		if (*e > b && s[*e - 1] == ' ')
			(*e)--;
		else if (*e - b >= 5 && memcmp(s + *e - 5, "(FWD)", 5) == 0) {
			*e -= 5;
			fwd = true;
		} else
			return fwd;
	}
}

/* skip_blob - subj-blob: "[" *BLOBCHAR "]" *WSP at i; the end, or i if there is none */
static size_t
skip_blob(const char *s, size_t i, size_t e)
{
	size_t j = i + 1;

	if (i >= e || s[i] != '[')
		return i;
	while (j < e && s[j] != '[' && s[j] != ']')
		j++;
	if (j >= e || s[j] != ']')
		return i;
	for (j++; j < e && s[j] == ' '; j++)
		;
	return j;
}

/* skip_refwd - subj-refwd: ("RE" / "FW" ["D"]) *WSP [subj-blob] ":" at i; the end, or i */
static size_t
skip_refwd(const char *s, size_t i, size_t e)
{
	size_t j = i;

	if (e - i >= 2 && memcmp(s + i, "RE", 2) == 0)
		j = i + 2;
	else if (e - i >= 2 && memcmp(s + i, "FW", 2) == 0)
		j = i + 2 + (e - i >= 3 && s[i + 2] == 'D');
	else
		return i;
	while (j < e && s[j] == ' ')
		j++;
	j = skip_blob(s, j, e);
	return j < e && s[j] == ':' ? j + 1 : i;
}

/* strip_leaders - RFC 5256 2.1 (3) to (5); whether a reply or forward marker came off */
static bool
strip_leaders(const char *s, size_t *b, size_t e)
{
	bool reply = false, again = true;
	size_t i, j;

	while (again) {
		again = false;
		if (*b < e && s[*b] == ' ') {
			(*b)++;
			again = true;
			continue;
		}
		for (i = *b; (j = skip_blob(s, i, e)) != i; i = j)
			;
		if ((j = skip_refwd(s, i, e)) != i) {
			*b = j;
			reply = again = true;
			continue;
		}
		j = skip_blob(s, *b, e);
		if (j != *b && j < e) {
			*b = j;		/* (4): a leading blob, when something is left */
			again = true;
		}
	}
	return reply;
}

/* normalize - RFC 5256 2.1 (1): decoded, casemapped, white space runs made one space */
static void
normalize(const char *s, size_t len, struct buf *out)
{
	struct buf dec = BUF_INIT, map = BUF_INIT;
	bool space = false;

	mime_2047_decode(s, len, &dec);
	imap_sort_casemap(buf_cstr(&dec), dec.len, &map);
	for (size_t i = 0; i < map.len; i++) {
		char c = map.data[i];

		if (c == '\t' || c == '\r' || c == '\n')
			c = ' ';
		if (c == ' ' && space)
			continue;
		space = c == ' ';
		buf_putc(out, c);
	}
	buf_free(&dec);
	buf_free(&map);
}

bool
imap_sort_base_subject(const char *s, size_t len, struct buf *out)
{
	struct buf n = BUF_INIT;
	const char *t;
	size_t b = 0, e;
	bool reply = false;

	normalize(s, len, &n);
	t = buf_cstr(&n);
	e = n.len;
	for (;;) {
		reply |= strip_trailers(t, b, &e);
		reply |= strip_leaders(t, &b, e);
		if (e - b >= 6 && memcmp(t + b, "[FWD:", 5) == 0 && t[e - 1] == ']') {
			b += 5;		/* (6): "[fwd: ...]" */
			e--;
			reply = true;
			continue;
		}
		break;
	}
	buf_append(out, t + b, e - b);
	buf_free(&n);
	return reply;
}

/* ---- the ENVELOPE's text ---- */

struct env_reader {
	const char *s;
	size_t len, i;
	bool bad;
};

/* one address of an ENVELOPE address list */
struct env_addr {
	struct buf name, mailbox, host;
	bool found;
};

/* env_sp - skip spaces */
static void
env_sp(struct env_reader *r)
{
	while (r->i < r->len && r->s[r->i] == ' ')
		r->i++;
}

/* env_nstring - NIL, a quoted string or a literal, unescaped onto out (may be NULL) */
static void
env_nstring(struct env_reader *r, struct buf *out)
{
	const char *s = r->s;

	if (r->bad)
		return;
	env_sp(r);
	if (r->len - r->i >= 3 && strncasecmp(s + r->i, "NIL", 3) == 0) {
		r->i += 3;
		return;
	}
	if (r->i < r->len && s[r->i] == '"') {
		size_t from = ++r->i;

		for (; r->i < r->len && s[r->i] != '"'; r->i++) {
			if (s[r->i] != '\\' || r->i + 1 >= r->len)
				continue;
			if (out != NULL)
				buf_append(out, s + from, r->i - from);
			from = ++r->i;		/* the escaped byte starts the next run */
		}
		if (out != NULL)
			buf_append(out, s + from, r->i - from);
		if (r->i >= r->len)
			r->bad = true;	/* unterminated: i stays within the text */
		else
			r->i++;
		return;
	}
	if (r->i < r->len && s[r->i] == '{') {
		size_t j = r->i + 1, n = 0;

		for (; j < r->len && s[j] >= '0' && s[j] <= '9' && n < r->len; j++)
			n = n * 10 + (size_t)(s[j] - '0');
		if (r->len - j >= 3 && s[j] == '}' && s[j + 1] == '\r' && s[j + 2] == '\n' &&
		    n <= r->len - j - 3) {
			if (out != NULL)
				buf_append(out, s + j + 3, n);
			r->i = j + 3 + n;
			return;
		}
	}
	r->bad = true;
}

/* env_open - "(", or false (NIL, or broken text) */
static bool
env_open(struct env_reader *r)
{
	if (r->bad)
		return false;
	env_sp(r);
	if (r->i < r->len && r->s[r->i] == '(') {
		r->i++;
		return true;
	}
	if (r->len - r->i >= 3 && strncasecmp(r->s + r->i, "NIL", 3) == 0)
		r->i += 3;
	else
		r->bad = true;
	return false;
}

/* env_close - ")" */
static void
env_close(struct env_reader *r)
{
	env_sp(r);
	if (r->i < r->len && r->s[r->i] == ')')
		r->i++;
	else
		r->bad = true;
}

/*
 * env_addrs - an address list; its first address into a, if a is not
 * NULL: a group's start (host NIL, the group's name as mailbox) counts,
 * as in Dovecot
 */
static void
env_addrs(struct env_reader *r, struct env_addr *a)
{
	if (!env_open(r))
		return;
	for (;;) {
		struct buf f[4] = { BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT };
		bool want = a != NULL && !a->found;

		env_sp(r);
		if (r->bad || r->i >= r->len || r->s[r->i] != '(')
			break;
		r->i++;
		for (int k = 0; k < 4; k++)
			env_nstring(r, want ? &f[k] : NULL);
		env_close(r);
		if (want && (f[2].len > 0 || f[3].len > 0) && !r->bad) {
			a->found = true;
			a->name = f[0];
			a->mailbox = f[2];
			a->host = f[3];
			buf_free(&f[1]);
			continue;
		}
		for (int k = 0; k < 4; k++)
			buf_free(&f[k]);
	}
	env_close(r);
}

/* env_addr_free - the buffers of a */
static void
env_addr_free(struct env_addr *a)
{
	buf_free(&a->name);
	buf_free(&a->mailbox);
	buf_free(&a->host);
}

/* ---- keys ---- */

/* mapped - s casemapped, as a new string */
static char *
mapped(const char *s, size_t len)
{
	struct buf b = BUF_INIT;
	char *r;

	imap_sort_casemap(s, len, &b);
	r = xstrdup(buf_cstr(&b));
	buf_free(&b);
	return r;
}

/* addr_key - FROM, TO, CC: the first address's mailbox */
static char *
addr_key(struct env_addr *a)
{
	return mapped(buf_cstr(&a->mailbox), a->mailbox.len);
}

/* display_key - DISPLAYFROM, DISPLAYTO: the decoded display name, else mailbox@host */
static char *
display_key(struct env_addr *a)
{
	struct buf d = BUF_INIT;
	char *r;

	if (a->name.len > 0)
		mime_2047_decode(buf_cstr(&a->name), a->name.len, &d);
	if (d.len == 0 && a->found)
		buf_printf(&d, "%s%s%s", buf_cstr(&a->mailbox), a->host.len > 0 ? "@" : "",
		    buf_cstr(&a->host));
	r = mapped(buf_cstr(&d), d.len);
	buf_free(&d);
	return r;
}

/* num - up to max digits at *s, advancing; -1 if there is none */
static int
num(const char **s, int max)
{
	int v = 0, k = 0;

	for (; k < max && **s >= '0' && **s <= '9'; k++, (*s)++)
		v = v * 10 + (**s - '0');
	return k > 0 ? v : -1;
}

/* spaces - past spaces and tabs */
static const char *
spaces(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* zone_minutes - a Date: zone: +hhmm, -hhmm or an RFC 5322 4.3 name; unknown ones are UTC */
static int
zone_minutes(const char *z)
{
	static const struct { const char *name; int hours; } names[] = {
		{ "EDT", -4 }, { "EST", -5 }, { "CDT", -5 }, { "CST", -6 }, { "MDT", -6 },
		{ "MST", -7 }, { "PDT", -7 }, { "PST", -8 },
	};
	const char *d = z + 1;
	int v;

	if ((z[0] == '+' || z[0] == '-') && (v = num(&d, 4)) >= 0 && d == z + 5 && v % 100 < 60)
		return (z[0] == '-' ? -1 : 1) * (v / 100 * 60 + v % 100);
	for (size_t k = 0; k < NELEM(names); k++)
		if (strncasecmp(z, names[k].name, 3) == 0 && (z[3] == '\0' || z[3] == ' '))
			return names[k].hours * 60;
	return 0;
}

/* month - "Jan".."Dec", any case: 0..11; -1 if none */
static int
month(const char *s)
{
	static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";

	for (int i = 0; i < 12; i++)
		if (strncasecmp(s, names + 3 * i, 3) == 0)
			return i;
	return -1;
}

/*
 * sent_time - a Date: value, "[Day,] d Mon yyyy hh:mm[:ss] zone", as an
 * instant; -1 if it does not parse. Parsed by hand, as SORT (DATE) does
 * this once per message.
 */
static int
sent_time(const char *s, int64_t *t_r)
{
	struct tm tm = { 0 };
	int mon, year;

	if (strchr(s, ',') != NULL)
		s = strchr(s, ',') + 1;
	s = spaces(s);
	if ((tm.tm_mday = num(&s, 2)) < 1 || tm.tm_mday > 31)
		return -1;
	s = spaces(s);
	if ((mon = month(s)) < 0)
		return -1;
	s = spaces(s + 3);
	if ((year = num(&s, 4)) < 0)
		return -1;
	if (year < 50)
		year += 2000;		/* RFC 5322 4.3: obsolete two-digit years */
	else if (year < 1000)
		year += 1900;
	s = spaces(s);
	if ((tm.tm_hour = num(&s, 2)) < 0 || tm.tm_hour > 23 || *s++ != ':' ||
	    (tm.tm_min = num(&s, 2)) < 0 || tm.tm_min > 59)
		return -1;
	if (*s == ':' && (s++, tm.tm_sec = num(&s, 2)) < 0)
		return -1;
	tm.tm_mon = mon;
	tm.tm_year = year - 1900;
	*t_r = (int64_t)timegm(&tm) - 60 * zone_minutes(spaces(s));
	return 0;
}

/* first_id - the first "<...>" of s, as a new string; NULL if none */
static char *
first_id(const char *s)
{
	const char *lt = strchr(s, '<'), *gt = lt != NULL ? strchr(lt, '>') : NULL;

	if (gt == NULL || gt - lt < 2)
		return NULL;
	return xstrndup(lt, (size_t)(gt - lt + 1));
}

/* fill_addrs - the keys of one address list, the field's need bits given */
static void
fill_addrs(struct env_reader *r, unsigned need, unsigned mbox_bit, unsigned disp_bit, char **mbox,
    char **disp)
{
	struct env_addr a = { BUF_INIT, BUF_INIT, BUF_INIT, false };

	env_addrs(r, (need & (mbox_bit | disp_bit)) ? &a : NULL);
	if (need & mbox_bit)
		*mbox = addr_key(&a);
	if (need & disp_bit)
		*disp = display_key(&a);
	env_addr_free(&a);
}

/* fill_strings - every string key asked for and still NULL becomes "" */
static void
fill_strings(struct imap_sort_msg *m, unsigned need)
{
	char **keys[] = { &m->subject, &m->from, &m->to, &m->cc, &m->dfrom, &m->dto };
	unsigned bits[] = { IMAP_SORT_NEED(IMAP_SORT_SUBJECT), IMAP_SORT_NEED(IMAP_SORT_FROM),
	    IMAP_SORT_NEED(IMAP_SORT_TO), IMAP_SORT_NEED(IMAP_SORT_CC),
	    IMAP_SORT_NEED(IMAP_SORT_DISPLAYFROM), IMAP_SORT_NEED(IMAP_SORT_DISPLAYTO) };

	for (size_t k = 0; k < NELEM(keys); k++)
		if ((need & bits[k]) && *keys[k] == NULL)
			*keys[k] = xstrdup("");
}

/* fill_rest - the envelope past the subject: the addresses and, for threading, the ids */
static void
fill_rest(struct env_reader *r, struct imap_sort_msg *m, unsigned need)
{
	bool thread = need & IMAP_SORT_NEED_THREAD;
	struct buf id = BUF_INIT;

	fill_addrs(r, need, IMAP_SORT_NEED(IMAP_SORT_FROM), IMAP_SORT_NEED(IMAP_SORT_DISPLAYFROM),
	    &m->from, &m->dfrom);
	env_addrs(r, NULL);	/* sender */
	env_addrs(r, NULL);	/* reply-to */
	fill_addrs(r, need, IMAP_SORT_NEED(IMAP_SORT_TO), IMAP_SORT_NEED(IMAP_SORT_DISPLAYTO),
	    &m->to, &m->dto);
	fill_addrs(r, need, IMAP_SORT_NEED(IMAP_SORT_CC), 0, &m->cc, NULL);
	if (!thread)
		return;
	env_addrs(r, NULL);	/* bcc */
	env_nstring(r, &id);
	m->irt = first_id(buf_cstr(&id));
	buf_reset(&id);
	env_nstring(r, &id);
	m->msgid = first_id(buf_cstr(&id));
	buf_free(&id);
}

void
imap_sort_msg_fill(struct imap_sort_msg *m, const char *env, size_t len, unsigned need)
{
	struct env_reader r = { env, env != NULL ? len : 0, 0, env == NULL };
	struct buf date = BUF_INIT, subj = BUF_INIT;
	unsigned rest = IMAP_SORT_NEED_THREAD | IMAP_SORT_NEED(IMAP_SORT_FROM) |
	    IMAP_SORT_NEED(IMAP_SORT_DISPLAYFROM) | IMAP_SORT_NEED(IMAP_SORT_TO) |
	    IMAP_SORT_NEED(IMAP_SORT_DISPLAYTO) | IMAP_SORT_NEED(IMAP_SORT_CC);

	m->sent = m->arrival;
	if (need & IMAP_SORT_NEED_THREAD)
		need |= IMAP_SORT_NEED(IMAP_SORT_SUBJECT) | IMAP_SORT_NEED(IMAP_SORT_DATE);
	if (env_open(&r)) {
		env_nstring(&r, (need & IMAP_SORT_NEED(IMAP_SORT_DATE)) ? &date : NULL);
		env_nstring(&r, (need & IMAP_SORT_NEED(IMAP_SORT_SUBJECT)) ? &subj : NULL);
		if (need & rest)
			fill_rest(&r, m, need);
		if (!r.bad && (need & IMAP_SORT_NEED(IMAP_SORT_DATE)) &&
		    sent_time(buf_cstr(&date), &m->sent) != 0)
			m->sent = m->arrival;
		if (!r.bad && (need & IMAP_SORT_NEED(IMAP_SORT_SUBJECT))) {
			struct buf b = BUF_INIT;

			m->reply = imap_sort_base_subject(buf_cstr(&subj), subj.len, &b);
			m->subject = xstrdup(buf_cstr(&b));
			buf_free(&b);
		}
	}
	fill_strings(m, need);
	buf_free(&date);
	buf_free(&subj);
}

void
imap_sort_msg_free(struct imap_sort_msg *m)
{
	char **keys[] = { &m->subject, &m->from, &m->to, &m->cc, &m->dfrom, &m->dto, &m->msgid,
	    &m->irt, &m->refs };

	for (size_t k = 0; k < NELEM(keys); k++) {
		free(*keys[k]);
		*keys[k] = NULL;
	}
}

/* ---- criteria and order ---- */

int
imap_sort_parse(const struct imap_arg *list, struct imap_sort_crit *c, const char **err_r)
{
	bool reverse = false;
	size_t k;

	c->n = 0;
	if (list->type != IMAP_ARG_LIST || list->count == 0) {
		*err_r = "SORT needs a list of sort keys";
		return -1;
	}
	for (size_t i = 0; i < list->count; i++) {
		const struct imap_arg *a = &list->list[i];

		if (imap_arg_atom_is(a, "REVERSE") && !reverse) {
			reverse = true;
			continue;
		}
		for (k = 0; k < NELEM(key_names); k++)
			if (imap_arg_atom_is(a, key_names[k].name))
				break;
		if (k == NELEM(key_names) || c->n == IMAP_SORT_KEYS_MAX) {
			*err_r = k == NELEM(key_names) ? "Unknown sort key" : "Too many sort keys";
			return -1;
		}
		c->k[c->n].key = key_names[k].key;
		c->k[c->n++].reverse = reverse;
		reverse = false;
	}
	if (reverse) {
		*err_r = "REVERSE needs a sort key after it";
		return -1;
	}
	return 0;
}

unsigned
imap_sort_needs(const struct imap_sort_crit *c)
{
	unsigned need = 0;

	for (size_t i = 0; i < c->n; i++)
		need |= IMAP_SORT_NEED(c->k[i].key);
	return need;
}

/* num_cmp - -1, 0 or 1 */
static int
num_cmp(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

/* key_cmp - a and b on one key */
static int
key_cmp(enum imap_sort_key key, const struct imap_sort_msg *a, const struct imap_sort_msg *b)
{
	switch (key) {
	case IMAP_SORT_ARRIVAL:
		return num_cmp(a->arrival, b->arrival);
	case IMAP_SORT_DATE:
		return num_cmp(a->sent, b->sent);
	case IMAP_SORT_SIZE:
		return a->size < b->size ? -1 : a->size > b->size;
	case IMAP_SORT_SUBJECT:
		return strcmp(a->subject, b->subject);
	case IMAP_SORT_FROM:
		return strcmp(a->from, b->from);
	case IMAP_SORT_TO:
		return strcmp(a->to, b->to);
	case IMAP_SORT_CC:
		return strcmp(a->cc, b->cc);
	case IMAP_SORT_DISPLAYFROM:
		return strcmp(a->dfrom, b->dfrom);
	case IMAP_SORT_DISPLAYTO:
		return strcmp(a->dto, b->dto);
	}
	return 0;
}

/* msg_cmp - qsort_r: the criteria in order, then the sequence number */
static int
msg_cmp(const void *pa, const void *pb, void *arg)
{
	const struct imap_sort_crit *c = arg;
	const struct imap_sort_msg *a = pa, *b = pb;
	int r;

	for (size_t i = 0; i < c->n; i++)
		if ((r = key_cmp(c->k[i].key, a, b)) != 0)
			return c->k[i].reverse ? -r : r;
	return num_cmp(a->seq, b->seq);
}

void
imap_sort_run(const struct imap_sort_crit *c, struct imap_sort_msg *msgs, size_t n)
{
	if (n > 1)
		qsort_r(msgs, n, sizeof(*msgs), msg_cmp, (void *)c);
}
