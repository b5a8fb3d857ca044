/*
 * sieve_date.c - the date extension's parts (RFC 5260): parsing an
 * RFC 5322 date-time, moving it to another zone, and the date parts
 * (year, month, ... iso8601, std11, zone, weekday) as strings.
 */
#include "sieve/sieve_run.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const months[] = {
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
};
static const char *const wdays[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };

/* days_from_civil - days since 1970-01-01 of y-m-d (proleptic Gregorian) */
static long long
days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

/* sv_date_from_epoch - t (seconds since the epoch) seen in zone zmin (minutes east of UTC) */
void
sv_date_from_epoch(int64_t t, int zmin, struct sv_date *d)
{
	int64_t s = t + (int64_t)zmin * 60, days = s / 86400, rem = s % 86400, z, era;
	unsigned doe, yoe, doy, mp;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	d->epoch = t;
	d->zone = zmin;
	d->hour = (int)(rem / 3600);
	d->min = (int)(rem / 60 % 60);
	d->sec = (int)(rem % 60);
	d->wday = (int)(((days % 7) + 11) % 7);	/* 1970-01-01 was a Thursday */
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	d->mon = (int)(mp < 10 ? mp + 3 : mp - 9);
	d->year = (int)(yoe + era * 400 + (d->mon <= 2));
}

/* skip_cfws - skip white space and comments */
static const char *
skip_cfws(const char *s)
{
	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (*s != '(')
			return s;
		for (int depth = 0; *s != '\0'; s++) {
			if (*s == '(')
				depth++;
			else if (*s == ')' && --depth == 0) {
				s++;
				break;
			}
		}
	}
}

/* number - digits at *s (at most max of them), advancing; -1 if none */
static int
number(const char **s, int max)
{
	int v = 0, n = 0;

	*s = skip_cfws(*s);
	while (isdigit((unsigned char)**s) && n < max) {
		v = v * 10 + (**s - '0');
		(*s)++;
		n++;
	}
	return n > 0 ? v : -1;
}

/* zone - a numeric zone or an obsolete name, in minutes east; 0 if unknown */
static int
zone(const char *s)
{
	static const struct { const char *name; int min; } names[] = {
		{ "UT", 0 }, { "GMT", 0 }, { "Z", 0 }, { "EST", -300 }, { "EDT", -240 },
		{ "CST", -360 }, { "CDT", -300 }, { "MST", -420 }, { "MDT", -360 },
		{ "PST", -480 }, { "PDT", -420 },
	};

	s = skip_cfws(s);
	if ((s[0] == '+' || s[0] == '-') && strspn(s + 1, "0123456789") >= 4) {
		int v = ((s[1] - '0') * 10 + (s[2] - '0')) * 60 + (s[3] - '0') * 10 + (s[4] - '0');

		return s[0] == '-' ? -v : v;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strncasecmp(s, names[i].name, strlen(names[i].name)) == 0)
			return names[i].min;
	return 0;
}

/* sv_date_parse - an RFC 5322 date-time (obsolete forms too); 0, or -1 */
int
sv_date_parse(const char *s, struct sv_date *d)
{
	int day, mon = -1, year, hour, min, sec = 0;

	s = skip_cfws(s);
	if (isalpha((unsigned char)*s)) {		/* day-of-week, */
		while (isalpha((unsigned char)*s))
			s++;
		s = skip_cfws(s);
		if (*s == ',')
			s++;
	}
	if ((day = number(&s, 2)) < 1 || day > 31)
		return -1;
	s = skip_cfws(s);
	for (int i = 0; i < 12; i++)
		if (strncasecmp(s, months[i], 3) == 0)
			mon = i + 1;
	if (mon < 0)
		return -1;
	s += 3;
	if ((year = number(&s, 4)) < 0)
		return -1;
	if (year < 50)
		year += 2000;
	else if (year < 1000)
		year += 1900;
	if ((hour = number(&s, 2)) < 0 || hour > 23 || *s++ != ':' || (min = number(&s, 2)) < 0 ||
	    min > 59)
		return -1;
	if (*s == ':' && (s++, (sec = number(&s, 2)) < 0 || sec > 60))
		return -1;
	int z = zone(s);
	int64_t t = (int64_t)days_from_civil(year, (unsigned)mon, (unsigned)day) * 86400 +
	    hour * 3600 + min * 60 + (sec > 59 ? 59 : sec) - (int64_t)z * 60;
	sv_date_from_epoch(t, z, d);
	return 0;
}

/* sv_zone_parse - "+hhmm" or "-hhmm" in minutes east; 0, or -1 */
int
sv_zone_parse(const char *s, int *zmin)
{
	if (strlen(s) != 5 || (s[0] != '+' && s[0] != '-') || strspn(s + 1, "0123456789") != 4)
		return -1;
	*zmin = zone(s);
	return 0;
}

/* sv_date_part - the named part of d as RFC 5260 2.3 writes it, into out (size >= 40); 0, or -1 */
int
sv_date_part(const struct sv_date *d, const char *part, char *out, size_t size)
{
	int za = (d->zone < 0 ? -d->zone : d->zone) % (100 * 60);
	char zs[16];

	snprintf(zs, sizeof(zs), "%c%02d%02d", d->zone < 0 ? '-' : '+', za / 60, za % 60);
	if (strcasecmp(part, "year") == 0)
		snprintf(out, size, "%04d", d->year);
	else if (strcasecmp(part, "month") == 0)
		snprintf(out, size, "%02d", d->mon);
	else if (strcasecmp(part, "day") == 0)
		snprintf(out, size, "%02d", d->day);
	else if (strcasecmp(part, "date") == 0)
		snprintf(out, size, "%04d-%02d-%02d", d->year, d->mon, d->day);
	else if (strcasecmp(part, "julian") == 0)
		snprintf(out, size, "%lld",
		    days_from_civil(d->year, (unsigned)d->mon, (unsigned)d->day) + 40587);
	else if (strcasecmp(part, "hour") == 0)
		snprintf(out, size, "%02d", d->hour);
	else if (strcasecmp(part, "minute") == 0)
		snprintf(out, size, "%02d", d->min);
	else if (strcasecmp(part, "second") == 0)
		snprintf(out, size, "%02d", d->sec);
	else if (strcasecmp(part, "time") == 0)
		snprintf(out, size, "%02d:%02d:%02d", d->hour, d->min, d->sec);
	else if (strcasecmp(part, "iso8601") == 0)
		snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d%.3s:%s", d->year, d->mon, d->day,
		    d->hour, d->min, d->sec, zs, zs + 3);
	else if (strcasecmp(part, "std11") == 0)
		snprintf(out, size, "%s, %d %c%s %04d %02d:%02d:%02d %s", wdays[d->wday], d->day,
		    toupper((unsigned char)months[d->mon - 1][0]), months[d->mon - 1] + 1, d->year,
		    d->hour, d->min, d->sec, zs);
	else if (strcasecmp(part, "zone") == 0)
		snprintf(out, size, "%s", zs);
	else if (strcasecmp(part, "weekday") == 0)
		snprintf(out, size, "%d", d->wday);
	else
		return -1;
	return 0;
}
