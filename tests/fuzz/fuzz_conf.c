/*
 * fuzz_conf.c - libFuzzer target for the duplex.conf parser: any bytes
 * give either a config or an error message, never a crash or a leak.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "conf/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *fp = fmemopen((void *)data, size, "r");
	struct conf c;
	char err[512];

	if (fp == NULL)
		return 0;
	err[0] = '\0';
	if (conf_parse(fp, "fuzz", &c, err, sizeof(err)) == 0)
		conf_free(&c);
	else if (err[0] == '\0' || strncmp(err, "fuzz:", 5) != 0)
		__builtin_trap();	/* every refusal names the line */
	fclose(fp);
	return 0;
}
