/*
 * imap_flags.c - IMAP flag lists to and from enum store_flag bits.
 *
 * One table per direction: the names a client may set (\Recent is not
 * one), and the names written back in the order SELECT's FLAGS line
 * gives them, \Recent last. Keywords are kept space-separated, as the
 * store keeps them.
 */
#include <string.h>

#include "imap/imap_flags.h"
#include "store/store.h"

int
imap_flags_parse(const struct imap_arg *list, uint32_t *flags_r, struct buf *keywords)
{
	static const struct { const char *name; uint32_t bit; } sys[] = {
		{ "\\Seen", STORE_F_SEEN }, { "\\Answered", STORE_F_ANSWERED },
		{ "\\Flagged", STORE_F_FLAGGED }, { "\\Deleted", STORE_F_DELETED },
		{ "\\Draft", STORE_F_DRAFT },
	};
	const struct imap_arg *a = list;
	size_t n = 1;

	*flags_r = 0;
	buf_reset(keywords);
	if (list->type == IMAP_ARG_LIST) {
		a = list->list;
		n = list->count;
	}
	for (size_t i = 0; i < n; i++) {
		bool known = false;

		if (a[i].type != IMAP_ARG_ATOM)
			return -1;
		for (size_t j = 0; j < sizeof(sys) / sizeof(sys[0]); j++)
			if (imap_arg_atom_is(&a[i], sys[j].name)) {
				*flags_r |= sys[j].bit;
				known = true;
			}
		if (known)
			continue;
		if (a[i].str[0] == '\\' || strpbrk(a[i].str, "()[]{%*\"") != NULL)
			return -1;
		if (keywords->len)
			buf_putc(keywords, ' ');
		buf_puts(keywords, a[i].str);
	}
	return 0;
}

void
imap_write_flags(struct buf *out, uint32_t flags, const char *keywords)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} sys[] = {
		{ STORE_F_ANSWERED, "\\Answered" },
		{ STORE_F_FLAGGED, "\\Flagged" },
		{ STORE_F_DELETED, "\\Deleted" },
		{ STORE_F_SEEN, "\\Seen" },
		{ STORE_F_DRAFT, "\\Draft" },
		{ IMAP_F_RECENT, "\\Recent" },
	};
	const char *sep = "";

	buf_putc(out, '(');
	for (size_t i = 0; i < sizeof(sys) / sizeof(sys[0]); i++) {
		if (flags & sys[i].bit) {
			buf_printf(out, "%s%s", sep, sys[i].name);
			sep = " ";
		}
	}
	while (keywords != NULL && *keywords != '\0') {
		size_t len = strcspn(keywords, " ");

		if (len > 0) {
			buf_puts(out, sep);
			buf_append(out, keywords, len);
			sep = " ";
		}
		keywords += len + (keywords[len] == ' ');
	}
	buf_putc(out, ')');
}
