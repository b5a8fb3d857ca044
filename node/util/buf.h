/*
 * buf.h - a growable byte buffer.
 *
 * Hazard: appending may move the data, so pointers into buf->data are valid
 * only until the next append. The buffer owns its data; buf_free() releases
 * it and leaves an empty, reusable buffer.
 */
#ifndef DUPLEX_BUF_H
#define DUPLEX_BUF_H

#include <stddef.h>

struct buf {
	char *data;	/* NUL-terminated when len < cap; may be NULL when empty */
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_reserve(struct buf *b, size_t extra);
/*
 * buf_try_reserve - the same for sizes a client chose (literal data): -1,
 * with b unchanged, when memory runs out, where buf_reserve() aborts
 */
int buf_try_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
void buf_free(struct buf *b);
/* buf_cstr - the contents as a C string; never NULL */
const char *buf_cstr(struct buf *b);

#endif
