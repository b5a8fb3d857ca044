/*
 * imap_url.h - IMAP URLs (RFC 5092) that name a message or a part of one,
 * and the parts of a CATENATE list (RFC 4469): syntax only.
 *
 * Forms taken (keywords in any case, %XX escapes decoded):
 *
 *   imap://[user[;AUTH=x]@]host[:port]/mailbox[;UIDVALIDITY=v]/;UID=u ...
 *   /mailbox[;UIDVALIDITY=v]/;UID=u ...      (IMAP_URL_PATH)
 *   ;UID=u ...                               (IMAP_URL_RELATIVE: the
 *                                             selected mailbox)
 *
 * where "..." is [/;SECTION=s][/;PARTIAL=o[.l]]. The mailbox is UTF-8
 * after decoding (RFC 5092 §5), the section is an IMAP section-text
 * ("1.2", "HEADER", "1.MIME", "HEADER.FIELDS (TO)"). Anything else is -1:
 * a message list or search ("?"), ;URLAUTH= and ;EXPIRE= (no URLAUTH
 * here), a mailbox without a UID, unknown parameters, raw bytes outside
 * RFC 5092's bchar, a NUL. The host and port are not checked: the caller
 * decides whose URL it is by the user, and only ever reads its own store.
 */
#ifndef DUPLEX_IMAP_URL_H
#define DUPLEX_IMAP_URL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imapsyn/imap_parser.h"

#define IMAP_URL_MAX		8192	/* bytes of a URL as sent */
#define IMAP_URL_USER_MAX	255
#define IMAP_URL_MAILBOX_MAX	1023	/* decoded; the store's own limit is lower */
#define IMAP_URL_SECTION_MAX	1023	/* of "BODY.PEEK[section]" */

enum imap_url_base {
	IMAP_URL_SERVER,	/* imap://server/... */
	IMAP_URL_PATH,		/* /mailbox/... */
	IMAP_URL_RELATIVE,	/* ;UID=...: the selected mailbox */
};

struct imap_url {
	enum imap_url_base base;
	char user[IMAP_URL_USER_MAX + 1];	/* SERVER: decoded, "" if none */
	char mailbox[IMAP_URL_MAILBOX_MAX + 1];	/* "" for RELATIVE */
	uint32_t uidvalidity;			/* 0: not given */
	uint32_t uid;				/* never 0 */
	bool has_section;
	char fetch[IMAP_URL_SECTION_MAX + 1];	/* "BODY.PEEK[section]", decoded */
	bool partial;
	uint32_t offset;
	uint32_t length;			/* 0: to the end */
};

/* imap_url_parse - a message URL in s (len bytes, any bytes); 0, or -1 if not one */
int imap_url_parse(const char *s, size_t len, struct imap_url *u);

/*
 * imap_url_section - the URL's section as a FETCH BODY.PEEK section with no
 * <partial> (the URL's ;PARTIAL is u->offset and u->length). Field names
 * point into u, so sec_r lives as long as u does. 0, or -1 if the section
 * text is not valid (never, after imap_url_parse() took it).
 */
int imap_url_section(const struct imap_url *u, struct imap_section *sec_r);

enum imap_cat_kind {
	IMAP_CAT_TEXT,		/* TEXT literal: the bytes */
	IMAP_CAT_URL,		/* URL astring: a URL for imap_url_parse() */
};

struct imap_cat_part {
	enum imap_cat_kind kind;
	const char *data;	/* points into the argument: lives as long as it */
	size_t len;
};

/*
 * imap_catenate_parse - the parts of a CATENATE list argument:
 * 1*("TEXT" SP literal / "URL" SP astring), keywords in any case, a
 * literal8 TEXT allowed (RFC 3516). *parts_r (*n_r entries, free() it) on
 * 0; -1 if list is not such a list (nothing allocated).
 */
int imap_catenate_parse(const struct imap_arg *list, struct imap_cat_part **parts_r, size_t *n_r);

#endif
