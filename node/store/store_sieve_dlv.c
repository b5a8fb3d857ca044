/*
 * store_sieve_dlv.c - Sieve at delivery, the store's side: running a
 * user's scripts against a message with the callbacks answered from a
 * transaction (delivery's own, or a reader's for duplexctl sieve test),
 * the records (vacation's memory of whom it answered, duplicate's ids)
 * and vacation's reply message. store_deliver.c takes the actions.
 *
 * The scripts run as Pigeonhole runs sieve_before and the user's script:
 * the domain's first; the user's active one only when the domain's ended
 * without stop, without a run-time error, and with its implicit keep in
 * effect (an action that cancelled it ends the sequence). Both results
 * count: the domain's explicit actions, then the user's, whose implicit
 * keep is the one that decides. include finds the user's own scripts
 * (:personal); there are no :global ones.
 *
 * The sieve_seen database is keyed by user id + kind + LF + id (cut to
 * the longest key LMDB takes: two ids that share their first 490 bytes
 * are one), so a user's records are one key range, dropped with the user.
 * A record is the unix time it was written and the time it expires, both
 * 64 bits. Writing a record also sweeps a few of the user's records after
 * it and deletes the expired ones: every delivery that records something
 * cleans a little, so the range stays near what the periods keep.
 *
 * The reply (RFC 3834, RFC 5230 5): From the user (or :from), To the
 * sender, Subject RFC 2047-encoded when it is not ASCII, In-Reply-To and
 * References from the original, Auto-Submitted: auto-replied, and the
 * reason as a UTF-8 text/plain body (base64 when not ASCII), or as the
 * MIME entity it is with :mime. Header values lose their control
 * characters, so a script cannot add fields.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mime/mime.h"
#include "util/base64.h"
#include "util/buf.h"
#include "util/rfc5322.h"
#include "util/xalloc.h"

#define SEEN_REC_LEN 16
#define SEEN_SWEEP_MAX 32	/* records one write looks at after its own */
#define HDR_VALUE_MAX 900	/* bytes of one header value the reply copies */
#define WORD_RAW_MAX 45		/* bytes of text in one encoded word (60 of base64) */
#define BODY_LINE_RAW 57	/* bytes per base64 body line (76 characters) */

/* seen_key - the key of kind/id for a user */
static void
seen_key(struct store_key *k, uint64_t user_id, const char *kind, const char *id)
{
	char name[STORE_MBOX_NAME_MAX + 1];

	snprintf(name, sizeof(name), "%s\n%s", kind, id);
	store_key_id_name(k, user_id, name);
}

bool
store_sieve_seen(MDB_txn *txn, struct store *st, uint64_t user_id, const char *kind,
    const char *id, uint64_t seconds, int64_t now)
{
	struct store_key k;
	MDB_val v;

	seen_key(&k, user_id, kind, id);
	if (store_get(txn, st, DB_SIEVE_SEEN, &k, &v) != 0 || v.mv_size != SEEN_REC_LEN)
		return false;
	return now - (int64_t)store_get64(v.mv_data) < (int64_t)seconds;
}

struct seen_sweep {
	int64_t now;
	unsigned looked;
	struct store_key old[SEEN_SWEEP_MAX];
	size_t nold;
};

/* sweep_one - note an expired record; stop after SEEN_SWEEP_MAX */
static int
sweep_one(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct seen_sweep *s = arg;

	if (v->mv_size == SEEN_REC_LEN && (int64_t)store_get64((const unsigned char *)v->mv_data +
	    8) < s->now && k->mv_size <= STORE_KEY_MAX) {
		memcpy(s->old[s->nold].b, k->mv_data, k->mv_size);
		s->old[s->nold++].len = k->mv_size;
	}
	return ++s->looked >= SEEN_SWEEP_MAX;
}

int
store_sieve_record(struct store_wtxn *w, uint64_t user_id, const char *kind, const char *id,
    uint64_t seconds, int64_t now)
{
	struct seen_sweep s = { .now = now };
	unsigned char rec[SEEN_REC_LEN], prefix[8];
	struct store_key k;
	int rc;

	seen_key(&k, user_id, kind, id);
	store_put64(rec, (uint64_t)now);
	store_put64(rec + 8, (uint64_t)now + seconds);
	if ((rc = store_put(w, DB_SIEVE_SEEN, &k, rec, sizeof(rec))) != 0)
		return rc;
	store_put64(prefix, user_id);
	rc = store_each(w->txn, w->st, DB_SIEVE_SEEN, prefix, 8, &k, sweep_one, &s);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < s.nold; i++)
		if ((rc = store_del(w, DB_SIEVE_SEEN, &s.old[i])) != 0)
			return rc;
	return 0;
}

