/*
 * base64.h - the base64 alphabet (RFC 4648 section 4), shared by the
 * strict decoder SASL needs (auth/sasl.c) and the lenient one MIME
 * bodies need (mime/mime_decode.c).
 */
#ifndef DUPLEX_BASE64_H
#define DUPLEX_BASE64_H

/* base64_value - the 6-bit value of c, or -1 outside the alphabet ('=' included) */
int base64_value(unsigned char c);

#endif
