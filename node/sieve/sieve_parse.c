/*
 * sieve_parse.c - the lexer and parser of RFC 5228 section 8: script text
 * to a tree of commands. Strings come out unescaped (quoted strings lose
 * their backslashes, multi-line strings their dot-stuffing); variables and
 * encoded characters are left for later. Identifiers and tags are
 * case-insensitive and come out in lower case. Every token and node keeps its
 * line and column (both from 1; columns count bytes) for errors.
 */
#include "sieve/sieve_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

enum tok {
	T_EOF, T_IDENT, T_TAG, T_NUM, T_STR, T_LBRACKET, T_RBRACKET, T_LPAREN, T_RPAREN,
	T_COMMA, T_SEMI, T_LBRACE, T_RBRACE
};

struct lexer {
	const char *s;
	size_t pos, len;
	unsigned line, col;		/* of s[pos] */
	const struct sieve_limits *lim;
	struct sieve_error *err;
	/* the current token */
	enum tok t;
	unsigned tline, tcol;
	struct buf text;		/* identifier, tag (without ':'), string */
	uint64_t num;
	unsigned depth;
};

/* sv_errorf - set err (position and message) and return -1 */
int
sv_errorf(struct sieve_error *err, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;

	err->line = line;
	err->col = col;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* advance - step over n bytes, counting lines and columns */
static void
advance(struct lexer *lx, size_t n)
{
	while (n-- > 0 && lx->pos < lx->len) {
		if (lx->s[lx->pos++] == '\n') {
			lx->line++;
			lx->col = 1;
		} else {
			lx->col++;
		}
	}
}

/* skip_space - skip white space and comments; -1 for an unterminated comment */
static int
skip_space(struct lexer *lx)
{
	for (;;) {
		char c = lx->pos < lx->len ? lx->s[lx->pos] : 0;

		if (lx->pos >= lx->len)
			return 0;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			advance(lx, 1);
		} else if (c == '#') {
			while (lx->pos < lx->len && lx->s[lx->pos] != '\n')
				advance(lx, 1);
		} else if (c == '/' && lx->pos + 1 < lx->len && lx->s[lx->pos + 1] == '*') {
			unsigned l = lx->line, co = lx->col;

			advance(lx, 2);
			while (lx->pos + 1 < lx->len && !(lx->s[lx->pos] == '*' && lx->s[lx->pos + 1] == '/'))
				advance(lx, 1);
			if (lx->pos + 1 >= lx->len)
				return sv_errorf(lx->err, l, co, "unterminated comment");
			advance(lx, 2);
		} else {
			return 0;
		}
	}
}

/* lex_quoted - a quoted string, the opening quote at pos */
static int
lex_quoted(struct lexer *lx)
{
	advance(lx, 1);
	while (lx->pos < lx->len && lx->s[lx->pos] != '"') {
		if (lx->s[lx->pos] == '\\' && lx->pos + 1 < lx->len)
			advance(lx, 1);
		buf_putc(&lx->text, lx->s[lx->pos]);
		advance(lx, 1);
	}
	if (lx->pos >= lx->len)
		return sv_errorf(lx->err, lx->tline, lx->tcol, "unterminated string");
	advance(lx, 1);
	return 0;
}

