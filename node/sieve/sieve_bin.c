/*
 * sieve_bin.c - the compiled form of a script and sieve_compile.
 *
 * Layout: the magic "DSV", a version byte (SV_VERSION), then the list of
 * top-level commands. A list is a count then its nodes; a node is its
 * index in sv_specs, line, column, its arguments, its list of tests, a
 * has-block byte and its list of commands. An argument is a kind byte
 * then: a tag's index in sv_tags, a number, or a count of strings each a
 * length then its bytes; with its line and column. Counts, numbers and
 * indexes are unsigned LEB128 varints.
 *
 * Decoding trusts nothing: every read is bounded, every index and count
 * checked, nesting capped, and the tree is then checked again exactly like
 * a new script (sv_check), so a corrupt blob is an error, never a crash.
 */
#include "sieve/sieve_int.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define SV_MAGIC	"DSV"
#define SV_VERSION	1
#define SV_MAX_DEPTH	256	/* nesting the decoder accepts, whatever the limits */

/* put_varint - append v as an unsigned LEB128 varint */
static void
put_varint(struct buf *out, uint64_t v)
{
	do {
		unsigned char c = v & 0x7f;

		v >>= 7;
		buf_putc(out, (char)(c | (v != 0 ? 0x80 : 0)));
	} while (v != 0);
}

static void encode_list(const struct sv_node *n, size_t count, struct buf *out);

/* encode_arg - one argument */
static void
encode_arg(const struct sv_arg *a, struct buf *out)
{
	buf_putc(out, (char)a->kind);
	if (a->kind == SV_TAG) {
		put_varint(out, a->tag);
	} else if (a->kind == SV_NUM) {
		put_varint(out, a->num);
	} else {
		put_varint(out, a->nstr);
		for (size_t i = 0; i < a->nstr; i++) {
			size_t l = strlen(a->str[i]);

			put_varint(out, l);
			buf_append(out, a->str[i], l);
		}
	}
	put_varint(out, a->line);
	put_varint(out, a->col);
}

/* encode_list - a count then the nodes */
static void
encode_list(const struct sv_node *n, size_t count, struct buf *out)
{
	put_varint(out, count);
	for (size_t i = 0; i < count; i++) {
		put_varint(out, n[i].id);
		put_varint(out, n[i].line);
		put_varint(out, n[i].col);
		put_varint(out, n[i].narg);
		for (size_t a = 0; a < n[i].narg; a++)
			encode_arg(&n[i].arg[a], out);
		encode_list(n[i].test, n[i].ntest, out);
		buf_putc(out, n[i].has_block ? 1 : 0);
		encode_list(n[i].block, n[i].nblock, out);
	}
}

/* sv_encode - append the binary form of the checked tree to out */
void
sv_encode(const struct sv_node *top, size_t ntop, struct buf *out)
{
	buf_append(out, SV_MAGIC, 3);
	buf_putc(out, SV_VERSION);
	encode_list(top, ntop, out);
}

struct reader {
	const unsigned char *p, *end;
};

/* get_varint - read a varint no larger than max; -1 if there is none */
static int
get_varint(struct reader *r, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;

	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (r->p >= r->end)
			return -1;
		x |= (uint64_t)(*r->p & 0x7f) << shift;
		if ((*r->p++ & 0x80) == 0) {
			*v = x;
			return x <= max ? 0 : -1;
		}
	}
	return -1;
}

/* get_uint - a varint that fits an unsigned */
static int
get_uint(struct reader *r, unsigned *v)
{
	uint64_t x;

	if (get_varint(r, UINT32_MAX, &x) < 0)
		return -1;
	*v = (unsigned)x;
	return 0;
}

static int decode_list(struct reader *r, unsigned depth, struct sv_node **out, size_t *nout);

