/*
 * hashtab.c - a chained hash table keyed by strings; see hashtab.h.
 *
 * One allocation per entry: the link, the value area (aligned for any
 * type) and the key's copy after it.
 */
#include "util/hashtab.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

struct hashtab_ent {
	struct hashtab_ent *next;
	max_align_t value[];	/* value_size bytes, then the key */
};

struct hashtab {
	struct hashtab_ent **bucket;
	size_t nbuckets;
	size_t value_size;	/* rounded up so the key follows aligned values */
	size_t count;
};

struct hashtab *
hashtab_new(size_t buckets, size_t value_size)
{
	struct hashtab *t = xcalloc(1, sizeof(*t));
	size_t align = sizeof(max_align_t);

	t->nbuckets = buckets > 0 ? buckets : 1;
	t->bucket = xcalloc(t->nbuckets, sizeof(*t->bucket));
	t->value_size = (value_size + align - 1) / align * align;
	return t;
}

void
hashtab_free(struct hashtab **tp)
{
	struct hashtab *t = *tp;

	if (t == NULL)
		return;
	for (size_t i = 0; i < t->nbuckets; i++) {
		while (t->bucket[i] != NULL) {
			struct hashtab_ent *e = t->bucket[i];

			t->bucket[i] = e->next;
			free(e);
		}
	}
	free(t->bucket);
	free(t);
	*tp = NULL;
}

/* ent_key - the key stored after e's value */
static const char *
ent_key(const struct hashtab *t, const struct hashtab_ent *e)
{
	return (const char *)e->value + t->value_size;
}

/* hashtab_slot - the link that points at key's entry, or the chain's NULL end; FNV-1a */
static struct hashtab_ent **
hashtab_slot(struct hashtab *t, const char *key)
{
	uint32_t h = 2166136261u;
	struct hashtab_ent **pp;

	for (const char *s = key; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	pp = &t->bucket[h % t->nbuckets];
	while (*pp != NULL && strcmp(ent_key(t, *pp), key) != 0)
		pp = &(*pp)->next;
	return pp;
}

void *
hashtab_get(struct hashtab *t, const char *key)
{
	struct hashtab_ent *e = *hashtab_slot(t, key);

	return e != NULL ? e->value : NULL;
}

void *
hashtab_put(struct hashtab *t, const char *key, bool *added_r)
{
	struct hashtab_ent **pp = hashtab_slot(t, key), *e = *pp;
	size_t klen = strlen(key) + 1;

	if (added_r != NULL)
		*added_r = e == NULL;
	if (e != NULL)
		return e->value;
	e = xcalloc(1, sizeof(*e) + t->value_size + klen);
	memcpy((char *)e->value + t->value_size, key, klen);
	*pp = e;
	t->count++;
	return e->value;
}

bool
hashtab_del(struct hashtab *t, const char *key)
{
	struct hashtab_ent **pp = hashtab_slot(t, key), *e = *pp;

	if (e == NULL)
		return false;
	*pp = e->next;
	free(e);
	t->count--;
	return true;
}

size_t
hashtab_count(const struct hashtab *t)
{
	return t->count;
}
