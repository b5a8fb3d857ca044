/*
 * imap_cmd_metadata.c - METADATA (RFC 5464): GETMETADATA and SETMETADATA
 * on the user's mailboxes and on the server (mailbox "").
 *
 * Entries live in the store (store_metadata_set/get), lower-cased, under
 * /private or /shared; a user's entries together are bounded by
 * imap_metadata_max_size and imap_metadata_max_entries. Two entries are
 * the server's own and read-only, as in Dovecot: a mailbox's
 * /private/specialuse (its RFC 6154 attributes, RFC 6154 4) and the
 * server's /shared/admin (imap_metadata_admin). GETMETADATA reads in the
 * loop thread and answers one untagged METADATA with every entry found
 * (NIL for an entry asked for and unset, under DEPTH 0 only, as Dovecot
 * answers); values over MAXSIZE are left out
 * and the longest of them reported as [METADATA LONGENTRIES n].
 * SETMETADATA is one durable store call on the pool, all entries or none.
 */
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "imap/imap_cmd.h"
#include "imapsyn/imap_metadata.h"
#include "imapsyn/imap_write.h"
#include "svc/svc.h"
#include "util/log.h"
#include "util/xalloc.h"

_Static_assert(IMAP_META_ENTRY_MAX == STORE_META_NAME_MAX, "entry names fit the store");

/* a checked, lower-cased entry name */
typedef char meta_name[IMAP_META_ENTRY_MAX + 1];

#define SPECIALUSE "/private/specialuse"
#define ADMIN "/shared/admin"

/* where a command points: a mailbox, or the server ("") */
struct meta_target {
	char name[STORE_MBOX_NAME_MAX + 1];
	struct store_mailbox mb;	/* a mailbox's record (special_use) */
};

/* the entries of one GETMETADATA answer */
struct meta_out {
	struct buf b;			/* " entry value" each */
	size_t n;
	uint64_t maxsize;
	uint64_t longest;		/* of the values left out; 0: none */
	bool found;			/* the entry asked for is set */
};

/* meta_target - the mailbox argument; replies and returns -1 if bad or absent */
static int
meta_target(struct imap_session *s, struct store_rtxn *r, const struct imap_arg *a,
    struct meta_target *t)
{
	const char *name = imap_arg_astring(a);
	int rc;

	t->name[0] = '\0';
	memset(&t->mb, 0, sizeof(t->mb));
	if (name == NULL) {
		imap_reply(s, "BAD", "Bad mailbox name");
		return -1;
	}
	if (*name == '\0')
		return 0;
	if ((rc = imap_mailbox_in(s, a, t->name)) != 0) {
		if (rc == IMAP_NAME_TOO_LONG)
			imap_reply_store_err(s, STORE_ENAMETOOLONG);
		else
			imap_reply(s, "BAD", "Bad mailbox name");
		return -1;
	}
	if (r != NULL && (rc = store_mailbox_get(r, s->user, t->name, &t->mb)) != 0) {
		imap_reply_store_err(s, rc);
		return -1;
	}
	return 0;
}

/* meta_bad - a BAD for a malformed argument, logged */
static void
meta_bad(struct imap_session *s, const char *why)
{
	log_info(s->id, "imap: METADATA command refused: %s", why);
	imap_reply(s, "BAD", "%s", why);
}

/* out_one - one entry into the answer, unless its value is over MAXSIZE */
static int
out_one(const char *name, const void *value, size_t len, void *arg)
{
	struct meta_out *o = arg;

	if (value != NULL && len > o->maxsize) {
		if (len > o->longest)
			o->longest = len;
		return 0;
	}
	buf_putc(&o->b, ' ');
	buf_puts(&o->b, name);
	buf_putc(&o->b, ' ');
	if (value == NULL)
		buf_puts(&o->b, "NIL");
	else if (memchr(value, '\0', len) != NULL)
		imap_write_literal(&o->b, value, len, true);
	else
		imap_write_string(&o->b, value, len);
	o->n++;
	return 0;
}

/* out_asked - the entry asked for itself: notes that it is set */
static int
out_asked(const char *name, const void *value, size_t len, void *arg)
{
	struct meta_out *o = arg;

	o->found = true;
	return out_one(name, value, len, arg);
}

/* a walk of the store's entries for one name asked for */
struct meta_walk {
	const char *asked;
	struct meta_out *o;
};

/* out_walk - store_metadata_get's callback: the entry asked for, then those below it */
static int
out_walk(const char *name, const void *value, size_t len, void *arg)
{
	struct meta_walk *w = arg;

	return (strcmp(name, w->asked) == 0 ? out_asked : out_one)(name, value, len, w->o);
}

/* server_entry - the read-only entry called name on t, into v after a space; false if none */
static bool
server_entry(struct imap_session *s, const struct meta_target *t, const char *name, struct buf *v)
{
	buf_reset(v);
	if (t->name[0] != '\0' && strcmp(name, SPECIALUSE) == 0 && t->mb.special_use != 0) {
		imap_special_attrs(t->mb.special_use, v);
		return true;
	}
	if (t->name[0] == '\0' && strcmp(name, ADMIN) == 0 && *s->env->conf->imap_metadata_admin) {
		buf_putc(v, ' ');
		buf_puts(v, s->env->conf->imap_metadata_admin);
		return true;
	}
	return false;
}

