/*
 * sieve_match.c - the comparators (RFC 4790 i;octet, i;ascii-casemap and
 * i;ascii-numeric; RFC 5051 i;unicode-casemap, here as simple case folding
 * of each code point) and the match types :is, :contains, :matches (with
 * the wildcard captures of RFC 5229), :regex (POSIX extended) and
 * relational's :value.
 *
 * Matching works on units: a byte for i;octet and i;ascii-casemap, a
 * UTF-8 character for i;unicode-casemap, each folded as the comparator
 * wants. :matches runs in O(value * key): on a mismatch only the last '*'
 * grows, so the captures of earlier wildcards are as short as possible.
 */
#include "sieve/sieve_int.h"

#include <ctype.h>
#include <locale.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "util/xalloc.h"

static const char *const cmp_names[] = {
	"i;octet", "i;ascii-casemap", "i;ascii-numeric", "i;unicode-casemap"
};
static const char *const rel_names[] = { "gt", "ge", "lt", "le", "eq", "ne" };

/* sv_cmp_find - the comparator named name, or -1 */
int
sv_cmp_find(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (strcasecmp(cmp_names[i], name) == 0)
			return i;
	return -1;
}

/* sv_rel_find - the relation named name (gt, ge, ...), or -1 */
int
sv_rel_find(const char *name)
{
	for (int i = 0; i < 6; i++)
		if (strcasecmp(rel_names[i], name) == 0)
			return i;
	return -1;
}

/* sv_rel_holds - whether the relation holds for the ordering result c */
bool
sv_rel_holds(enum sv_rel rel, int c)
{
	switch (rel) {
	case REL_GT: return c > 0;
	case REL_GE: return c >= 0;
	case REL_LT: return c < 0;
	case REL_LE: return c <= 0;
	case REL_EQ: return c == 0;
	case REL_NE: return c != 0;
	}
	return false;
}

/* utf8_next - decode the character at s (len > 0 bytes) into *cp; its length */
static size_t
utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n;
	uint32_t v;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		v = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		v = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		v = s[0] & 0x07;
	} else {
		*cp = 0x110000u + s[0];		/* a stray byte stands for itself */
		return 1;
	}
	if (n > len)
		n = 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			n = 0;
			break;
		}
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (n == 0) {
		*cp = 0x110000u + s[0];
		return 1;
	}
	*cp = v;
	return n;
}

/* fold_cp - the case folding of code point cp (C.UTF-8 rules) */
static uint32_t
fold_cp(uint32_t cp)
{
	static locale_t loc;

	if (cp < 0x80)
		return (uint32_t)tolower((int)cp);
	if (cp >= 0x110000u)
		return cp;
	if (loc == (locale_t)0)
		loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	return loc != (locale_t)0 ? (uint32_t)towlower_l((wint_t)cp, loc) : cp;
}

/* unit - the unit of s at *i (advanced past it), folded for cmp */
static uint32_t
unit(enum sv_cmp cmp, const char *s, size_t len, size_t *i)
{
	uint32_t cp;

	switch (cmp) {
	case CMP_CASEMAP:
		return (uint32_t)tolower((unsigned char)s[(*i)++]);
	case CMP_UNICODE:
		*i += utf8_next((const unsigned char *)s + *i, len - *i, &cp);
		return fold_cp(cp);
	default:
		return (unsigned char)s[(*i)++];
	}
}

/* numeric - compare by the leading digits; no digits is positive infinity (RFC 4790 9.1) */
static int
numeric(const char *a, const char *b)
{
	size_t la, lb;
	int c;

	if (!isdigit((unsigned char)*a) || !isdigit((unsigned char)*b))
		return isdigit((unsigned char)*a) ? -1 : isdigit((unsigned char)*b) ? 1 : 0;
	while (*a == '0' && isdigit((unsigned char)a[1]))
		a++;
	while (*b == '0' && isdigit((unsigned char)b[1]))
		b++;
	la = strspn(a, "0123456789");
	lb = strspn(b, "0123456789");
	if (la != lb)
		return la < lb ? -1 : 1;
	c = memcmp(a, b, la);
	return c < 0 ? -1 : c > 0;
}

/* sv_compare - the comparator's ordering of a and b */
int
sv_compare(enum sv_cmp cmp, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i = 0, j = 0;

	if (cmp == CMP_NUMERIC)
		return numeric(a, b);
	while (i < la && j < lb) {
		uint32_t x = unit(cmp, a, la, &i), y = unit(cmp, b, lb, &j);

		if (x != y)
			return x < y ? -1 : 1;
	}
	return i < la ? 1 : j < lb ? -1 : 0;
}

/* contains - whether key occurs in value */
static bool
contains(enum sv_cmp cmp, const char *value, const char *key)
{
	size_t lv = strlen(value), lk = strlen(key);

	for (size_t start = 0; start <= lv;) {
		size_t i = start, j = 0;

		while (j < lk && i < lv && unit(cmp, value, lv, &i) == unit(cmp, key, lk, &j))
			;
		if (j >= lk && (lk == 0 || i <= lv)) {
			size_t i2 = start, j2 = 0;
			bool ok = true;

			/* the loop above stops one unit late on a mismatch: confirm */
			while (j2 < lk && ok)
				ok = i2 < lv && unit(cmp, value, lv, &i2) == unit(cmp, key, lk, &j2);
			if (ok)
				return true;
		}
		if (start == lv)
			break;
		unit(cmp, value, lv, &start);
	}
	return false;
}

