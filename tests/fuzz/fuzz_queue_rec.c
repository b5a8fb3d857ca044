/*
 * fuzz_queue_rec.c - libFuzzer target for the outbound queue's record
 * decoders: any bytes are refused or decoded without overreading, an
 * envelope record that decodes encodes back to exactly the same bytes, and
 * the schema-1 decoder (run by the upgrade at open) holds to the first.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);	/* exact size: ASan sees any overread */
	struct store_queue_entry e;
	struct buf b = BUF_INIT;

	memcpy(copy, data, size);
	if (store_queue_rec_dec(copy, size, &e) == 0) {
		store_queue_rec_enc(&e, &b);
		if (b.len != size || memcmp(b.data, data, size) != 0)
			__builtin_trap();
		store_queue_entry_free(&e);
		buf_free(&b);
	} else if (e.rcpts != NULL) {
		__builtin_trap();	/* a refusal owns nothing */
	}
	if (store_queue_rec_dec_v1(copy, size, &e) == 0) {
		if (e.msg == NULL || e.msg < (const char *)copy ||
		    e.msg + e.msglen > (const char *)copy + size)
			__builtin_trap();
		store_queue_entry_free(&e);
	} else if (e.rcpts != NULL) {
		__builtin_trap();
	}
	free(copy);
	return 0;
}