/* below - whether entry is name itself or within depth levels under it */
static bool
below(const char *name, const char *entry, uint32_t depth)
{
	size_t n = strlen(name);
	uint32_t levels = 0;

	if (strncmp(entry, name, n) != 0 || (entry[n] != '\0' && entry[n] != '/'))
		return false;
	for (const char *p = entry + n; *p; p++)
		levels += *p == '/';
	return levels <= depth;
}

/* meta_get_one - every entry for one name asked for: stored, the server's, or NIL */
static int
meta_get_one(struct imap_session *s, struct store_rtxn *r, const struct meta_target *t,
    const char *name, uint32_t depth, struct meta_out *o)
{
	static const char *const own[] = { SPECIALUSE, ADMIN };
	struct meta_walk w = { name, o };
	struct buf v = BUF_INIT;
	int rc;

	o->found = false;
	rc = store_metadata_get(r, s->user, t->name, name, depth, out_walk, &w);
	for (size_t i = 0; rc == 0 && i < 2; i++) {
		if (!below(name, own[i], depth) || !server_entry(s, t, own[i], &v))
			continue;
		(strcmp(name, own[i]) == 0 ? out_asked : out_one)(own[i], v.data + 1, v.len - 1, o);
	}
	buf_free(&v);
	if (rc == 0 && !o->found && depth == 0)
		out_one(name, NULL, 0, o);
	return rc;
}

/* meta_answer - "* METADATA mailbox (...)" and the tagged OK */
static void
meta_answer(struct imap_session *s, const struct meta_target *t, struct meta_out *o)
{
	struct buf b = BUF_INIT;

	if (o->n > 0) {
		buf_puts(&b, "* METADATA ");
		imap_write_mailbox(&b, t->name, strlen(t->name), imap_utf8_names(s));
		buf_puts(&b, " (");
		buf_append(&b, o->b.data + 1, o->b.len - 1);
		buf_puts(&b, ")\r\n");
		imap_send(s, b.data, b.len);
	}
	buf_free(&b);
	if (o->longest > 0)
		imap_reply(s, "OK", "[METADATA LONGENTRIES %llu] GETMETADATA completed",
		    (unsigned long long)o->longest);
	else
		imap_reply(s, "OK", "GETMETADATA completed");
}

/* get_names - the entries argument: one name or a non-empty list; NULL and why if bad */
static const struct imap_arg *
get_names(const struct imap_arg *a, size_t *n_r, const char **why_r)
{
	if (a->type == IMAP_ARG_LIST) {
		*n_r = a->count;
		if (a->count == 0)
			*why_r = "GETMETADATA needs at least one entry";
		return a->count ? a->list : NULL;
	}
	*n_r = 1;
	return a;
}

/* get_entries - check every name asked for, lower-cased into names (n of them); why if bad */
static meta_name *
get_entries(const struct imap_arg *list, size_t n, const char **why_r)
{
	meta_name *names = xcalloc(n, sizeof(*names));

	for (size_t i = 0; i < n; i++) {
		const char *e = imap_arg_astring(&list[i]);

		if (e == NULL)
			*why_r = "Entry names must be strings";
		if (e == NULL || imap_meta_entry(e, list[i].len, false, names[i], why_r) != 0) {
			free(names);
			return NULL;
		}
	}
	return names;
}

IMAP_CMD(getmetadata)
{
	struct imap_meta_opts opts = { UINT64_MAX, 0 };
	const struct imap_arg *mbox, *ents, *list;
	meta_name *names = NULL;
	const char *why = "GETMETADATA takes [(options)] mailbox entries";
	struct meta_out o = { BUF_INIT, 0, 0, 0, false };
	struct meta_target t;
	struct store_rtxn *r;
	size_t nn = 0;
	int rc = 0;

	/* the options go before the mailbox (RFC 5464 ABNF) or after it (its examples) */
	if (n == 3 && args[0].type == IMAP_ARG_LIST)
		list = &args[0], mbox = &args[1], ents = &args[2];
	else if (n == 3)
		list = &args[1], mbox = &args[0], ents = &args[2];
	else
		list = NULL, mbox = &args[0], ents = &args[1];
	if ((n != 2 && n != 3) || (list != NULL && imap_meta_options(list, &opts, &why) != 0) ||
	    (list = get_names(ents, &nn, &why)) == NULL ||
	    (names = get_entries(list, nn, &why)) == NULL) {
		meta_bad(s, why);
		return IMAP_DONE;
	}
	if (imap_rtxn(s, &r) != 0) {
		free(names);
		return IMAP_DONE;
	}
	o.maxsize = opts.maxsize;
	if (meta_target(s, r, mbox, &t) == 0) {
		for (size_t i = 0; rc == 0 && i < nn; i++)
			rc = meta_get_one(s, r, &t, names[i], opts.depth, &o);
		if (rc != 0)
			imap_reply_store_err(s, rc);
		else
			meta_answer(s, &t, &o);
	}
	store_rtxn_end(&r);
	buf_free(&o.b);
	free(names);
	return IMAP_DONE;
}

