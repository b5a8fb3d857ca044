/*
 * sieve_int.h - the parts of node/sieve shared between its files: the
 * syntax tree, the table of commands, tests and tags, and the functions
 * that turn text into a tree, a tree into the binary form and back.
 */
#ifndef DUPLEX_SIEVE_INT_H
#define DUPLEX_SIEVE_INT_H

#include "sieve/sieve.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

enum sv_argkind { SV_TAG, SV_NUM, SV_STR, SV_LIST };

struct sv_arg {
	enum sv_argkind kind;
	unsigned line, col;
	unsigned tag;		/* SV_TAG: index in sv_tags */
	uint64_t num;		/* SV_NUM */
	char **str;		/* SV_STR (one) and SV_LIST: NUL-terminated strings */
	size_t nstr;
};

/* one command or test */
struct sv_node {
	unsigned id;		/* index in sv_specs */
	unsigned line, col;
	struct sv_arg *arg;
	size_t narg;
	struct sv_node *test;	/* tests: the test of if/not, the list of anyof/allof */
	size_t ntest;
	struct sv_node *block;	/* the commands of its block */
	size_t nblock;
	bool has_block;
	char *name;		/* the identifier while parsing; NULL once resolved */
};

/* the extensions, as bits of a script's require set */
enum sv_ext {
	X_FILEINTO, X_REJECT, X_EREJECT, X_ENVELOPE, X_ENCCHAR, X_IMAP4FLAGS, X_COPY,
	X_BODY, X_VARIABLES, X_VACATION, X_VACSECONDS, X_RELATIONAL, X_SUBADDRESS,
	X_DATE, X_INDEX, X_REGEX, X_DUPLICATE, X_INCLUDE, X_MAILBOX,
	X_CMP_NUMERIC, X_CMP_UNICODE, X_COUNT
};
extern const char *const sv_ext_names[X_COUNT];
#define X_NONE (-1)

struct sv_tagspec {
	const char *name;	/* ":is" */
	char arg;		/* 0, or the type of its argument: 'S', 'L', 'N' */
	int group;		/* tags of one nonzero group exclude each other */
	int ext;		/* the extension it needs, or X_NONE */
};
extern const struct sv_tagspec sv_tags[];
extern const size_t sv_ntags;

struct sv_spec {
	const char *name;
	bool test;
	int ext;		/* the extension it needs, or X_NONE */
	const char *tags;	/* the tags it takes, space-separated; "name/ext" overrides the tag's ext */
	const char *pos;	/* positional arguments: S string, L string list, N number, T test,
				 * X test list; a lowercase first letter is optional */
	int block;		/* 1 needs a block, 0 takes none */
};
extern const struct sv_spec sv_specs[];
extern const size_t sv_nspecs;

/* sv_tag_find - the index of tag name in sv_tags, or -1 */
int sv_tag_find(const char *name);
/* sv_spec_find - the index of command (test false) or test name in sv_specs, or -1 */
int sv_spec_find(const char *name, bool test);

/* sv_parse - text to a tree of commands (*top, *ntop); 0, or -1 with err */
int sv_parse(const char *src, size_t len, const struct sieve_limits *lim,
    struct sv_node **top, size_t *ntop, struct sieve_error *err);
/*
 * sv_check - resolve and check the tree (names to ids); the require set in
 * *exts; encoded characters decoded when decode_chars (at compile time,
 * not again when a decoded tree is checked); 0, or -1 with err
 */
int sv_check(struct sv_node *top, size_t ntop, bool decode_chars, uint32_t *exts,
    struct sieve_error *err);
/* sv_nodes_free - free n nodes and what they hold, then the array */
void sv_nodes_free(struct sv_node *n, size_t count);

/* sv_encode - append the binary form of the checked tree to out */
void sv_encode(const struct sv_node *top, size_t ntop, struct buf *out);
/*
 * sv_decode - the binary form back to a tree, checked again like a new
 * script (nothing in bin is trusted); 0, or -1 with err
 */
int sv_decode(const unsigned char *bin, size_t len, struct sv_node **top, size_t *ntop,
    uint32_t *exts, struct sieve_error *err);

/* sv_errorf - set err (position and message) and return -1 */
int sv_errorf(struct sieve_error *err, unsigned line, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* comparators and match types (sieve_match.c) */
enum sv_cmp { CMP_OCTET, CMP_CASEMAP, CMP_NUMERIC, CMP_UNICODE };
enum sv_mt { MT_IS, MT_CONTAINS, MT_MATCHES, MT_REGEX, MT_VALUE, MT_COUNT };
enum sv_rel { REL_GT, REL_GE, REL_LT, REL_LE, REL_EQ, REL_NE };

/* sv_cmp_find - the comparator named name, or -1 */
int sv_cmp_find(const char *name);
/* sv_rel_find - the relation named name (gt, ge, ...), or -1 */
int sv_rel_find(const char *name);
/* sv_rel_holds - whether the relation holds for the ordering result c (<0, 0, >0) */
bool sv_rel_holds(enum sv_rel rel, int c);
/* sv_compare - the comparator's ordering of a and b */
int sv_compare(enum sv_cmp cmp, const char *a, const char *b);
/*
 * sv_match - whether value matches key; for :matches and :regex the
 * captured groups go to caps (cleared first, NULL to skip), "${0}" first
 */
struct sv_caps {
	char *s[10];
	size_t n;
};
bool sv_match(enum sv_mt mt, enum sv_cmp cmp, enum sv_rel rel, const char *value, const char *key,
    struct sv_caps *caps);
/* sv_regex_ok - 0 if key compiles as a POSIX extended regex, else -1 with a message in msg */
int sv_regex_ok(const char *key, bool icase, char *msg, size_t msgsize);
/* sv_caps_clear - free the captures */
void sv_caps_clear(struct sv_caps *caps);

#endif
