/*
 * fuzz_smtp_parse.c - libFuzzer target for the SMTP/LMTP command parser
 * and the DATA dot-unstuffer: any bytes give a command or a refusal with a
 * reply text, never a crash, an overread or an output bigger than input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "smtp/smtp_data.h"
#include "smtp/smtp_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1), *out = malloc(size + 2);
	struct smtp_cmd cmd;
	struct smtp_dot d;
	size_t off = 0, total = 0;
	bool done = false;
	int rc;

	memcpy(line, data, size);
	line[size] = '\0';
	rc = smtp_parse_line(line, size, &cmd);
	if (rc != 0 && smtp_parse_reply(rc) == NULL)
		__builtin_trap();
	if (rc == 0 && (strlen(cmd.path) > SMTP_PATH_MAX || cmd.nparams > SMTP_PARAMS_MAX))
		__builtin_trap();
	for (size_t i = 0; rc == 0 && i < cmd.nparams; i++)
		if (smtp_param_get(&cmd, cmd.params[i].key) == NULL)
			__builtin_trap();

	/* the same bytes as message data, in pieces of 7 */
	smtp_dot_init(&d);
	while (off < size && !done) {
		size_t n = size - off < 7 ? size - off : 7, got;

		n = smtp_dot_feed(&d, (const char *)data + off, n, out, &got, &done);
		if (got > n + 1)
			__builtin_trap();
		off += n;
		total += got;
	}
	if (total > size + 1)
		__builtin_trap();
	free(line);
	free(out);
	return 0;
}
