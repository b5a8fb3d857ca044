/*
 * srs.c - SRS0 addresses: rewriting a forwarded sender and reversing it;
 * see srs.h.
 */
#include "util/srs.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "util/base64.h"

#define SRS_DAYS 1024		/* the day wraps around after this many */
#define SRS_HASH_LEN 4
#define SRS_PART_MAX 256	/* bytes of the domain or local part */

static const char base32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/* srs_day - today, modulo SRS_DAYS */
static unsigned
srs_day(time_t now)
{
	return (unsigned)((now / 86400) % SRS_DAYS);
}

/* srs_hash - the first SRS_HASH_LEN base64 characters of the HMAC, NUL-terminated */
static void
srs_hash(const char *secret, const char *tt, const char *domain, const char *local,
    char out[SRS_HASH_LEN + 1])
{
	char data[2 + 2 * SRS_PART_MAX + 1], b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned maclen = 0;
	int n = snprintf(data, sizeof(data), "%s%s%s", tt, domain, local);

	for (int i = 0; i < n; i++)
		data[i] = (char)tolower((unsigned char)data[i]);
	HMAC(EVP_sha1(), secret, (int)strlen(secret), (const unsigned char *)data, (size_t)n, mac,
	    &maclen);
	base64_encode(mac, maclen, b64);
	memcpy(out, b64, SRS_HASH_LEN);
	out[SRS_HASH_LEN] = '\0';
}

int
srs_forward(const char *secret, const char *sender, const char *ours, time_t now, char *out,
    size_t size)
{
	const char *at = strrchr(sender, '@');
	char local[SRS_PART_MAX + 1], tt[3], hash[SRS_HASH_LEN + 1];
	unsigned day = srs_day(now);
	int n;

	if (at == NULL || at == sender || at[1] == '\0' || (size_t)(at - sender) > SRS_PART_MAX ||
	    strlen(at + 1) > SRS_PART_MAX)
		return -1;
	memcpy(local, sender, (size_t)(at - sender));
	local[at - sender] = '\0';
	tt[0] = base32[(day >> 5) & 31];
	tt[1] = base32[day & 31];
	tt[2] = '\0';
	srs_hash(secret, tt, at + 1, local, hash);
	n = snprintf(out, size, "SRS0=%s=%s=%s=%s@%s", hash, tt, at + 1, local, ours);
	return n > 0 && (size_t)n < size ? 0 : -1;
}

/* base32_value - a base32 character's value (either case), or -1 */
static int
base32_value(char c)
{
	const char *p = c != '\0' ? strchr(base32, toupper((unsigned char)c)) : NULL;

	return p != NULL ? (int)(p - base32) : -1;
}

/* srs_field - the next '='-terminated field of *s into out (at most max bytes); -1 if none */
static int
srs_field(const char **s, char *out, size_t max)
{
	const char *eq = strchr(*s, '=');

	if (eq == NULL || eq == *s || (size_t)(eq - *s) > max)
		return -1;
	memcpy(out, *s, (size_t)(eq - *s));
	out[eq - *s] = '\0';
	*s = eq + 1;
	return 0;
}

int
srs_reverse(const char *secret, const char *addr, time_t now, char *out, size_t size)
{
	char hash[SRS_HASH_LEN + 1], tt[3], domain[SRS_PART_MAX + 1], local[SRS_PART_MAX + 1];
	char want[SRS_HASH_LEN + 1];
	const char *p = addr, *at = strrchr(addr, '@');
	int hi, lo, n;

	if (at == NULL || strncasecmp(p, "SRS0=", 5) != 0)
		return -1;
	p += 5;
	if (srs_field(&p, hash, SRS_HASH_LEN) < 0 || strlen(hash) != SRS_HASH_LEN ||
	    srs_field(&p, tt, 2) < 0 || strlen(tt) != 2 || srs_field(&p, domain, SRS_PART_MAX) < 0 ||
	    strchr(domain, '@') != NULL || p >= at || (size_t)(at - p) > SRS_PART_MAX)
		return -1;
	memcpy(local, p, (size_t)(at - p));
	local[at - p] = '\0';
	if ((hi = base32_value(tt[0])) < 0 || (lo = base32_value(tt[1])) < 0 ||
	    (srs_day(now) + SRS_DAYS - (unsigned)(hi << 5 | lo)) % SRS_DAYS > SRS_MAX_AGE_DAYS)
		return -1;
	srs_hash(secret, tt, domain, local, want);
	if (strcasecmp(want, hash) != 0)
		return -1;
	n = snprintf(out, size, "%s@%s", local, domain);
	return n > 0 && (size_t)n < size ? 0 : -1;
}
