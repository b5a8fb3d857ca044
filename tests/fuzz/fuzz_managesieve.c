/*
 * fuzz_managesieve.c - libFuzzer target for the ManageSieve command parser:
 * any text gives a command or an error, never a crash; the strings it
 * returns lie inside the text and end with a NUL; a line the literal
 * check takes for "{n}" really ends with one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "managesieve/managesieve_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* arg_ok - a string lies in text[0..size] and ends with the parser's NUL */
static int
arg_ok(const struct ms_arg *a, const char *text, size_t size)
{
	return a->s >= text && a->len <= size && (size_t)(a->s - text) <= size - a->len &&
	    a->s[a->len] == '\0';
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct ms_cmd cmd;
	struct ms_arg a;
	uint64_t n;
	int rc;

	memcpy(text, data, size);
	text[size] = '\0';
	if (ms_literal_tail(text, size, &n) && (size < 3 || text[size - 1] != '}' || n > UINT32_MAX))
		__builtin_trap();
	rc = ms_parse(text, size, &cmd);
	if (rc == MS_PARSE_OK) {
		if (cmd.verb == MS_NONE || cmd.nargs > MS_MAX_ARGS)
			__builtin_trap();
		for (unsigned i = 0; i < cmd.nargs; i++)
			if (cmd.arg[i].s != NULL && !arg_ok(&cmd.arg[i], text, size))
				__builtin_trap();
	} else if (rc > 0 || rc < MS_PARSE_EEMPTY) {
		__builtin_trap();
	}
	memcpy(text, data, size);
	if (ms_parse_string(text, size, &a) == 0 && !arg_ok(&a, text, size))
		__builtin_trap();
	free(text);
	return 0;
}
