/*
 * pop3_stream.c - multi-line replies written in bounded pieces: RETR and
 * TOP bodies (dot-stuffed) and LIST/UIDL listings.
 *
 * Each pump fills the output up to POP3_OUT_HIGH, then waits for on_drain,
 * so a 50 MB message never sits whole in memory. A body is read in
 * POP3_CHUNK pieces, each in its own short read transaction: the pointer
 * into the map is never kept past store_rtxn_end(), and the next piece
 * starts at a byte offset. A message expunged elsewhere before its first
 * byte gets -ERR; after the first byte, only a dropped connection is honest.
 */
#include "pop3/pop3_int.h"

#include <stdio.h>
#include <string.h>

#include "net/net.h"
#include "svc/svc.h"
#include "util/log.h"

void
pop3_uidl(const struct pop3_maildrop *md, const struct pop3_msg *m, char out[17])
{
	snprintf(out, 17, "%08x%08x", md->uidvalidity, m->uid);
}

/* stream_end - the terminating line; the reply is complete */
static void
stream_end(struct pop3_session *s)
{
	buf_puts(&s->out, ".\r\n");
	net_conn_write(s->c, s->out.data, s->out.len);
	buf_reset(&s->out);
	s->st.kind = POP3_STREAM_NONE;
}

/* body_piece - stuff one piece of body bytes into s->out; false once TOP has enough */
static bool
body_piece(struct pop3_session *s, const char *p, size_t len)
{
	struct pop3_stream *st = &s->st;
	size_t i = 0;

	while (i < len) {
		const char *nl;
		size_t seg;

		if (st->bol) {
			if (st->top && st->in_body && st->lines_left == 0)
				return false;
			if (p[i] == '.')
				buf_putc(&s->out, '.');
			st->blank = true;
		}
		nl = memchr(p + i, '\n', len - i);
		seg = nl ? (size_t)(nl - (p + i)) + 1 : len - i;
		for (size_t j = i; j < i + seg && st->blank; j++)
			if (p[j] != '\r' && p[j] != '\n')
				st->blank = false;
		buf_append(&s->out, p + i, seg);
		i += seg;
		st->bol = nl != NULL;
		if (st->bol) {
			if (st->in_body && st->lines_left > 0)
				st->lines_left--;
			else if (!st->in_body && st->blank)
				st->in_body = true;
		}
	}
	st->off += len;
	return true;
}

/* body_pump - one piece of the message, in its own read transaction */
static int
body_pump(struct pop3_session *s)
{
	struct pop3_stream *st = &s->st;
	struct pop3_msg *m = &s->md.msgs[st->idx];
	struct store_rtxn *r;
	const char *data;
	size_t len, n;
	bool more = true;
	int rc;

	if ((rc = store_rtxn_begin(s->env->st, &r)) < 0)
		return rc;
	if ((rc = store_msg_body(r, m->body_id, &data, &len)) == 0 && st->off <= len) {
		n = len - st->off < POP3_CHUNK ? len - st->off : POP3_CHUNK;
		if (st->top) {
			/* stop at the line where TOP is satisfied, not mid-piece */
			const char *p = data + st->off;
			size_t i = 0;

			while (i < n && more) {
				const char *nl = memchr(p + i, '\n', n - i);
				size_t seg = nl ? (size_t)(nl - (p + i)) + 1 : n - i;

				more = body_piece(s, p + i, seg);
				i += seg;
			}
		} else {
			more = body_piece(s, data + st->off, n);
		}
		if (st->off >= len)
			more = false;
	} else if (rc == 0) {
		rc = STORE_ECORRUPT;
	}
	store_rtxn_end(&r);
	if (rc < 0)
		return rc;
	if (!more) {
		if (!st->bol)
			buf_puts(&s->out, "\r\n");
		if (!st->top)
			m->retrieved = true;
		stream_end(s);
		return 0;
	}
	net_conn_write(s->c, s->out.data, s->out.len);
	buf_reset(&s->out);
	return 0;
}

/* list_pump - the next lines of a LIST or UIDL listing */
static void
list_pump(struct pop3_session *s)
{
	struct pop3_stream *st = &s->st;
	char id[17];

	for (; st->idx < s->md.n && s->out.len < POP3_CHUNK; st->idx++) {
		const struct pop3_msg *m = &s->md.msgs[st->idx];

		if (m->deleted)
			continue;
		if (st->kind == POP3_STREAM_UIDL) {
			pop3_uidl(&s->md, m, id);
			buf_printf(&s->out, "%zu %s\r\n", st->idx + 1, id);
		} else {
			buf_printf(&s->out, "%zu %llu\r\n", st->idx + 1, (unsigned long long)m->size);
		}
	}
	if (st->idx >= s->md.n) {
		stream_end(s);
		return;
	}
	net_conn_write(s->c, s->out.data, s->out.len);
	buf_reset(&s->out);
}

void
pop3_stream_pump(struct pop3_session *s)
{
	int rc;

	while (s->st.kind != POP3_STREAM_NONE && net_conn_output_len(s->c) < POP3_OUT_HIGH) {
		if (s->st.kind != POP3_STREAM_BODY) {
			list_pump(s);
			continue;
		}
		if ((rc = body_pump(s)) < 0) {
			/* the reply has begun: a clean error is impossible now */
			log_error(s->id, "pop3: %s: message UID %u unreadable mid-reply: %s; closing",
			    s->md.addr, s->md.msgs[s->st.idx].uid, store_strerror(rc));
			s->st.kind = POP3_STREAM_NONE;
			buf_reset(&s->out);
			net_conn_abort(s->c);
			return;
		}
	}
}

/* body_check - whether the body is still there, before "+OK" commits us */
static int
body_check(struct pop3_session *s, const struct pop3_msg *m)
{
	struct store_rtxn *r;
	const char *data;
	size_t len;
	int rc;

	if ((rc = store_rtxn_begin(s->env->st, &r)) < 0)
		return rc;
	rc = store_msg_body(r, m->body_id, &data, &len);
	store_rtxn_end(&r);
	return rc;
}

void
pop3_stream_begin(struct pop3_session *s, enum pop3_stream_kind kind, size_t idx, bool top,
    uint32_t lines)
{
	int rc;

	memset(&s->st, 0, sizeof(s->st));
	buf_reset(&s->out);
	if (kind == POP3_STREAM_BODY) {
		const struct pop3_msg *m = &s->md.msgs[idx];

		if ((rc = body_check(s, m)) < 0) {
			log_warn(s->id, "pop3: %s: message UID %u: %s", s->md.addr, m->uid,
			    store_strerror(rc));
			if (rc == STORE_ENOTFOUND)
				pop3_reply(s, "-ERR Message is no longer available.");
			else
				pop3_reply(s, "-ERR [SYS/TEMP] Cannot read the message, try again later.");
			return;
		}
		if (top)
			pop3_reply(s, "+OK");
		else
			pop3_reply(s, "+OK %llu octets", (unsigned long long)m->size);
	}
	s->st.kind = kind;
	s->st.idx = idx;
	s->st.top = top;
	s->st.lines_left = lines;
	s->st.bol = true;
	pop3_stream_pump(s);
}
