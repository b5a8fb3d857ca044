/*
 * mime_address.c - RFC 5322 address lists (From, To, ...) as the IMAP
 * address lists of an ENVELOPE (RFC 3501 7.4.2): ((name adl mailbox host)...).
 *
 * The value is first cut into tokens (atoms, quoted strings, domain
 * literals, comments, specials), then read with a forgiving grammar:
 *   phrase ":" mailbox-list ";"   a group: (NIL NIL "phrase" NIL) ... (NIL NIL NIL NIL)
 *   [phrase] "<" [route ":"] addr-spec ">"
 *   addr-spec [(comment)]         the comment becomes the name, as Dovecot does
 * Dots are atom characters, so dot-atoms and obs-phrases come out whole.
 * Anything unexpected is skipped up to the next "," and every step
 * consumes a token, so garbage always terminates. A missing local part or
 * domain is filled in with MISSING_MAILBOX / MISSING_DOMAIN (Dovecot's
 * words), because a NIL host would read as a group marker.
 *
 * The same reading gives the addresses' displayed form for SEARCH:
 * "name <mailbox@host>" or "mailbox@host", comments and stray white space
 * gone, ", " between them, a group as "name: members;".
 */
#include "mime/mime_int.h"

#include <stdlib.h>
#include <string.h>

#include "imapsyn/imap_write.h"
#include "util/xalloc.h"

enum tok_kind { T_ATOM, T_QUOTED, T_DOMLIT, T_COMMENT, T_SPECIAL };

struct tok {
	enum tok_kind kind;
	size_t off, len;	/* raw bytes, delimiters included */
	bool ws;		/* whitespace or a comment came before it */
};

struct aparse {
	const char *s;
	struct tok *tok;
	size_t ntok, cap, i;
	size_t comment;		/* first comment token of the current address */
	struct buf *out;
	size_t count;
	bool display;		/* the displayed form, not the IMAP list */
};

#define NO_COMMENT ((size_t)-1)
#define ATOM_STOP "()<>[]:;@\\,\""

/* tok_push - record one token */
static void
tok_push(struct aparse *ap, enum tok_kind kind, size_t off, size_t end, bool ws)
{
	if (ap->ntok == ap->cap) {
		ap->cap = ap->cap ? ap->cap * 2 : 16;
		ap->tok = xrealloc(ap->tok, ap->cap * sizeof(*ap->tok));
	}
	ap->tok[ap->ntok++] = (struct tok){ kind, off, end - off, ws };
}

/* tokenize - cut s[0..n) into tokens; every branch advances */
static void
tokenize(struct aparse *ap, size_t n)
{
	const char *s = ap->s;
	size_t i = 0, j;
	bool ws = false;

	while (i < n) {
		if (mime_is_wsp(s[i])) {
			ws = true;
			i++;
			continue;
		}
		if (s[i] == '(') {
			j = mime_lex_comment(s, i, n, NULL);
			tok_push(ap, T_COMMENT, i, j, ws);
			ws = true;
			i = j;
			continue;
		}
		if (s[i] == '"') {
			j = mime_lex_quoted(s, i, n, NULL);
			tok_push(ap, T_QUOTED, i, j, ws);
		} else if (s[i] == '[') {
			const char *close = memchr(s + i, ']', n - i);

			j = close != NULL ? (size_t)(close - s) + 1 : n;
			tok_push(ap, T_DOMLIT, i, j, ws);
		} else if (strchr(ATOM_STOP, s[i]) != NULL) {
			j = i + 1;
			tok_push(ap, T_SPECIAL, i, j, ws);
		} else {
			j = mime_lex_token(s, i, n, ATOM_STOP, NULL);
			j = j > i ? j : i + 1;
			tok_push(ap, T_ATOM, i, j, ws);
		}
		ws = false;
		i = j;
	}
}

/* peek - the next token that is not a comment, noting the first comment seen */
static const struct tok *
peek(struct aparse *ap)
{
	while (ap->i < ap->ntok && ap->tok[ap->i].kind == T_COMMENT) {
		if (ap->comment == NO_COMMENT)
			ap->comment = ap->i;
		ap->i++;
	}
	return ap->i < ap->ntok ? &ap->tok[ap->i] : NULL;
}