/* what the callbacks answer from: a transaction and the user */
struct eval_ctx {
	MDB_txn *txn;
	struct store *st;
	const char *addr;
	uint64_t user_id;
	int64_t now;
};

/* eval_exists - mailboxexists: one of the user's mailboxes */
static bool
eval_exists(void *arg, const char *mailbox)
{
	struct eval_ctx *c = arg;
	char name[STORE_MBOX_NAME_MAX + 1];
	struct store_mbox mb;

	return store_mbox_name_normalize(mailbox, name) == 0 &&
	    store_mbox_load(c->txn, c->st, c->user_id, name, &mb) == 0;
}

/* eval_seen - duplicate's and vacation's memory */
static bool
eval_seen(void *arg, const char *kind, const char *id, uint64_t seconds)
{
	struct eval_ctx *c = arg;

	return store_sieve_seen(c->txn, c->st, c->user_id, kind, id, seconds, c->now);
}

/* eval_include - include's personal scripts (a copy of the compiled form); no global ones */
static int
eval_include(void *arg, bool global, const char *name, unsigned char **bin, size_t *binlen)
{
	struct eval_ctx *c = arg;
	struct store_rtxn rt = { .st = c->st, .txn = c->txn };
	struct store_sieve_script s;

	if (global || store_sieve_get(&rt, c->addr, name, &s) != 0)
		return -1;
	*bin = xmalloc(s.binlen ? s.binlen : 1);
	memcpy(*bin, s.bin, s.binlen);
	*binlen = s.binlen;
	return 0;
}

int
store_sieve_eval(MDB_txn *txn, struct store *st, const char *addr, uint64_t user_id,
    const char *from, const char *to, const char *msg, size_t len, int64_t now,
    struct store_sieve_eval *ev)
{
	struct eval_ctx c = { txn, st, addr, user_id, now };
	struct store_rtxn rt = { .st = st, .txn = txn };
	struct store_sieve_script dom, usr;
	const char *mine[] = { addr, NULL };
	struct sieve_env env = { .msg = msg, .msglen = len, .env_from = from ? from : "",
	    .env_to = to ? to : addr, .my_addrs = mine, .now = (time_t)now, .mailbox_exists = eval_exists,
	    .seen = eval_seen, .include = eval_include, .arg = &c };
	int drc, urc;

	memset(ev, 0, sizeof(*ev));
	drc = store_sieve_domain_get(&rt, store_addr_domain(addr), &dom);
	urc = store_sieve_get_active(&rt, addr, &usr);
	if (drc != 0 && drc != STORE_ENOTFOUND)
		return drc;
	if (urc != 0 && urc != STORE_ENOTFOUND)
		return urc;
	if (drc == 0) {
		ev->dom_ran = true;
		sieve_run(dom.bin, dom.binlen, &st->opts.sieve, &env, &ev->dom);
	}
	if (urc == 0 && (!ev->dom_ran || (ev->dom.error == NULL && !ev->dom.stopped &&
	    ev->dom.implicit_keep))) {
		ev->user_ran = true;
		snprintf(ev->user_script, sizeof(ev->user_script), "%s", usr.name);
		sieve_run(usr.bin, usr.binlen, &st->opts.sieve, &env, &ev->user);
	}
	return 0;
}

void
store_sieve_eval_free(struct store_sieve_eval *ev)
{
	sieve_result_free(&ev->dom);
	sieve_result_free(&ev->user);
}

int
store_sieve_test(struct store_rtxn *r, const char *address, const char *from, const char *to,
    const char *msg, size_t len, struct store_sieve_eval *ev)
{
	char addr[STORE_ADDR_MAX + 1];
	struct store_user_rec u;
	int rc;

	memset(ev, 0, sizeof(*ev));
	if (store_addr_normalize(address, addr) != 0)
		return STORE_EINVAL;
	if ((rc = store_user_load(r->txn, r->st, addr, &u)) != 0)
		return rc;
	return store_sieve_eval(r->txn, r->st, addr, u.id, from, to, msg, len, (int64_t)time(NULL),
	    ev);
}

/* is_ascii - whether s holds only 7-bit characters */
static bool
is_ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

