/*
 * relay_reply.h - the SMTP client's reply parser (RFC 5321 4.2): fed one
 * line at a time (without CRLF), it collects a possibly multi-line reply
 * and says when it is complete. Syntax only: no I/O, no allocation, so it
 * is tested and fuzzed on its own (tests/unit/test_relay.c,
 * tests/fuzz/fuzz_relay_reply.c).
 *
 * A reply is "ddd-text" lines ending with one "ddd text" (or a bare
 * "ddd") line, every line with the same code. It remembers the first
 * line's text (cut to fit) for logs and bounces, and whether any line
 * announced STARTTLS, for the EHLO reply.
 */
#ifndef DUPLEX_RELAY_REPLY_H
#define DUPLEX_RELAY_REPLY_H

#include <stdbool.h>
#include <stddef.h>

#define RELAY_REPLY_TEXT_MAX 400
#define RELAY_REPLY_LINES_MAX 100	/* a longer reply is an error */

struct relay_reply {
	int code;			/* 200..599 once a line was taken */
	char text[RELAY_REPLY_TEXT_MAX + 1];	/* the first line, code included */
	bool starttls;			/* a line said STARTTLS */
	unsigned lines;
};

enum relay_reply_rc {
	RELAY_REPLY_MORE = 0,		/* a continuation line: feed the next one */
	RELAY_REPLY_DONE = 1,		/* the last line: code and text are final */
	RELAY_REPLY_EBAD = -1,		/* not an SMTP reply line, or too many */
};

/* relay_reply_init - before the first line of a reply */
void relay_reply_init(struct relay_reply *r);
/* relay_reply_line - take line[0..len); see enum relay_reply_rc */
int relay_reply_line(struct relay_reply *r, const char *line, size_t len);

#endif
