/*
 * json.c - quoting a string for JSON output. Quotes and backslashes are
 * escaped, control characters become \u00XX; other bytes, UTF-8 included,
 * pass through unchanged, so the input is expected to be UTF-8 already.
 */
#include "util/json.h"

/* json_write_str - one writer, so every JSON producer escapes alike */
void
json_write_str(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; s != NULL && *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c < 0x20)
			fprintf(fp, "\\u%04x", c);
		else
			fputc(c, fp);
	}
	fputc('"', fp);
}
