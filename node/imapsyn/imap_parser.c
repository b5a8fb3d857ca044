/*
 * imap_parser.c - the incremental IMAP command parser.
 *
 * A byte-at-a-time state machine, except literal data, which is copied in
 * bulk. Tokens are appended NUL-terminated to one growable buffer and
 * recorded as nodes holding offsets (the buffer moves as it grows); a whole
 * command is turned into the pointer tree of struct imap_arg only once, at
 * its final LF, when nothing will move any more. Node 0 is the top level.
 *
 * Hazard: every state must consume its byte, or hand it back by returning
 * STEP_AGAIN, so that any split of the input gives the same results.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imapsyn/imap_parser.h"
#include "util/buf.h"
#include "util/xalloc.h"

#define DEFAULT_MAX_LINE	(64 * 1024)
#define DEFAULT_MAX_LITERAL	((uint64_t)64 * 1024 * 1024)
#define DEFAULT_MAX_DEPTH	32
#define DEFAULT_MAX_ARGS	10000
#define SHRINK_DATA		(1024 * 1024)	/* free a data buffer bigger than this */
#define SHRINK_NODES		1024

enum state {
	ST_TAG,
	ST_NAME,
	ST_ARG,		/* an argument must start here */
	ST_SEP,		/* after an argument: SP, ")" or end of line */
	ST_EOL,		/* after CR */
	ST_ATOM,
	ST_BRACKET,	/* inside a FETCH section "[...]" */
	ST_BRACKET_Q,
	ST_BRACKET_QESC,
	ST_QUOTED,
	ST_QESC,
	ST_LIT8,	/* after "~" */
	ST_LITSIZE,
	ST_LITPLUS,	/* after "{n+" */
	ST_LITCR,	/* after "}" */
	ST_LITLF,
	ST_LITDATA,
	ST_LINE,	/* line mode */
	ST_SKIP,	/* resynchronizing: discard through LF */
	ST_FATAL,
};

/* what one step did with its byte */
enum step { STEP_NEXT, STEP_AGAIN, STEP_DONE, STEP_LINE, STEP_CONT, STEP_ERROR };

struct pnode {
	enum imap_arg_type type;
	bool literal8;
	bool has_nul;
	size_t off;		/* token bytes in p->data */
	size_t len;
	size_t parent;		/* node index of the enclosing list; 0 is the top */
	size_t nchild;		/* LIST: members, counted by build() */
	size_t placed;		/* LIST: members build() has placed so far */
	size_t base;		/* LIST: index of the first member in the arg array */
};

struct imap_parser {
	struct imap_parser_opts o;
	enum state state;
	struct buf data;	/* tag NUL name NUL token NUL ... */
	struct pnode *node;	/* node[0] is the top level */
	size_t nnodes;
	size_t node_cap;
	size_t open;		/* the innermost open list */
	size_t cur;		/* the token being read */
	unsigned depth;
	bool list_start;	/* just after "(": ")" may follow */
	bool have_tag;
	size_t name_off;
	bool is_uid;		/* command name UID, first arg not seen yet */
	bool fetch;		/* FETCH sections allowed in atoms */
	bool line_mode;
	uint64_t lit_size;
	unsigned lit_digits;
	uint64_t lit_left;
	bool lit_sync;
	bool lit8;
	size_t line_len;	/* bytes of this line segment, literal data excluded */
	uint64_t cmd_len;
	bool result_pending;	/* a DONE, LINE or ERROR to clear on the next feed */
	struct imap_arg *args;
	struct imap_cmd cmd;
	struct imap_parse_error err;
};

/* opts_default - fill the zero fields, so limits are always set */
static void
opts_default(struct imap_parser_opts *o)
{
	if (o->max_line == 0)
		o->max_line = DEFAULT_MAX_LINE;
	if (o->max_literal == 0)
		o->max_literal = DEFAULT_MAX_LITERAL;
	if (o->max_depth == 0)
		o->max_depth = DEFAULT_MAX_DEPTH;
	if (o->max_args == 0)
		o->max_args = DEFAULT_MAX_ARGS;
	if (o->max_command == 0)
		o->max_command = o->max_literal > UINT64_MAX / 2 ? UINT64_MAX :
		    o->max_literal + DEFAULT_MAX_LINE * 16;
}

