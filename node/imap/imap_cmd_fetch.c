/*
 * imap_cmd_fetch.c - FETCH and UID FETCH: FLAGS, INTERNALDATE,
 * RFC822.SIZE, ENVELOPE, BODY, BODYSTRUCTURE (from the store's cache), UID,
 * MODSEQ, BODY[section]<partial>, BODY.PEEK, RFC822, RFC822.HEADER,
 * RFC822.TEXT, the ALL/FAST/FULL macros, CONDSTORE's CHANGEDSINCE with
 * QRESYNC's VANISHED, and BINARY[part]<partial>, BINARY.PEEK and
 * BINARY.SIZE (RFC 3516, RFC 9051 6.4.5), OBJECTID's EMAILID and THREADID
 * (RFC 8474), SAVEDATE (RFC 8514) and PREVIEW (RFC 8970, LAZY accepted:
 * the preview is always made, from the first text part's bytes only).
 * UID FETCH takes PARTIAL (RFC 9394 3.3): only the messages at those
 * positions among the ones the command would answer for (after
 * CHANGEDSINCE, by the modseqs the view holds) are fetched.
 *
 * BINARY data goes out as a literal8 (~{n}) when it holds a NUL. A part
 * whose Content-Transfer-Encoding is unknown is left out of its message's
 * reply and the command ends in NO [UNKNOWN-CTE]; the others are sent.
 *
 * A non-PEEK body fetch first sets \Seen (one commit on the pool). Then the
 * reply is built one message at a time, each in its own short read
 * transaction whose bytes are copied out, and written as output drains,
 * so a big mailbox or a big message never holds a read transaction or
 * more than a bounded amount of queued output.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imap/imap_cmd.h"
#include "imap/imap_fetch.h"
#include "imap/imap_flags.h"
#include "imapsyn/imap_acl.h"
#include "imapsyn/imap_date.h"
#include "imapsyn/imap_write.h"
#include "mime/mime.h"
#include "net/net.h"
#include "svc/svc.h"
#include "util/xalloc.h"

#define OUT_HIGH	(1024 * 1024)	/* queued output we stop adding at */
#define OUT_CHUNK	(256 * 1024)

enum item_kind {
	IT_FLAGS, IT_INTERNALDATE, IT_SIZE, IT_ENVELOPE, IT_BODY, IT_BODYSTRUCTURE, IT_UID,
	IT_MODSEQ, IT_SECTION, IT_EMAILID, IT_THREADID, IT_SAVEDATE, IT_PREVIEW,
};

struct fetch_item {
	enum item_kind kind;
	char *atom;		/* IT_SECTION: owned copy the section points into */
	char *name;		/* IT_SECTION: as sent back, "BODY[1.TEXT]<0>" */
	struct imap_section sec;
};

struct fetch_ctx {
	struct imap_session *s;
	struct fetch_item *items;
	size_t nitems;
	bool uid, seen;
	uint64_t changedsince;
	bool vanished;
	bool partial;
	struct imap_partial range;	/* with partial */
	struct imap_seqset vanished_in, vanished_out;
	struct imap_seqset uids;
	struct imap_seqset_iter it;
	struct buf out;
	size_t out_off;
	int rc;		/* the \Seen commit */
	bool unknown_cte;	/* a BINARY part could not be decoded */
};

/* fetch_free - the whole context */
static void
fetch_free(void *arg)
{
	struct fetch_ctx *f = arg;

	for (size_t i = 0; i < f->nitems; i++) {
		free(f->items[i].atom);
		free(f->items[i].name);
	}
	free(f->items);
	imap_seqset_free(&f->uids);
	imap_seqset_free(&f->vanished_in);
	imap_seqset_free(&f->vanished_out);
	buf_free(&f->out);
	free(f);
}

