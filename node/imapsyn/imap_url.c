/*
 * imap_url.c - IMAP URLs naming a message or part (RFC 5092) and
 * CATENATE's part list (RFC 4469) taken apart; see imap_url.h.
 *
 * A cursor over the URL's bytes, strict like the section reader: the
 * mailbox runs up to the first ';' (bchar has none), each parameter is
 * ";KEY=value" and the parameters after the mailbox reference are
 * separated by '/'. Values are %-decoded before they are checked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imapsyn/imap_cursor.h"
#include "imapsyn/imap_url.h"
#include "imapsyn/imap_utf7.h"
#include "util/hex.h"
#include "util/xalloc.h"

/* bchar - RFC 5092's bchar, less the '%' of an escape and the ';' that ends a value */
static bool
bchar(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	    (ch != '\0' && strchr("-._~!$'()*+,&=:@/", ch) != NULL);
}

/*
 * decode - s[from, to) %-decoded into out (max bytes and a NUL); no NUL
 * may come of it. The length, or -1.
 */
static int
decode(const char *s, size_t from, size_t to, char *out, size_t max)
{
	size_t o = 0, i;

	for (i = from; i < to; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '%') {
			int hi = i + 2 < to ? hex_value((unsigned char)s[i + 1]) : -1;
			int lo = hi >= 0 ? hex_value((unsigned char)s[i + 2]) : -1;

			if (lo < 0 || (hi == 0 && lo == 0))
				return -1;
			ch = (unsigned char)(hi * 16 + lo);
			i += 2;
		} else if (!bchar(ch)) {
			return -1;
		}
		if (o == max)
			return -1;
		out[o++] = (char)ch;
	}
	out[o] = '\0';
	return (int)o;
}

/* value_end - where a ;SECTION= value ends: at the next '/' or the end */
static size_t
value_end(const struct imap_cur *c)
{
	const char *slash = memchr(c->s + c->i, '/', c->n - c->i);

	return slash ? (size_t)(slash - c->s) : c->n;
}

/* server - "imap://" [user [";AUTH=" x] "@"] host [":" port] "/" */
static int
server(struct imap_cur *c, struct imap_url *u)
{
	const char *slash = memchr(c->s + c->i, '/', c->n - c->i);
	size_t end = slash ? (size_t)(slash - c->s) : c->n;
	const char *at = memchr(c->s + c->i, '@', end - c->i);
	size_t user_end;

	if (slash == NULL)
		return -1;
	if (at != NULL) {
		user_end = (size_t)(at - c->s);
		for (size_t k = c->i; k < user_end; k++)
			if (c->s[k] == ';') {
				struct imap_cur a = { c->s, k, user_end };

				if (!imap_cur_eat(&a, ";AUTH=") || a.i == user_end)
					return -1;
				user_end = k;
				break;
			}
		if (user_end == c->i || decode(c->s, c->i, user_end, u->user, IMAP_URL_USER_MAX) < 0)
			return -1;
		c->i = (size_t)(at - c->s) + 1;
	}
	if (c->i == end)
		return -1;	/* no host */
	for (; c->i < end; c->i++)
		if (!bchar((unsigned char)c->s[c->i]) && c->s[c->i] != '%' &&
		    c->s[c->i] != '[' && c->s[c->i] != ']')
			return -1;
	c->i++;		/* the '/' */
	return 0;
}

/* mailbox_ref - enc-mailbox [";UIDVALIDITY=" nz-number] "/" */
static int
mailbox_ref(struct imap_cur *c, struct imap_url *u)
{
	const char *semi = memchr(c->s + c->i, ';', c->n - c->i);
	size_t end = semi ? (size_t)(semi - c->s) : c->n;
	int len;

	if (semi == NULL)
		return -1;	/* a mailbox alone, or a message list: no message */
	if (c->s[end - 1] == '/' && end - 1 > c->i) {
		/* "/INBOX/;UID=": no UIDVALIDITY */
		len = decode(c->s, c->i, end - 1, u->mailbox, IMAP_URL_MAILBOX_MAX);
		c->i = end;
	} else {
		len = decode(c->s, c->i, end, u->mailbox, IMAP_URL_MAILBOX_MAX);
		c->i = end;
		if (!imap_cur_eat(c, ";UIDVALIDITY=") || imap_cur_number(c, true, &u->uidvalidity) < 0 ||
		    !imap_cur_eat(c, "/"))
			return -1;
	}
	if (len <= 0 || imap_utf8_valid(u->mailbox, (size_t)len) < 0)
		return -1;
	return 0;
}

