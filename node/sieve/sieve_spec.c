/*
 * sieve_spec.c - what the compiler knows of each extension, command, test
 * and tag, and the SIEVE capability string made from it.
 */
#include "sieve/sieve_int.h"

#include <string.h>

const char *const sv_ext_names[X_COUNT] = {
	[X_FILEINTO] = "fileinto", [X_REJECT] = "reject", [X_EREJECT] = "ereject",
	[X_ENVELOPE] = "envelope", [X_ENCCHAR] = "encoded-character",
	[X_IMAP4FLAGS] = "imap4flags", [X_COPY] = "copy", [X_BODY] = "body",
	[X_VARIABLES] = "variables", [X_VACATION] = "vacation",
	[X_VACSECONDS] = "vacation-seconds", [X_RELATIONAL] = "relational",
	[X_SUBADDRESS] = "subaddress", [X_DATE] = "date", [X_INDEX] = "index",
	[X_REGEX] = "regex", [X_DUPLICATE] = "duplicate", [X_INCLUDE] = "include",
	[X_MAILBOX] = "mailbox", [X_CMP_NUMERIC] = "comparator-i;ascii-numeric",
	[X_CMP_UNICODE] = "comparator-i;unicode-casemap",
};

/* groups of tags that exclude each other */
enum { G_NONE, G_CMP, G_MATCH, G_ADDR, G_SIZE, G_BODY, G_ZONE, G_CASE1, G_CASE2, G_WHERE, G_DUPID,
	G_TIME };

const struct sv_tagspec sv_tags[] = {
	{ ":comparator", 'S', G_CMP, X_NONE },
	{ ":is", 0, G_MATCH, X_NONE },
	{ ":contains", 0, G_MATCH, X_NONE },
	{ ":matches", 0, G_MATCH, X_NONE },
	{ ":regex", 0, G_MATCH, X_REGEX },
	{ ":value", 'S', G_MATCH, X_RELATIONAL },
	{ ":count", 'S', G_MATCH, X_RELATIONAL },
	{ ":all", 0, G_ADDR, X_NONE },
	{ ":localpart", 0, G_ADDR, X_NONE },
	{ ":domain", 0, G_ADDR, X_NONE },
	{ ":user", 0, G_ADDR, X_SUBADDRESS },
	{ ":detail", 0, G_ADDR, X_SUBADDRESS },
	{ ":over", 'N', G_SIZE, X_NONE },
	{ ":under", 'N', G_SIZE, X_NONE },
	{ ":index", 'N', G_NONE, X_INDEX },
	{ ":last", 0, G_NONE, X_INDEX },
	{ ":copy", 0, G_NONE, X_COPY },
	{ ":create", 0, G_NONE, X_MAILBOX },
	{ ":flags", 'L', G_NONE, X_IMAP4FLAGS },
	{ ":raw", 0, G_BODY, X_NONE },
	{ ":content", 'L', G_BODY, X_NONE },
	{ ":text", 0, G_BODY, X_NONE },
	{ ":zone", 'S', G_ZONE, X_NONE },
	{ ":originalzone", 0, G_ZONE, X_NONE },
	{ ":lower", 0, G_CASE1, X_NONE },
	{ ":upper", 0, G_CASE1, X_NONE },
	{ ":lowerfirst", 0, G_CASE2, X_NONE },
	{ ":upperfirst", 0, G_CASE2, X_NONE },
	{ ":quotewildcard", 0, G_NONE, X_NONE },
	{ ":quoteregex", 0, G_NONE, X_REGEX },
	{ ":length", 0, G_NONE, X_NONE },
	{ ":days", 'N', G_TIME, X_NONE },
	{ ":seconds", 'N', G_TIME, X_VACSECONDS },
	{ ":subject", 'S', G_NONE, X_NONE },
	{ ":from", 'S', G_NONE, X_NONE },
	{ ":addresses", 'L', G_NONE, X_NONE },
	{ ":mime", 0, G_NONE, X_NONE },
	{ ":handle", 'S', G_NONE, X_NONE },
	{ ":header", 'S', G_DUPID, X_NONE },
	{ ":uniqueid", 'S', G_DUPID, X_NONE },
	{ ":personal", 0, G_WHERE, X_NONE },
	{ ":global", 0, G_WHERE, X_NONE },
	{ ":once", 0, G_NONE, X_NONE },
	{ ":optional", 0, G_NONE, X_NONE },
};
const size_t sv_ntags = sizeof(sv_tags) / sizeof(sv_tags[0]);

#define MATCH ":comparator :is :contains :matches :regex :value :count"
#define ADDR ":all :localpart :domain :user :detail"
#define INDEX ":index :last"