/* lex_multiline - a "text:" string, pos just after the colon */
static int
lex_multiline(struct lexer *lx)
{
	/* the rest of the first line: white space, maybe a comment */
	while (lx->pos < lx->len && (lx->s[lx->pos] == ' ' || lx->s[lx->pos] == '\t'))
		advance(lx, 1);
	if (lx->pos < lx->len && lx->s[lx->pos] == '#')
		while (lx->pos < lx->len && lx->s[lx->pos] != '\n')
			advance(lx, 1);
	if (lx->pos < lx->len && lx->s[lx->pos] == '\r')
		advance(lx, 1);
	if (lx->pos >= lx->len || lx->s[lx->pos] != '\n')
		return sv_errorf(lx->err, lx->line, lx->col, "text: must be followed by a line break");
	advance(lx, 1);
	for (;;) {
		size_t start = lx->pos, end;
		const char *nl;

		if (lx->pos >= lx->len)
			return sv_errorf(lx->err, lx->tline, lx->tcol, "unterminated multi-line string");
		nl = memchr(lx->s + start, '\n', lx->len - start);
		end = nl != NULL ? (size_t)(nl - lx->s) : lx->len;
		if (end - start >= 1 && lx->s[start] == '.' &&
		    (end - start == 1 || (end - start == 2 && lx->s[start + 1] == '\r'))) {
			advance(lx, end - start + (nl != NULL));
			return 0;
		}
		if (lx->s[start] == '.' && end > start + 1 && lx->s[start + 1] == '.')
			start++;
		buf_append(&lx->text, lx->s + start, end - start);
		if (nl != NULL) {
			if (lx->text.len > 0 && lx->text.data[lx->text.len - 1] == '\r')
				lx->text.len--;
			buf_puts(&lx->text, "\r\n");
		}
		advance(lx, end - lx->pos + (nl != NULL));
	}
}

/* lex_number - a number with its optional K, M or G */
static int
lex_number(struct lexer *lx)
{
	uint64_t v = 0, mul = 1;

	while (lx->pos < lx->len && isdigit((unsigned char)lx->s[lx->pos])) {
		v = v * 10 + (uint64_t)(lx->s[lx->pos] - '0');
		if (v > UINT32_MAX * 1024ULL)
			return sv_errorf(lx->err, lx->tline, lx->tcol, "number too large");
		advance(lx, 1);
	}
	if (lx->pos < lx->len) {
		switch (toupper((unsigned char)lx->s[lx->pos])) {
		case 'K': mul = 1024; break;
		case 'M': mul = 1024 * 1024; break;
		case 'G': mul = 1024 * 1024 * 1024; break;
		}
		if (mul != 1)
			advance(lx, 1);
	}
	if (v * mul / mul != v || v * mul > (1ULL << 53))
		return sv_errorf(lx->err, lx->tline, lx->tcol, "number too large");
	lx->num = v * mul;
	return 0;
}

/* is_ident_char - letters, digits and underscore */
static bool
is_ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* next - read the next token into lx; -1 on a lexical error */
static int
next(struct lexer *lx)
{
	static const char punct[] = "[](),;{}";
	static const enum tok ptok[] = {
		T_LBRACKET, T_RBRACKET, T_LPAREN, T_RPAREN, T_COMMA, T_SEMI, T_LBRACE, T_RBRACE
	};
	char c;
	const char *p;

	if (skip_space(lx) < 0)
		return -1;
	lx->tline = lx->line;
	lx->tcol = lx->col;
	buf_reset(&lx->text);
	if (lx->pos >= lx->len) {
		lx->t = T_EOF;
		return 0;
	}
	c = lx->s[lx->pos];
	if (c != 0 && (p = strchr(punct, c)) != NULL) {
		lx->t = ptok[p - punct];
		advance(lx, 1);
		return 0;
	}
	if (c == '"') {
		lx->t = T_STR;
		return lex_quoted(lx);
	}
	if (isdigit((unsigned char)c)) {
		lx->t = T_NUM;
		return lex_number(lx);
	}
	if (c == ':' || isalpha((unsigned char)c) || c == '_') {
		lx->t = c == ':' ? T_TAG : T_IDENT;
		if (c == ':')
			advance(lx, 1);
		if (lx->pos >= lx->len || !(isalpha((unsigned char)lx->s[lx->pos]) || lx->s[lx->pos] == '_'))
			return sv_errorf(lx->err, lx->tline, lx->tcol, "bad tag");
		while (lx->pos < lx->len && is_ident_char(lx->s[lx->pos])) {
			buf_putc(&lx->text, (char)tolower((unsigned char)lx->s[lx->pos]));
			advance(lx, 1);
		}
		if (lx->t == T_IDENT && strcmp(buf_cstr(&lx->text), "text") == 0 &&
		    lx->pos < lx->len && lx->s[lx->pos] == ':') {
			advance(lx, 1);
			lx->t = T_STR;
			buf_reset(&lx->text);
			return lex_multiline(lx);
		}
		return 0;
	}
	return sv_errorf(lx->err, lx->tline, lx->tcol, "unexpected character '%c'",
	    isprint((unsigned char)c) ? c : '?');
}