/* item_add - one more item */
static struct fetch_item *
item_add(struct fetch_ctx *f, enum item_kind kind)
{
	struct fetch_item *it;

	f->items = xrealloc(f->items, (f->nitems + 1) * sizeof(*f->items));
	it = &f->items[f->nitems++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	return it;
}

/* item_section - a section item from the text of a bracketed atom */
static int
item_section(struct fetch_ctx *f, const char *atom, size_t len)
{
	struct fetch_item *it = item_add(f, IT_SECTION);
	const char *rb;
	struct buf b = BUF_INIT;

	it->atom = xstrndup(atom, len);
	if (imap_parser_section(it->atom, len, &it->sec) != 0 ||
	    (rb = strrchr(it->atom, ']')) == NULL)
		return -1;
	buf_puts(&b, it->sec.item == IMAP_FETCH_BODY ? "BODY" :
	    it->sec.item == IMAP_FETCH_BINARY ? "BINARY" : "BINARY.SIZE");
	buf_append(&b, strchr(it->atom, '['), (size_t)(rb - strchr(it->atom, '[')) + 1);
	if (it->sec.partial)
		buf_printf(&b, "<%u>", it->sec.offset);
	for (char *p = b.data; *p && *p != '['; p++)
		*p = (char)toupper((unsigned char)*p);
	it->name = xstrdup(buf_cstr(&b));
	buf_free(&b);
	if (!it->sec.peek && it->sec.item != IMAP_FETCH_BINARY_SIZE)
		f->seen = true;
	return 0;
}

/* item_named - a section item for RFC822, RFC822.HEADER, RFC822.TEXT */
static void
item_named(struct fetch_ctx *f, const char *name, enum imap_section_text text, bool seen)
{
	struct fetch_item *it = item_add(f, IT_SECTION);

	it->name = xstrdup(name);
	it->sec.text = text;
	f->seen |= seen;
}

/* fetch_item_parse - one FETCH attribute (or macro) */
static int
fetch_item_parse(struct fetch_ctx *f, const struct imap_arg *a)
{
	static const struct { const char *name; enum item_kind kind; } simple[] = {
		{ "FLAGS", IT_FLAGS }, { "INTERNALDATE", IT_INTERNALDATE },
		{ "RFC822.SIZE", IT_SIZE }, { "ENVELOPE", IT_ENVELOPE }, { "BODY", IT_BODY },
		{ "BODYSTRUCTURE", IT_BODYSTRUCTURE }, { "UID", IT_UID }, { "MODSEQ", IT_MODSEQ },
		{ "EMAILID", IT_EMAILID }, { "THREADID", IT_THREADID }, { "SAVEDATE", IT_SAVEDATE },
		{ "PREVIEW", IT_PREVIEW },
	};

	if (a->type != IMAP_ARG_ATOM)
		return -1;
	if (strchr(a->str, '['))
		return item_section(f, a->str, a->len);
	for (size_t i = 0; i < sizeof(simple) / sizeof(simple[0]); i++)
		if (imap_arg_atom_is(a, simple[i].name)) {
			item_add(f, simple[i].kind);
			if (simple[i].kind == IT_MODSEQ)
				imap_condstore_on(f->s);
			return 0;
		}
	if (imap_arg_atom_is(a, "RFC822"))
		item_named(f, "RFC822", IMAP_SECTION_ALL, true);
	else if (imap_arg_atom_is(a, "RFC822.HEADER"))
		item_named(f, "RFC822.HEADER", IMAP_SECTION_HEADER, false);
	else if (imap_arg_atom_is(a, "RFC822.TEXT"))
		item_named(f, "RFC822.TEXT", IMAP_SECTION_TEXT, true);
	else
		return -1;
	return 0;
}

/* preview_mods - PREVIEW's modifier list (RFC 8970): only LAZY, which changes nothing here */
static int
preview_mods(const struct imap_arg *a)
{
	if (a->count == 0)
		return -1;
	for (size_t i = 0; i < a->count; i++)
		if (!imap_arg_atom_is(&a->list[i], "LAZY"))
			return -1;
	return 0;
}

/* fetch_items - the item list, a single item or a macro */
static int
fetch_items(struct fetch_ctx *f, const struct imap_arg *a)
{
	static const enum item_kind fast[] = { IT_FLAGS, IT_INTERNALDATE, IT_SIZE };

	if (a->type == IMAP_ARG_LIST) {
		for (size_t i = 0; i < a->count; i++) {
			if (fetch_item_parse(f, &a->list[i]) != 0)
				return -1;
			if (imap_arg_atom_is(&a->list[i], "PREVIEW") && i + 1 < a->count &&
			    a->list[i + 1].type == IMAP_ARG_LIST && preview_mods(&a->list[++i]) != 0)
				return -1;
		}
		return a->count ? 0 : -1;
	}
	if (imap_arg_atom_is(a, "ALL") || imap_arg_atom_is(a, "FAST") ||
	    imap_arg_atom_is(a, "FULL")) {
		for (size_t i = 0; i < 3; i++)
			item_add(f, fast[i]);
		if (!imap_arg_atom_is(a, "FAST"))
			item_add(f, IT_ENVELOPE);
		if (imap_arg_atom_is(a, "FULL"))
			item_add(f, IT_BODY);
		return 0;
	}
	return fetch_item_parse(f, a);
}

/* fetch_modifiers - (CHANGEDSINCE n [VANISHED]), UID FETCH's (PARTIAL range) */
static int
fetch_modifiers(struct fetch_ctx *f, const struct imap_arg *a)
{
	for (size_t i = 0; i < a->count; i++) {
		if (imap_arg_atom_is(&a->list[i], "CHANGEDSINCE") && i + 1 < a->count &&
		    a->list[i + 1].type == IMAP_ARG_ATOM) {
			f->changedsince = strtoull(a->list[++i].str, NULL, 10);
			imap_condstore_on(f->s);
		} else if (imap_arg_atom_is(&a->list[i], "VANISHED") && f->uid &&
		    (f->s->enabled & IMAP_EN_QRESYNC)) {
			f->vanished = true;
		} else if (imap_arg_atom_is(&a->list[i], "PARTIAL") && f->uid && !f->partial &&
		    i + 1 < a->count && a->list[i + 1].type == IMAP_ARG_ATOM &&
		    imap_partial_parse(a->list[i + 1].str, a->list[i + 1].len, &f->range) == 0) {
			f->partial = true;
			i++;
		} else {
			return -1;
		}
	}
	return f->vanished && !f->changedsince ? -1 : 0;
}

/* cache_item - ENVELOPE, BODY or BODYSTRUCTURE text from the cache */
static void
cache_item(struct store_rtxn *r, const struct store_msg *m, enum item_kind k, struct buf *out)
{
	const void *blob;
	const char *p = NULL;
	size_t bl, n = 0;

	if (store_msg_cache(r, m->body_id, &blob, &bl) == 0) {
		if (k == IT_ENVELOPE)
			mime_cache_envelope(blob, bl, &p, &n);
		else
			mime_cache_bodystructure(blob, bl, k == IT_BODYSTRUCTURE, &p, &n);
	}
	buf_puts(out, k == IT_ENVELOPE ? "ENVELOPE " : k == IT_BODY ? "BODY " : "BODYSTRUCTURE ");
	if (p != NULL)
		buf_append(out, p, n);
	else
		buf_puts(out, "NIL");
}

/*
 * section_item - "BODY[...] {n}" and the bytes, copied out of the map, or
 * the BINARY forms; -1 (nothing written) for a BINARY part of unknown CTE
 */
static int
section_item(struct store_rtxn *r, const struct store_msg *m, const struct fetch_item *it,
    struct buf *out)
{
	const char *body = "";
	const void *blob = "";
	size_t len = 0, bl = 0;
	struct buf data = BUF_INIT;
	int rc = 0;

	if (store_msg_body(r, m->body_id, &body, &len) != 0)
		len = 0;
	if (store_msg_cache(r, m->body_id, &blob, &bl) != 0)
		bl = 0;
	if (it->sec.item == IMAP_FETCH_BODY)
		imap_fetch_section(&it->sec, body, len, blob, bl, &data);
	else
		rc = imap_fetch_binary(&it->sec, body, len, blob, bl, &data);
	if (rc == 0 && it->sec.item == IMAP_FETCH_BINARY_SIZE) {
		buf_printf(out, "%s %zu", it->name, data.len);
	} else if (rc == 0) {
		buf_printf(out, "%s ", it->name);
		imap_write_literal(out, data.data ? data.data : "", data.len,
		    it->sec.item == IMAP_FETCH_BINARY && data.len > 0 &&
		    memchr(data.data, 0, data.len) != NULL);
	}
	buf_free(&data);
	return rc;
}

/* preview_item - "PREVIEW text" from the first text part (RFC 8970); "" when there is none */
static void
preview_item(struct store_rtxn *r, const struct store_msg *m, struct buf *out)
{
	const char *body = "";
	const void *blob = NULL;
	size_t len = 0, bl = 0;
	struct buf text = BUF_INIT;

	if (store_msg_body(r, m->body_id, &body, &len) != 0)
		len = 0;
	if (store_msg_cache(r, m->body_id, &blob, &bl) != 0)
		blob = NULL;
	mime_preview(body, len, blob, bl, &text);
	buf_puts(out, "PREVIEW ");
	imap_write_string(out, text.data ? text.data : "", text.len);
	buf_free(&text);
}

/* fetch_one - the reply for one UID, in its own read transaction */
static void
fetch_one(struct fetch_ctx *f, uint32_t uid)
{
	struct imap_session *s = f->s;
	struct store_rtxn *r;
	struct store_msg m;
	uint32_t seq = imap_view_seq(&s->view, uid);
	bool sp = false, has_uid = false, has_modseq = false;

	if (seq == 0 || store_rtxn_begin(s->env->st, &r) != 0)
		return;
	if (imap_store_msg_get(r, s->view.id, uid, &m) != 0 ||
	    (f->changedsince && m.modseq <= f->changedsince)) {
		store_rtxn_end(&r);
		return;
	}
	if (imap_keywords_learn(&s->view, m.keywords))
		imap_keywords_announce(&s->view, &f->out);	/* FLAGS before the FETCH that uses it */
	buf_printf(&f->out, "* %u FETCH (", seq);
	for (size_t i = 0; i < f->nitems; i++) {
		const struct fetch_item *it = &f->items[i];
		size_t mark = f->out.len;

		if (sp)
			buf_putc(&f->out, ' ');
		sp = true;
		switch (it->kind) {
		case IT_FLAGS:
			buf_puts(&f->out, "FLAGS ");
			imap_write_flags(&f->out, imap_recent_flags(s, uid, m.flags), m.keywords);
			break;
		case IT_INTERNALDATE:
			buf_puts(&f->out, "INTERNALDATE ");
			imap_date_format(m.internal_date, 0, &f->out);
			break;
		case IT_SIZE:
			buf_printf(&f->out, "RFC822.SIZE %llu", (unsigned long long)m.size);
			break;
		case IT_ENVELOPE:
		case IT_BODY:
		case IT_BODYSTRUCTURE:
			cache_item(r, &m, it->kind, &f->out);
			break;
		case IT_UID:
			buf_printf(&f->out, "UID %u", uid);
			has_uid = true;
			break;
		case IT_MODSEQ:
			buf_printf(&f->out, "MODSEQ (%llu)", (unsigned long long)m.modseq);
			has_modseq = true;
			break;
		case IT_EMAILID:
			buf_printf(&f->out, "EMAILID (" IMAP_EMAILID_FMT ")", (unsigned long long)m.body_id);
			break;
		case IT_THREADID:
			buf_puts(&f->out, "THREADID NIL");
			break;
		case IT_PREVIEW:
			preview_item(r, &m, &f->out);
			break;
		case IT_SAVEDATE:
			/* NIL: saved before save dates were kept (RFC 8514) */
			buf_puts(&f->out, "SAVEDATE ");
			if (m.save_date)
				imap_date_format(m.save_date, 0, &f->out);
			else
				buf_puts(&f->out, "NIL");
			break;
		case IT_SECTION:
			if (section_item(r, &m, it, &f->out) != 0) {
				f->out.len = mark;	/* not even its separator */
				f->out.data[mark] = '\0';
				sp = f->out.data[mark - 1] != '(';
				f->unknown_cte = true;
			}
			break;
		}
	}
	if (f->uid && !has_uid)
		buf_printf(&f->out, "%sUID %u", sp ? " " : "", uid);
	if (f->changedsince && !has_modseq)
		buf_printf(&f->out, " MODSEQ (%llu)", (unsigned long long)m.modseq);
	store_rtxn_end(&r);
	buf_puts(&f->out, ")\r\n");
}

/* fetch_vanished_one - a tombstone in the set, newer than CHANGEDSINCE */
static int
fetch_vanished_one(uint32_t uid, uint64_t modseq, void *arg)
{
	struct fetch_ctx *f = arg;

	(void)modseq;
	if (imap_seqset_contains(&f->vanished_in, uid))
		imap_seqset_add(&f->vanished_out, uid, uid);
	return 0;
}

/* fetch_more - build and write until output backs up; IMAP_DONE at the end */
static enum imap_result
fetch_more(struct imap_session *s)
{
	struct fetch_ctx *f = s->stream.ctx;
	uint32_t uid;

	for (;;) {
		while (f->out_off < f->out.len && net_conn_output_len(s->c) < OUT_HIGH) {
			size_t n = f->out.len - f->out_off;

			if (n > OUT_CHUNK)
				n = OUT_CHUNK;
			if (net_conn_write(s->c, f->out.data + f->out_off, n) < 0)
				f->out_off = f->out.len;
			f->out_off += n;
		}
		if (f->out_off < f->out.len)
			return IMAP_WAIT;
		buf_reset(&f->out);
		f->out_off = 0;
		if (!imap_seqset_next(&f->uids, &f->it, &uid))
			break;
		fetch_one(f, uid);
	}
	if (f->unknown_cte)
		imap_reply(s, "NO", "[UNKNOWN-CTE] Cannot decode a part's transfer encoding");
	else
		imap_reply(s, "OK", "FETCH completed");
	return IMAP_DONE;
}

/* fetch_start - after \Seen: stream the replies */
static enum imap_result
fetch_start(struct imap_session *s, struct fetch_ctx *f)
{
	enum imap_result r;

	if (f->vanished) {
		struct store_rtxn *rt;

		if (store_rtxn_begin(s->env->st, &rt) == 0) {
			store_msg_vanished(rt, s->view.id, f->changedsince, fetch_vanished_one, f);
			store_rtxn_end(&rt);
		}
		imap_vanished(s, &f->vanished_out, true);
	}
	s->stream.ctx = f;
	r = fetch_more(s);
	if (r == IMAP_DONE) {
		s->stream.ctx = NULL;
		fetch_free(f);
		return IMAP_DONE;
	}
	s->stream.more = fetch_more;
	s->stream.free = fetch_free;
	return IMAP_WAIT;
}

/* seen_run - on the pool: \Seen on the fetched messages */
static void
seen_run(void *arg)
{
	struct fetch_ctx *f = arg;

	f->rc = imap_flags_apply(f->s->env->st, f->s->view.id, &f->uids, STORE_FLAGS_ADD,
	    STORE_F_SEEN, NULL, UINT64_MAX, NULL);
}

/* seen_done - the store hook told the others; now fetch */
static enum imap_result
seen_done(struct imap_session *s, void *arg)
{
	return fetch_start(s, arg);
}

/* fetch_partial - narrow f->uids to PARTIAL's window of the messages to answer for */
static void
fetch_partial(struct fetch_ctx *f)
{
	const struct imap_view *v = &f->s->view;
	struct imap_seqset in = f->uids;
	uint64_t lo, hi;

	memset(&f->uids, 0, sizeof(f->uids));
	if (f->changedsince) {
		struct imap_seqset changed = IMAP_SEQSET_INIT;

		for (size_t i = 0; i < v->n; i++)
			if (v->msgs[i].modseq > f->changedsince && imap_seqset_contains(&in, v->msgs[i].uid))
				imap_seqset_add(&changed, v->msgs[i].uid, v->msgs[i].uid);
		imap_seqset_free(&in);
		in = changed;
	}
	imap_partial_window(&f->range, imap_seqset_count(&in), &lo, &hi);
	imap_seqset_slice(&in, lo, hi, &f->uids);
	imap_seqset_free(&in);
}

IMAP_CMD(fetch)
{
	struct fetch_ctx *f = xcalloc(1, sizeof(*f));
	int rc = -1;

	f->s = s;
	f->uid = uid;
	if (n >= 2 && n <= 3 && args[0].type == IMAP_ARG_ATOM)
		rc = imap_view_uids(s, args[0].str, uid, &f->uids);
	if (rc == 0 && (fetch_items(f, &args[1]) != 0 ||
	    (n == 3 && (args[2].type != IMAP_ARG_LIST || fetch_modifiers(f, &args[2]) != 0))))
		rc = -1;
	if (rc == 0 && f->vanished)
		imap_seqset_parse(args[0].str, args[0].len, UINT32_MAX, 0, &f->vanished_in);
	if (rc == 0 && f->partial)
		fetch_partial(f);
	if (rc != 0) {
		fetch_free(f);
		imap_reply(s, "BAD", rc == -2 ? "Invalid sequence number" : "Bad FETCH arguments");
		return IMAP_DONE;
	}
	if (f->seen && !s->view.readonly && (s->view.rights & IMAP_ACL_SEEN) && f->uids.n)
		return imap_wait(s, seen_run, seen_done, f);
	return fetch_start(s, f);
}

struct imap_fetch_atts *
imap_fetch_atts_new(struct imap_session *s, const struct imap_arg *a)
{
	struct fetch_ctx *f = xcalloc(1, sizeof(*f));

	f->s = s;
	f->uid = true;
	if (fetch_items(f, a) != 0 || f->seen) {
		fetch_free(f);
		return NULL;
	}
	return (struct imap_fetch_atts *)f;
}

void
imap_fetch_atts_send(struct imap_fetch_atts *atts, uint32_t uid)
{
	struct fetch_ctx *f = (struct fetch_ctx *)atts;

	fetch_one(f, uid);
	imap_send(f->s, f->out.data, f->out.len);
	buf_reset(&f->out);
}

void
imap_fetch_atts_free(struct imap_fetch_atts **atts)
{
	if (*atts != NULL)
		fetch_free(*atts);
	*atts = NULL;
}
