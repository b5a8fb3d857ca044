/*
 * imap_cursor.c - the byte cursor imapsyn's section and URL readers share;
 * see imap_cursor.h.
 */
#include <string.h>
#include <strings.h>

#include "imapsyn/imap_cursor.h"

bool
imap_cur_eat(struct imap_cur *c, const char *word)
{
	size_t len = strlen(word);

	if (c->n - c->i < len || strncasecmp(c->s + c->i, word, len) != 0)
		return false;
	c->i += len;
	return true;
}

int
imap_cur_number(struct imap_cur *c, bool nz, uint32_t *v_r)
{
	uint64_t v = 0;
	size_t start = c->i;

	while (c->i < c->n && c->s[c->i] >= '0' && c->s[c->i] <= '9') {
		v = v * 10 + (uint64_t)(c->s[c->i++] - '0');
		if (v > UINT32_MAX)
			return -1;
	}
	if (c->i == start || (nz && (v == 0 || c->s[start] == '0')))
		return -1;
	*v_r = (uint32_t)v;
	return 0;
}
