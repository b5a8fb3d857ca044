/*
 * hostname.c - choosing the node's own name; see hostname.h.
 */
#include "util/hostname.h"

#include <stdio.h>
#include <unistd.h>

void
hostname_pick(const char *configured, char *out, size_t size)
{
	if (configured != NULL) {
		snprintf(out, size, "%s", configured);
		return;
	}
	out[size - 1] = '\0';	/* gethostname() need not terminate a cut name */
	if (gethostname(out, size - 1) != 0 || out[0] == '\0')
		snprintf(out, size, "localhost");
}
