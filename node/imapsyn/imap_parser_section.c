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

#include "imapsyn/imap_cursor.h"
#include "imapsyn/imap_parser.h"

/* field - one header field name: an atom or a quoted string without escapes */
static int
field(struct imap_cur *c, struct imap_section *sec)
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
fields(struct imap_cur *c, struct imap_section *sec)
{
	if (!imap_cur_eat(c, " ("))
		return -1;
	do {
		if (field(c, sec) < 0)
			return -1;
	} while (imap_cur_eat(c, " "));
	return imap_cur_eat(c, ")") ? 0 : -1;
}

/* text - what follows the part numbers (or stands alone) */
static int
text(struct imap_cur *c, struct imap_section *sec)
{
	if (imap_cur_eat(c, "HEADER.FIELDS.NOT")) {
		sec->text = IMAP_SECTION_HEADER_FIELDS_NOT;
		return fields(c, sec);
	}
	if (imap_cur_eat(c, "HEADER.FIELDS")) {
		sec->text = IMAP_SECTION_HEADER_FIELDS;
		return fields(c, sec);
	}
	if (imap_cur_eat(c, "HEADER"))
		sec->text = IMAP_SECTION_HEADER;
	else if (imap_cur_eat(c, "TEXT"))
		sec->text = IMAP_SECTION_TEXT;
	else if (sec->nparts > 0 && imap_cur_eat(c, "MIME"))
		sec->text = IMAP_SECTION_MIME;
	else
		return -1;
	return 0;
}

/* spec - the inside of the brackets */
static int
spec(struct imap_cur *c, struct imap_section *sec)
{
	if (c->i < c->n && c->s[c->i] == ']')
		return 0;
	if (c->s[c->i] < '0' || c->s[c->i] > '9')
		return sec->item == IMAP_FETCH_BODY ? text(c, sec) : -1;
	do {
		if (sec->nparts == IMAP_SECTION_MAX_PARTS ||
		    imap_cur_number(c, true, &sec->part[sec->nparts++]) < 0)
			return -1;
	} while (imap_cur_eat(c, ".") && c->i < c->n && c->s[c->i] >= '0' && c->s[c->i] <= '9');
	if (c->s[c->i - 1] != '.')
		return 0;
	return sec->item == IMAP_FETCH_BODY ? text(c, sec) : -1;
}

/* partial - "<offset.count>", count not zero */
static int
partial(struct imap_cur *c, struct imap_section *sec)
{
	if (c->i == c->n)
		return 0;
	if (sec->item == IMAP_FETCH_BINARY_SIZE || !imap_cur_eat(c, "<") ||
	    imap_cur_number(c, false, &sec->offset) < 0 || !imap_cur_eat(c, ".") ||
	    imap_cur_number(c, true, &sec->count) < 0 || !imap_cur_eat(c, ">"))
		return -1;
	sec->partial = true;
	return 0;
}

int
imap_parser_section(const char *atom, size_t len, struct imap_section *sec_r)
{
	struct imap_cur c = { atom, 0, len };

	memset(sec_r, 0, sizeof(*sec_r));
	if (imap_cur_eat(&c, "BODY.PEEK[")) {
		sec_r->peek = true;
	} else if (imap_cur_eat(&c, "BINARY.PEEK[")) {
		sec_r->item = IMAP_FETCH_BINARY;
		sec_r->peek = true;
	} else if (imap_cur_eat(&c, "BINARY.SIZE[")) {
		sec_r->item = IMAP_FETCH_BINARY_SIZE;
	} else if (imap_cur_eat(&c, "BINARY[")) {
		sec_r->item = IMAP_FETCH_BINARY;
	} else if (!imap_cur_eat(&c, "BODY[")) {
		return -1;
	}
	if (c.i == c.n || spec(&c, sec_r) < 0 || !imap_cur_eat(&c, "]"))
		return -1;
	return partial(&c, sec_r);
}
