/*
 * net_buf.h - a bounded byte queue with line extraction (inside node/net).
 *
 * Each connection has two: input read from the transport, output waiting to
 * be sent. Both refuse to hold more than max bytes, which is what keeps a
 * client from making the daemon buffer without limit. Bytes live in
 * data[off, end); taking bytes only moves off, so a line handed out by
 * net_buf_getline() stays put until the next net_buf_space() or
 * net_buf_append(), which may compact or grow (and so move) the data.
 */
#ifndef DUPLEX_NET_BUF_H
#define DUPLEX_NET_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct net_buf {
	char *data;
	size_t off, end, cap;
	size_t max;		/* most bytes ever held */
	bool skipping;		/* dropping the rest of an overlong line */
};

void net_buf_init(struct net_buf *b, size_t max);
void net_buf_free(struct net_buf *b);
/* net_buf_len - bytes held */
size_t net_buf_len(const struct net_buf *b);
/* net_buf_peek - the held bytes (net_buf_len() of them) */
char *net_buf_peek(const struct net_buf *b);
/* net_buf_space - room to read into at *p, at most up to max; 0 when full */
size_t net_buf_space(struct net_buf *b, char **p);
/* net_buf_commit - n bytes were written at the net_buf_space() pointer */
void net_buf_commit(struct net_buf *b, size_t n);
/* net_buf_append - queue n bytes; NET_EFULL (nothing queued) past max */
int net_buf_append(struct net_buf *b, const void *p, size_t n);
/* net_buf_consume - drop the first n held bytes */
void net_buf_consume(struct net_buf *b, size_t n);
/* net_buf_clear - drop everything, including a pending overlong line */
void net_buf_clear(struct net_buf *b);
/* net_buf_trim - give back a large allocation once the buffer is empty */
void net_buf_trim(struct net_buf *b);
/*
 * net_buf_getline - next line without CRLF/LF, NUL-terminated in place;
 * 0, NET_EAGAIN or NET_ETOOLONG (see net_conn_getline() in net.h).
 */
int net_buf_getline(struct net_buf *b, size_t max_line, char **line_r, size_t *len_r);

#endif
