/*
 * managesieve_cmd.c - the script commands of a logged-in session (RFC
 * 5804 2.3 to 2.12): HAVESPACE, PUTSCRIPT, CHECKSCRIPT, LISTSCRIPTS,
 * SETACTIVE, GETSCRIPT, DELETESCRIPT and RENAMESCRIPT.
 *
 * Each runs as one pool job (svc_store_call) on a struct ms_job holding
 * copies of its arguments: the compile (sieve_compile, so a script is
 * stored only in a form delivery can run, and a bad one is refused with
 * its line and column) and the store call, whose write has committed
 * before the answer. The answer is framed back on the loop from the
 * job's result: the store's errors become RFC 5804's response codes,
 * and a store failure is NO (TRYLATER) with a log line.
 */
#include "managesieve/managesieve_int.h"

#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "net/net.h"
#include "sieve/sieve.h"
#include "sieve/sieve_conf.h"
#include "svc/svc.h"
#include "util/log.h"
#include "util/xalloc.h"

struct ms_job {
	struct ms_session *s;		/* for done only */
	struct store *st;
	enum ms_verb verb;
	char addr[STORE_ADDR_MAX + 1];
	char *name, *to;		/* copies of the names */
	char *src;			/* PUTSCRIPT's, CHECKSCRIPT's script (a copy) */
	size_t srclen;
	uint32_t size;			/* HAVESPACE's */
	struct store_sieve_limits lim;
	struct sieve_limits slim;	/* the compiler's */
	int rc;
	enum store_sieve_over over;
	bool bad_script;		/* the compile failed: err says where */
	struct sieve_error err;
	struct buf out;			/* LISTSCRIPTS' lines, GETSCRIPT's literal */
};

/* job_compile - the script to its compiled form; false (bad_script) when it does not compile */
static bool
job_compile(struct ms_job *j, unsigned char **bin, size_t *binlen)
{
	if (sieve_compile(j->src, j->srclen, &j->slim, bin, binlen, &j->err) == 0)
		return true;
	j->bad_script = true;
	return false;
}

/* list_one - a script as LISTSCRIPTS shows it */
static int
list_one(const struct store_sieve_script *sc, void *arg)
{
	struct buf *out = arg;

	ms_quote(out, sc->name);
	buf_puts(out, sc->active ? " ACTIVE\r\n" : "\r\n");
	return 0;
}

/* job_read - the commands that only read: one read transaction */
static int
job_read(struct ms_job *j)
{
	struct store_sieve_script sc;
	struct store_rtxn *r;
	int rc;

	if ((rc = store_rtxn_begin(j->st, &r)) != 0)
		return rc;
	switch (j->verb) {
	case MS_HAVESPACE:
		rc = store_sieve_room(r, j->addr, j->name, j->size, &j->lim, &j->over);
		break;
	case MS_LISTSCRIPTS:
		rc = store_sieve_list(r, j->addr, list_one, &j->out);
		break;
	default:
		if ((rc = store_sieve_get(r, j->addr, j->name, &sc)) == 0) {
			buf_printf(&j->out, "{%zu}\r\n", sc.srclen);
			buf_append(&j->out, sc.src, sc.srclen);
			buf_puts(&j->out, "\r\n");
		}
		break;
	}
	store_rtxn_end(&r);
	return rc;
}

/* ms_job_run - on a pool thread: compile, then the store call */
static void
ms_job_run(void *arg)
{
	struct ms_job *j = arg;
	unsigned char *bin = NULL;
	size_t binlen = 0;

	switch (j->verb) {
	case MS_PUTSCRIPT:
		if (job_compile(j, &bin, &binlen))
			j->rc = store_sieve_put(j->st, j->addr, j->name, j->src, j->srclen, bin,
			    binlen, &j->lim, &j->over);
		free(bin);
		break;
	case MS_CHECKSCRIPT:
		if (job_compile(j, &bin, &binlen))
			free(bin);
		break;
	case MS_SETACTIVE:
		j->rc = store_sieve_activate(j->st, j->addr, j->name);
		break;
	case MS_DELETESCRIPT:
		j->rc = store_sieve_delete(j->st, j->addr, j->name);
		break;
	case MS_RENAMESCRIPT:
		j->rc = store_sieve_rename(j->st, j->addr, j->name, j->to);
		break;
	default:
		j->rc = job_read(j);
		break;
	}
}