/* cmd_clear - drop the previous command, keeping modest buffers for reuse */
static void
cmd_clear(struct imap_parser *p)
{
	if (p->data.cap > SHRINK_DATA)
		buf_free(&p->data);
	buf_reset(&p->data);
	if (p->node_cap > SHRINK_NODES) {
		free(p->node);
		p->node = NULL;
		p->node_cap = 0;
	}
	free(p->args);
	p->args = NULL;
	memset(&p->cmd, 0, sizeof(p->cmd));
	p->nnodes = 0;
	p->open = 0;
	p->depth = 0;
	p->list_start = false;
	p->have_tag = false;
	p->is_uid = false;
	p->fetch = false;
	p->line_len = 0;
	p->cmd_len = 0;
	p->result_pending = false;
}

struct imap_parser *
imap_parser_new(const struct imap_parser_opts *opts)
{
	struct imap_parser *p = xcalloc(1, sizeof(*p));

	if (opts != NULL)
		p->o = *opts;
	opts_default(&p->o);
	p->state = ST_TAG;
	return p;
}

void
imap_parser_free(struct imap_parser **pp)
{
	struct imap_parser *p = *pp;

	if (p == NULL)
		return;
	buf_free(&p->data);
	free(p->node);
	free(p->args);
	free(p);
	*pp = NULL;
}

void
imap_parser_reset(struct imap_parser *p)
{
	cmd_clear(p);
	p->state = ST_TAG;
	p->line_mode = false;
}

void
imap_parser_set_literal_plus(struct imap_parser *p, enum imap_literal_plus lp)
{
	p->o.literal_plus = lp;
}

void
imap_parser_set_opts(struct imap_parser *p, const struct imap_parser_opts *opts)
{
	p->o = *opts;
	opts_default(&p->o);
}

void
imap_parser_line_mode(struct imap_parser *p)
{
	if (p->state == ST_TAG)
		p->line_mode = true;
}

/* fail - record an error; the parser skips the rest of the line unless at its end */
static enum step
fail(struct imap_parser *p, const char *msg, bool fatal, bool toobig, bool at_eol)
{
	p->err.msg = msg;
	p->err.fatal = fatal;
	p->err.toobig = toobig;
	p->line_mode = false;
	if (fatal)
		p->state = ST_FATAL;
	else
		p->state = at_eol ? ST_TAG : ST_SKIP;
	return STEP_ERROR;
}

/* syntax - a resynchronizable syntax error at byte c */
static enum step
syntax(struct imap_parser *p, const char *msg, unsigned char c)
{
	return fail(p, msg, false, false, c == '\n');
}

/* is_atom_char - ATOM-CHAR plus "]", and "\" "%" "*" for flags, wildcards, sets */
static bool
is_atom_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && strchr("(){\"", c) == NULL;
}

/* is_tag_char - any ASTRING-CHAR except "+" */
static bool
is_tag_char(unsigned char c)
{
	return is_atom_char(c) && strchr("+%*\\", c) == NULL;
}

/* node_new - start a token of type t in the innermost open list */
static enum step
node_new(struct imap_parser *p, enum imap_arg_type t, unsigned char c)
{
	struct pnode *n;

	if (p->nnodes > p->o.max_args)
		return syntax(p, "Too many arguments", c);
	if (p->nnodes == p->node_cap) {
		p->node_cap = p->node_cap ? p->node_cap * 2 : 16;
		p->node = xrealloc(p->node, p->node_cap * sizeof(*p->node));
	}
	n = &p->node[p->nnodes];
	memset(n, 0, sizeof(*n));
	n->type = t;
	n->off = p->data.len;
	n->parent = p->open;
	p->cur = p->nnodes++;
	p->list_start = false;
	return STEP_NEXT;
}

/* token_end - terminate the current token; note when it makes this a FETCH */
static void
token_end(struct imap_parser *p)
{
	struct pnode *n = &p->node[p->cur];

	n->len = p->data.len - n->off;
	buf_putc(&p->data, '\0');
	if (n->type == IMAP_ARG_ATOM && n->len == 3 &&
	    strncasecmp(p->data.data + n->off, "NIL", 3) == 0)
		n->type = IMAP_ARG_NIL;
	if (p->is_uid && n->parent == 0) {
		p->fetch = n->type == IMAP_ARG_ATOM &&
		    strcasecmp(p->data.data + n->off, "FETCH") == 0;
		p->is_uid = false;
	}
}

