/*
 * smtp_data.c - dot-unstuffing for DATA; see smtp_data.h.
 *
 * States follow the position in the current line: at its start, inside
 * it, after a CR, after a leading ".", after a leading ".\r". Only a
 * leading dot is ever withheld, and a withheld "\r" is given back when
 * the line turns out not to be the end.
 */
#include "smtp/smtp_data.h"

enum {
	DOT_BOL,	/* at the start of a line */
	DOT_MID,	/* inside a line */
	DOT_CR,		/* after a CR inside a line */
	DOT_DOT,	/* after a "." at the start of a line */
	DOT_DOTCR,	/* after ".\r" at the start of a line */
	DOT_END,	/* the end marker was taken */
};

void
smtp_dot_init(struct smtp_dot *d)
{
	d->state = DOT_BOL;
}

/* dot_line_byte - the state after an ordinary byte c written inside a line */
static int
dot_line_byte(char c)
{
	if (c == '\n')
		return DOT_BOL;
	return c == '\r' ? DOT_CR : DOT_MID;
}

size_t
smtp_dot_feed(struct smtp_dot *d, const char *in, size_t len, char *out, size_t *outlen,
    bool *done)
{
	size_t i = 0, o = 0;

	*done = d->state == DOT_END;
	while (i < len && d->state != DOT_END) {
		char c = in[i++];

		switch (d->state) {
		case DOT_BOL:
			if (c == '.') {
				d->state = DOT_DOT;
				break;
			}
			out[o++] = c;
			d->state = dot_line_byte(c);
			break;
		case DOT_DOT:
			if (c == '\r') {
				d->state = DOT_DOTCR;
			} else if (c == '\n') {
				d->state = DOT_END;
			} else {
				out[o++] = c;	/* the stuffed dot is dropped */
				d->state = dot_line_byte(c);
			}
			break;
		case DOT_DOTCR:
			if (c == '\n') {
				d->state = DOT_END;
				break;
			}
			out[o++] = '\r';
			out[o++] = c;
			d->state = dot_line_byte(c);
			break;
		default:	/* DOT_MID, DOT_CR */
			out[o++] = c;
			d->state = dot_line_byte(c);
			break;
		}
	}
	*outlen = o;
	*done = d->state == DOT_END;
	return i;
}