/* section - ";SECTION=" enc-section, kept as "BODY.PEEK[section]" */
static int
section(struct imap_cur *c, struct imap_url *u)
{
	static const char pre[] = "BODY.PEEK[";
	size_t end = value_end(c), pl = sizeof(pre) - 1;
	struct imap_section sec;
	int len;

	memcpy(u->fetch, pre, pl);
	len = decode(c->s, c->i, end, u->fetch + pl, IMAP_URL_SECTION_MAX - pl - 1);
	if (len <= 0)
		return -1;
	u->fetch[pl + (size_t)len] = ']';
	u->fetch[pl + (size_t)len + 1] = '\0';
	c->i = end;
	u->has_section = true;
	return imap_url_section(u, &sec);
}

/* rest - ";UID=" nz-number ["/;SECTION=" s] ["/;PARTIAL=" o ["." l]] to the end */
static int
rest(struct imap_cur *c, struct imap_url *u)
{
	if (!imap_cur_eat(c, ";UID=") || imap_cur_number(c, true, &u->uid) < 0)
		return -1;
	if (imap_cur_eat(c, "/;SECTION=") && section(c, u) < 0)
		return -1;
	if (imap_cur_eat(c, "/;PARTIAL=")) {
		u->partial = true;
		if (imap_cur_number(c, false, &u->offset) < 0 ||
		    (imap_cur_eat(c, ".") && imap_cur_number(c, true, &u->length) < 0))
			return -1;
	}
	return c->i == c->n ? 0 : -1;
}

int
imap_url_parse(const char *s, size_t len, struct imap_url *u)
{
	struct imap_cur c = { s, 0, len };

	memset(u, 0, sizeof(*u));
	strcpy(u->fetch, "BODY.PEEK[]");
	if (len > IMAP_URL_MAX || memchr(s, '\0', len) != NULL)
		return -1;
	if (imap_cur_eat(&c, "imap://")) {
		u->base = IMAP_URL_SERVER;
		if (server(&c, u) < 0 || mailbox_ref(&c, u) < 0)
			return -1;
	} else if (imap_cur_eat(&c, "/")) {
		u->base = IMAP_URL_PATH;
		if (mailbox_ref(&c, u) < 0)
			return -1;
	} else {
		u->base = IMAP_URL_RELATIVE;
	}
	return rest(&c, u);
}

int
imap_url_section(const struct imap_url *u, struct imap_section *sec_r)
{
	if (imap_parser_section(u->fetch, strlen(u->fetch), sec_r) < 0 || sec_r->partial)
		return -1;
	return 0;
}

/* cat_part - one "TEXT" literal or "URL" astring at a[0], a[1]; 0 or -1 */
static int
cat_part(const struct imap_arg *a, struct imap_cat_part *p)
{
	if (imap_arg_atom_is(&a[0], "TEXT") && a[1].type == IMAP_ARG_LITERAL) {
		p->kind = IMAP_CAT_TEXT;
	} else if (imap_arg_atom_is(&a[0], "URL") && a[1].type != IMAP_ARG_NIL &&
	    imap_arg_astring(&a[1]) != NULL) {
		p->kind = IMAP_CAT_URL;
	} else {
		return -1;
	}
	p->data = a[1].str;
	p->len = a[1].len;
	return 0;
}

int
imap_catenate_parse(const struct imap_arg *list, struct imap_cat_part **parts_r, size_t *n_r)
{
	struct imap_cat_part *parts;
	size_t i;

	if (list->type != IMAP_ARG_LIST || list->count == 0 || list->count % 2 != 0)
		return -1;
	parts = xcalloc(list->count / 2, sizeof(*parts));
	for (i = 0; i < list->count; i += 2)
		if (cat_part(&list->list[i], &parts[i / 2]) < 0) {
			free(parts);
			return -1;
		}
	*parts_r = parts;
	*n_r = list->count / 2;
	return 0;
}
