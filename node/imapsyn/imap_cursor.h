/*
 * imap_cursor.h - a plain cursor over a string's bytes, for imapsyn's
 * strict second-look readers (FETCH sections, IMAP URLs). Internal to
 * node/imapsyn.
 */
#ifndef DUPLEX_IMAP_CURSOR_H
#define DUPLEX_IMAP_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct imap_cur {
	const char *s;
	size_t i;	/* the next byte */
	size_t n;	/* bytes in s */
};

/* imap_cur_eat - consume word (ASCII case ignored) if it comes next */
bool imap_cur_eat(struct imap_cur *c, const char *word);
/* imap_cur_number - a decimal that fits 32 bits; nz refuses 0 and leading zeros; 0 or -1 */
int imap_cur_number(struct imap_cur *c, bool nz, uint32_t *v_r);

#endif
