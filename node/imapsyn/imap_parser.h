/*
 * imap_parser.h - the incremental IMAP command parser (syntax only).
 *
 * node/imapsyn is IMAP's syntax with no server state, below the store and
 * mime as Dovecot's lib-imap is: this parser and its FETCH section reader
 * (imap_parser_section.c), quoted strings and literals (imap_write.h),
 * modified UTF-7 mailbox names (imap_utf7.h), dates (imap_date.h) and
 * sequence sets (imap_seqset.h). It includes util only, and no session,
 * mailbox or store type appears in its API: mime writes ENVELOPE and
 * BODYSTRUCTURE strings with it, and a server that speaks IMAP's strings
 * and literals (ManageSieve) can use it too. The IMAP server itself is
 * node/imap (imap/imap_session.h).
 *
 * The parser does no I/O and knows nothing of the store. The server feeds
 * it whatever bytes have arrived, split anywhere (one byte at a time is
 * fine), and gets back one of:
 *
 *   IMAP_PARSE_NEED_MORE     every byte was taken; feed more when it comes;
 *   IMAP_PARSE_CONTINUATION  a synchronizing literal {n} was announced: check
 *                            imap_parser_literal_size(), then send "+ ..."
 *                            and keep feeding, or refuse the command and
 *                            call imap_parser_reset() (the client abandons it);
 *   IMAP_PARSE_DONE          a whole command: imap_parser_cmd();
 *   IMAP_PARSE_LINE          line mode only: imap_parser_line();
 *   IMAP_PARSE_ERROR         imap_parser_error(): answer "tag BAD msg" (or
 *                            "* BAD" without a tag). If err->fatal, close the
 *                            connection; otherwise keep feeding: the parser
 *                            discards the rest of the bad line by itself.
 *
 * *consumed_r says how many bytes were taken; bytes past it belong to the
 * next command and must be fed again after the current one is handled.
 *
 * Grammar (RFC 3501, RFC 9051): tag SP name *(SP arg) CRLF, where an arg is
 * an atom (astring chars, "]" included), NIL, a quoted string, a literal
 * {n}, {n+} (LITERAL+/LITERAL-) or ~{n} (literal8), or a parenthesized list.
 * Bare LF is accepted as CRLF. Quoted strings may carry 8-bit bytes (UTF-8
 * for IMAP4rev2; validating it is the command's job) but never NUL, CR, LF.
 * The UID prefix is not special: "UID FETCH" is name "UID", args "FETCH" ...
 *
 * FETCH sections: when the command is FETCH or UID FETCH, an atom may hold
 * a bracketed part with spaces, lists and quoted strings inside, so
 * "BODY.PEEK[HEADER.FIELDS (DATE FROM)]<0.2048>" arrives as one ATOM with
 * that exact text; imap_parser_section() parses it. In other commands "["
 * is an ordinary atom char ("[Gmail]/Sent" is a mailbox atom).
 *
 * Limits (struct imap_parser_opts): line length excluding literal data,
 * literal size, nesting depth, argument count and the whole command size.
 * A sync literal over the limit is an ERROR with toobig set (the client
 * waits for "+", so the stream stays in step). A non-sync literal that is
 * over the limit, over 4096 bytes under LITERAL-, or not allowed at all, is
 * fatal: its data is already on the way.
 *
 * Hazard: resynchronizing skips to the end of the line, so if the skipped
 * part announced a non-sync literal, its data is then parsed as commands.
 * A BAD reply per bad line is the most that can come of it.
 *
 * Memory: literal data lives in one growable buffer inside the parser,
 * grown as the data arrives (an announcement alone reserves nothing) and
 * shrunk back when a large command is done with. When the data cannot be
 * held, the result is a fatal ERROR ("Out of memory for this command").
 *
 * Ownership: the parser owns everything it returns. The command, its args,
 * the line and the error message are valid until the next feed, reset or
 * free.
 */
#ifndef DUPLEX_IMAP_PARSER_H
#define DUPLEX_IMAP_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum imap_parse_status {
	IMAP_PARSE_NEED_MORE,
	IMAP_PARSE_CONTINUATION,
	IMAP_PARSE_DONE,
	IMAP_PARSE_LINE,
	IMAP_PARSE_ERROR,
};

/* which non-synchronizing literals the server advertised (RFC 7888) */
enum imap_literal_plus {
	IMAP_LITERAL_SYNC_ONLY,	/* neither: {n+} is fatal */
	IMAP_LITERAL_MINUS,	/* LITERAL-: {n+} up to 4096 bytes */
	IMAP_LITERAL_PLUS,	/* LITERAL+: {n+} up to max_literal */
};

#define IMAP_LITERAL_MINUS_MAX	4096

/* zero fields take the defaults shown */
struct imap_parser_opts {
	size_t max_line;	/* 64 KiB: a line's bytes, literal data excluded */
	uint64_t max_literal;	/* 64 MiB; pass the store's max_message_size */
	unsigned max_depth;	/* 32: nested parenthesized lists */
	size_t max_args;	/* 10000: arguments, list members included */
	uint64_t max_command;	/* max_literal + 1 MiB: every byte of a command */
	enum imap_literal_plus literal_plus;	/* default SYNC_ONLY */
};

enum imap_arg_type {
	IMAP_ARG_EOL,		/* the sentinel after the last arg of a list */
	IMAP_ARG_NIL,		/* the atom NIL, any case (str holds its text) */
	IMAP_ARG_ATOM,
	IMAP_ARG_STRING,	/* a quoted string, unescaped */
	IMAP_ARG_LITERAL,
	IMAP_ARG_LIST,
};