/* hdr_text - a header value, its control characters made spaces, capped */
static void
hdr_text(struct buf *out, const char *s)
{
	for (size_t i = 0; s[i] != '\0' && i < HDR_VALUE_MAX; i++)
		buf_putc(out, (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? ' ' : s[i]);
}

/* hdr_words - UTF-8 text as RFC 2047 B words, folded, never splitting a character */
static void
hdr_words(struct buf *out, const char *s)
{
	char b64[4 * ((WORD_RAW_MAX + 2) / 3) + 1];
	size_t len = strlen(s), i = 0;

	if (len > HDR_VALUE_MAX)
		len = HDR_VALUE_MAX;
	while (i < len) {
		size_t n = len - i < WORD_RAW_MAX ? len - i : WORD_RAW_MAX;

		while (n > 1 && i + n < len && ((unsigned char)s[i + n] & 0xc0) == 0x80)
			n--;	/* end before a continuation byte */
		base64_encode(s + i, n, b64);
		buf_printf(out, "%s=?UTF-8?B?%s?=", i > 0 ? "\r\n " : "", b64);
		i += n;
	}
}

/* reply_subject - the Subject field, encoded when it is not ASCII */
static void
reply_subject(struct buf *out, const char *subject)
{
	struct buf clean = BUF_INIT;

	hdr_text(&clean, subject != NULL ? subject : "");
	buf_puts(out, "Subject: ");
	if (is_ascii(buf_cstr(&clean), clean.len))
		buf_append(out, clean.data, clean.len);
	else
		hdr_words(out, buf_cstr(&clean));
	buf_puts(out, "\r\n");
	buf_free(&clean);
}

/* reply_thread - In-Reply-To and References from the original's Message-ID and References */
static void
reply_thread(struct buf *out, const char *msg, size_t len)
{
	struct buf id = BUF_INIT, refs = BUF_INIT;

	if (mime_header_get(msg, len, "Message-ID", &id) == 0 && id.len > 0) {
		buf_puts(out, "In-Reply-To: ");
		hdr_text(out, buf_cstr(&id));
		buf_puts(out, "\r\nReferences: ");
		if (mime_header_get(msg, len, "References", &refs) == 0 && refs.len > 0) {
			hdr_text(out, buf_cstr(&refs));
			buf_putc(out, ' ');
		}
		hdr_text(out, buf_cstr(&id));
		buf_puts(out, "\r\n");
	}
	buf_free(&id);
	buf_free(&refs);
}

/* reply_body - the reason as text/plain in UTF-8, or the MIME entity it is */
static void
reply_body(struct buf *out, const struct sieve_action *a)
{
	const char *r = a->reason != NULL ? a->reason : "";
	size_t n = strlen(r);
	char b64[4 * ((BODY_LINE_RAW + 2) / 3) + 1];

	if (a->mime) {
		mime_to_crlf(r, n, out);
		return;
	}
	buf_puts(out, "Content-Type: text/plain; charset=utf-8\r\n");
	if (is_ascii(r, n)) {
		buf_puts(out, "Content-Transfer-Encoding: 7bit\r\n\r\n");
		mime_to_crlf(r, n, out);
		return;
	}
	buf_puts(out, "Content-Transfer-Encoding: base64\r\n\r\n");
	for (size_t i = 0; i < n; i += BODY_LINE_RAW) {
		base64_encode(r + i, n - i < BODY_LINE_RAW ? n - i : BODY_LINE_RAW, b64);
		buf_printf(out, "%s\r\n", b64);
	}
}

void
store_sieve_reply(const struct sieve_action *a, const char *user, const char *msg, size_t len,
    const char *msgid, int64_t now, struct buf *out)
{
	char date[40];

	rfc5322_date((time_t)now, false, date, sizeof(date));
	buf_puts(out, "From: ");
	if (a->from != NULL && a->from[0] != '\0' && is_ascii(a->from, strlen(a->from)))
		hdr_text(out, a->from);
	else
		buf_printf(out, "<%s>", user);
	buf_puts(out, "\r\nTo: <");
	hdr_text(out, a->address);
	buf_printf(out, ">\r\nDate: %s\r\nMessage-ID: %s\r\n", date, msgid);
	reply_subject(out, a->subject);
	reply_thread(out, msg, len);
	buf_puts(out, "Auto-Submitted: auto-replied (vacation)\r\nMIME-Version: 1.0\r\n");
	reply_body(out, a);
}
