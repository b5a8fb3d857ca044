/*
 * imap_date.h - IMAP dates: APPEND's date-time, SEARCH's date, and the
 * INTERNALDATE of FETCH (RFC 3501 / RFC 9051 date, date-time).
 *
 * Times are unix seconds (UTC). Parsing is strict: English month names (any
 * case), real calendar days, hours 0-23, minutes 0-59, seconds 0-60 (a
 * leap second counts as 59), zones -9959..+9959 with minutes under 60,
 * four-digit years. No locale and no TZ variable are involved.
 */
#ifndef DUPLEX_IMAP_DATE_H
#define DUPLEX_IMAP_DATE_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/*
 * imap_date_parse_datetime - "17-Jul-1996 02:44:25 -0700" (the day may be
 * " 7", "07" or "7"), without the quotes the parser already removed. The
 * instant in *t_r, the zone in minutes east of UTC in *tz_min_r (may be
 * NULL). 0, or -1 if invalid.
 */
int imap_date_parse_datetime(const char *s, size_t len, int64_t *t_r, int *tz_min_r);
/*
 * imap_date_parse_date - "1-Feb-1994" or "01-Feb-1994" (SEARCH BEFORE, ON,
 * SINCE...): midnight UTC of that day in *t_r; the command shifts it to
 * its own zone. 0, or -1 if invalid.
 */
int imap_date_parse_date(const char *s, size_t len, int64_t *t_r);
/*
 * imap_date_format - append t as a quoted date-time in the zone tz_min
 * minutes east of UTC: "\"17-Jul-1996 02:44:25 -0700\"", ready for
 * INTERNALDATE.
 */
void imap_date_format(int64_t t, int tz_min, struct buf *out);

#endif
