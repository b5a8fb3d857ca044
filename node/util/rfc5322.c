/*
 * rfc5322.c - formatting a header's date-time; see rfc5322.h.
 */
#include "util/rfc5322.h"

void
rfc5322_date(time_t t, bool utc, char *out, size_t size)
{
	struct tm tm;

	if (utc)
		gmtime_r(&t, &tm);
	else
		localtime_r(&t, &tm);
	if (strftime(out, size, "%a, %d %b %Y %H:%M:%S %z", &tm) == 0 && size > 0)
		out[0] = '\0';
}
