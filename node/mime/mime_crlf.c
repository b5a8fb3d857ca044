/*
 * mime_crlf.c - line-end normalization for delivery.
 *
 * Bodies are stored with CRLF line ends so that sizes and partial fetches
 * are exact; mail from LMTP or import may carry bare LF (Unix) or bare CR
 * (old Mac). One-shot: a CR at the end of the input is a line end, so the
 * whole message must be passed at once.
 */
#include "mime/mime.h"

#include <string.h>

/* mime_to_crlf - one pass, runs of ordinary bytes copied whole */
void
mime_to_crlf(const char *in, size_t len, struct buf *out)
{
	size_t i = 0;

	while (i < len) {
		size_t run = i;

		while (run < len && in[run] != '\r' && in[run] != '\n')
			run++;
		buf_append(out, in + i, run - i);
		if (run == len)
			break;
		buf_append(out, "\r\n", 2);
		i = run + (in[run] == '\r' && run + 1 < len && in[run + 1] == '\n' ? 2 : 1);
	}
}