/* build - turn the nodes into the caller's tree; members of a list are adjacent */
static void
build(struct imap_parser *p)
{
	size_t i, next = 0, total = p->nnodes + 1;
	const char *d = buf_cstr(&p->data);

	for (i = 0; i < p->nnodes; i++)
		p->node[i].nchild = p->node[i].placed = 0;
	for (i = 1; i < p->nnodes; i++) {
		p->node[p->node[i].parent].nchild++;
		if (p->node[i].type == IMAP_ARG_LIST)
			total++;
	}
	p->args = xcalloc(total, sizeof(*p->args));
	for (i = 0; i < p->nnodes; i++) {
		struct pnode *n = &p->node[i];

		if (i > 0 && n->type != IMAP_ARG_LIST)
			continue;
		n->base = next;
		p->args[next + n->nchild].str = "";	/* the EOL sentinel */
		next += n->nchild + 1;
	}
	for (i = 1; i < p->nnodes; i++) {
		struct pnode *n = &p->node[i], *up = &p->node[n->parent];
		struct imap_arg *a = &p->args[up->base + up->placed++];

		a->type = n->type;
		a->literal8 = n->literal8;
		a->has_nul = n->has_nul;
		if (n->type == IMAP_ARG_LIST) {
			a->str = "";
			a->list = &p->args[n->base];
			a->count = n->nchild;
		} else {
			a->str = d + n->off;
			a->len = n->len;
		}
	}
	p->cmd.tag = d;
	p->cmd.name = d + p->name_off;
	p->cmd.args = &p->args[0];
	p->cmd.count = p->node[0].nchild;
}

/* line_end - the final LF of a command */
static enum step
line_end(struct imap_parser *p)
{
	if (p->open != 0)
		return fail(p, "Missing ')'", false, false, true);
	build(p);
	p->state = ST_TAG;
	return STEP_DONE;
}

/* sep - after a token: SP, ")" or the end of the line */
static enum step
sep(struct imap_parser *p, unsigned char c)
{
	switch (c) {
	case ' ':
		p->state = ST_ARG;
		return STEP_NEXT;
	case ')':
		if (p->open == 0)
			return syntax(p, "Unexpected ')'", c);
		p->open = p->node[p->open].parent;
		p->depth--;
		return STEP_NEXT;
	case '\r':
		p->state = ST_EOL;
		return STEP_NEXT;
	case '\n':
		return line_end(p);
	default:
		return syntax(p, "Missing space after argument", c);
	}
}

/* arg - the first byte of an argument */
static enum step
arg(struct imap_parser *p, unsigned char c)
{
	enum step r = STEP_NEXT;

	switch (c) {
	case '(':
		if (p->depth >= p->o.max_depth)
			return syntax(p, "Too deep nesting", c);
		if ((r = node_new(p, IMAP_ARG_LIST, c)) != STEP_NEXT)
			return r;
		p->open = p->cur;
		p->depth++;
		p->list_start = true;
		return STEP_NEXT;
	case ')':
		if (!p->list_start)
			return syntax(p, "Unexpected ')'", c);
		p->list_start = false;
		p->state = ST_SEP;
		return STEP_AGAIN;
	case '"':
		p->state = ST_QUOTED;
		return node_new(p, IMAP_ARG_STRING, c);
	case '~':
		p->state = ST_LIT8;
		return STEP_NEXT;
	case '{':
		p->lit8 = false;
		p->lit_size = 0;
		p->lit_digits = 0;
		p->state = ST_LITSIZE;
		return node_new(p, IMAP_ARG_LITERAL, c);
	default:
		if (c == '\r' || c == '\n')
			return syntax(p, "Missing argument", c);
		if (!is_atom_char(c))
			return syntax(p, "Invalid characters in atom", c);
		p->state = ST_ATOM;
		if ((r = node_new(p, IMAP_ARG_ATOM, c)) != STEP_NEXT)
			return r;
		return STEP_AGAIN;
	}
}

/* atom - an atom's bytes; a "[" opens a section in FETCH */
static enum step
atom(struct imap_parser *p, unsigned char c)
{
	if (c == ' ' || c == ')' || c == '\r' || c == '\n') {
		token_end(p);
		p->state = ST_SEP;
		return STEP_AGAIN;
	}
	if (!is_atom_char(c))
		return syntax(p, "Invalid characters in atom", c);
	if (c == '[' && p->fetch)
		p->state = ST_BRACKET;
	buf_putc(&p->data, (char)c);
	return STEP_NEXT;
}