/* decode_arg - one argument, into a as the parser makes it (tags by name) */
static int
decode_arg(struct reader *r, struct sv_arg *a)
{
	uint64_t v;

	if (r->p >= r->end || *r->p > SV_LIST)
		return -1;
	a->kind = (enum sv_argkind)*r->p++;
	if (a->kind == SV_TAG) {
		if (get_varint(r, sv_ntags - 1, &v) < 0)
			return -1;
		a->str = xmalloc(sizeof(*a->str));
		a->str[0] = xstrdup(sv_tags[v].name + 1);
		a->nstr = 1;
	} else if (a->kind == SV_NUM) {
		if (get_varint(r, UINT64_MAX, &a->num) < 0)
			return -1;
	} else {
		uint64_t n;

		if (get_varint(r, (uint64_t)(r->end - r->p), &n) < 0 || (a->kind == SV_STR && n != 1))
			return -1;
		a->str = xcalloc(n > 0 ? n : 1, sizeof(*a->str));
		for (; a->nstr < n; a->nstr++) {
			if (get_varint(r, (uint64_t)(r->end - r->p), &v) < 0 ||
			    memchr(r->p, '\0', v) != NULL)
				return -1;
			a->str[a->nstr] = xstrndup((const char *)r->p, v);
			r->p += v;
		}
	}
	return get_uint(r, &a->line) < 0 || get_uint(r, &a->col) < 0 ? -1 : 0;
}

/* decode_node - one node, names restored so that sv_check resolves it again */
static int
decode_node(struct reader *r, unsigned depth, struct sv_node *n)
{
	uint64_t v;

	if (get_varint(r, sv_nspecs - 1, &v) < 0)
		return -1;
	n->name = xstrdup(sv_specs[v].name);
	if (get_uint(r, &n->line) < 0 || get_uint(r, &n->col) < 0 ||
	    get_varint(r, (uint64_t)(r->end - r->p), &v) < 0)
		return -1;
	n->arg = xcalloc(v > 0 ? v : 1, sizeof(*n->arg));
	for (; n->narg < v; n->narg++)
		if (decode_arg(r, &n->arg[n->narg]) < 0) {
			n->narg++;
			return -1;
		}
	if (decode_list(r, depth + 1, &n->test, &n->ntest) < 0 || r->p >= r->end || *r->p > 1)
		return -1;
	n->has_block = *r->p++ == 1;
	return decode_list(r, depth + 1, &n->block, &n->nblock);
}

/* decode_list - a count then the nodes */
static int
decode_list(struct reader *r, unsigned depth, struct sv_node **out, size_t *nout)
{
	uint64_t n;

	if (depth > SV_MAX_DEPTH || get_varint(r, (uint64_t)(r->end - r->p), &n) < 0)
		return -1;
	*out = xcalloc(n > 0 ? n : 1, sizeof(**out));
	for (; *nout < n; (*nout)++)
		if (decode_node(r, depth, &(*out)[*nout]) < 0) {
			(*nout)++;
			return -1;
		}
	return 0;
}

/* sv_decode - the binary form back to a checked tree; 0, or -1 with err */
int
sv_decode(const unsigned char *bin, size_t len, struct sv_node **top, size_t *ntop, uint32_t *exts,
    struct sieve_error *err)
{
	struct reader r = { bin + 4, bin + len };

	*top = NULL;
	*ntop = 0;
	if (len < 4 || memcmp(bin, SV_MAGIC, 3) != 0 || bin[3] != SV_VERSION)
		return sv_errorf(err, 0, 0, "not a compiled script of version %d", SV_VERSION);
	if (decode_list(&r, 0, top, ntop) < 0 || r.p != r.end) {
		sv_errorf(err, 0, 0, "corrupt compiled script");
		goto fail;
	}
	if (sv_check(*top, *ntop, false, exts, err) < 0)
		goto fail;
	return 0;
fail:
	sv_nodes_free(*top, *ntop);
	*top = NULL;
	*ntop = 0;
	return -1;
}

/* sieve_compile - src to the compiled form in *bin (malloc'd); 0, or -1 with err */
int
sieve_compile(const char *src, size_t len, const struct sieve_limits *lim, unsigned char **bin,
    size_t *binlen, struct sieve_error *err)
{
	struct sv_node *top;
	size_t ntop;
	uint32_t exts;
	struct buf out = BUF_INIT;

	*bin = NULL;
	*binlen = 0;
	memset(err, 0, sizeof(*err));
	if (sv_parse(src, len, lim, &top, &ntop, err) < 0)
		return -1;
	if (sv_check(top, ntop, true, &exts, err) < 0) {
		sv_nodes_free(top, ntop);
		return -1;
	}
	sv_encode(top, ntop, &out);
	sv_nodes_free(top, ntop);
	*bin = (unsigned char *)out.data;
	*binlen = out.len;
	return 0;
}
