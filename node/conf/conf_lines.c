/*
 * conf_lines.c - reading "key = value" lines; see conf_lines.h.
 */
#include "conf/conf_lines.h"

#include <ctype.h>
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

int
conf_lines_read(FILE *fp, const char *name, conf_line_fn fn, void *ctx, char *err,
    size_t errlen)
{
	char line[4096], why[512];
	unsigned lineno = 0;

	while (fgets(line, sizeof(line), fp) != NULL) {
		char *key, *eq;

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
		if (fn(ctx, trim(key), trim(eq + 1), why, sizeof(why)) < 0) {
			snprintf(err, errlen, "%s:%u: %s", name, lineno, why);
			return -1;
		}
	}
	return 0;
}
