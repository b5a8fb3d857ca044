/*
 * fuzz_pop3_parse.c - libFuzzer target for the POP3 command parser and the
 * SASL decoders it feeds: any line gives a command or an error, never a
 * crash, and the arguments it returns lie inside the line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/sasl.h"
#include "pop3/pop3_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* inside - whether [p, p+n) lies in [base, base+size) */
static int
inside(const char *p, size_t n, const char *base, size_t size)
{
	return p >= base && n <= size && p - base <= (ptrdiff_t)(size - n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size ? size : 1);
	struct pop3_cmd cmd;
	struct sasl_creds cr;
	char out[256];
	int rc;

	memcpy(line, data, size);
	rc = pop3_parse(line, size, &cmd);
	if (rc == POP3_PARSE_OK) {
		if (cmd.verb == POP3_NONE)
			__builtin_trap();
		if (cmd.arg && !inside(cmd.arg, cmd.arglen, line, size))
			__builtin_trap();
		if (cmd.initial && !inside(cmd.initial, cmd.initiallen, line, size))
			__builtin_trap();
		if (cmd.initial) {
			if (sasl_plain_decode(cmd.initial, cmd.initiallen, &cr) == SASL_OK &&
			    cr.authcid[0] == '\0')
				__builtin_trap();	/* PLAIN never accepts an empty authcid */
			sasl_login_decode(cmd.initial, cmd.initiallen, out, sizeof(out));
		}
	} else if (rc > 0 || rc < POP3_PARSE_EEMPTY) {
		__builtin_trap();
	}
	free(line);
	return 0;
}
