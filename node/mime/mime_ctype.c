/*
 * mime_ctype.c - Content-Type and Content-Disposition values: a type (and
 * for Content-Type a subtype) followed by ";"-separated parameters.
 *
 * Lenient by design: comments anywhere, quoted or bare values, garbage
 * between parameters skipped up to the next ";". Bare values may hold "/"
 * and "=" (boundary=----=_Part_1 is common). RFC 2231 continuations
 * (name*0=...) are kept as separate raw parameters. Names keep their case.
 */
#include "mime/mime_int.h"

#include <stdlib.h>
#include <strings.h>

#include "util/xalloc.h"

/* what ends a bare parameter value */
#define VALUE_STOP ";()\""

/* mime_ctype_add - append one parameter (also used for defaults such as charset) */
void
mime_ctype_add(struct mime_ctype *ct, const char *name, const char *value)
{
	struct mime_param *p;

	if (ct->nparam == ct->cap) {
		ct->cap = ct->cap ? ct->cap * 2 : 4;
		ct->param = xrealloc(ct->param, ct->cap * sizeof(*ct->param));
	}
	p = &ct->param[ct->nparam++];
	*p = (struct mime_param){ BUF_INIT, BUF_INIT };
	buf_puts(&p->name, name);
	buf_puts(&p->value, value);
}

/* param_parse - one "name=value" after a ';'; returns where parsing stopped */
static size_t
param_parse(const char *s, size_t i, size_t n, struct mime_ctype *ct)
{
	struct buf name = BUF_INIT, value = BUF_INIT;

	i = mime_lex_cfws(s, i, n);
	i = mime_lex_token(s, i, n, MIME_TSPECIALS, &name);
	i = mime_lex_cfws(s, i, n);
	if (name.len > 0 && i < n && s[i] == '=') {
		i = mime_lex_cfws(s, i + 1, n);
		if (i < n && s[i] == '"')
			i = mime_lex_quoted(s, i, n, &value);
		else
			i = mime_lex_token(s, i, n, VALUE_STOP, &value);
		mime_ctype_add(ct, buf_cstr(&name), buf_cstr(&value));
	}
	buf_free(&name);
	buf_free(&value);
	return i;
}

/* mime_ctype_parse - fill ct from a raw field value; ct->valid says if the type parsed */
void
mime_ctype_parse(const char *s, size_t n, bool want_subtype, struct mime_ctype *ct)
{
	size_t i;

	*ct = (struct mime_ctype){ BUF_INIT, BUF_INIT, NULL, 0, 0, false };
	i = mime_lex_cfws(s, 0, n);
	i = mime_lex_token(s, i, n, MIME_TSPECIALS, &ct->type);
	if (want_subtype) {
		i = mime_lex_cfws(s, i, n);
		if (i < n && s[i] == '/')
			i = mime_lex_token(s, mime_lex_cfws(s, i + 1, n), n, MIME_TSPECIALS,
			    &ct->subtype);
	}
	ct->valid = ct->type.len > 0 && (!want_subtype || ct->subtype.len > 0);
	while ((i = mime_lex_cfws(s, i, n)) < n) {
		if (s[i] == ';')
			i = param_parse(s, i + 1, n, ct);
		else if (s[i] == '"')
			i = mime_lex_quoted(s, i, n, NULL);
		else
			i++;
	}
}

/* mime_ctype_param - a parameter's value by case-insensitive name, or NULL */
const struct buf *
mime_ctype_param(const struct mime_ctype *ct, const char *name)
{
	size_t i;

	for (i = 0; i < ct->nparam; i++)
		if (strcasecmp(mime_str(&ct->param[i].name), name) == 0)
			return &ct->param[i].value;
	return NULL;
}

/* mime_ctype_is - case-insensitive type test; subtype NULL matches any */
bool
mime_ctype_is(const struct mime_ctype *ct, const char *type, const char *subtype)
{
	return ct->valid && strcasecmp(mime_str(&ct->type), type) == 0 &&
	    (subtype == NULL || strcasecmp(mime_str(&ct->subtype), subtype) == 0);
}

/* mime_ctype_free - release the strings; ct may be parsed again afterwards */
void
mime_ctype_free(struct mime_ctype *ct)
{
	size_t i;

	for (i = 0; i < ct->nparam; i++) {
		buf_free(&ct->param[i].name);
		buf_free(&ct->param[i].value);
	}
	free(ct->param);
	buf_free(&ct->type);
	buf_free(&ct->subtype);
	*ct = (struct mime_ctype){ BUF_INIT, BUF_INIT, NULL, 0, 0, false };
}
