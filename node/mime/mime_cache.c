/*
 * mime_cache.c - the parsed-structure cache blob stored beside each body:
 * built once at delivery, read by every FETCH and by `duplexctl verify`.
 *
 * Layout, integers little-endian:
 *   0  "DXMC"         magic
 *   4  u32 version    MIME_CACHE_VERSION
 *   8  u32 checksum   FNV-1a over every byte from offset 12 to the end
 *   12 u32 nparts     entries in the part table
 *   16 u64 msg_size   the message the offsets refer to
 *   24 u64 env_len, body_len, bs_len
 *   48 ENVELOPE text, BODY text, BODYSTRUCTURE text
 *   part table, in section order: u16 section length, section bytes
 *      ("" first, then "1", "1.2", ...), u8 flags (1 = message/rfc822),
 *      u64 header_off, header_len, body_off, body_len
 *
 * Hazard: the blob comes from disk, so every reader goes through
 * cache_open, which checks the checksum, every length against what is left
 * and every range against msg_size before anything is handed out. A blob
 * must end exactly after its last table entry.
 */
#include "mime/mime_int.h"

#include <string.h>

#define MIME_CACHE_VERSION 1
#define HDR_LEN 48
#define ENTRY_FIXED 33		/* flags + four u64 */
#define FLAG_MESSAGE 1

struct cache_view {
	const unsigned char *p;
	size_t len;
	uint32_t nparts;
	uint64_t msg_size;
	size_t text_off[3], text_len[3];	/* envelope, body, bodystructure */
	size_t table;
};

struct cache_entry {
	const char *section;
	size_t section_len;
	struct mime_part_loc loc;
};

/* put_le - append an n-byte little-endian integer */
static void
put_le(struct buf *b, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		buf_putc(b, (char)(v >> (8 * i)));
}

/* get_le - read an n-byte little-endian integer; the caller checked the bounds */
static uint64_t
get_le(const unsigned char *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* checksum - FNV-1a, enough to catch torn or flipped bytes on disk */
static uint32_t
checksum(const unsigned char *p, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* entry_put - one part table row */
static void
entry_put(struct buf *table, const struct buf *section, const struct mime_part *p, size_t hoff,
    size_t hlen)
{
	put_le(table, section->len, 2);
	buf_append(table, section->data, section->len);
	put_le(table, p->kind == MIME_MESSAGE ? FLAG_MESSAGE : 0, 1);
	put_le(table, hoff, 8);
	put_le(table, hlen, 8);
	put_le(table, p->body_off, 8);
	put_le(table, p->body_len, 8);
}

static void table_part(struct buf *table, uint32_t *n, const struct mime_part *p,
    struct buf *section);

/* table_child - the i-th part under section */
static void
table_child(struct buf *table, uint32_t *n, const struct mime_part *p, struct buf *section,
    size_t i)
{
	size_t keep = section->len;

	buf_printf(section, "%s%zu", keep > 0 ? "." : "", i);
	table_part(table, n, p, section);
	section->len = keep;
}

/*
 * table_message - the parts of message m under section: a multipart's
 * children are section.1..n, any other body is section.1 (IMAP numbering)
 */
static void
table_message(struct buf *table, uint32_t *n, const struct mime_part *m, struct buf *section)
{
	const struct mime_part *c;
	size_t i = 1;

	if (m->kind != MIME_MULTIPART)
		table_child(table, n, m, section, 1);
	else
		for (c = m->child; c != NULL; c = c->next)
			table_child(table, n, c, section, i++);
}

/* table_part - the part p as section, then everything numbered under it */
static void
table_part(struct buf *table, uint32_t *n, const struct mime_part *p, struct buf *section)
{
	entry_put(table, section, p, p->hdr_off, p->hdr_len);
	(*n)++;
	if (p->kind == MIME_MESSAGE)
		table_message(table, n, p->child, section);
	else if (p->kind == MIME_MULTIPART)
		table_message(table, n, p, section);
}

/* mime_cache_build - parse once at delivery so FETCH never reparses */
void
mime_cache_build(const char *msg, size_t len, struct buf *blob)
{
	struct mime_tree t;
	struct buf text[3] = { BUF_INIT, BUF_INIT, BUF_INIT }, table = BUF_INIT, section = BUF_INIT;
	uint32_t n = 1;
	size_t start = blob->len, i;
	uint32_t sum;

	mime_tree_parse(&t, msg, len);
	mime_imap_envelope(&t, t.root, &text[0]);
	mime_imap_body(&t, t.root, false, &text[1]);
	mime_imap_body(&t, t.root, true, &text[2]);
	entry_put(&table, &section, t.root, 0, t.root->hdr_len);
	table_message(&table, &n, t.root, &section);

	buf_append(blob, "DXMC", 4);
	put_le(blob, MIME_CACHE_VERSION, 4);
	put_le(blob, 0, 4);
	put_le(blob, n, 4);
	put_le(blob, len, 8);
	for (i = 0; i < 3; i++)
		put_le(blob, text[i].len, 8);
	for (i = 0; i < 3; i++)
		buf_append(blob, text[i].data, text[i].len);
	buf_append(blob, table.data, table.len);
	sum = checksum((unsigned char *)blob->data + start + 12, blob->len - start - 12);
	for (i = 0; i < 4; i++)
		blob->data[start + 8 + i] = (char)(sum >> (8 * i));

	for (i = 0; i < 3; i++)
		buf_free(&text[i]);
	buf_free(&table);
	buf_free(&section);
	mime_tree_free(&t);
}

/* section_ok - "" or dot-separated part numbers without leading zeros */
static bool
section_ok(const char *s, size_t n)
{
	size_t i, digits = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (digits == 0)
				return false;
			digits = 0;
		} else if (s[i] >= '0' && s[i] <= '9' && (digits > 0 || s[i] != '0'))
			digits++;
		else
			return false;
	}
	return n == 0 || digits > 0;
}

