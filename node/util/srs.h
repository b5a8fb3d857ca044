/*
 * srs.h - the Sender Rewriting Scheme's SRS0 form, so that mail forwarded
 * to another domain leaves with a sender of ours (it passes SPF at the
 * receiver) and a bounce to that sender finds its way back:
 *
 *	SRS0=HHHH=TT=domain=local@ours
 *
 * TT is the day (days since the epoch, modulo 1024) in two base32
 * characters; HHHH the first four base64 characters of HMAC-SHA1 under the
 * secret over TT, domain and local, all lower-cased. Hash and day are
 * compared without regard to case, because relays and our own store
 * lower-case addresses; the original local part comes back lower-cased.
 * An address is honoured for SRS_MAX_AGE_DAYS days.
 */
#ifndef DUPLEX_SRS_H
#define DUPLEX_SRS_H

#include <stddef.h>
#include <time.h>

#define SRS_MAX_AGE_DAYS 21

/*
 * srs_forward - sender (local@domain) rewritten for our domain ours at
 * time now into out (size bytes); 0, or -1 when sender has no '@' or the
 * result does not fit
 */
int srs_forward(const char *secret, const char *sender, const char *ours, time_t now, char *out,
    size_t size);
/*
 * srs_reverse - the original sender of addr, an SRS0 address whose hash is
 * right and whose day is at most SRS_MAX_AGE_DAYS before now, into out
 * (size bytes); 0, or -1 when addr is none of those
 */
int srs_reverse(const char *secret, const char *addr, time_t now, char *out, size_t size);

#endif
