/*
 * fuzz_relay_reply.c - libFuzzer target for the relay's SMTP reply parser:
 * any bytes, cut into lines at LF, give replies or refusals, never a
 * crash or an overread; a finished reply has a code of 200..599 and a
 * bounded, printable text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "relay/relay_reply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	struct relay_reply r;

	relay_reply_init(&r);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = malloc(n ? n : 1);	/* exact size: ASan sees any overread */
		int rc;

		memcpy(line, p, n);
		rc = relay_reply_line(&r, line, n);
		free(line);
		if (rc != RELAY_REPLY_MORE) {
			if (rc == RELAY_REPLY_DONE && (r.code < 200 || r.code > 599 ||
			    strlen(r.text) > RELAY_REPLY_TEXT_MAX))
				__builtin_trap();
			for (const char *t = r.text; rc == RELAY_REPLY_DONE && *t; t++)
				if ((unsigned char)*t < 32)
					__builtin_trap();
			relay_reply_init(&r);
		}
		p += n + (nl != NULL);
	}
	return 0;
}