struct imap_arg {
	enum imap_arg_type type;
	bool literal8;		/* LITERAL: sent as ~{n} */
	bool has_nul;		/* LITERAL: holds a NUL byte (only legal in literal8) */
	const char *str;	/* NIL/ATOM/STRING/LITERAL: NUL-terminated; "" otherwise */
	size_t len;		/* bytes in str (literal data may hold NULs) */
	const struct imap_arg *list;	/* LIST: count members, then an EOL */
	size_t count;
};

struct imap_cmd {
	const char *tag;
	const char *name;	/* as sent: compare case-insensitively */
	const struct imap_arg *args;	/* count args, then an EOL sentinel */
	size_t count;
};

struct imap_parse_error {
	const char *msg;	/* for "BAD": printable, no CRLF */
	bool fatal;		/* the stream cannot be resynchronized */
	bool toobig;		/* a size limit: reply with [TOOBIG] */
};

struct imap_parser;

/* imap_parser_new - a parser; opts is copied, NULL for the defaults */
struct imap_parser *imap_parser_new(const struct imap_parser_opts *opts);
/* imap_parser_free - frees everything it returned; clears *pp; NULL is fine */
void imap_parser_free(struct imap_parser **pp);
/* imap_parser_reset - forget any partial command (after refusing a literal) */
void imap_parser_reset(struct imap_parser *p);
/* imap_parser_set_literal_plus - after ENABLE or a capability change */
void imap_parser_set_literal_plus(struct imap_parser *p, enum imap_literal_plus lp);
/* imap_parser_set_opts - new limits (after login); between commands only */
void imap_parser_set_opts(struct imap_parser *p, const struct imap_parser_opts *opts);
/*
 * imap_parser_line_mode - the next result is one raw line (an AUTHENTICATE
 * response, IDLE's "DONE") returned as IMAP_PARSE_LINE; then back to
 * commands. Call between commands only.
 */
void imap_parser_line_mode(struct imap_parser *p);

/* imap_parser_feed - parse what has arrived; see the top of this file */
enum imap_parse_status imap_parser_feed(struct imap_parser *p, const void *data, size_t len,
    size_t *consumed_r);

/* imap_parser_cmd - after DONE */
const struct imap_cmd *imap_parser_cmd(const struct imap_parser *p);
/* imap_parser_line - after LINE: the line without its CRLF, NUL-terminated */
const char *imap_parser_line(const struct imap_parser *p, size_t *len_r);
/* imap_parser_literal_size - after CONTINUATION: the announced size */
uint64_t imap_parser_literal_size(const struct imap_parser *p);
/* imap_parser_tag - the tag read so far (for a BAD reply), NULL if none */
const char *imap_parser_tag(const struct imap_parser *p);
/* imap_parser_error - after ERROR */
const struct imap_parse_error *imap_parser_error(const struct imap_parser *p);

/* imap_arg_astring - the text of an ATOM, NIL, STRING or LITERAL; else NULL */
const char *imap_arg_astring(const struct imap_arg *a);
/* imap_arg_nstring - like astring, but NIL gives NULL with *is_nil_r set */
const char *imap_arg_nstring(const struct imap_arg *a, bool *is_nil_r);
/* imap_arg_number - an ATOM of 1 to 19 digits (so no overflow) into *v_r; -1 if not */
int imap_arg_number(const struct imap_arg *a, uint64_t *v_r);
/* imap_arg_atom_is - a is an ATOM equal to word, ignoring ASCII case */
bool imap_arg_atom_is(const struct imap_arg *a, const char *word);

/*
 * FETCH attributes with a section: "BODY[1.2.HEADER.FIELDS (A B)]<0.100>",
 * "BINARY.PEEK[1]", "BINARY.SIZE[2]", "BODY.PEEK[]<5.10>", "RFC822.HEADER"
 * is not one (no brackets).
 */
enum imap_section_text {
	IMAP_SECTION_ALL,	/* "" or a part number alone */
	IMAP_SECTION_HEADER,
	IMAP_SECTION_HEADER_FIELDS,
	IMAP_SECTION_HEADER_FIELDS_NOT,
	IMAP_SECTION_TEXT,
	IMAP_SECTION_MIME,	/* only after a part number */
};

#define IMAP_SECTION_MAX_PARTS	32
#define IMAP_SECTION_MAX_FIELDS	64

struct imap_section {
	enum { IMAP_FETCH_BODY, IMAP_FETCH_BINARY, IMAP_FETCH_BINARY_SIZE } item;
	bool peek;			/* BODY.PEEK, BINARY.PEEK */
	uint32_t part[IMAP_SECTION_MAX_PARTS];	/* "1.2" is {1, 2} */
	unsigned nparts;
	enum imap_section_text text;
	const char *field[IMAP_SECTION_MAX_FIELDS];	/* HEADER.FIELDS names */
	size_t field_len[IMAP_SECTION_MAX_FIELDS];
	unsigned nfields;
	bool partial;			/* <offset.count> given */
	uint32_t offset;
	uint32_t count;
};

/*
 * imap_parser_section - parse a FETCH attribute atom with a [section].
 * Field names point into atom (a quoted name at its content; escapes in
 * names are refused) and live as long as it does. 0, or -1 if it is not a
 * valid section spec.
 */
int imap_parser_section(const char *atom, size_t len, struct imap_section *sec_r);

#endif