/* a SETMETADATA on its way to the store: copies of everything */
struct set_job {
	struct store *st;
	char user[STORE_ADDR_MAX + 1];
	char mailbox[STORE_MBOX_NAME_MAX + 1];
	struct store_meta_entry *e;
	meta_name *names;
	size_t n;
	struct store_meta_limits lim;
	uint64_t room;
	int rc;
};

/* set_job_free - the job and its copies */
static void
set_job_free(struct set_job *j)
{
	for (size_t i = 0; i < j->n; i++)
		free((void *)j->e[i].value);
	free(j->e);
	free(j->names);
	free(j);
}

/* set_run - on the pool */
static void
set_run(void *arg)
{
	struct set_job *j = arg;

	j->rc = store_metadata_set(j->st, j->user, j->mailbox, j->e, j->n, &j->lim, &j->room);
}

/* set_done - the answer */
static enum imap_result
set_done(struct imap_session *s, void *arg)
{
	struct set_job *j = arg;

	if (j->rc == STORE_ETOOBIG) {
		log_info(s->id, "imap: SETMETADATA over imap_metadata_max_size refused");
		imap_reply(s, "NO", "[METADATA MAXSIZE %llu] Metadata value too large",
		    (unsigned long long)j->room);
	} else if (j->rc == STORE_ENOQUOTA) {
		log_info(s->id, "imap: SETMETADATA over imap_metadata_max_entries refused");
		imap_reply(s, "NO", "[METADATA TOOMANY] Too many metadata entries");
	} else if (j->rc != 0)
		imap_reply_store_err(s, j->rc);
	else
		imap_reply(s, "OK", "SETMETADATA completed");
	set_job_free(j);
	return IMAP_DONE;
}

/* set_value - one value: a string, a literal8 (binary) or NIL; why if bad */
static int
set_value(const struct imap_arg *a, struct store_meta_entry *e, const char **why_r)
{
	bool nil;
	const char *v = imap_arg_nstring(a, &nil);

	e->value = NULL;
	e->len = 0;
	if (nil)
		return 0;
	if (v == NULL || (a->has_nul && !a->literal8)) {
		*why_r = v == NULL ? "Metadata values must be strings or NIL" :
		    "A value with NUL must be sent as literal8 (~{n})";
		return -1;
	}
	e->value = xmalloc(a->len + 1);
	memcpy((void *)e->value, v, a->len);
	e->len = a->len;
	return 0;
}

/* set_entries - the (entry value ...) list into j; why if bad, NOPERM for a read-only entry */
static int
set_entries(struct set_job *j, const struct imap_arg *list, const char **why_r)
{
	if (list->type != IMAP_ARG_LIST || list->count == 0 || list->count % 2 != 0) {
		*why_r = "SETMETADATA takes mailbox (entry value ...)";
		return -1;
	}
	j->n = 0;
	j->e = xcalloc(list->count / 2, sizeof(*j->e));
	j->names = xcalloc(list->count / 2, sizeof(*j->names));
	for (size_t i = 0; i < list->count; i += 2) {
		const struct imap_arg *a = &list->list[i];
		const char *e = imap_arg_astring(a);

		if (e == NULL) {
			*why_r = "Entry names must be strings";
			return -1;
		}
		if (imap_meta_entry(e, a->len, true, j->names[j->n], why_r) != 0 ||
		    set_value(&list->list[i + 1], &j->e[j->n], why_r) != 0)
			return -1;
		j->e[j->n].name = j->names[j->n];
		j->n++;
		if (strcmp(j->names[j->n - 1], SPECIALUSE) == 0 || strcmp(j->names[j->n - 1], ADMIN) == 0)
			return 1;
	}
	return 0;
}

IMAP_CMD(setmetadata)
{
	struct set_job *j = xcalloc(1, sizeof(*j));
	const char *why = "SETMETADATA takes mailbox (entry value ...)";
	struct meta_target t;
	int rc;

	if (n != 2 || (rc = set_entries(j, &args[1], &why)) < 0) {
		set_job_free(j);
		meta_bad(s, why);
		return IMAP_DONE;
	}
	if (rc > 0) {
		set_job_free(j);
		log_info(s->id, "imap: SETMETADATA of a read-only entry refused");
		imap_reply(s, "NO", "[NOPERM] " SPECIALUSE " and " ADMIN " are the server's own");
		return IMAP_DONE;
	}
	if (meta_target(s, NULL, &args[0], &t) != 0) {
		set_job_free(j);
		return IMAP_DONE;
	}
	j->st = s->env->st;
	strcpy(j->user, s->user);
	strcpy(j->mailbox, t.name);
	j->lim.max_bytes = s->env->conf->imap_metadata_max_size;
	j->lim.max_entries = s->env->conf->imap_metadata_max_entries;
	return imap_wait(s, set_run, set_done, j);
}