/* bracket - a FETCH section: spaces, lists and quoted names until "]" */
static enum step
bracket(struct imap_parser *p, unsigned char c)
{
	enum state st = p->state;

	if (c == '\r' || c == '\n' || c == '\0' || c >= 0x80)
		return syntax(p, "Invalid section", c);
	if (st == ST_BRACKET_QESC) {
		if (c != '"' && c != '\\')
			return syntax(p, "Invalid escape in section", c);
		st = ST_BRACKET_Q;
	} else if (st == ST_BRACKET_Q) {
		if (c == '"')
			st = ST_BRACKET;
		else if (c == '\\')
			st = ST_BRACKET_QESC;
	} else if (c == '"') {
		st = ST_BRACKET_Q;
	} else if (c == ']') {
		st = ST_ATOM;
	} else if (c == '[' || c == '{' || c < 0x20 || c == 0x7f) {
		return syntax(p, "Invalid section", c);
	}
	p->state = st;
	buf_putc(&p->data, (char)c);
	return STEP_NEXT;
}

/* quoted - a quoted string's bytes, unescaped as they come */
static enum step
quoted(struct imap_parser *p, unsigned char c)
{
	if (c == '\r' || c == '\n')
		return syntax(p, "Unterminated quoted string", c);
	if (c == '\0')
		return syntax(p, "NUL in quoted string", c);
	if (p->state == ST_QESC) {
		if (c != '"' && c != '\\')
			return syntax(p, "Invalid escape in quoted string", c);
		p->state = ST_QUOTED;
	} else if (c == '\\') {
		p->state = ST_QESC;
		return STEP_NEXT;
	} else if (c == '"') {
		token_end(p);
		p->state = ST_SEP;
		return STEP_NEXT;
	}
	buf_putc(&p->data, (char)c);
	return STEP_NEXT;
}

/* lit_finish - the literal's data is complete */
static void
lit_finish(struct imap_parser *p)
{
	token_end(p);
	p->state = ST_SEP;
}

/* lit_start - the LF after "{n}": check the size, then expect the data */
static enum step
lit_start(struct imap_parser *p)
{
	uint64_t n = p->lit_size;

	if (!p->lit_sync) {
		if (p->o.literal_plus == IMAP_LITERAL_SYNC_ONLY)
			return fail(p, "Non-synchronizing literals not allowed", true, false, true);
		if ((p->o.literal_plus == IMAP_LITERAL_MINUS && n > IMAP_LITERAL_MINUS_MAX) ||
		    n > p->o.max_literal || n > p->o.max_command - p->cmd_len)
			return fail(p, "Literal too big", true, true, true);
	} else if (n > p->o.max_literal || n > p->o.max_command - p->cmd_len) {
		return fail(p, "Literal too big", false, true, true);
	}
	p->node[p->cur].literal8 = p->lit8;
	p->lit_left = n;
	p->line_len = 0;
	p->state = ST_LITDATA;
	if (n == 0)
		lit_finish(p);
	return p->lit_sync ? STEP_CONT : STEP_NEXT;
}

/* literal - "~{", "{n}", "{n+}" up to the LF that ends the announcement */
static enum step
literal(struct imap_parser *p, unsigned char c)
{
	switch (p->state) {
	case ST_LIT8:
		if (c != '{') {	/* "~/Mail/": an atom after all */
			p->state = ST_ATOM;
			if (node_new(p, IMAP_ARG_ATOM, c) == STEP_ERROR)
				return STEP_ERROR;
			buf_putc(&p->data, '~');
			return STEP_AGAIN;
		}
		p->lit_size = 0;
		p->lit_digits = 0;
		p->state = ST_LITSIZE;
		if (node_new(p, IMAP_ARG_LITERAL, c) == STEP_ERROR)
			return STEP_ERROR;
		p->lit8 = true;
		return STEP_NEXT;
	case ST_LITSIZE:
		if (c >= '0' && c <= '9') {
			if (p->lit_size > (UINT64_MAX - 9) / 10)
				return syntax(p, "Literal size too big", c);
			p->lit_size = p->lit_size * 10 + (c - '0');
			p->lit_digits++;
			return STEP_NEXT;
		}
		if (p->lit_digits == 0 || (c != '}' && c != '+'))
			break;
		p->lit_sync = c == '}';
		p->state = c == '}' ? ST_LITCR : ST_LITPLUS;
		return STEP_NEXT;
	case ST_LITPLUS:
		if (c != '}')
			break;
		p->state = ST_LITCR;
		return STEP_NEXT;
	case ST_LITCR:
		if (c == '\r') {
			p->state = ST_LITLF;
			return STEP_NEXT;
		}
		/* FALLTHROUGH */
	case ST_LITLF:
		if (c != '\n')
			break;
		return lit_start(p);
	default:
		break;
	}
	return syntax(p, "Invalid literal", c);
}

