/*
 * fuzz_srs.c - libFuzzer target for SRS0 reversal, which reads recipient
 * addresses from the network (RCPT TO): any input reverses without fault
 * or is refused, and whatever reverses is a local@domain that forwarding
 * it again and reversing that gives back.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/srs.h"

#define NOW ((time_t)1764720000)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char addr[600], orig[600], again[700], back[700];

	if (size >= sizeof(addr))
		return 0;
	memcpy(addr, data, size);
	addr[size] = '\0';
	if (srs_reverse("fuzz", addr, NOW, orig, sizeof(orig)) != 0)
		return 0;
	assert(strchr(orig, '@') != NULL);
	if (srs_forward("fuzz", orig, "sample.com", NOW, again, sizeof(again)) == 0) {
		assert(srs_reverse("fuzz", again, NOW, back, sizeof(back)) == 0);
		assert(strcasecmp(back, orig) == 0);
	}
	return 0;
}
