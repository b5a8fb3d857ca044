/*
 * hostname.h - the name this node gives itself in greetings, EHLO,
 * Received: headers and bounces: the configured one, else the system's.
 */
#ifndef DUPLEX_HOSTNAME_H
#define DUPLEX_HOSTNAME_H

#include <stddef.h>

/*
 * hostname_pick - configured when not NULL, else gethostname(), else
 * "localhost" (when that fails or is empty); into out, size bytes,
 * always NUL-terminated
 */
void hostname_pick(const char *configured, char *out, size_t size);

#endif
