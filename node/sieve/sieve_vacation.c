/*
 * sieve_vacation.c - the vacation command (RFC 5230, with RFC 6131's
 * :seconds) and the policy that does not need the store: no reply to the
 * null sender, to mailing lists (List-Id and the other List- fields,
 * Precedence bulk, list or junk), to automatic mail (Auto-Submitted other
 * than "no"), to system senders (MAILER-DAEMON, owner-, -request), to the
 * user's own addresses, or to mail not addressed to one of them
 * (RFC 3834, RFC 5230 4.5 and 4.6). The memory of whom was answered
 * within :days goes through the seen callback and a record for the commit.
 * The reply itself is built by the caller from the action.
 */
#include "sieve/sieve_run.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mime/mime.h"
#include "util/xalloc.h"

#define VACATION_DEFAULT_DAYS	7

/* mine - whether addr is one of the user's addresses (the recipient, my_addrs, :addresses) */
static bool
mine(struct sv_run *r, char *const *addrs, const char *addr)
{
	if (r->env->env_to != NULL && strcasecmp(r->env->env_to, addr) == 0)
		return true;
	for (const char *const *p = r->env->my_addrs; p != NULL && *p != NULL; p++)
		if (strcasecmp(*p, addr) == 0)
			return true;
	for (char *const *p = addrs; p != NULL && *p != NULL; p++)
		if (strcasecmp(*p, addr) == 0)
			return true;
	return false;
}

/* system_sender - a sender that never wants an automatic reply (RFC 5230 4.6) */
static bool
system_sender(const char *from)
{
	const char *at = strrchr(from, '@');
	size_t local = at != NULL ? (size_t)(at - from) : strlen(from);

	return (local == 13 && strncasecmp(from, "mailer-daemon", 13) == 0) ||
	    (local == 10 && strncasecmp(from, "postmaster", 10) == 0) ||
	    strncasecmp(from, "owner-", 6) == 0 ||
	    (local >= 8 && strncasecmp(from + local - 8, "-request", 8) == 0);
}

/* field_value_in - whether a field named name has one of values (its first word, any case) */
static bool
field_value_in(struct sv_run *r, const char *name, const char *const *values)
{
	struct buf v = BUF_INIT;
	size_t n = mime_header_all(r->env->msg, r->env->msglen, name, &v);
	bool hit = false;

	for (const char *p = v.data; n-- > 0 && !hit; p += strlen(p) + 1) {
		size_t s = strspn(p, " \t"), e = strcspn(p + s, " \t;(");

		for (const char *const *x = values; *x != NULL && !hit; x++)
			hit = strlen(*x) == e && strncasecmp(p + s, *x, e) == 0;
	}
	buf_free(&v);
	return hit;
}

/* addressed_to_me - one of the recipient fields names one of the user's addresses */
static bool
addressed_to_me(struct sv_run *r, char *const *addrs)
{
	static const char *const fields[] = {
		"To", "Cc", "Bcc", "Resent-To", "Resent-Cc", "Resent-Bcc", NULL
	};
	bool found = false;

	for (size_t f = 0; fields[f] != NULL && !found; f++) {
		struct buf v = BUF_INIT, a = BUF_INIT;
		size_t n = mime_header_all(r->env->msg, r->env->msglen, fields[f], &v);

		for (const char *p = v.data; n-- > 0 && !found; p += strlen(p) + 1) {
			size_t k;

			buf_reset(&a);
			k = sv_addr_list(p, &a);
			for (const char *x = a.data; k-- > 0 && !found; x += strlen(x) + 1)
				found = mine(r, addrs, x);
		}
		buf_free(&v);
		buf_free(&a);
	}
	return found;
}

/* sv_vacation_policy - why vacation must not answer this message, or NULL */
const char *
sv_vacation_policy(struct sv_run *r, char *const *addrs)
{
	static const char *const lists[] = { "bulk", "list", "junk", NULL };
	static const char *const list_fields[] = {
		"List-Id", "List-Help", "List-Subscribe", "List-Unsubscribe", "List-Post",
		"List-Owner", "List-Archive", NULL
	};
	const char *from = r->env->env_from;
	struct buf v = BUF_INIT;
	bool auto_submitted;

	if (from == NULL || *from == '\0')
		return "the sender is null";
	if (system_sender(from))
		return "the sender is a system address";
	if (mine(r, addrs, from))
		return "the sender is one of the user's own addresses";
	auto_submitted = mime_header_get(r->env->msg, r->env->msglen, "Auto-Submitted", &v) == 0 &&
	    !field_value_in(r, "Auto-Submitted", (const char *const[]){ "no", NULL });
	buf_free(&v);
	if (auto_submitted)
		return "the message is auto-submitted";
	if (field_value_in(r, "Precedence", lists))
		return "the message has Precedence bulk, list or junk";
	for (size_t i = 0; list_fields[i] != NULL; i++) {
		if (mime_header_get(r->env->msg, r->env->msglen, list_fields[i], &v) == 0) {
			buf_free(&v);
			return "the message comes from a mailing list";
		}
	}
	if (!addressed_to_me(r, addrs))
		return "the message is not addressed to one of the user's addresses";
	return NULL;
}

