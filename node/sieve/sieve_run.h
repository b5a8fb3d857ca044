/*
 * sieve_run.h - the interpreter's state, shared by the files that run a
 * script: sieve_run.c (commands and actions), sieve_test.c (tests),
 * sieve_vacation.c (vacation's policy) and sieve_date.c (dates).
 */
#ifndef DUPLEX_SIEVE_RUN_H
#define DUPLEX_SIEVE_RUN_H

#include "sieve/sieve_int.h"

struct sv_var {
	char *name;
	char *value;
};

struct sv_vars {
	struct sv_var *v;
	size_t n;
};

/* one script being run: the top one or an included one */
struct sv_scope {
	uint32_t exts;
	struct sv_vars local;
	char **globals;			/* names declared global */
	size_t nglobals;
};

struct sv_run {
	const struct sieve_limits *lim;
	const struct sieve_env *env;
	struct sieve_result *res;
	struct sv_scope *scope;
	struct sv_vars global;
	struct sv_caps caps;		/* the match variables ${0}..${9} */
	char **flags;			/* imap4flags' internal variable, NULL-terminated */
	unsigned long steps;
	unsigned redirects, includes;
	bool cancel_keep;		/* an action cancelled the implicit keep */
	bool stop;			/* stop (everything) */
	bool ret;			/* return (this script) */
	char **once;			/* scripts included :once */
	size_t nonce;
	char *error;			/* the first run-time error */
};

/* sv_fail - record the first run-time error; returns -1 */
int sv_fail(struct sv_run *r, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* sv_step - count one step; -1 (and the error) past the limit */
int sv_step(struct sv_run *r);
/* sv_steps - count n steps; -1 (and the error) past the limit */
int sv_steps(struct sv_run *r, unsigned long n);
/* sv_expand - s with its variables expanded (if the script uses variables), into out */
void sv_expand(struct sv_run *r, const char *s, struct buf *out);
/* sv_expand_dup - sv_expand into a new string (free it) */
char *sv_expand_dup(struct sv_run *r, const char *s);
/* sv_var_get - the value of variable name (match variables by number), or NULL */
const char *sv_var_get(struct sv_run *r, const char *name);
/* sv_var_set - set variable name to value */
void sv_var_set(struct sv_run *r, const char *name, const char *value);

/* the tags a command or test was given, and its positional arguments */
struct sv_tagv {
	bool set;
	const struct sv_arg *arg;	/* the tag's value, if it takes one */
};
struct sv_argv {
	struct sv_tagv tag[64];		/* by index in sv_tags */
	const struct sv_arg *pos[4];
	size_t npos;
};
/* sv_args - sort n's arguments into tags and positional ones */
void sv_args(const struct sv_node *n, struct sv_argv *av);
/* sv_tag - whether tag name was given; its value in *arg if it takes one */
bool sv_tag(const struct sv_argv *av, const char *name, const struct sv_arg **arg);

/* sv_test - evaluate a test: 1 true, 0 false, -1 error */
int sv_test(struct sv_run *r, const struct sv_node *n);

/* dates (sieve_date.c) */
struct sv_date {
	int64_t epoch;
	int zone;			/* minutes east of UTC */
	int year, mon, day, hour, min, sec, wday;
};
int sv_date_parse(const char *s, struct sv_date *d);
void sv_date_from_epoch(int64_t t, int zmin, struct sv_date *d);
int sv_zone_parse(const char *s, int *zmin);
int sv_date_part(const struct sv_date *d, const char *part, char *out, size_t size);

/* addresses (sieve_test.c) */
/* sv_addr_list - append the addr-specs of the address list s, each then a NUL; how many */
size_t sv_addr_list(const char *s, struct buf *out);

/*
 * sv_seen_record - whether kind/id was seen within seconds (the caller's
 * callback, or earlier in this run); records it for the commit either way
 */
bool sv_seen_record(struct sv_run *r, const char *kind, const char *id, uint64_t seconds);

/* sv_add_action - a new zeroed action at the end of the result, or NULL (and the error) past the limit */
struct sieve_action *sv_add_action(struct sv_run *r, const struct sv_node *n,
    enum sieve_action_type type);

/* sv_cmd_vacation - the vacation command (RFC 5230, RFC 6131) */
int sv_cmd_vacation(struct sv_run *r, const struct sv_node *n);

/*
 * sv_vacation_policy - why vacation must not answer this message (RFC 3834,
 * RFC 5230 4.5 and 4.6), or NULL; addrs are :addresses (NULL-terminated or NULL)
 */
const char *sv_vacation_policy(struct sv_run *r, char *const *addrs);

#endif