/* is_special - whether t is the special character c */
static bool
is_special(const struct aparse *ap, const struct tok *t, char c)
{
	return t != NULL && t->kind == T_SPECIAL && ap->s[t->off] == c;
}

/* word_append - a token's text: quoted strings unquoted, the rest raw */
static void
word_append(const struct aparse *ap, const struct tok *t, struct buf *out)
{
	if (t->kind == T_QUOTED)
		mime_lex_quoted(ap->s, t->off, t->off + t->len, out);
	else
		buf_append(out, ap->s + t->off, t->len);
}

/* words - consume words up to a special; separators become one space if spaced */
static void
words(struct aparse *ap, struct buf *out, bool spaced)
{
	const struct tok *t;

	while ((t = peek(ap)) != NULL && t->kind != T_SPECIAL) {
		if (spaced && t->ws && out->len > 0)
			buf_putc(out, ' ');
		word_append(ap, t, out);
		ap->i++;
	}
}

/* nstring - an IMAP string, or NIL when empty */
static void
nstring(struct buf *out, const struct buf *s)
{
	if (s->len == 0)
		buf_puts(out, "NIL");
	else
		imap_write_string(out, s->data, s->len);
}

/* emit_display - one address as shown: "name <route:mailbox@host>" or "mailbox@host" */
static void
emit_display(struct aparse *ap, const struct buf *name, const struct buf *adl,
    const struct buf *mbox, const struct buf *host)
{
	struct buf *out = ap->out;

	if (out->len > 0 && out->data[out->len - 1] != ' ')
		buf_puts(out, ", ");
	if (name->len > 0) {
		buf_append(out, name->data, name->len);
		buf_puts(out, " <");
	}
	if (adl->len > 0) {
		buf_append(out, adl->data, adl->len);
		buf_putc(out, ':');
	}
	buf_append(out, mbox->data, mbox->len);
	if (host->len > 0) {
		buf_putc(out, '@');
		buf_append(out, host->data, host->len);
	}
	if (name->len > 0)
		buf_putc(out, '>');
	ap->count++;
}

/* emit - one IMAP address; empty mailbox or host get Dovecot's placeholders */
static void
emit(struct aparse *ap, const struct buf *name, const struct buf *adl, const struct buf *mbox,
    const struct buf *host)
{
	struct buf *out = ap->out;

	if (ap->display) {
		emit_display(ap, name, adl, mbox, host);
		return;
	}
	buf_putc(out, '(');
	nstring(out, name);
	buf_putc(out, ' ');
	nstring(out, adl);
	buf_putc(out, ' ');
	if (mbox->len == 0)
		buf_puts(out, "\"MISSING_MAILBOX\"");
	else
		imap_write_string(out, mbox->data, mbox->len);
	buf_putc(out, ' ');
	if (host->len == 0)
		buf_puts(out, "\"MISSING_DOMAIN\"");
	else
		imap_write_string(out, host->data, host->len);
	buf_putc(out, ')');
	ap->count++;
}

/* route - an obsolete source route "@a,@b:" inside <>, kept raw without the colon */
static void
route(struct aparse *ap, struct buf *adl)
{
	size_t j;
	const struct tok *t;

	for (j = ap->i; j < ap->ntok; j++) {
		t = &ap->tok[j];
		if (is_special(ap, t, '>') || is_special(ap, t, '<'))
			return;
		if (is_special(ap, t, ':'))
			break;
	}
	if (j == ap->ntok || !is_special(ap, peek(ap), '@'))
		return;
	for (; ap->i < j; ap->i++)
		if (ap->tok[ap->i].kind != T_COMMENT)
			buf_append(adl, ap->s + ap->tok[ap->i].off, ap->tok[ap->i].len);
	ap->i = j + 1;
}

/* addr_spec - local-part ["@" domain] */
static void
addr_spec(struct aparse *ap, struct buf *mbox, struct buf *host)
{
	words(ap, mbox, true);
	if (!is_special(ap, peek(ap), '@'))
		return;
	ap->i++;
	words(ap, host, false);
}

/* skip_rest - drop what is left of a malformed address, up to "," or ";" */
static void
skip_rest(struct aparse *ap)
{
	const struct tok *t;

	while ((t = peek(ap)) != NULL && !is_special(ap, t, ',') && !is_special(ap, t, ';'))
		ap->i++;
}