/*
 * lit_data - copy the literal bytes that have arrived, in bulk, past *i;
 * the buffer grows only as they come, and running out of memory for them
 * is fatal for the connection, not the daemon
 */
static enum step
lit_data(struct imap_parser *p, const unsigned char *s, size_t len, size_t *i)
{
	size_t n = len - *i;

	if (n > p->lit_left)
		n = (size_t)p->lit_left;
	if (buf_try_reserve(&p->data, n) < 0)
		return fail(p, "Out of memory for this command", true, false, true);
	if (memchr(s + *i, '\0', n) != NULL)
		p->node[p->cur].has_nul = true;
	buf_append(&p->data, s + *i, n);
	*i += n;
	p->lit_left -= n;
	p->cmd_len += n;
	if (p->lit_left == 0)
		lit_finish(p);
	return STEP_NEXT;
}

/* line - line mode: everything up to LF, without the CR */
static enum step
line(struct imap_parser *p, unsigned char c)
{
	if (c != '\n') {
		buf_putc(&p->data, (char)c);
		return STEP_NEXT;
	}
	if (p->data.len > 0 && p->data.data[p->data.len - 1] == '\r')
		p->data.data[--p->data.len] = '\0';
	p->line_mode = false;
	p->state = ST_TAG;
	return STEP_LINE;
}

/* tag - the tag, then SP */
static enum step
tag(struct imap_parser *p, unsigned char c)
{
	if (p->line_mode) {
		p->state = ST_LINE;
		return STEP_AGAIN;
	}
	if (c == ' ' && p->data.len > 0) {
		buf_putc(&p->data, '\0');
		p->have_tag = true;
		p->name_off = p->data.len;
		p->state = ST_NAME;
		return STEP_NEXT;
	}
	if (c == '\r' || c == '\n')
		return syntax(p, p->data.len > 0 ? "Missing command" : "Empty command line", c);
	if (!is_tag_char(c))
		return syntax(p, "Invalid tag", c);
	buf_putc(&p->data, (char)c);
	return STEP_NEXT;
}

/* name - the command name, then SP or the end of the line */
static enum step
name(struct imap_parser *p, unsigned char c)
{
	bool empty = p->data.len == p->name_off;

	if (c == ' ' || c == '\r' || c == '\n') {
		if (empty)
			return syntax(p, "Missing command", c);
		buf_putc(&p->data, '\0');
		p->fetch = strcasecmp(p->data.data + p->name_off, "FETCH") == 0;
		p->is_uid = strcasecmp(p->data.data + p->name_off, "UID") == 0;
		p->state = ST_SEP;
		return STEP_AGAIN;
	}
	if (!is_atom_char(c) || strchr("[]%*\\", c) != NULL)
		return syntax(p, "Invalid command name", c);
	buf_putc(&p->data, (char)c);
	return STEP_NEXT;
}

/* count - apply the line and command limits to a byte of command text */
static enum step
count(struct imap_parser *p, unsigned char c)
{
	if (p->state == ST_SKIP || p->state == ST_LITDATA)
		return STEP_NEXT;
	if (++p->line_len > p->o.max_line)
		return fail(p, "Line too long", false, true, c == '\n');
	if (++p->cmd_len > p->o.max_command)
		return fail(p, "Command too long", false, true, c == '\n');
	return STEP_NEXT;
}

