/*
 * imap_notify_parse.c - NOTIFY's arguments (RFC 5465 3.1, 8) into an
 * imap_notify_spec: "NONE", or "SET" ["STATUS"] and one or more event
 * groups "(filter [mailboxes] events)".
 *
 * The rules of 3.1 and 5 that make a group wrong are checked here: only
 * message events for SELECTED and SELECTED-DELAYED (and only one of the
 * two), MessageNew and MessageExpunge together, FlagChange only with them,
 * fetch attributes only after SELECTED's MessageNew. An event this server
 * does not send (AnnotationChange, the METADATA ones, any other name) is a
 * BADEVENT; the caller answers it with the list it supports.
 */
#include "imap/imap_notify_spec.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* filter_parse - the filter word; -1 if unknown */
static int
filter_parse(const struct imap_arg *a)
{
	static const char *const names[] = {
		[IMAP_NF_SELECTED] = "SELECTED", [IMAP_NF_SELECTED_DELAYED] = "SELECTED-DELAYED",
		[IMAP_NF_INBOXES] = "INBOXES", [IMAP_NF_PERSONAL] = "PERSONAL",
		[IMAP_NF_SUBSCRIBED] = "SUBSCRIBED", [IMAP_NF_SUBTREE] = "SUBTREE",
		[IMAP_NF_MAILBOXES] = "MAILBOXES",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (imap_arg_atom_is(a, names[i]))
			return (int)i;
	return -1;
}

/* event_bit - the bit of an event name; 0 if this server does not send it */
static unsigned
event_bit(const struct imap_arg *a)
{
	static const struct { const char *name; unsigned bit; } events[] = {
		{ "MessageNew", IMAP_NEV_NEW }, { "MessageExpunge", IMAP_NEV_EXPUNGE },
		{ "FlagChange", IMAP_NEV_FLAGS }, { "MailboxName", IMAP_NEV_NAME },
		{ "SubscriptionChange", IMAP_NEV_SUBS },
	};

	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		if (imap_arg_atom_is(a, events[i].name))
			return events[i].bit;
	return 0;
}

/* names_parse - SUBTREE's or MAILBOXES's one mailbox or list of them */
static int
names_parse(const struct imap_arg *a, struct imap_notify_group *g)
{
	const struct imap_arg *list = a->type == IMAP_ARG_LIST ? a->list : a;
	size_t n = a->type == IMAP_ARG_LIST ? a->count : 1;

	if (n == 0)
		return -1;
	g->names = xcalloc(n, sizeof(*g->names));
	for (size_t i = 0; i < n; i++) {
		const char *name = imap_arg_astring(&list[i]);

		if (name == NULL || list[i].has_nul || list[i].len == 0)
			return -1;
		g->names[g->nnames++] = xstrndup(name, list[i].len);
	}
	return 0;
}

/* events_parse - the events list (or NONE) of group g */
static int
events_parse(const struct imap_arg *a, struct imap_notify_group *g,
    struct imap_notify_spec *spec, const char **why_r)
{
	bool selected = g->filter == IMAP_NF_SELECTED || g->filter == IMAP_NF_SELECTED_DELAYED;

	if (imap_arg_atom_is(a, "NONE"))
		return 0;
	*why_r = "Bad event list";
	if (a->type != IMAP_ARG_LIST || a->count == 0)
		return IMAP_NOTIFY_BAD;
	for (size_t i = 0; i < a->count; i++) {
		const struct imap_arg *e = &a->list[i];
		unsigned bit = event_bit(e);

		if (e->type != IMAP_ARG_ATOM)
			return IMAP_NOTIFY_BAD;
		if (bit == 0) {
			*why_r = "Unsupported event";
			return IMAP_NOTIFY_BADEVENT;
		}
		g->events |= bit;
		if (bit == IMAP_NEV_NEW && i + 1 < a->count && a->list[i + 1].type == IMAP_ARG_LIST) {
			*why_r = "Fetch attributes only for the selected mailbox's MessageNew";
			if (!selected)
				return IMAP_NOTIFY_BAD;
			spec->fetch = &a->list[++i];
		}
	}
	*why_r = "Only message events for the selected mailbox";
	if (selected && (g->events & ~IMAP_NEV_MESSAGE))
		return IMAP_NOTIFY_BAD;
	*why_r = "MessageNew and MessageExpunge go together";
	if (!(g->events & IMAP_NEV_NEW) != !(g->events & IMAP_NEV_EXPUNGE))
		return IMAP_NOTIFY_BAD;
	*why_r = "FlagChange needs MessageNew and MessageExpunge";
	if ((g->events & IMAP_NEV_FLAGS) && !(g->events & IMAP_NEV_NEW))
		return IMAP_NOTIFY_BAD;
	return 0;
}

/* group_parse - one "(filter [mailboxes] events)" */
static int
group_parse(const struct imap_arg *a, struct imap_notify_spec *spec, const char **why_r)
{
	struct imap_notify_group *g;
	int filter;
	size_t want;

	*why_r = "Bad event group";
	if (a->type != IMAP_ARG_LIST || a->count < 2 || (filter = filter_parse(&a->list[0])) < 0)
		return IMAP_NOTIFY_BAD;
	want = filter == IMAP_NF_SUBTREE || filter == IMAP_NF_MAILBOXES ? 3 : 2;
	if (a->count != want)
		return IMAP_NOTIFY_BAD;
	for (size_t i = 0; i < spec->ngroups; i++)
		if ((spec->groups[i].filter == IMAP_NF_SELECTED ||
		    spec->groups[i].filter == IMAP_NF_SELECTED_DELAYED) &&
		    (filter == IMAP_NF_SELECTED || filter == IMAP_NF_SELECTED_DELAYED)) {
			*why_r = "SELECTED or SELECTED-DELAYED only once";
			return IMAP_NOTIFY_BAD;
		}
	spec->groups = xrealloc(spec->groups, (spec->ngroups + 1) * sizeof(*spec->groups));
	g = &spec->groups[spec->ngroups++];
	memset(g, 0, sizeof(*g));
	g->filter = (enum imap_notify_filter)filter;
	if (want == 3 && names_parse(&a->list[1], g) != 0)
		return IMAP_NOTIFY_BAD;
	return events_parse(&a->list[want - 1], g, spec, why_r);
}

int
imap_notify_parse(const struct imap_arg *args, size_t n, struct imap_notify_spec *spec,
    const char **why_r)
{
	size_t i = 1;
	int rc;

	memset(spec, 0, sizeof(*spec));
	*why_r = "NOTIFY SET or NOTIFY NONE";
	if (n == 1 && imap_arg_atom_is(&args[0], "NONE"))
		return 0;
	if (n < 2 || !imap_arg_atom_is(&args[0], "SET"))
		return IMAP_NOTIFY_BAD;
	if (imap_arg_atom_is(&args[1], "STATUS")) {
		spec->status = true;
		i++;
	}
	if (i >= n)
		return IMAP_NOTIFY_BAD;
	for (; i < n; i++)
		if ((rc = group_parse(&args[i], spec, why_r)) != 0)
			return rc;
	return 0;
}

void
imap_notify_spec_free(struct imap_notify_spec *spec)
{
	for (size_t i = 0; i < spec->ngroups; i++) {
		for (size_t j = 0; j < spec->groups[i].nnames; j++)
			free(spec->groups[i].names[j]);
		free(spec->groups[i].names);
	}
	free(spec->groups);
	memset(spec, 0, sizeof(*spec));
}