/* mailbox - one address in any of its forms except a group; emits it if not empty */
static void
mailbox(struct aparse *ap, size_t phrase_end)
{
	struct buf name = BUF_INIT, adl = BUF_INIT, mbox = BUF_INIT, host = BUF_INIT;

	if (phrase_end < ap->ntok && is_special(ap, &ap->tok[phrase_end], '<')) {
		words(ap, &name, true);
		ap->i = phrase_end + 1;
		route(ap, &adl);
		addr_spec(ap, &mbox, &host);
		if (is_special(ap, peek(ap), '>'))
			ap->i++;
	} else {
		addr_spec(ap, &mbox, &host);
		peek(ap);
		if (ap->comment != NO_COMMENT)
			mime_lex_comment(ap->s, ap->tok[ap->comment].off,
			    ap->tok[ap->comment].off + ap->tok[ap->comment].len, &name);
	}
	if (name.len > 0 || mbox.len > 0 || host.len > 0)
		emit(ap, &name, &adl, &mbox, &host);
	buf_free(&name);
	buf_free(&adl);
	buf_free(&mbox);
	buf_free(&host);
}

/* phrase_end - index of the special that ends the leading words */
static size_t
phrase_end(const struct aparse *ap)
{
	size_t j = ap->i;

	while (j < ap->ntok && ap->tok[j].kind != T_SPECIAL)
		j++;
	return j;
}

/* group - "name:" members ";" as RFC 3501 group markers around the members */
static void
group(struct aparse *ap, size_t colon)
{
	struct buf name = BUF_INIT;
	const struct tok *t;

	words(ap, &name, true);
	ap->i = colon + 1;
	if (ap->display) {
		if (ap->out->len > 0)
			buf_puts(ap->out, ", ");
		buf_append(ap->out, name.data, name.len);
		buf_puts(ap->out, ": ");
	} else {
		buf_puts(ap->out, "(NIL NIL ");
		imap_write_string(ap->out, mime_str(&name), name.len);
		buf_puts(ap->out, " NIL)");
	}
	while ((t = peek(ap)) != NULL && !is_special(ap, t, ';')) {
		size_t start = ap->i;

		ap->comment = NO_COMMENT;
		if (!is_special(ap, t, ','))
			mailbox(ap, phrase_end(ap));
		skip_rest(ap);
		if (ap->i == start)
			ap->i++;
	}
	if (t != NULL)
		ap->i++;
	buf_puts(ap->out, ap->display ? ";" : "(NIL NIL NIL NIL)");
	ap->count++;
	buf_free(&name);
}

/* address_read - the list s[0..n) onto list, as IMAP addresses or displayed; the count */
static size_t
address_read(const char *s, size_t n, struct buf *list, bool display)
{
	struct aparse ap = { s, NULL, 0, 0, 0, NO_COMMENT, list, 0, display };
	const struct tok *t;

	tokenize(&ap, n);
	while ((t = peek(&ap)) != NULL) {
		size_t start = ap.i, end = phrase_end(&ap);

		ap.comment = NO_COMMENT;
		if (end < ap.ntok && is_special(&ap, &ap.tok[end], ':'))
			group(&ap, end);
		else if (!is_special(&ap, t, ','))
			mailbox(&ap, end);
		skip_rest(&ap);
		if (ap.i == start || is_special(&ap, peek(&ap), ',') || is_special(&ap, peek(&ap), ';'))
			ap.i++;
	}
	free(ap.tok);
	return ap.count;
}

/* mime_address_write - append "(addr...)" for the list s[0..n); returns the count, 0 writes nothing */
size_t
mime_address_write(const char *s, size_t n, struct buf *out)
{
	struct buf list = BUF_INIT;
	size_t count = address_read(s, n, &list, false);

	if (count > 0) {
		buf_putc(out, '(');
		buf_append(out, list.data, list.len);
		buf_putc(out, ')');
	}
	buf_free(&list);
	return count;
}

void
mime_address_display(const char *s, size_t n, struct buf *out)
{
	struct buf list = BUF_INIT;

	address_read(s, n, &list, true);
	buf_append(out, list.data, list.len);
	buf_free(&list);
}
