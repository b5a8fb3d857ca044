/*
 * fuzz_mime_cache.c - libFuzzer target for reading cache blobs from disk:
 * validate and every accessor on arbitrary bytes must stay in bounds, and
 * an accepted blob's answers must lie inside it.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mime/mime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const sections[] = { "", "1", "2", "1.1", "2.1", "10", "1.2.3" };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy, so ASan sees any read past the end */
	unsigned char *b = malloc(size ? size : 1);
	struct mime_part_loc loc;
	const char *s;
	size_t n, i;
	int ok;

	memcpy(b, data, size);
	ok = mime_cache_validate(b, size) == 0;
	if (mime_cache_envelope(b, size, &s, &n) == 0)
		assert(ok && s >= (const char *)b && s + n <= (const char *)b + size);
	if (mime_cache_bodystructure(b, size, true, &s, &n) == 0)
		assert(ok && s >= (const char *)b && s + n <= (const char *)b + size);
	if (mime_cache_bodystructure(b, size, false, &s, &n) == 0)
		assert(ok && s >= (const char *)b && s + n <= (const char *)b + size);
	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (mime_cache_part(b, size, sections[i], &loc) == 0)
			assert(ok && loc.header_off + loc.header_len <= loc.body_off);
	free(b);
	return 0;
}
