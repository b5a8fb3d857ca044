/*
 * json.h - the one JSON string writer shared by duplexctl's --json output
 * and duplex-hb status; everything else they print is fixed text.
 */
#ifndef DUPLEX_JSON_H
#define DUPLEX_JSON_H

#include <stdio.h>

/* json_write_str - s as a quoted JSON string on fp; NULL is written as "" */
void json_write_str(FILE *fp, const char *s);

#endif
