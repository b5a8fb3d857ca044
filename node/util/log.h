/*
 * log.h - the one logging interface of Duplex.
 *
 * Every line names the session or queue id it belongs to (or "-" for none),
 * so one message can be followed from the relay to the mailbox. Lines go to
 * syslog (facility mail) or, in the foreground, to stderr.
 *
 * The ladder: debug, info, warn, error for what happens at run time;
 * log_fatal() only at start-up or for a bad config (it exits 1);
 * log_panic() for a broken invariant (it aborts). Nothing on a request path
 * exits: it answers the client with an error instead.
 *
 * Passwords are never passed to these functions.
 */
#ifndef DUPLEX_LOG_H
#define DUPLEX_LOG_H

#include <stdbool.h>

enum log_level { LOG_LEVEL_DEBUG, LOG_LEVEL_INFO, LOG_LEVEL_WARN, LOG_LEVEL_ERROR };

/* log_open - ident is the program name; to_stderr selects stderr over syslog */
void log_open(const char *ident, bool to_stderr, enum log_level min);
void log_set_level(enum log_level min);
/* log_level_parse - "debug", "info", "warn", "error"; -1 if unknown */
int log_level_parse(const char *s);

void log_debug(const char *id, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_info(const char *id, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_warn(const char *id, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_error(const char *id, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void log_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* log_new_id - a fresh 12-character id for a session or queue entry */
void log_new_id(char id[13]);

#endif
