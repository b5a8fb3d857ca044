/*
 * conf_lines.h - the "key = value" file format shared by duplex.conf and
 * duplex-hb.conf: one setting a line, blank lines and lines starting with
 * '#' ignored, white space around key and value dropped. Comments take whole
 * lines only, as in Dovecot and Postfix: a value holding a '#' that starts
 * it or follows white space ("a = b  # note") is an error, never silently
 * part of the value; a '#' inside a word ("/srv/mail#2") is kept.
 */
#ifndef DUPLEX_CONF_LINES_H
#define DUPLEX_CONF_LINES_H

#include <stddef.h>
#include <stdio.h>

/* one setting; < 0 with the reason in why rejects it */
typedef int (*conf_line_fn)(void *ctx, const char *key, const char *value, char *why,
    size_t whylen);

/*
 * conf_lines_read - call fn for each setting in fp until the first error:
 * a line over 4095 bytes, a line without '=', a '#' comment after a value,
 * or fn's refusal. Then -1 and
 * err says "NAME:LINE: why".
 */
int conf_lines_read(FILE *fp, const char *name, conf_line_fn fn, void *ctx, char *err,
    size_t errlen);

#endif
