/*
 * imap_date.c - IMAP date and date-time parsing and formatting.
 *
 * Calendar arithmetic is done here (days from the civil date and back, the
 * proleptic Gregorian algorithms) rather than with timegm()/gmtime_r(), so
 * the results do not depend on the C library's range or the TZ setting.
 */
#include <stdbool.h>
#include <strings.h>

#include "imapsyn/imap_date.h"

static const char months[12][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

struct cur {
	const char *s;
	size_t i;
	size_t n;
};

/* digits - exactly n digits (at least min of them when n > min) as a number */
static int
digits(struct cur *c, unsigned min, unsigned n, int *v_r)
{
	unsigned k = 0;
	int v = 0;

	while (k < n && c->i < c->n && c->s[c->i] >= '0' && c->s[c->i] <= '9') {
		v = v * 10 + (c->s[c->i++] - '0');
		k++;
	}
	if (k < min)
		return -1;
	*v_r = v;
	return 0;
}

/* lit - the character ch comes next */
static int
lit(struct cur *c, char ch)
{
	if (c->i == c->n || c->s[c->i] != ch)
		return -1;
	c->i++;
	return 0;
}

/* days_from_civil - days since 1970-01-01 of a Gregorian date */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* days_in_month - 28 to 31 */
static int
days_in_month(int y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return dim[m - 1] + (m == 2 && leap);
}

/* date_rest - "-Mon-yyyy" after the day; days since the epoch */
static int
date_rest(struct cur *c, int day, int64_t *days_r)
{
	int m, y;

	if (lit(c, '-') < 0 || c->n - c->i < 4)
		return -1;
	for (m = 0; m < 12; m++) {
		if (strncasecmp(c->s + c->i, months[m], 3) == 0)
			break;
	}
	if (m == 12)
		return -1;
	c->i += 3;
	if (lit(c, '-') < 0 || digits(c, 4, 4, &y) < 0)
		return -1;
	if (day < 1 || day > days_in_month(y, m + 1))
		return -1;
	*days_r = days_from_civil(y, m + 1, day);
	return 0;
}

int
imap_date_parse_date(const char *s, size_t len, int64_t *t_r)
{
	struct cur c = { s, 0, len };
	int day;
	int64_t days;

	if (digits(&c, 1, 2, &day) < 0 || date_rest(&c, day, &days) < 0 || c.i != len)
		return -1;
	*t_r = days * 86400;
	return 0;
}

/* zone - "+hhmm" or "-hhmm" as minutes east */
static int
zone(struct cur *c, int *tz_r)
{
	int sign, hhmm;

	if (c->i == c->n || (c->s[c->i] != '+' && c->s[c->i] != '-'))
		return -1;
	sign = c->s[c->i++] == '-' ? -1 : 1;
	if (digits(c, 4, 4, &hhmm) < 0 || hhmm % 100 >= 60)
		return -1;
	*tz_r = sign * (hhmm / 100 * 60 + hhmm % 100);
	return 0;
}

int
imap_date_parse_datetime(const char *s, size_t len, int64_t *t_r, int *tz_min_r)
{
	struct cur c = { s, 0, len };
	int day, h, m, sec, tz;
	int64_t days;

	if (len > 0 && s[0] == ' ')
		c.i++;
	if (digits(&c, 1, c.i == 1 ? 1 : 2, &day) < 0 ||
	    date_rest(&c, day, &days) < 0 || lit(&c, ' ') < 0 ||
	    digits(&c, 2, 2, &h) < 0 || lit(&c, ':') < 0 ||
	    digits(&c, 2, 2, &m) < 0 || lit(&c, ':') < 0 ||
	    digits(&c, 2, 2, &sec) < 0 || lit(&c, ' ') < 0 ||
	    zone(&c, &tz) < 0 || c.i != len)
		return -1;
	if (h > 23 || m > 59 || sec > 60)
		return -1;
	if (sec == 60)
		sec = 59;
	*t_r = days * 86400 + h * 3600 + m * 60 + sec - (int64_t)tz * 60;
	if (tz_min_r != NULL)
		*tz_min_r = tz;
	return 0;
}

/* civil_from_days - the Gregorian date of a day number */
static void
civil_from_days(int64_t z, int64_t *y_r, int *m_r, int *d_r)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d_r = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m_r = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y_r = yoe + era * 400 + (*m_r <= 2);
}

void
imap_date_format(int64_t t, int tz_min, struct buf *out)
{
	int64_t local = t + (int64_t)tz_min * 60, days, secs, y;
	int m, d, atz = tz_min < 0 ? -tz_min : tz_min;

	days = local / 86400 - (local % 86400 < 0);
	secs = local - days * 86400;
	civil_from_days(days, &y, &m, &d);
	buf_printf(out, "\"%2d-%s-%04lld %02d:%02d:%02d %c%02d%02d\"", d, months[m - 1],
	    (long long)y, (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60),
	    tz_min < 0 ? '-' : '+', atz / 60 % 100, atz % 60);
}
