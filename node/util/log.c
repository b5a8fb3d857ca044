/*
 * log.c - syslog or stderr logging with per-line ids; see log.h.
 */
#include "log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

static const char *log_ident = "duplex";
static bool log_stderr = true;
static enum log_level log_min = LOG_LEVEL_INFO;

void
log_open(const char *ident, bool to_stderr, enum log_level min)
{
	log_ident = ident;
	log_stderr = to_stderr;
	log_min = min;
	if (!to_stderr)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_MAIL);
}

void
log_set_level(enum log_level min)
{
	log_min = min;
}

int
log_level_parse(const char *s)
{
	static const char *const names[] = { "debug", "info", "warn", "error" };

	for (int i = 0; i < 4; i++)
		if (strcasecmp(s, names[i]) == 0)
			return i;
	return -1;
}

/* log_emit - one line, "id: text", to the chosen sink */
static void
log_emit(enum log_level lvl, const char *id, const char *fmt, va_list ap)
{
	static const int prio[] = { LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERR };
	static const char *const tag[] = { "debug", "info", "warning", "error" };
	char text[2048];

	if (lvl < log_min)
		return;
	vsnprintf(text, sizeof(text), fmt, ap);
	if (log_stderr) {
		/* one fprintf per line keeps lines from threads whole */
		fprintf(stderr, "%s[%ld]: %s: %s: %s\n", log_ident, (long)getpid(),
		    tag[lvl], id ? id : "-", text);
	} else {
		syslog(prio[lvl], "%s: %s: %s", tag[lvl], id ? id : "-", text);
	}
}

#define LOG_FN(name, lvl)                                   \
	void name(const char *id, const char *fmt, ...)     \
	{                                                   \
		va_list ap;                                 \
		va_start(ap, fmt);                          \
		log_emit(lvl, id, fmt, ap);                 \
		va_end(ap);                                 \
	}

LOG_FN(log_debug, LOG_LEVEL_DEBUG)
LOG_FN(log_info, LOG_LEVEL_INFO)
LOG_FN(log_warn, LOG_LEVEL_WARN)
LOG_FN(log_error, LOG_LEVEL_ERROR)

void
log_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_LEVEL_ERROR, "fatal", fmt, ap);
	va_end(ap);
	exit(1);
}

void
log_panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_LEVEL_ERROR, "panic", fmt, ap);
	va_end(ap);
	abort();
}

/*
 * log_new_id - time-ordered and unique within the process: seconds since
 * the epoch in base 32, then a counter, so ids sort by creation.
 */
void
log_new_id(char id[13])
{
	static const char digits[] = "0123456789BCDFGHJKLMNPQRSTVWXYZ";
	static atomic_uint counter;
	unsigned long long t = (unsigned long long)time(NULL);
	unsigned c = atomic_fetch_add(&counter, 1) ^ ((unsigned)getpid() << 12);
	int i;

	for (i = 6; i >= 0; i--, t /= 31)
		id[i] = digits[t % 31];
	for (i = 11; i >= 7; i--, c /= 31)
		id[i] = digits[c % 31];
	id[12] = '\0';
}