/* entry_read - the table row at *pos if it is in bounds and consistent; advances *pos */
static bool
entry_read(const struct cache_view *v, size_t *pos, struct cache_entry *e)
{
	const unsigned char *p = v->p + *pos;
	size_t left = v->len - *pos, n;
	struct mime_part_loc *l = &e->loc;
	uint64_t flags, m = v->msg_size;

	if (left < 2 || (n = get_le(p, 2)) > left - 2 || left - 2 - n < ENTRY_FIXED)
		return false;
	e->section = (const char *)p + 2;
	e->section_len = n;
	p += 2 + n;
	flags = p[0];
	l->is_message = flags == FLAG_MESSAGE;
	l->header_off = get_le(p + 1, 8);
	l->header_len = get_le(p + 9, 8);
	l->body_off = get_le(p + 17, 8);
	l->body_len = get_le(p + 25, 8);
	*pos += 2 + n + ENTRY_FIXED;
	return flags <= FLAG_MESSAGE && section_ok(e->section, n) && l->header_off <= m &&
	    l->header_len <= m - l->header_off && l->body_off >= l->header_off + l->header_len &&
	    l->body_off <= m && l->body_len <= m - l->body_off;
}

/* text_ok - an IMAP parenthesized list, at least by its ends */
static bool
text_ok(const struct cache_view *v, int i)
{
	const unsigned char *s = v->p + v->text_off[i];
	size_t n = v->text_len[i];

	return n >= 2 && s[0] == '(' && s[n - 1] == ')';
}

/* cache_open - check the whole blob and fill v; -1 on anything out of place */
static int
cache_open(const void *blob, size_t len, struct cache_view *v)
{
	struct cache_entry e;
	size_t pos = HDR_LEN, left, k;
	int i;

	v->p = blob;
	v->len = len;
	if (blob == NULL || len < HDR_LEN || memcmp(v->p, "DXMC", 4) != 0 ||
	    get_le(v->p + 4, 4) != MIME_CACHE_VERSION ||
	    get_le(v->p + 8, 4) != checksum(v->p + 12, len - 12))
		return -1;
	v->nparts = (uint32_t)get_le(v->p + 12, 4);
	v->msg_size = get_le(v->p + 16, 8);
	for (i = 0; i < 3; i++) {
		uint64_t n = get_le(v->p + 24 + 8 * i, 8);

		left = len - pos;
		if (n > left)
			return -1;
		v->text_off[i] = pos;
		v->text_len[i] = (size_t)n;
		pos += (size_t)n;
		if (!text_ok(v, i))
			return -1;
	}
	v->table = pos;
	for (k = 0; k < v->nparts; k++)
		if (!entry_read(v, &pos, &e) || (k == 0) != (e.section_len == 0))
			return -1;
	return v->nparts > 0 && pos == len ? 0 : -1;
}

/* mime_cache_validate - for `duplexctl verify` and anyone holding bytes from disk */
int
mime_cache_validate(const void *blob, size_t len)
{
	struct cache_view v;

	return cache_open(blob, len, &v);
}

/* cache_text - one of the three texts, after a full check of the blob */
static int
cache_text(const void *blob, size_t len, int i, const char **s_r, size_t *n_r)
{
	struct cache_view v;

	if (cache_open(blob, len, &v) < 0)
		return -1;
	*s_r = (const char *)v.p + v.text_off[i];
	*n_r = v.text_len[i];
	return 0;
}

/* mime_cache_envelope - FETCH ENVELOPE, verbatim */
int
mime_cache_envelope(const void *blob, size_t len, const char **s_r, size_t *n_r)
{
	return cache_text(blob, len, 0, s_r, n_r);
}

/* mime_cache_bodystructure - FETCH BODY or BODYSTRUCTURE, verbatim */
int
mime_cache_bodystructure(const void *blob, size_t len, bool extended, const char **s_r,
    size_t *n_r)
{
	return cache_text(blob, len, extended ? 2 : 1, s_r, n_r);
}

/* mime_cache_part - byte ranges for BODY[section]; a linear scan, tables are small */
int
mime_cache_part(const void *blob, size_t len, const char *section, struct mime_part_loc *loc_r)
{
	struct cache_view v;
	struct cache_entry e;
	size_t pos, k, n = strlen(section);

	if (cache_open(blob, len, &v) < 0)
		return -1;
	for (pos = v.table, k = 0; k < v.nparts; k++) {
		entry_read(&v, &pos, &e);
		if (e.section_len == n && memcmp(e.section, section, n) == 0) {
			*loc_r = e.loc;
			return 0;
		}
	}
	return -1;
}

/* mime_cache_parts - every part in one pass, for SEARCH's walk over the text parts */
int
mime_cache_parts(const void *blob, size_t len, mime_cache_part_fn *fn, void *arg)
{
	struct cache_view v;
	struct cache_entry e;
	size_t pos, k;

	if (cache_open(blob, len, &v) < 0)
		return -1;
	for (pos = v.table, k = 0; k < v.nparts; k++) {
		entry_read(&v, &pos, &e);
		if (!fn(e.section, e.section_len, &e.loc, arg))
			break;
	}
	return 0;
}
