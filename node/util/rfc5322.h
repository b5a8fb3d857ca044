/*
 * rfc5322.h - the date-time of a Date: or Received: header (RFC 5322
 * 3.3), "Tue, 03 Dec 2026 10:05:00 +0900", for the messages Duplex writes
 * itself: bounces, quota warnings, trace headers.
 *
 * Hazard: the day and month names come from strftime(), so they are
 * English only while the process keeps the "C" locale (it never calls
 * setlocale()).
 */
#ifndef DUPLEX_RFC5322_H
#define DUPLEX_RFC5322_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/*
 * rfc5322_date - t in local time with its offset, or in UTC ("+0000")
 * when utc; into out, size bytes (32 are enough), always NUL-terminated
 */
void rfc5322_date(time_t t, bool utc, char *out, size_t size);

#endif
