/*
 * base64.h - the base64 alphabet (RFC 4648 section 4), shared by the
 * strict decoder SASL needs (auth/sasl.c) and the lenient one MIME
 * bodies need (mime/mime_decode.c), and the encoder (SASL, RFC 2047
 * words in the headers Duplex writes).
 */
#ifndef DUPLEX_BASE64_H
#define DUPLEX_BASE64_H

#include <stddef.h>

/* base64_value - the 6-bit value of c, or -1 outside the alphabet ('=' included) */
int base64_value(unsigned char c);
/* base64_encode - base64 of in, NUL-terminated; out needs 4*((len+2)/3)+1 bytes */
void base64_encode(const void *in, size_t len, char *out);

#endif
