/*
 * sieve.h - the Sieve mail filtering language (RFC 5228 and the extensions
 * listed by sieve_capability()): a compiler from script text to a compact,
 * versioned binary form, and an interpreter that runs that form against one
 * message and its envelope and returns the actions to take.
 *
 * The compiler checks everything it can before a script is stored: syntax,
 * commands, tests, tags and argument types, require, comparators, regular
 * expressions with constant keys, and the limits below. The interpreter
 * never trusts the binary form: a truncated or corrupt one is an error.
 * Neither does I/O; what needs the store (mailboxexists, include,
 * duplicate and vacation's memory) goes through callbacks.
 *
 * Ownership: sieve_compile's *bin and sieve_run's result are malloc'd and
 * belong to the caller (free, sieve_result_free).
 */
#ifndef DUPLEX_SIEVE_H
#define DUPLEX_SIEVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* script size, nesting, actions, redirects, running time */
struct sieve_limits {
	size_t max_script_size;		/* bytes of script text */
	unsigned max_nesting;		/* blocks and tests inside each other */
	unsigned max_actions;		/* actions one run may take */
	unsigned max_redirects;		/* redirects one run may take */
	unsigned long max_steps;	/* commands, tests and comparisons one run may execute */
	unsigned max_includes;		/* scripts one run may include */
};

#define SIEVE_DEF_SCRIPT_SIZE	(256 * 1024)
#define SIEVE_DEF_NESTING	32
#define SIEVE_DEF_ACTIONS	32
#define SIEVE_DEF_REDIRECTS	4
#define SIEVE_DEF_STEPS		100000
#define SIEVE_DEF_INCLUDES	10

/* sieve_limits_default - fill lim with the defaults above */
void sieve_limits_default(struct sieve_limits *lim);

struct sieve_error {
	unsigned line, col;
	char msg[200];
};

/*
 * sieve_compile - src (len bytes) to the compiled form in *bin (malloc'd,
 * *binlen bytes); 0, or -1 with err set (line and column of the first error)
 */
int sieve_compile(const char *src, size_t len, const struct sieve_limits *lim,
    unsigned char **bin, size_t *binlen, struct sieve_error *err);

/* sieve_capability - the SIEVE capability string: exactly the extensions implemented, space-separated */
const char *sieve_capability(void);

/* what one run is about */
struct sieve_env {
	const char *msg;		/* the message, raw bytes (CRLF or LF) */
	size_t msglen;
	const char *env_from;		/* envelope sender; "" is the null sender */
	const char *env_to;		/* envelope recipient */
	const char *const *my_addrs;	/* the recipient's own addresses, NULL-terminated, or NULL */
	time_t now;			/* currentdate and date's default zone use this */
	/*
	 * callbacks, each may be NULL: mailbox_exists answers mailboxexists
	 * (NULL: no mailbox exists but INBOX); seen answers duplicate and
	 * vacation's memory, whether the id was recorded within the last
	 * seconds (NULL: never); include hands back the compiled form of a
	 * script (malloc'd, the interpreter frees it), 0, or -1 if there is none.
	 */
	bool (*mailbox_exists)(void *arg, const char *mailbox);
	bool (*seen)(void *arg, const char *kind, const char *id, uint64_t seconds);
	int (*include)(void *arg, bool global, const char *name, unsigned char **bin, size_t *binlen);
	void *arg;
};

/* discard is no action: a result without keep, fileinto, redirect or reject discards */
enum sieve_action_type {
	SIEVE_KEEP, SIEVE_FILEINTO, SIEVE_REDIRECT, SIEVE_REJECT, SIEVE_EREJECT, SIEVE_VACATION
};

struct sieve_action {
	enum sieve_action_type type;
	char *mailbox;			/* fileinto; "INBOX" for keep */
	char **flags;			/* keep, fileinto: the IMAP flags to set, NULL-terminated */
	bool create, copy;		/* fileinto :create; fileinto and redirect :copy */
	char *address;			/* redirect: the target; vacation: the reply's recipient */
	char *reason;			/* reject, ereject: the text; vacation: the reply body */
	/* vacation */
	char *from, *subject, *handle;
	bool mime;
	uint64_t seconds;		/* answer each sender at most once within this */
};

/* a record to write if the delivery commits: duplicate's id, vacation's sender */
struct sieve_record {
	char *kind;			/* "duplicate" or "vacation" */
	char *id;
	uint64_t seconds;
};

struct sieve_result {
	struct sieve_action *act;
	size_t nact;
	struct sieve_record *rec;
	size_t nrec;
	bool implicit_keep;		/* the keep in act came from RFC 5228 implicit keep */
	bool stopped;			/* the script ended with stop: no script runs after it */
	char *error;			/* a run-time error (the actions are then implicit keep), or NULL */
	char *no_reply;			/* why a vacation gave no reply, or NULL */
};

/*
 * sieve_run - run the compiled form bin (binlen bytes) against env; fill
 * *res (to be freed with sieve_result_free). Returns 0, or -1 on a run-time
 * error: res then holds only the implicit keep and res->error says why.
 */
int sieve_run(const unsigned char *bin, size_t binlen, const struct sieve_limits *lim,
    const struct sieve_env *env, struct sieve_result *res);

/* sieve_result_free - free what res holds, leaving it empty */
void sieve_result_free(struct sieve_result *res);

#endif