/* default_handle - RFC 5230 4.2: a handle made from the arguments that shape the reply */
static char *
default_handle(const char *reason, const char *subject, const char *from, bool mime)
{
	uint64_t h = 14695981039346656037ULL;
	const char *parts[] = { reason, subject != NULL ? subject : "", from != NULL ? from : "",
	    mime ? "1" : "0" };

	for (size_t i = 0; i < 4; i++) {
		for (const char *p = parts[i]; ; p++) {
			h = (h ^ (unsigned char)*p) * 1099511628211ULL;
			if (*p == '\0')
				break;
		}
	}
	return xasprintf("%016llx", (unsigned long long)h);
}

/* auto_subject - "Auto: " and the original subject, RFC 2047 decoded (RFC 5230 4.3) */
static char *
auto_subject(struct sv_run *r)
{
	struct buf raw = BUF_INIT, dec = BUF_INIT;
	char *s;

	if (mime_header_get(r->env->msg, r->env->msglen, "Subject", &raw) == 0)
		mime_2047_decode(buf_cstr(&raw), raw.len, &dec);
	s = xasprintf("Auto: %s", buf_cstr(&dec));
	buf_free(&raw);
	buf_free(&dec);
	return s;
}

/* strings_of - a string list's strings expanded, NULL-terminated (free with free_strings) */
static char **
strings_of(struct sv_run *r, const struct sv_arg *a)
{
	char **v = xcalloc(a->nstr + 1, sizeof(*v));

	for (size_t i = 0; i < a->nstr; i++)
		v[i] = sv_expand_dup(r, a->str[i]);
	return v;
}

/* free_strings - free a NULL-terminated string array */
static void
free_strings(char **v)
{
	for (char **p = v; p != NULL && *p != NULL; p++)
		free(*p);
	free(v);
}

/* no_reply - note why vacation gave no reply */
static void
no_reply(struct sv_run *r, const char *why)
{
	free(r->res->no_reply);
	r->res->no_reply = xstrdup(why);
}

/* sv_cmd_vacation - the vacation command (RFC 5230, RFC 6131) */
int
sv_cmd_vacation(struct sv_run *r, const struct sv_node *n)
{
	struct sv_argv av;
	const struct sv_arg *a;
	struct sieve_action *act;
	char **addrs = NULL, *reason, *subject = NULL, *from = NULL, *handle, *id;
	const char *why;
	uint64_t seconds = VACATION_DEFAULT_DAYS * 86400ULL;
	bool mime;

	for (size_t i = 0; i < r->res->nact; i++) {
		if (r->res->act[i].type == SIEVE_VACATION)
			return sv_fail(r, n->line, "only one vacation per message");
		if (r->res->act[i].type == SIEVE_REJECT || r->res->act[i].type == SIEVE_EREJECT)
			return sv_fail(r, n->line, "vacation cannot be combined with reject");
	}
	sv_args(n, &av);
	if (sv_tag(&av, ":days", &a))
		seconds = (a->num < 1 ? 1 : a->num) * 86400ULL;
	if (sv_tag(&av, ":seconds", &a))
		seconds = a->num;
	if (sv_tag(&av, ":addresses", &a))
		addrs = strings_of(r, a);
	mime = sv_tag(&av, ":mime", NULL);
	reason = sv_expand_dup(r, av.pos[0]->str[0]);
	if (sv_tag(&av, ":subject", &a))
		subject = sv_expand_dup(r, a->str[0]);
	if (sv_tag(&av, ":from", &a))
		from = sv_expand_dup(r, a->str[0]);
	handle = sv_tag(&av, ":handle", &a) ? sv_expand_dup(r, a->str[0]) :
	    default_handle(reason, subject, from, mime);
	why = sv_vacation_policy(r, addrs);
	free_strings(addrs);
	if (why == NULL) {
		char *lower = xstrdup(r->env->env_from);

		for (char *p = lower; *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
		id = xasprintf("%s\n%s", handle, lower);
		free(lower);
		if (sv_seen_record(r, "vacation", id, seconds))
			why = "already answered this sender within the period";
		free(id);
	}
	if (why != NULL) {
		no_reply(r, why);
		act = NULL;
	} else if ((act = sv_add_action(r, n, SIEVE_VACATION)) != NULL) {
		act->address = xstrdup(r->env->env_from);
		act->reason = reason;
		act->subject = subject != NULL ? subject : auto_subject(r);
		act->from = from;
		act->handle = handle;
		act->mime = mime;
		act->seconds = seconds;
		return 0;
	}
	free(reason);
	free(subject);
	free(from);
	free(handle);
	return why != NULL ? 0 : -1;
}