const struct sv_spec sv_specs[] = {
	/* commands */
	{ "require", false, X_NONE, "", "L", 0 },
	{ "if", false, X_NONE, "", "T", 1 },
	{ "elsif", false, X_NONE, "", "T", 1 },
	{ "else", false, X_NONE, "", "", 1 },
	{ "stop", false, X_NONE, "", "", 0 },
	{ "keep", false, X_NONE, ":flags", "", 0 },
	{ "discard", false, X_NONE, "", "", 0 },
	{ "fileinto", false, X_FILEINTO, ":copy :create :flags", "S", 0 },
	{ "redirect", false, X_NONE, ":copy", "S", 0 },
	{ "reject", false, X_REJECT, "", "S", 0 },
	{ "ereject", false, X_EREJECT, "", "S", 0 },
	{ "vacation", false, X_VACATION,
	  ":days :seconds :subject :from :addresses :mime :handle", "S", 0 },
	{ "setflag", false, X_IMAP4FLAGS, "", "sL", 0 },
	{ "addflag", false, X_IMAP4FLAGS, "", "sL", 0 },
	{ "removeflag", false, X_IMAP4FLAGS, "", "sL", 0 },
	{ "set", false, X_VARIABLES,
	  ":lower :upper :lowerfirst :upperfirst :quotewildcard :quoteregex :length", "SS", 0 },
	{ "include", false, X_INCLUDE, ":personal :global :once :optional", "S", 0 },
	{ "return", false, X_INCLUDE, "", "", 0 },
	{ "global", false, X_INCLUDE, "", "L", 0 },
	/* tests */
	{ "address", true, X_NONE, MATCH " " ADDR " " INDEX, "LL", 0 },
	{ "envelope", true, X_ENVELOPE, MATCH " " ADDR, "LL", 0 },
	{ "header", true, X_NONE, MATCH " " INDEX, "LL", 0 },
	{ "exists", true, X_NONE, "", "L", 0 },
	{ "size", true, X_NONE, ":over :under", "", 0 },
	{ "true", true, X_NONE, "", "", 0 },
	{ "false", true, X_NONE, "", "", 0 },
	{ "not", true, X_NONE, "", "T", 0 },
	{ "anyof", true, X_NONE, "", "X", 0 },
	{ "allof", true, X_NONE, "", "X", 0 },
	{ "body", true, X_BODY, MATCH " :raw :content :text", "L", 0 },
	{ "string", true, X_VARIABLES, MATCH, "LL", 0 },
	{ "hasflag", true, X_IMAP4FLAGS, MATCH, "lL", 0 },
	{ "date", true, X_DATE, MATCH " :zone :originalzone " INDEX, "SSL", 0 },
	{ "currentdate", true, X_DATE, MATCH " :zone", "SL", 0 },
	{ "duplicate", true, X_DUPLICATE,
	  ":handle :header :uniqueid :seconds/- :last/-", "", 0 },
	{ "mailboxexists", true, X_MAILBOX, "", "L", 0 },
};
const size_t sv_nspecs = sizeof(sv_specs) / sizeof(sv_specs[0]);

/* sv_tag_find - the index of tag name in sv_tags, or -1 */
int
sv_tag_find(const char *name)
{
	for (size_t i = 0; i < sv_ntags; i++)
		if (strcmp(sv_tags[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* sv_spec_find - the index of command (test false) or test name in sv_specs, or -1 */
int
sv_spec_find(const char *name, bool test)
{
	for (size_t i = 0; i < sv_nspecs; i++)
		if (sv_specs[i].test == test && strcmp(sv_specs[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* sieve_capability - the SIEVE capability string: exactly the extensions implemented */
const char *
sieve_capability(void)
{
	return "fileinto reject ereject envelope encoded-character imap4flags copy body variables "
	    "vacation vacation-seconds relational subaddress date index regex duplicate include "
	    "mailbox comparator-i;octet comparator-i;ascii-casemap comparator-i;ascii-numeric "
	    "comparator-i;unicode-casemap";
}

/* sieve_limits_default - fill lim with the defaults */
void
sieve_limits_default(struct sieve_limits *lim)
{
	lim->max_script_size = SIEVE_DEF_SCRIPT_SIZE;
	lim->max_nesting = SIEVE_DEF_NESTING;
	lim->max_actions = SIEVE_DEF_ACTIONS;
	lim->max_redirects = SIEVE_DEF_REDIRECTS;
	lim->max_steps = SIEVE_DEF_STEPS;
	lim->max_includes = SIEVE_DEF_INCLUDES;
}
