/*
 * fuzz_imap_url.c - IMAP URLs and CATENATE part lists under libFuzzer.
 *
 * The input is tried as a URL on its own, then as the inside of a
 * CATENATE list through the command parser, each URL part parsed in turn.
 * Checked: a URL that parses names a message (UID never 0), a mailbox
 * exactly when it is not relative, valid UTF-8, and a section FETCH reads;
 * part lists give TEXT literals and URL strings pointing into the command.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "imapsyn/imap_parser.h"
#include "imapsyn/imap_url.h"
#include "imapsyn/imap_utf7.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* url - parse and check the invariants */
static void
url(const char *s, size_t len)
{
	struct imap_url u;
	struct imap_section sec;

	if (imap_url_parse(s, len, &u) != 0)
		return;
	assert(u.uid != 0);
	assert((u.base == IMAP_URL_RELATIVE) == (u.mailbox[0] == '\0'));
	assert(imap_utf8_valid(u.mailbox, strlen(u.mailbox)) == 0);
	assert(u.base == IMAP_URL_SERVER || u.user[0] == '\0');
	assert(imap_url_section(&u, &sec) == 0 && !sec.partial);
	assert(u.partial || (u.offset == 0 && u.length == 0));
}

/* catenate - "a APPEND x CATENATE (" data ")" through the parser */
static void
catenate(const uint8_t *data, size_t size)
{
	struct imap_parser_opts o = { .literal_plus = IMAP_LITERAL_PLUS, .max_literal = 4096 };
	struct imap_parser *p = imap_parser_new(&o);
	struct buf cmd = BUF_INIT;
	struct imap_cat_part *parts;
	const struct imap_cmd *c;
	size_t used, n, i;

	buf_puts(&cmd, "a APPEND x CATENATE (");
	buf_append(&cmd, data, size);
	buf_puts(&cmd, ")\r\n");
	if (imap_parser_feed(p, cmd.data, cmd.len, &used) == IMAP_PARSE_DONE) {
		c = imap_parser_cmd(p);
		if (c->count == 3 && imap_catenate_parse(&c->args[2], &parts, &n) == 0) {
			assert(n == c->args[2].count / 2);
			for (i = 0; i < n; i++) {
				assert(parts[i].data == c->args[2].list[2 * i + 1].str);
				if (parts[i].kind == IMAP_CAT_URL)
					url(parts[i].data, parts[i].len);
			}
			free(parts);
		}
	}
	buf_free(&cmd);
	imap_parser_free(&p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	url((const char *)data, size);
	catenate(data, size);
	return 0;
}
