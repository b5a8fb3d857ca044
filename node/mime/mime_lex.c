/*
 * mime_lex.c - the lexical pieces of RFC 5322 and RFC 2045 header values:
 * CFWS (whitespace and nested comments), quoted strings and tokens.
 *
 * Each function scans s[i..n) and returns the index just past what it
 * consumed, so callers chain them without pointers into the middle of a
 * buffer. Unterminated comments and quoted strings run to n. Comment
 * nesting is counted, never recursed, so hostile input cannot exhaust the
 * stack.
 */
#include "mime/mime_int.h"

#include <string.h>

/* mime_is_wsp - folding whitespace, including the CR LF of a fold */
bool
mime_is_wsp(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* mime_lex_cfws - skip whitespace and comments, which carry no meaning in values */
size_t
mime_lex_cfws(const char *s, size_t i, size_t n)
{
	while (i < n) {
		if (mime_is_wsp(s[i]))
			i++;
		else if (s[i] == '(')
			i = mime_lex_comment(s, i, n, NULL);
		else
			break;
	}
	return i;
}

/* mime_lex_comment - s[i] is '('; its text (unescaped, inner parens kept) goes to out */
size_t
mime_lex_comment(const char *s, size_t i, size_t n, struct buf *out)
{
	size_t depth = 1;

	for (i++; i < n; i++) {
		char c = s[i];

		if (c == '\\' && i + 1 < n)
			c = s[++i];
		else if (c == '(')
			depth++;
		else if (c == ')' && --depth == 0)
			return i + 1;
		if (out != NULL && c != '\r' && c != '\n')
			buf_putc(out, c);
	}
	return n;
}

/* mime_lex_quoted - s[i] is '"'; the unescaped content goes to out when not NULL */
size_t
mime_lex_quoted(const char *s, size_t i, size_t n, struct buf *out)
{
	for (i++; i < n; i++) {
		char c = s[i];

		if (c == '\\' && i + 1 < n)
			c = s[++i];
		else if (c == '"')
			return i + 1;
		if (out != NULL && c != '\r' && c != '\n')
			buf_putc(out, c);
	}
	return n;
}

/* mime_lex_token - a run of bytes that are not whitespace, controls or in stop */
size_t
mime_lex_token(const char *s, size_t i, size_t n, const char *stop, struct buf *out)
{
	size_t start = i;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (c <= ' ' || c == 0x7f || strchr(stop, c) != NULL)
			break;
		i++;
	}
	if (out != NULL)
		buf_append(out, s + start, i - start);
	return i;
}
