/*
 * cidr.c - is a peer inside one of a list of CIDR blocks (for
 * smtp_trusted_networks)? IPv4 and IPv6; an IPv4-mapped IPv6 peer
 * (::ffff:a.b.c.d) is matched as IPv4. A malformed entry makes the whole
 * list refuse (-1): a typo must close the door, not open it. The config
 * checks the list at load (cidr_list_ok), so duplexd -t reports the typo.
 */
#include "util/cidr.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

/* cidr_addr - text to 4 or 16 bytes; the family's byte count, or 0 */
static size_t
cidr_addr(const char *s, unsigned char out[16])
{
	if (inet_pton(AF_INET, s, out) == 1)
		return 4;
	if (inet_pton(AF_INET6, s, out) != 1)
		return 0;
	if (memcmp(out, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0) {
		memmove(out, out + 12, 4);
		return 4;
	}
	return 16;
}

/* cidr_in - whether the first bits of a and net agree */
static bool
cidr_in(const unsigned char *a, const unsigned char *net, unsigned bits)
{
	unsigned full = bits / 8, rest = bits % 8;

	if (memcmp(a, net, full) != 0)
		return false;
	return rest == 0 || ((a[full] ^ net[full]) & (0xff << (8 - rest)) & 0xff) == 0;
}

int
cidr_match(const char *list, const char *ip)
{
	unsigned char peer[16], net[16];
	size_t plen = cidr_addr(ip, peer);
	const char *p = list;
	int found = 0;

	while (*p) {
		char item[64], *slash, *end;
		size_t n = strcspn(p, ","), alen;
		unsigned long bits;

		if (n >= sizeof(item))
			return -1;
		memcpy(item, p, n);
		item[n] = '\0';
		p += n + (p[n] == ',');
		{
			char *s = item, *e;

			while (*s == ' ')
				s++;
			for (e = s + strlen(s); e > s && e[-1] == ' '; e--)
				;
			*e = '\0';
			memmove(item, s, strlen(s) + 1);
		}
		if (item[0] == '\0')
			continue;
		if ((slash = strchr(item, '/')) != NULL)
			*slash++ = '\0';
		if ((alen = cidr_addr(item, net)) == 0)
			return -1;
		bits = alen * 8;
		if (slash != NULL) {
			bits = strtoul(slash, &end, 10);
			if (*slash == '\0' || *end != '\0' || bits > alen * 8)
				return -1;
		}
		if (plen == alen && cidr_in(peer, net, (unsigned)bits))
			found = 1;
	}
	return found;
}

/* cidr_list_ok - an empty peer is in no block, so only the list's syntax decides */
bool
cidr_list_ok(const char *list)
{
	return cidr_match(list, "") >= 0;
}
