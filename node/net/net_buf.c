/*
 * net_buf.c - bounded byte queue with line extraction; see net_buf.h.
 *
 * Growth doubles from NET_BUF_MIN up to max; an empty buffer larger than
 * NET_BUF_KEEP is freed by net_buf_trim(), so idle connections cost little.
 */
#include "net/net_buf.h"

#include <stdlib.h>
#include <string.h>

#include "net/net.h"
#include "util/xalloc.h"

#define NET_BUF_MIN	4096
#define NET_BUF_KEEP	16384

void
net_buf_init(struct net_buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

void
net_buf_free(struct net_buf *b)
{
	free(b->data);
	net_buf_init(b, b->max);
}

size_t
net_buf_len(const struct net_buf *b)
{
	return b->end - b->off;
}

char *
net_buf_peek(const struct net_buf *b)
{
	static char empty[1];

	return b->data ? b->data + b->off : empty;
}

/* net_buf_room - make want bytes free after end: compact, then grow */
static void
net_buf_room(struct net_buf *b, size_t want)
{
	size_t len = b->end - b->off;
	size_t cap = b->cap ? b->cap : NET_BUF_MIN;

	if (b->cap - b->end >= want)
		return;
	if (b->off > 0) {
		memmove(b->data, b->data + b->off, len);
		b->off = 0;
		b->end = len;
		if (b->cap - b->end >= want)
			return;
	}
	while (cap - len < want)
		cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

size_t
net_buf_space(struct net_buf *b, char **p)
{
	size_t len = b->end - b->off;
	size_t want = b->max - len;

	if (len >= b->max)
		return 0;
	/* read in chunks of at most NET_BUF_MIN beyond what is held */
	if (want > NET_BUF_MIN)
		want = NET_BUF_MIN;
	net_buf_room(b, want);
	*p = b->data + b->end;
	return want;
}

void
net_buf_commit(struct net_buf *b, size_t n)
{
	b->end += n;
}

int
net_buf_append(struct net_buf *b, const void *p, size_t n)
{
	if (n > b->max - net_buf_len(b))
		return NET_EFULL;
	if (n == 0)
		return 0;
	net_buf_room(b, n);
	memcpy(b->data + b->end, p, n);
	b->end += n;
	return 0;
}

void
net_buf_consume(struct net_buf *b, size_t n)
{
	b->off += n;
	if (b->off >= b->end)
		b->off = b->end = 0;
}

void
net_buf_clear(struct net_buf *b)
{
	b->off = b->end = 0;
	b->skipping = false;
}

void
net_buf_trim(struct net_buf *b)
{
	if (b->off == b->end && b->cap > NET_BUF_KEEP) {
		free(b->data);
		b->data = NULL;
		b->off = b->end = b->cap = 0;
	}
}

int
net_buf_getline(struct net_buf *b, size_t max_line, char **line_r, size_t *len_r)
{
	for (;;) {
		size_t avail = b->end - b->off;
		char *p, *nl;
		size_t n;

		if (avail == 0)
			return NET_EAGAIN;	/* data may still be NULL */
		p = b->data + b->off;
		nl = memchr(p, '\n', avail);

		if (b->skipping) {
			if (nl == NULL) {
				net_buf_consume(b, avail);
				return NET_EAGAIN;
			}
			net_buf_consume(b, (size_t)(nl - p) + 1);
			b->skipping = false;
			continue;
		}
		if (nl == NULL) {
			/* max_line + 1 leaves room for a CR whose LF is on its way */
			if (avail > max_line + 1 || avail >= b->max) {
				net_buf_consume(b, avail);
				b->skipping = true;
				return NET_ETOOLONG;
			}
			return NET_EAGAIN;
		}
		n = (size_t)(nl - p);
		net_buf_consume(b, n + 1);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n > max_line)
			return NET_ETOOLONG;
		p[n] = '\0';
		*line_r = p;
		*len_r = n;
		return 0;
	}
}