/* dispatch - hand one byte to the current state */
static enum step
dispatch(struct imap_parser *p, unsigned char c)
{
	switch (p->state) {
	case ST_TAG:
		return tag(p, c);
	case ST_NAME:
		return name(p, c);
	case ST_ARG:
		return arg(p, c);
	case ST_SEP:
		return sep(p, c);
	case ST_EOL:
		if (c != '\n')
			return syntax(p, "Expected LF after CR", c);
		return line_end(p);
	case ST_ATOM:
		return atom(p, c);
	case ST_BRACKET:
	case ST_BRACKET_Q:
	case ST_BRACKET_QESC:
		return bracket(p, c);
	case ST_QUOTED:
	case ST_QESC:
		return quoted(p, c);
	case ST_LINE:
		return line(p, c);
	case ST_SKIP:
		if (c == '\n')
			p->state = ST_TAG;
		return STEP_NEXT;
	default:
		return literal(p, c);
	}
}

/* begin - make node 0, the top level, when a command starts */
static void
begin(struct imap_parser *p)
{
	if (p->nnodes > 0)
		return;
	if (p->node_cap == 0) {
		p->node_cap = 16;
		p->node = xmalloc(p->node_cap * sizeof(*p->node));
	}
	memset(&p->node[0], 0, sizeof(p->node[0]));
	p->node[0].type = IMAP_ARG_LIST;
	p->nnodes = 1;
}

enum imap_parse_status
imap_parser_feed(struct imap_parser *p, const void *data, size_t len, size_t *consumed_r)
{
	const unsigned char *s = data;
	size_t i = 0;
	enum step r = STEP_NEXT;

	*consumed_r = 0;
	if (p->state == ST_FATAL)
		return IMAP_PARSE_ERROR;
	if (p->result_pending)
		cmd_clear(p);
	while (i < len) {
		if (p->state == ST_LITDATA) {
			if ((r = lit_data(p, s, len, &i)) == STEP_ERROR)
				break;
			continue;
		}
		begin(p);
		if ((r = count(p, s[i])) == STEP_NEXT) {
			while ((r = dispatch(p, s[i])) == STEP_AGAIN)
				;
		}
		i++;
		if (r != STEP_NEXT)
			break;
	}
	*consumed_r = i;
	switch (r) {
	case STEP_DONE:
		p->result_pending = true;
		return IMAP_PARSE_DONE;
	case STEP_LINE:
		p->result_pending = true;
		return IMAP_PARSE_LINE;
	case STEP_CONT:
		return IMAP_PARSE_CONTINUATION;
	case STEP_ERROR:
		p->result_pending = true;
		return IMAP_PARSE_ERROR;
	default:
		return IMAP_PARSE_NEED_MORE;
	}
}

const struct imap_cmd *
imap_parser_cmd(const struct imap_parser *p)
{
	return &p->cmd;
}

const char *
imap_parser_line(const struct imap_parser *p, size_t *len_r)
{
	*len_r = p->data.len;
	return p->data.data != NULL ? p->data.data : "";
}

uint64_t
imap_parser_literal_size(const struct imap_parser *p)
{
	return p->lit_size;
}

const char *
imap_parser_tag(const struct imap_parser *p)
{
	return p->have_tag ? p->data.data : NULL;
}

const struct imap_parse_error *
imap_parser_error(const struct imap_parser *p)
{
	return &p->err;
}

const char *
imap_arg_astring(const struct imap_arg *a)
{
	switch (a->type) {
	case IMAP_ARG_NIL:
	case IMAP_ARG_ATOM:
	case IMAP_ARG_STRING:
	case IMAP_ARG_LITERAL:
		return a->str;
	default:
		return NULL;
	}
}

const char *
imap_arg_nstring(const struct imap_arg *a, bool *is_nil_r)
{
	*is_nil_r = a->type == IMAP_ARG_NIL;
	return *is_nil_r ? NULL : imap_arg_astring(a);
}

int
imap_arg_number(const struct imap_arg *a, uint64_t *v_r)
{
	uint64_t v = 0;

	if (a->type != IMAP_ARG_ATOM || a->len == 0 || a->len > 19)
		return -1;
	for (size_t i = 0; i < a->len; i++) {
		if (a->str[i] < '0' || a->str[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(a->str[i] - '0');
	}
	*v_r = v;
	return 0;
}

bool
imap_arg_atom_is(const struct imap_arg *a, const char *word)
{
	return a->type == IMAP_ARG_ATOM && strcasecmp(a->str, word) == 0;
}
