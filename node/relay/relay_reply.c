/*
 * relay_reply.c - the SMTP client's reply parser; see relay_reply.h.
 */
#include "relay/relay_reply.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

void
relay_reply_init(struct relay_reply *r)
{
	memset(r, 0, sizeof(*r));
}

/* is_starttls - an EHLO keyword line "STARTTLS" (any case, nothing after) */
static bool
is_starttls(const char *text, size_t len)
{
	return len == 8 && strncasecmp(text, "STARTTLS", 8) == 0;
}

int
relay_reply_line(struct relay_reply *r, const char *line, size_t len)
{
	int code;

	if (len < 3 || line[0] < '2' || line[0] > '5' || line[1] < '0' || line[1] > '9' ||
	    line[2] < '0' || line[2] > '9')
		return RELAY_REPLY_EBAD;
	if (len > 3 && line[3] != ' ' && line[3] != '-')
		return RELAY_REPLY_EBAD;
	code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
	if ((r->lines > 0 && code != r->code) || ++r->lines > RELAY_REPLY_LINES_MAX)
		return RELAY_REPLY_EBAD;
	if (r->lines == 1) {
		r->code = code;
		snprintf(r->text, sizeof(r->text), "%.*s", (int)(len < RELAY_REPLY_TEXT_MAX ? len :
		    RELAY_REPLY_TEXT_MAX), line);
		for (char *p = r->text; *p; p++)
			if ((unsigned char)*p < 32 || *p == 127)
				*p = ' ';	/* the text ends up in logs and bounces */
	}
	if (len > 4 && is_starttls(line + 4, len - 4))
		r->starttls = true;
	return len > 3 && line[3] == '-' ? RELAY_REPLY_MORE : RELAY_REPLY_DONE;
}
