/*
 * sasl.c - strict base64 and the PLAIN and LOGIN mechanisms; see sasl.h.
 *
 * Every decoded field is bounded before it is copied, so a client cannot
 * make us allocate: the largest PLAIN message fits on the stack.
 */
#include "auth/sasl.h"

#include <stdbool.h>
#include <string.h>

#include "util/base64.h"

int
sasl_b64_decode(const char *in, size_t inlen, unsigned char *out, size_t outmax,
    size_t *outlen_r)
{
	size_t n = 0;

	*outlen_r = 0;
	if (inlen % 4 != 0)
		return SASL_EBASE64;
	for (size_t i = 0; i < inlen; i += 4) {
		const unsigned char *q = (const unsigned char *)in + i;
		bool last = i + 4 == inlen;
		int v[4], pad = 0;
		unsigned long w;

		for (int j = 0; j < 4; j++) {
			if (q[j] == '=' && last && j >= 2) {
				v[j] = 0;
				pad++;
				continue;
			}
			if (pad > 0 || (v[j] = base64_value(q[j])) < 0)
				return SASL_EBASE64;	/* data after '=', or outside the alphabet */
		}
		w = (unsigned long)v[0] << 18 | (unsigned long)v[1] << 12 |
		    (unsigned long)v[2] << 6 | (unsigned long)v[3];
		/* the bits under the padding must be zero (RFC 4648 3.5) */
		if ((pad == 1 && (w & 0xff) != 0) || (pad == 2 && (w & 0xffff) != 0))
			return SASL_EBASE64;
		if (n + 3 - (size_t)pad > outmax)
			return SASL_ETOOLONG;
		out[n++] = (unsigned char)(w >> 16);
		if (pad < 2)
			out[n++] = (unsigned char)(w >> 8);
		if (pad < 1)
			out[n++] = (unsigned char)w;
	}
	*outlen_r = n;
	return SASL_OK;
}

/* plain_field - copy one NUL-free field, bounded */
static int
plain_field(const unsigned char *p, size_t len, char *out, size_t outmax)
{
	if (len >= outmax)
		return SASL_ETOOLONG;
	memcpy(out, p, len);
	out[len] = '\0';
	return SASL_OK;
}

int
sasl_plain_split(const unsigned char *msg, size_t len, struct sasl_creds *cr)
{
	const unsigned char *nul1, *nul2, *end = msg + len;
	int rc;

	memset(cr, 0, sizeof(*cr));
	if ((nul1 = memchr(msg, '\0', len)) == NULL)
		return SASL_ESYNTAX;
	if ((nul2 = memchr(nul1 + 1, '\0', (size_t)(end - nul1 - 1))) == NULL)
		return SASL_ESYNTAX;
	if (memchr(nul2 + 1, '\0', (size_t)(end - nul2 - 1)) != NULL)
		return SASL_ESYNTAX;	/* a third NUL: not PLAIN */
	if (nul2 == nul1 + 1)
		return SASL_ESYNTAX;	/* empty authcid */
	if ((rc = plain_field(msg, (size_t)(nul1 - msg), cr->authzid, sizeof(cr->authzid))) < 0 ||
	    (rc = plain_field(nul1 + 1, (size_t)(nul2 - nul1 - 1), cr->authcid,
	    sizeof(cr->authcid))) < 0 ||
	    (rc = plain_field(nul2 + 1, (size_t)(end - nul2 - 1), cr->passwd,
	    sizeof(cr->passwd))) < 0) {
		sasl_creds_clear(cr);
		return rc;
	}
	/* no proxy authorization: the identities must be the same (RFC 4616 2) */
	if (cr->authzid[0] != '\0' && strcmp(cr->authzid, cr->authcid) != 0) {
		sasl_creds_clear(cr);
		return SASL_EAUTHZ;
	}
	return SASL_OK;
}

int
sasl_plain_decode(const char *b64, size_t len, struct sasl_creds *cr)
{
	unsigned char msg[2 * (SASL_ID_MAX + 1) + PASSWD_MAX + 1];
	size_t n;
	int rc;

	memset(cr, 0, sizeof(*cr));
	if ((rc = sasl_b64_decode(b64, len, msg, sizeof(msg), &n)) == SASL_OK)
		rc = sasl_plain_split(msg, n, cr);
	explicit_bzero(msg, sizeof(msg));
	return rc;
}

int
sasl_login_decode(const char *b64, size_t len, char *out, size_t outmax)
{
	size_t n;
	int rc;

	if (outmax == 0)
		return SASL_ETOOLONG;
	out[0] = '\0';
	if ((rc = sasl_b64_decode(b64, len, (unsigned char *)out, outmax - 1, &n)) < 0) {
		explicit_bzero(out, outmax);
		return rc;
	}
	if (memchr(out, '\0', n) != NULL) {
		explicit_bzero(out, outmax);
		return SASL_ESYNTAX;
	}
	out[n] = '\0';
	return SASL_OK;
}

void
sasl_creds_clear(struct sasl_creds *cr)
{
	explicit_bzero(cr, sizeof(*cr));
}

const char *
sasl_strerror(int err)
{
	switch (err) {
	case SASL_OK: return "ok";
	case SASL_EBASE64: return "invalid base64";
	case SASL_ESYNTAX: return "malformed SASL message";
	case SASL_EAUTHZ: return "authorization identity differs from authentication identity";
	case SASL_ETOOLONG: return "SASL field too long";
	}
	return "unknown SASL error";
}