static int parse_commands(struct lexer *lx, bool inblock, struct sv_node **out, size_t *nout);
static int parse_test(struct lexer *lx, struct sv_node *n);

/* push_node - a new zeroed node at the end of the array */
static struct sv_node *
push_node(struct sv_node **arr, size_t *n)
{
	*arr = xrealloc(*arr, (*n + 1) * sizeof(**arr));
	memset(&(*arr)[*n], 0, sizeof(**arr));
	return &(*arr)[(*n)++];
}

/* push_str - append the lexer's string to the argument */
static void
push_str(struct sv_arg *a, struct lexer *lx)
{
	a->str = xrealloc(a->str, (a->nstr + 1) * sizeof(*a->str));
	a->str[a->nstr++] = xstrndup(buf_cstr(&lx->text), lx->text.len);
}

/* parse_list - a string list, the current token being '[' */
static int
parse_list(struct lexer *lx, struct sv_arg *a)
{
	a->kind = SV_LIST;
	for (;;) {
		if (next(lx) < 0)
			return -1;
		if (lx->t != T_STR)
			return sv_errorf(lx->err, lx->tline, lx->tcol, "expected a string in the list");
		push_str(a, lx);
		if (next(lx) < 0)
			return -1;
		if (lx->t == T_RBRACKET)
			return next(lx);
		if (lx->t != T_COMMA)
			return sv_errorf(lx->err, lx->tline, lx->tcol, "expected ',' or ']'");
	}
}

/* parse_args - arguments, then a test or a test list, up to what ends them */
static int
parse_args(struct lexer *lx, struct sv_node *n)
{
	for (;;) {
		struct sv_arg *a;

		if (lx->t != T_TAG && lx->t != T_NUM && lx->t != T_STR && lx->t != T_LBRACKET)
			break;
		n->arg = xrealloc(n->arg, (n->narg + 1) * sizeof(*n->arg));
		a = &n->arg[n->narg++];
		memset(a, 0, sizeof(*a));
		a->line = lx->tline;
		a->col = lx->tcol;
		if (lx->t == T_LBRACKET) {
			if (parse_list(lx, a) < 0)
				return -1;
			continue;
		}
		if (lx->t == T_NUM) {
			a->kind = SV_NUM;
			a->num = lx->num;
		} else {
			a->kind = lx->t == T_TAG ? SV_TAG : SV_STR;
			push_str(a, lx);
		}
		if (next(lx) < 0)
			return -1;
	}
	if (lx->t == T_IDENT) {
		return parse_test(lx, push_node(&n->test, &n->ntest));
	}
	if (lx->t == T_LPAREN) {
		do {
			if (next(lx) < 0)
				return -1;
			if (lx->t != T_IDENT)
				return sv_errorf(lx->err, lx->tline, lx->tcol, "expected a test");
			if (parse_test(lx, push_node(&n->test, &n->ntest)) < 0)
				return -1;
		} while (lx->t == T_COMMA);
		if (lx->t != T_RPAREN)
			return sv_errorf(lx->err, lx->tline, lx->tcol, "expected ',' or ')'");
		return next(lx);
	}
	return 0;
}

