/*
 * imap_parser_section.c - FETCH section specs: "BODY.PEEK[1.HEADER.FIELDS
 * (A B)]<0.100>" taken apart (RFC 3501 section-spec, RFC 3516 BINARY).
 *
 * The parser hands a FETCH attribute over as one atom; this is the second
 * look at it, once the command knows it wants a section. A plain cursor
 * over the atom's bytes, strict: anything the grammar does not allow is -1.
 */
#include <string.h>
#include <strings.h>

#include "imapsyn/imap_parser.h"

struct cur {
	const char *s;
	size_t i;
	size_t n;
};

/* eat - consume word (ASCII case ignored) if it comes next */
static bool
eat(struct cur *c, const char *word)
{
	size_t len = strlen(word);

	if (c->n - c->i < len || strncasecmp(c->s + c->i, word, len) != 0)
		return false;
	c->i += len;
	return true;
}

/* number - a decimal that fits 32 bits; nz refuses 0 and leading zeros */
static int
number(struct cur *c, bool nz, uint32_t *v_r)
{
	uint64_t v = 0;
	size_t start = c->i;

	while (c->i < c->n && c->s[c->i] >= '0' && c->s[c->i] <= '9') {
		v = v * 10 + (uint64_t)(c->s[c->i++] - '0');
		if (v > UINT32_MAX)
			return -1;
	}
	if (c->i == start || (nz && (v == 0 || c->s[start] == '0')))
		return -1;
	*v_r = (uint32_t)v;
	return 0;
}

/* field - one header field name: an atom or a quoted string without escapes */
static int
field(struct cur *c, struct imap_section *sec)
{
	size_t start;
	bool q = c->i < c->n && c->s[c->i] == '"';

	if (sec->nfields == IMAP_SECTION_MAX_FIELDS)
		return -1;
	c->i += q;
	start = c->i;
	while (c->i < c->n && strchr(q ? "\"\\" : " ()\"\\[]{", c->s[c->i]) == NULL)
		c->i++;
	if (q && (c->i == c->n || c->s[c->i] != '"'))
		return -1;
	if (!q && c->i == start)
		return -1;
	sec->field[sec->nfields] = c->s + start;
	sec->field_len[sec->nfields++] = c->i - start;
	c->i += q;
	return 0;
}

/* fields - " (name name ...)" after HEADER.FIELDS[.NOT] */
static int
fields(struct cur *c, struct imap_section *sec)
{
	if (!eat(c, " ("))
		return -1;
	do {
		if (field(c, sec) < 0)
			return -1;
	} while (eat(c, " "));
	return eat(c, ")") ? 0 : -1;
}

/* text - what follows the part numbers (or stands alone) */
static int
text(struct cur *c, struct imap_section *sec)
{
	if (eat(c, "HEADER.FIELDS.NOT")) {
		sec->text = IMAP_SECTION_HEADER_FIELDS_NOT;
		return fields(c, sec);
	}
	if (eat(c, "HEADER.FIELDS")) {
		sec->text = IMAP_SECTION_HEADER_FIELDS;
		return fields(c, sec);
	}
	if (eat(c, "HEADER"))
		sec->text = IMAP_SECTION_HEADER;
	else if (eat(c, "TEXT"))
		sec->text = IMAP_SECTION_TEXT;
	else if (sec->nparts > 0 && eat(c, "MIME"))
		sec->text = IMAP_SECTION_MIME;
	else
		return -1;
	return 0;
}

/* spec - the inside of the brackets */
static int
spec(struct cur *c, struct imap_section *sec)
{
	if (c->i < c->n && c->s[c->i] == ']')
		return 0;
	if (c->s[c->i] < '0' || c->s[c->i] > '9')
		return sec->item == IMAP_FETCH_BODY ? text(c, sec) : -1;
	do {
		if (sec->nparts == IMAP_SECTION_MAX_PARTS ||
		    number(c, true, &sec->part[sec->nparts++]) < 0)
			return -1;
	} while (eat(c, ".") && c->i < c->n && c->s[c->i] >= '0' && c->s[c->i] <= '9');
	if (c->s[c->i - 1] != '.')
		return 0;
	return sec->item == IMAP_FETCH_BODY ? text(c, sec) : -1;
}

/* partial - "<offset.count>", count not zero */
static int
partial(struct cur *c, struct imap_section *sec)
{
	if (c->i == c->n)
		return 0;
	if (sec->item == IMAP_FETCH_BINARY_SIZE || !eat(c, "<") ||
	    number(c, false, &sec->offset) < 0 || !eat(c, ".") ||
	    number(c, true, &sec->count) < 0 || !eat(c, ">"))
		return -1;
	sec->partial = true;
	return 0;
}

int
imap_parser_section(const char *atom, size_t len, struct imap_section *sec_r)
{
	struct cur c = { atom, 0, len };

	memset(sec_r, 0, sizeof(*sec_r));
	if (eat(&c, "BODY.PEEK[")) {
		sec_r->peek = true;
	} else if (eat(&c, "BINARY.PEEK[")) {
		sec_r->item = IMAP_FETCH_BINARY;
		sec_r->peek = true;
	} else if (eat(&c, "BINARY.SIZE[")) {
		sec_r->item = IMAP_FETCH_BINARY_SIZE;
	} else if (eat(&c, "BINARY[")) {
		sec_r->item = IMAP_FETCH_BINARY;
	} else if (!eat(&c, "BODY[")) {
		return -1;
	}
	if (c.i == c.n || spec(&c, sec_r) < 0 || !eat(&c, "]"))
		return -1;
	return partial(&c, sec_r);
}