/* cap_set - capture n holds value[from..to) */
static void
cap_set(struct sv_caps *caps, size_t n, const char *value, size_t from, size_t to)
{
	if (caps == NULL || n >= 10)
		return;
	free(caps->s[n]);
	caps->s[n] = xstrndup(value + from, to - from);
	if (caps->n < n + 1)
		caps->n = n + 1;
}

/*
 * matches - the wildcard match of value against key ('*', '?', '\' quoting);
 * the captures (one per wildcard) go to caps
 */
static bool
matches(enum sv_cmp cmp, const char *value, const char *key, struct sv_caps *caps)
{
	size_t lv = strlen(value), lk = strlen(key), i = 0, j = 0;
	size_t star_j = SIZE_MAX, star_i = 0, star_n = 0, nwild = 0;
	size_t wstart[64], wend[64];		/* the span each wildcard matched, by number */

	while (i < lv || j < lk) {
		if (j < lk && key[j] == '*') {
			if (nwild < 64) {
				wstart[nwild] = wend[nwild] = i;
				star_n = nwild++;
			}
			star_j = ++j;
			star_i = i;
			continue;
		}
		if (j < lk && key[j] == '?' && i < lv) {
			size_t s = i;

			unit(cmp == CMP_UNICODE ? CMP_UNICODE : CMP_OCTET, value, lv, &i);
			if (nwild < 64) {
				wstart[nwild] = s;
				wend[nwild++] = i;
			}
			j++;
			continue;
		}
		if (j < lk && i < lv && key[j] != '?') {
			size_t jj = j + (key[j] == '\\' && j + 1 < lk), ii = i;

			if (unit(cmp, value, lv, &ii) == unit(cmp, key, lk, &jj)) {
				i = ii;
				j = jj;
				continue;
			}
		}
		if (star_j == SIZE_MAX || star_i >= lv)
			return false;
		/* grow the last '*' by one unit and retry from just after it */
		unit(cmp == CMP_UNICODE ? CMP_UNICODE : CMP_OCTET, value, lv, &star_i);
		i = star_i;
		j = star_j;
		nwild = star_n + 1;
		wend[star_n] = i;
	}
	if (caps != NULL) {
		sv_caps_clear(caps);
		cap_set(caps, 0, value, 0, lv);
		for (size_t w = 0; w < nwild && w < 9; w++)
			cap_set(caps, w + 1, value, wstart[w], wend[w]);
	}
	return true;
}

/* sv_regex_ok - 0 if key compiles as a POSIX extended regex, else -1 with a message */
int
sv_regex_ok(const char *key, bool icase, char *msg, size_t msgsize)
{
	regex_t re;
	int r = regcomp(&re, key, REG_EXTENDED | (icase ? REG_ICASE : 0));

	if (r != 0) {
		regerror(r, &re, msg, msgsize);
		return -1;
	}
	regfree(&re);
	return 0;
}

/* regex - whether value matches the regex key; its groups go to caps */
static bool
regex(enum sv_cmp cmp, const char *value, const char *key, struct sv_caps *caps)
{
	regex_t re;
	regmatch_t m[10];
	bool ok;

	if (regcomp(&re, key, REG_EXTENDED | (cmp != CMP_OCTET ? REG_ICASE : 0)) != 0)
		return false;
	ok = regexec(&re, value, 10, m, 0) == 0;
	regfree(&re);
	if (ok && caps != NULL) {
		sv_caps_clear(caps);
		for (size_t g = 0; g < 10; g++)
			if (m[g].rm_so >= 0)
				cap_set(caps, g, value, (size_t)m[g].rm_so, (size_t)m[g].rm_eo);
			else
				cap_set(caps, g, value, 0, 0);
	}
	return ok;
}

/* sv_match - whether value matches key under the match type and comparator */
bool
sv_match(enum sv_mt mt, enum sv_cmp cmp, enum sv_rel rel, const char *value, const char *key,
    struct sv_caps *caps)
{
	switch (mt) {
	case MT_IS:
		return sv_compare(cmp, value, key) == 0;
	case MT_CONTAINS:
		return cmp != CMP_NUMERIC && contains(cmp, value, key);
	case MT_MATCHES:
		return cmp != CMP_NUMERIC && matches(cmp, value, key, caps);
	case MT_REGEX:
		return cmp != CMP_NUMERIC && regex(cmp, value, key, caps);
	case MT_VALUE:
	case MT_COUNT:
		return sv_rel_holds(rel, sv_compare(cmp, value, key));
	}
	return false;
}

/* sv_caps_clear - free the captures */
void
sv_caps_clear(struct sv_caps *caps)
{
	for (size_t i = 0; i < 10; i++) {
		free(caps->s[i]);
		caps->s[i] = NULL;
	}
	caps->n = 0;
}