/* reply_err - a store error as RFC 5804's response codes */
static void
reply_err(struct ms_session *s, const struct ms_job *j)
{
	switch (j->rc) {
	case STORE_ENOTFOUND:
		ms_reply(s, "NO", "NONEXISTENT", "There is no script by that name.");
		break;
	case STORE_EEXISTS:
		ms_reply(s, "NO", "ALREADYEXISTS", "A script by that name already exists.");
		break;
	case STORE_EINUSE:
		ms_reply(s, "NO", "ACTIVE", "The active script cannot be deleted.");
		break;
	case STORE_ENOQUOTA:
		ms_reply(s, "NO", j->over == STORE_SIEVE_MAXSCRIPTS ? "QUOTA/MAXSCRIPTS" :
		    "QUOTA/MAXSIZE", j->over == STORE_SIEVE_MAXSCRIPTS ? "Too many scripts." :
		    "Not enough room for the script.");
		break;
	case STORE_EINVAL:
		ms_reply(s, "NO", NULL, "Invalid script name.");
		break;
	default:
		log_error(s->id, "managesieve: %s: %s of %s: %s", j->addr, ms_verb_name(j->verb),
		    j->name ? j->name : "-", store_strerror(j->rc));
		ms_reply(s, "NO", "TRYLATER", "Temporary store failure, try again later.");
		break;
	}
}

/* ms_job_done - back on the loop: the answer */
static void
ms_job_done(void *arg)
{
	struct ms_job *j = arg;
	struct ms_session *s = j->s;
	char msg[300];

	s->busy = false;
	if (j->bad_script) {
		snprintf(msg, sizeof(msg), "line %u, column %u: %s", j->err.line, j->err.col,
		    j->err.msg);
		log_info(s->id, "managesieve: %s: %s refused: %s", j->addr, ms_verb_name(j->verb),
		    msg);
		ms_reply(s, "NO", NULL, msg);
	} else if (j->rc != 0) {
		reply_err(s, j);
	} else {
		net_conn_write(s->c, j->out.data, j->out.len);
		ms_reply(s, "OK", NULL, "Completed.");
	}
	free(j->name);
	free(j->to);
	free(j->src);
	buf_free(&j->out);
	free(j);
}

/* name_arg - a string argument that can be a script name (no NUL inside) */
static bool
name_arg(const struct ms_arg *a)
{
	return strlen(a->s) == a->len;
}

/* script_arg - a copy of the script for the job */
static void
script_arg(struct ms_job *j, const struct ms_arg *a)
{
	j->src = xmalloc(a->len + 1);
	memcpy(j->src, a->s, a->len);
	j->srclen = a->len;
}

bool
ms_cmd_script(struct ms_session *s, const struct ms_cmd *cmd)
{
	bool named = cmd->verb != MS_CHECKSCRIPT && cmd->verb != MS_LISTSCRIPTS;
	struct ms_job *j;

	if ((named && !name_arg(&cmd->arg[0])) ||
	    (cmd->verb == MS_RENAMESCRIPT && !name_arg(&cmd->arg[1])))
		return ms_bad(s, "Invalid script name.");
	if (cmd->verb == MS_HAVESPACE && cmd->arg[1].num > ms_max_literal(s)) {
		ms_reply(s, "NO", "QUOTA/MAXSIZE", "A script may not be that large.");
		return true;
	}
	j = xcalloc(1, sizeof(*j));
	j->s = s;
	j->st = s->env->st;
	j->verb = cmd->verb;
	snprintf(j->addr, sizeof(j->addr), "%s", s->user);
	j->lim.max_scripts = s->env->conf->sieve_max_scripts;
	j->lim.max_user_size = s->env->conf->sieve_max_user_size;
	sieve_limits_conf(&j->slim, s->env->conf);
	switch (cmd->verb) {
	case MS_HAVESPACE:
		j->size = cmd->arg[1].num;
		break;
	case MS_PUTSCRIPT:
		script_arg(j, &cmd->arg[1]);
		break;
	case MS_CHECKSCRIPT:
		script_arg(j, &cmd->arg[0]);
		break;
	case MS_RENAMESCRIPT:
		j->to = xstrdup(cmd->arg[1].s);
		break;
	default:
		break;
	}
	if (named)
		j->name = xstrdup(cmd->arg[0].s);
	s->busy = true;
	svc_store_call(s->c, ms_job_run, ms_job_done, j);
	return false;
}
