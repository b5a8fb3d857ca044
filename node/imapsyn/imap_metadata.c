/*
 * imap_metadata.c - METADATA syntax (RFC 5464): entry names checked and
 * lower-cased, GETMETADATA's MAXSIZE and DEPTH options.
 */
#include "imapsyn/imap_metadata.h"

#include <string.h>

/* meta_bad - -1, with why as the reason */
static int
meta_bad(const char **why_r, const char *why)
{
	*why_r = why;
	return -1;
}

/* entry_char - a byte an entry name may hold (RFC 5464 3.2) */
static const char *
entry_char(unsigned char c)
{
	if (c < 0x20 || c >= 0x7f)
		return "Entry name must be printable ASCII";
	if (c == '*' || c == '%')
		return "Entry name must not contain '*' or '%'";
	return NULL;
}

/* entry_top - whether out starts with /private or /shared, as a whole component */
static bool
entry_top(const char *out, size_t n, size_t *top_r)
{
	static const char *const tops[] = { "/private", "/shared" };

	for (size_t i = 0; i < 2; i++) {
		size_t t = strlen(tops[i]);

		if (n >= t && memcmp(out, tops[i], t) == 0 && (n == t || out[t] == '/')) {
			*top_r = t;
			return true;
		}
	}
	return false;
}

int
imap_meta_entry(const char *s, size_t n, bool leaf, char out[IMAP_META_ENTRY_MAX + 1],
    const char **why_r)
{
	size_t top;

	if (n == 0 || s[0] != '/')
		return meta_bad(why_r, "Entry name must begin with '/'");
	if (n > IMAP_META_ENTRY_MAX)
		return meta_bad(why_r, "Entry name too long");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((*why_r = entry_char(c)) != NULL)
			return -1;
		if (c == '/' && i > 0 && s[i - 1] == '/')
			return meta_bad(why_r, "Entry name must not contain \"//\"");
		out[i] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
	}
	out[n] = '\0';
	if (s[n - 1] == '/')
		return meta_bad(why_r, "Entry name must not end with '/'");
	if (!entry_top(out, n, &top))
		return meta_bad(why_r, "Entry name must begin with /private or /shared");
	if (leaf && top == n)
		return meta_bad(why_r, "Entry name needs a name below /private or /shared");
	return 0;
}

int
imap_meta_options(const struct imap_arg *list, struct imap_meta_opts *o, const char **why_r)
{
	bool have_max = false, have_depth = false;

	o->maxsize = UINT64_MAX;
	o->depth = 0;
	if (list->type != IMAP_ARG_LIST || list->count == 0)
		return meta_bad(why_r, "GETMETADATA options must be a list");
	for (size_t i = 0; i < list->count; i += 2) {
		const struct imap_arg *name = &list->list[i];
		const struct imap_arg *val = i + 1 < list->count ? &list->list[i + 1] : NULL;

		if (val == NULL)
			return meta_bad(why_r, "GETMETADATA option without a value");
		if (imap_arg_atom_is(name, "MAXSIZE") && !have_max) {
			if (imap_arg_number(val, &o->maxsize) != 0)
				return meta_bad(why_r, "MAXSIZE needs a number");
			have_max = true;
		} else if (imap_arg_atom_is(name, "DEPTH") && !have_depth) {
			if (imap_arg_atom_is(val, "0"))
				o->depth = 0;
			else if (imap_arg_atom_is(val, "1"))
				o->depth = 1;
			else if (imap_arg_atom_is(val, "infinity"))
				o->depth = IMAP_META_DEPTH_INFINITY;
			else
				return meta_bad(why_r, "DEPTH must be 0, 1 or infinity");
			have_depth = true;
		} else
			return meta_bad(why_r, "Unknown or repeated GETMETADATA option");
	}
	return 0;
}
