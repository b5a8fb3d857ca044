/*
 * mime_2047.c - RFC 2047 encoded words in a header value decoded to
 * UTF-8, for SEARCH. FETCH never sees this: ENVELOPE and BODYSTRUCTURE
 * keep the words raw, as RFC 3501 requires.
 *
 * A word is "=?" charset "?" B or Q "?" text "?=". The charset may carry
 * an RFC 2231 language ("utf-8*de"), which is dropped. Decoding is as
 * lenient as mail readers are: a word is taken anywhere in the value, not
 * only between spaces (inside quotes and comments, glued to text), and a
 * Q word may hold spaces. Words separated only by white space are joined
 * (RFC 2047 6.2); joined words in one charset are converted together, so
 * a character split between two words still decodes.
 *
 * A broken word stays as it was written: B text with a byte outside the
 * base64 alphabet, a Q "=" without two hex digits, a charset name that is
 * empty or too long, no "?=". A run of joined words whose charset iconv
 * does not know, or whose bytes do not convert cleanly, stays raw as a
 * whole, white space included.
 *
 * Limits: the text of a word ends at its first "?", so every byte is
 * looked at a bounded number of times whatever the input (no rescans);
 * the output is at most MIME_CHARSET_GROWTH times the input.
 */
#include <string.h>
#include <strings.h>

#include "mime/mime_int.h"
#include "util/hex.h"

#define WORD_CHARSET_MAX 64	/* "charset*language" longer than this: not a word */

struct word {
	const char *cs;		/* the charset, without a language */
	size_t cslen;
	char enc;		/* 'B' or 'Q' */
	const char *text;
	size_t tlen;
	size_t end;		/* just past "?=" */
};

/* b_ok - base64 text: the alphabet, "=" padding and white space only */
static bool
b_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '+' || c == '/' || c == '=' || c == ' ' || c == '\t'))
			return false;
	}
	return true;
}

/* q_ok - Q text: every "=" starts a two-digit hex escape */
static bool
q_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '=') {
			if (i + 2 >= n || hex_value((unsigned char)s[i + 1]) < 0 ||
			    hex_value((unsigned char)s[i + 2]) < 0)
				return false;
			i += 2;
		}
	return true;
}

/*
 * word_parse - a well-formed encoded word at in[i] into w; false if there
 * is none. Each scan stops at the next "?", which bounds the work.
 */
static bool
word_parse(const char *in, size_t i, size_t len, struct word *w)
{
	const char *q, *star;
	size_t cs = i + 2, t;

	if (len - i < 8 || in[i] != '=' || in[i + 1] != '?')
		return false;
	q = memchr(in + cs, '?', len - cs < WORD_CHARSET_MAX + 1 ? len - cs : WORD_CHARSET_MAX + 1);
	if (q == NULL || q == in + cs)
		return false;
	w->cs = in + cs;
	w->cslen = (size_t)(q - w->cs);
	if ((star = memchr(w->cs, '*', w->cslen)) != NULL)
		w->cslen = (size_t)(star - w->cs);	/* RFC 2231 5: the language goes */
	for (size_t k = 0; k < w->cslen; k++)
		if ((unsigned char)w->cs[k] <= ' ' || w->cs[k] == '=')
			return false;
	t = (size_t)(q - in) + 1;
	if (w->cslen == 0 || len - t < 4 || in[t + 1] != '?')
		return false;
	w->enc = (char)(in[t] & ~0x20);
	if (w->enc != 'B' && w->enc != 'Q')
		return false;
	w->text = in + t + 2;
	q = memchr(w->text, '?', len - (t + 2));
	if (q == NULL || (size_t)(q - in) + 1 >= len || q[1] != '=')
		return false;
	w->tlen = (size_t)(q - w->text);
	w->end = (size_t)(q - in) + 2;
	for (size_t k = 0; k < w->tlen; k++)
		if (w->text[k] == '\r' || w->text[k] == '\n')
			return false;
	return w->enc == 'B' ? b_ok(w->text, w->tlen) : q_ok(w->text, w->tlen);
}

/* word_bytes - append the word's decoded bytes */
static void
word_bytes(const struct word *w, struct buf *out)
{
	if (w->enc == 'B') {
		mime_decode_base64(w->text, w->tlen, out);
		return;
	}
	for (size_t i = 0; i < w->tlen; i++) {
		char c = w->text[i];

		if (c == '_')
			c = ' ';	/* RFC 2047 4.2 (2) */
		else if (c == '=') {
			c = (char)(hex_value((unsigned char)w->text[i + 1]) << 4 |
			    hex_value((unsigned char)w->text[i + 2]));
			i += 2;
		}
		buf_putc(out, c);
	}
}

/* wsp_end - past the spaces and tabs (and leftover CR LF of a fold) at in[i] */
static size_t
wsp_end(const char *in, size_t i, size_t len)
{
	while (i < len && (in[i] == ' ' || in[i] == '\t' || in[i] == '\r' || in[i] == '\n'))
		i++;
	return i;
}

/*
 * run_flush - the run's bytes converted, or its raw text (white space
 * before it included) when the conversion is not clean; false then
 */
static bool
run_flush(const struct word *first, const char *raw, size_t rawlen, struct buf *bytes,
    struct buf *out)
{
	size_t mark = out->len;

	if (mime_charset_utf8(first->cs, first->cslen, bytes->data ? bytes->data : "", bytes->len,
	    out) != 0) {
		out->len = mark;
		buf_append(out, raw, rawlen);
		buf_reset(bytes);
		return false;
	}
	buf_reset(bytes);
	return true;
}

/*
 * mime_2047_decode - SEARCH compares header values as a reader sees them.
 * A run starts at start: its first word, or the white space before it
 * when it follows another run, so a run left raw keeps that space.
 */
size_t
mime_2047_decode(const char *in, size_t len, struct buf *out)
{
	struct buf bytes = BUF_INIT;
	struct word first = { 0 }, w;
	size_t i = 0, start = 0, n = 0, next;
	bool open = false;

	buf_reserve(out, len);
	while (i < len) {
		if (open) {
			/* after a word: white space then a word continues */
			next = wsp_end(in, i, len);
			if (next < len && word_parse(in, next, len, &w)) {
				if (w.cslen != first.cslen || strncasecmp(w.cs, first.cs, w.cslen) != 0) {
					/* a new run; after a raw one, the space stays */
					bool ok = run_flush(&first, in + start, i - start, &bytes, out);

					if (!ok)
						buf_append(out, in + i, next - i);
					start = ok ? i : next;
					first = w;
				}
				word_bytes(&w, &bytes);
				n++;
				i = w.end;
				continue;
			}
			run_flush(&first, in + start, i - start, &bytes, out);
			open = false;
			continue;
		}
		if (in[i] == '=' && word_parse(in, i, len, &w)) {
			first = w;
			start = i;
			word_bytes(&w, &bytes);
			n++;
			open = true;
			i = w.end;
			continue;
		}
		next = i + 1;	/* copy up to the next possible word */
		while (next < len && in[next] != '=')
			next++;
		buf_append(out, in + i, next - i);
		i = next;
	}
	if (open)
		run_flush(&first, in + start, i - start, &bytes, out);
	buf_free(&bytes);
	return n;
}
