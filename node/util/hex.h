/*
 * hex.h - hex digits, shared by the quoted-printable and RFC 2047 Q
 * decoders (mime) and IMAP URL %-escapes (imapsyn/imap_url.c).
 */
#ifndef DUPLEX_HEX_H
#define DUPLEX_HEX_H

/* hex_value - a hex digit's value (either case), or -1 */
int hex_value(unsigned char c);

#endif
