/*
 * buf.c - growable byte buffer; see buf.h.
 */
#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/*
 * buf_grow_cap - the doubled capacity for extra more bytes and a NUL; 0: it
 * fits already; SIZE_MAX, which no allocator gives, when the sum overflows
 */
static size_t
buf_grow_cap(const struct buf *b, size_t extra)
{
	size_t need, cap = b->cap ? b->cap : 64;

	if (extra >= SIZE_MAX - b->len)
		return SIZE_MAX;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	return cap;
}

/* buf_grown - the new data of capacity cap is in place */
static void
buf_grown(struct buf *b, char *data, size_t cap)
{
	b->data = data;
	b->data[b->len] = '\0';	/* buf_cstr() is valid even before the first append */
	b->cap = cap;
}

/* buf_reserve - room for extra more bytes plus a terminating NUL */
void
buf_reserve(struct buf *b, size_t extra)
{
	size_t cap = buf_grow_cap(b, extra);

	if (cap)
		buf_grown(b, xrealloc(b->data, cap), cap);
}

int
buf_try_reserve(struct buf *b, size_t extra)
{
	size_t cap = buf_grow_cap(b, extra);
	char *data;

	if (cap == 0)
		return 0;
	if ((data = realloc(b->data, cap)) == NULL)
		return -1;
	buf_grown(b, data, cap);
	return 0;
}

void
buf_append(struct buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void
buf_putc(struct buf *b, char c)
{
	buf_append(b, &c, 1);
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

const char *
buf_cstr(struct buf *b)
{
	return b->data ? b->data : "";
}
