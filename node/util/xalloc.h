/*
 * xalloc.h - allocation wrappers that never return NULL.
 *
 * Every allocation in Duplex goes through these. On exhaustion they log and
 * abort: a long-lived daemon that cannot allocate a few bytes cannot answer
 * anybody correctly, and LMDB keeps every committed byte safe across the
 * restart. Callers therefore never check for NULL. Free with free().
 * The one exception is memory whose size a client chose (an IMAP literal):
 * buf_try_reserve() (util/buf.h) fails instead, and only that client goes.
 */
#ifndef DUPLEX_XALLOC_H
#define DUPLEX_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
