/*
 * hashtab.h - a chained hash table keyed by C strings (FNV-1a).
 *
 * Each entry holds a copy of its key and a value area of the size given
 * to hashtab_new(), zeroed when the entry is added: a counter, a small
 * struct, or nothing (size 0, a set of strings). The table owns both;
 * the caller owns nothing it gets back.
 *
 * Hazards: a value pointer stays valid until its key is deleted or the
 * table is freed, so never keep one across a hashtab_del() of that key.
 * There is no locking: a table shared between threads needs the caller's
 * mutex around every call. The bucket count is fixed at creation; chains
 * grow past it, so choose about as many buckets as entries expected.
 */
#ifndef DUPLEX_HASHTAB_H
#define DUPLEX_HASHTAB_H

#include <stdbool.h>
#include <stddef.h>

struct hashtab;

/* hashtab_new - an empty table of buckets chains (at least 1) and value_size-byte values */
struct hashtab *hashtab_new(size_t buckets, size_t value_size);
/* hashtab_free - every entry and the table; clears *tp; NULL is fine */
void hashtab_free(struct hashtab **tp);
/* hashtab_get - key's value, or NULL when key is not in the table */
void *hashtab_get(struct hashtab *t, const char *key);
/*
 * hashtab_put - key's value, adding the key with a zeroed value when it is
 * new; *added_r (when not NULL) says which. Never NULL, even for size 0.
 */
void *hashtab_put(struct hashtab *t, const char *key, bool *added_r);
/* hashtab_del - remove key and its value: whether it was there */
bool hashtab_del(struct hashtab *t, const char *key);
/* hashtab_count - entries in the table */
size_t hashtab_count(const struct hashtab *t);

#endif
