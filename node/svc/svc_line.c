/*
 * svc_line.c - formatting one protocol reply line for the line-based
 * servers (POP3, LMTP/SMTP). The reply is cut to fit the caller's buffer,
 * never split: a reply longer than the buffer loses its tail, not its CRLF.
 */
#include "svc/svc.h"

#include <stdio.h>
#include <string.h>

/* svc_line_vformat - one place decides how an over-long reply is cut */
int
svc_line_vformat(char *line, size_t size, const char *fmt, va_list ap)
{
	int n;

	n = vsnprintf(line, size - 2, fmt, ap);
	if (n < 0)
		return -1;
	if ((size_t)n > size - 3)
		n = (int)size - 3;
	memcpy(line + n, "\r\n", 3);
	return n + 2;
}
