/*
 * sasl.h - SASL PLAIN (RFC 4616) and LOGIN decoding, and strict base64
 * (RFC 4648), shared by POP3, IMAP and submission.
 *
 * No I/O and no policy: the protocol reads the client's line, passes the
 * base64 text here and gets the identities and the password back. A client
 * "*" (cancel) is the protocol's business, as is whether plaintext
 * mechanisms are allowed on the connection (auth.h).
 *
 * Hazard: struct sasl_creds holds a password. Clear it with
 * sasl_creds_clear() as soon as it has been verified; never log it.
 */
#ifndef DUPLEX_SASL_H
#define DUPLEX_SASL_H

#include <stddef.h>

#include "auth/passwd.h"

#define SASL_ID_MAX 255		/* longest authzid or authcid (an address is 254) */

enum sasl_err {
	SASL_OK = 0,
	SASL_EBASE64 = -1,	/* not strict base64 */
	SASL_ESYNTAX = -2,	/* wrong number of fields, empty authcid, NUL in LOGIN */
	SASL_EAUTHZ = -3,	/* authzid given and not equal to authcid */
	SASL_ETOOLONG = -4,	/* a field over its limit */
};

struct sasl_creds {
	char authzid[SASL_ID_MAX + 1];	/* "" when the client sent none */
	char authcid[SASL_ID_MAX + 1];
	char passwd[PASSWD_MAX + 1];
};

/*
 * sasl_b64_decode - strict base64: the alphabet of RFC 4648 section 4,
 * padding required, no whitespace, zero pad bits. Writes at most outmax
 * bytes to out (no NUL added) and the count to *outlen_r. SASL_EBASE64 or
 * SASL_ETOOLONG.
 */
int sasl_b64_decode(const char *in, size_t inlen, unsigned char *out, size_t outmax,
    size_t *outlen_r);

/* sasl_plain_split - authzid NUL authcid NUL passwd, already decoded */
int sasl_plain_split(const unsigned char *msg, size_t len, struct sasl_creds *cr);
/* sasl_plain_decode - base64 text of a PLAIN message into cr; see sasl_err */
int sasl_plain_decode(const char *b64, size_t len, struct sasl_creds *cr);
/*
 * sasl_login_decode - one LOGIN answer (user name or password) into out,
 * NUL-terminated; outmax counts the NUL. NULs inside are SASL_ESYNTAX.
 */
int sasl_login_decode(const char *b64, size_t len, char *out, size_t outmax);
/* sasl_creds_clear - wipe the password (and the rest) */
void sasl_creds_clear(struct sasl_creds *cr);
/* sasl_strerror - a constant English reason */
const char *sasl_strerror(int err);

#endif