/* parse_test - a test, the current token being its identifier */
static int
parse_test(struct lexer *lx, struct sv_node *n)
{
	int r;

	n->line = lx->tline;
	n->col = lx->tcol;
	n->name = xstrdup(buf_cstr(&lx->text));
	if (++lx->depth > lx->lim->max_nesting)
		return sv_errorf(lx->err, n->line, n->col, "tests nested too deeply (limit %u)",
		    lx->lim->max_nesting);
	if (next(lx) < 0)
		return -1;
	r = parse_args(lx, n);
	lx->depth--;
	return r;
}

/* parse_command - a command, the current token being its identifier */
static int
parse_command(struct lexer *lx, struct sv_node *n)
{
	n->line = lx->tline;
	n->col = lx->tcol;
	n->name = xstrdup(buf_cstr(&lx->text));
	if (next(lx) < 0 || parse_args(lx, n) < 0)
		return -1;
	if (lx->t == T_SEMI)
		return next(lx);
	if (lx->t != T_LBRACE)
		return sv_errorf(lx->err, lx->tline, lx->tcol, "expected ';' or '{'");
	if (++lx->depth > lx->lim->max_nesting)
		return sv_errorf(lx->err, lx->tline, lx->tcol, "blocks nested too deeply (limit %u)",
		    lx->lim->max_nesting);
	n->has_block = true;
	if (next(lx) < 0 || parse_commands(lx, true, &n->block, &n->nblock) < 0)
		return -1;
	lx->depth--;
	return next(lx);
}

/* parse_commands - commands up to '}' (inblock) or the end */
static int
parse_commands(struct lexer *lx, bool inblock, struct sv_node **out, size_t *nout)
{
	for (;;) {
		if (lx->t == T_EOF) {
			if (inblock)
				return sv_errorf(lx->err, lx->tline, lx->tcol, "missing '}'");
			return 0;
		}
		if (lx->t == T_RBRACE) {
			if (!inblock)
				return sv_errorf(lx->err, lx->tline, lx->tcol, "unexpected '}'");
			return 0;
		}
		if (lx->t != T_IDENT)
			return sv_errorf(lx->err, lx->tline, lx->tcol, "expected a command");
		if (parse_command(lx, push_node(out, nout)) < 0)
			return -1;
	}
}

/* sv_parse - text to a tree of commands (*top, *ntop); 0, or -1 with err */
int
sv_parse(const char *src, size_t len, const struct sieve_limits *lim, struct sv_node **top,
    size_t *ntop, struct sieve_error *err)
{
	struct lexer lx = { .s = src, .len = len, .line = 1, .col = 1, .lim = lim, .err = err };
	int r;

	*top = NULL;
	*ntop = 0;
	if (len > lim->max_script_size)
		return sv_errorf(err, 1, 1, "script too large (limit %zu bytes)", lim->max_script_size);
	if (memchr(src, '\0', len) != NULL) {
		const char *z = memchr(src, '\0', len);
		struct lexer at = lx;

		advance(&at, (size_t)(z - src));
		return sv_errorf(err, at.line, at.col, "NUL byte in script");
	}
	r = next(&lx);
	if (r == 0)
		r = parse_commands(&lx, false, top, ntop);
	buf_free(&lx.text);
	if (r < 0) {
		sv_nodes_free(*top, *ntop);
		*top = NULL;
		*ntop = 0;
	}
	return r;
}

/* node_free - free what one node holds */
static void
node_free(struct sv_node *n)
{
	for (size_t i = 0; i < n->narg; i++) {
		for (size_t j = 0; j < n->arg[i].nstr; j++)
			free(n->arg[i].str[j]);
		free(n->arg[i].str);
	}
	free(n->arg);
	sv_nodes_free(n->test, n->ntest);
	sv_nodes_free(n->block, n->nblock);
	free(n->name);
}

/* sv_nodes_free - free n nodes and what they hold, then the array */
void
sv_nodes_free(struct sv_node *n, size_t count)
{
	for (size_t i = 0; i < count; i++)
		node_free(&n[i]);
	free(n);
}
