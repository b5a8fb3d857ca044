/*
 * hb_lines.c - a bounded list of formatted lines: the warnings status
 * prints and the reasons a switchover is refused for. Lines past
 * HB_LINES_MAX are dropped; the first are the most serious.
 */
#include "hb_int.h"

#include <stdarg.h>

void
hb_line_add(struct hb_lines *l, const char *fmt, ...)
{
	va_list ap;

	if (l->n >= HB_LINES_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(l->text[l->n++], sizeof(l->text[0]), fmt, ap);
	va_end(ap);
}
