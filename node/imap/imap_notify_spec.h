/*
 * imap_notify_spec.h - the arguments of NOTIFY (RFC 5465) as a value: the
 * event groups a session asked for, parsed without a session so that the
 * parser can be fuzzed on its own (imap_notify_parse.c).
 */
#ifndef DUPLEX_IMAP_NOTIFY_SPEC_H
#define DUPLEX_IMAP_NOTIFY_SPEC_H

#include <stdbool.h>
#include <stddef.h>

#include "imapsyn/imap_parser.h"

/* events, as bits */
#define IMAP_NEV_NEW		0x1	/* MessageNew */
#define IMAP_NEV_EXPUNGE	0x2	/* MessageExpunge */
#define IMAP_NEV_FLAGS		0x4	/* FlagChange */
#define IMAP_NEV_NAME		0x8	/* MailboxName */
#define IMAP_NEV_SUBS		0x10	/* SubscriptionChange */
#define IMAP_NEV_MESSAGE	(IMAP_NEV_NEW | IMAP_NEV_EXPUNGE | IMAP_NEV_FLAGS)

/* the events BADEVENT lists as the ones supported */
#define IMAP_NOTIFY_EVENTS	"MessageNew MessageExpunge FlagChange MailboxName SubscriptionChange"

enum imap_notify_filter {
	IMAP_NF_SELECTED,
	IMAP_NF_SELECTED_DELAYED,
	IMAP_NF_INBOXES,
	IMAP_NF_PERSONAL,
	IMAP_NF_SUBSCRIBED,
	IMAP_NF_SUBTREE,
	IMAP_NF_MAILBOXES,
};

/* one event group: which mailboxes, which events (0: NONE) */
struct imap_notify_group {
	enum imap_notify_filter filter;
	unsigned events;
	char **names;		/* SUBTREE, MAILBOXES: as sent, owned */
	size_t nnames;
};

struct imap_notify_spec {
	bool status;			/* SET STATUS */
	struct imap_notify_group *groups;	/* none: NOTIFY NONE */
	size_t ngroups;
	const struct imap_arg *fetch;	/* SELECTED MessageNew's fetch-att; points into the args */
};

#define IMAP_NOTIFY_BAD		(-1)	/* syntax or a forbidden combination: BAD */
#define IMAP_NOTIFY_BADEVENT	(-2)	/* an event this server does not send: NO [BADEVENT] */

/*
 * imap_notify_parse - NOTIFY's args (past the name) into *spec; 0, or
 * IMAP_NOTIFY_BAD / IMAP_NOTIFY_BADEVENT with a reason in *why_r. The
 * spec is to be freed either way.
 */
int imap_notify_parse(const struct imap_arg *args, size_t n, struct imap_notify_spec *spec,
    const char **why_r);
/* imap_notify_spec_free - what the spec owns; it is left empty */
void imap_notify_spec_free(struct imap_notify_spec *spec);

#endif
