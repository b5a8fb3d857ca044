/*
 * cidr.h - matching addresses against a comma-separated list of CIDR
 * blocks ("127.0.0.0/8, ::1/128"); a bare address is a /32 or /128.
 */
#ifndef DUPLEX_CIDR_H
#define DUPLEX_CIDR_H

#include <stdbool.h>

/* cidr_match - 1 if ip is in the list, 0 if not, -1 if the list is malformed */
int cidr_match(const char *list, const char *ip);
/* cidr_list_ok - whether every entry of the list parses */
bool cidr_list_ok(const char *list);

#endif
