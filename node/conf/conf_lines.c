/*
 * conf_lines.c - reading "key = value" lines; see conf_lines.h.
 */
#include "conf/conf_lines.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

/* trim - strip leading and trailing white space in place */
static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/*
 * trailing_comment - whether value holds a '#' after white space: a comment
 * after a value, which the format does not have. A '#' inside a word (a
 * path like /srv/mail#2) is part of the value.
 */
static bool
trailing_comment(const char *value)
{
	for (const char *p = strchr(value, '#'); p != NULL; p = strchr(p + 1, '#'))
		if (p == value || isspace((unsigned char)p[-1]))
			return true;
	return false;
}

int
conf_lines_read(FILE *fp, const char *name, conf_line_fn fn, void *ctx, char *err,
    size_t errlen)
{
	char line[4096], why[512];
	unsigned lineno = 0;

	while (fgets(line, sizeof(line), fp) != NULL) {
		char *key, *eq, *value;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			snprintf(err, errlen, "%s:%u: line too long", name, lineno);
			return -1;
		}
		key = trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			snprintf(err, errlen, "%s:%u: expected 'key = value'", name, lineno);
			return -1;
		}
		*eq = '\0';
		value = trim(eq + 1);
		if (trailing_comment(value)) {
			snprintf(err, errlen, "%s:%u: '#' after a value; comments must be on a line "
			    "of their own", name, lineno);
			return -1;
		}
		if (fn(ctx, trim(key), value, why, sizeof(why)) < 0) {
			snprintf(err, errlen, "%s:%u: %s", name, lineno, why);
			return -1;
		}
	}
	return 0;
}
