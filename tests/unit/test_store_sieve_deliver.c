/*
 * test_store_sieve_deliver.c - Sieve at delivery, the store's side:
 * reject refuses one recipient (its reason on one line) and stores nothing
 * for it; duplicate's records outlive the request and a rejected
 * recipient writes none; sieve test reads them and writes none; redirect
 * without an envelope sender is refused, never dropped; vacation's reply
 * carries no field a script smuggled in through its subject; the domain's
 * stop leaves the user's script out.
 */
#include "test_store_fixture.h"

#include "sieve/sieve.h"

#define TOMO "tomo@sample.com"
#define ANN "ann@sample.com"

/* put - compile src and make it the user's active script (or the domain's, with a domain) */
static void
put(struct fx *f, const char *who, const char *src)
{
	struct sieve_limits lim;
	struct sieve_error err;
	struct store_sieve_limits slim = { 0, 0 };
	unsigned char *bin;
	size_t binlen;

	sieve_limits_default(&lim);
	if (sieve_compile(src, strlen(src), &lim, &bin, &binlen, &err) != 0)
		fail_msg("%u:%u: %s", err.line, err.col, err.msg);
	if (strchr(who, '@') == NULL) {
		assert_int_equal(store_sieve_domain_set(f->st, who, src, strlen(src), bin, binlen), 0);
	} else {
		assert_int_equal(store_sieve_put(f->st, who, "s", src, strlen(src), bin, binlen, &slim,
		    NULL), 0);
		assert_int_equal(store_sieve_activate(f->st, who, "s"), 0);
	}
	free(bin);
}

/* deliver - msg from sender (NULL: none) to rcpts; the results in res */
static void
deliver(struct fx *f, const char *sender, const char *msg, const char *const *rcpts, size_t n,
    struct store_rcpt_result *res)
{
	assert_int_equal(store_deliver_from(f->st, "Q1", sender, msg, strlen(msg), rcpts, n, NULL,
	    1700000000, res), 0);
}

static void
test_reject(void **state)
{
	struct fx *f = *state;
	const char *rcpts[] = { TOMO, ANN };
	struct store_rcpt_result res[2];
	const char *msg = "From: a@remote.test\r\nSubject: x\r\n\r\nbody\r\n";

	assert_int_equal(store_user_add(f->st, ANN, "h", 0, 0), 0);
	put(f, TOMO, "require \"reject\"; reject text:\r\nnot\r\nwanted\r\n.\r\n;");
	deliver(f, "a@remote.test", msg, rcpts, 2, res);
	assert_int_equal(res[0].err, STORE_EREJECTED);
	assert_string_equal(res[0].detail, "not  wanted  ");
	assert_false(store_err_is_temporary(STORE_EREJECTED));
	assert_int_equal(res[1].err, 0);
	assert_int_equal(fx_mailbox(f, TOMO, "INBOX").messages, 0);
	assert_int_equal(fx_mailbox(f, ANN, "INBOX").messages, 1);
}

static void
test_duplicate_records(void **state)
{
	struct fx *f = *state;
	const char *rcpts[] = { TOMO };
	struct store_rcpt_result res;
	struct store_sieve_eval ev;
	struct store_rtxn *r;
	const char *msg = "From: a@remote.test\r\nMessage-ID: <one@remote.test>\r\n\r\nbody\r\n";

	put(f, TOMO, "require \"duplicate\"; if duplicate { discard; }");
	/* sieve test reads the records and writes none */
	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_sieve_test(r, TOMO, "a@remote.test", NULL, msg, strlen(msg), &ev), 0);
	store_rtxn_end(&r);
	assert_true(ev.user_ran && !ev.dom_ran && ev.user.implicit_keep);
	store_sieve_eval_free(&ev);
	deliver(f, "a@remote.test", msg, rcpts, 1, &res);
	assert_int_equal(res.err, 0);
	deliver(f, "a@remote.test", msg, rcpts, 1, &res);
	assert_int_equal(res.err, 0);
	assert_int_equal(fx_mailbox(f, TOMO, "INBOX").messages, 1);	/* the second discarded */
	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_sieve_test(r, TOMO, "a@remote.test", NULL, msg, strlen(msg), &ev), 0);
	store_rtxn_end(&r);
	assert_int_equal(ev.user.nact, 0);	/* discard: nothing keeps it */
	assert_false(ev.user.implicit_keep);
	store_sieve_eval_free(&ev);
}

static void
test_redirect_needs_sender(void **state)
{
	struct fx *f = *state;
	const char *rcpts[] = { TOMO };
	struct store_rcpt_result res;
	const char *msg = "From: a@remote.test\r\n\r\nbody\r\n";

	put(f, TOMO, "redirect \"out@remote.test\";");
	assert_int_equal(store_deliver(f->st, "Q1", msg, strlen(msg), rcpts, 1, NULL, 1700000000,
	    &res), 0);
	assert_int_equal(res.err, STORE_EEXTERNAL);
	assert_int_equal(fx_mailbox(f, TOMO, "INBOX").messages, 0);
}

struct reply_find {
	char *data;
	const char *from;
};

/* reply_one - the message of the entry from the null sender */
static int
reply_one(const struct store_queue_entry *e, void *arg)
{
	struct reply_find *rf = arg;

	if (strcmp(e->from, rf->from) != 0)
		return 0;
	rf->data = strndup(e->msg, e->msglen);
	return 1;
}

static void
test_vacation_fields(void **state)
{
	struct fx *f = *state;
	const char *rcpts[] = { TOMO };
	struct store_rcpt_result res;
	struct reply_find rf = { NULL, "" };
	struct store_rtxn *r;
	const char *msg = "From: a@remote.test\r\nTo: tomo@sample.com\r\nSubject: hi\r\n"
	    "Message-ID: <m1@remote.test>\r\n\r\nbody\r\n";

	put(f, TOMO, "require \"vacation\"; vacation :subject \"away\r\nBcc: x@evil.test\" \"gone\";");
	deliver(f, "a@remote.test", msg, rcpts, 1, &res);
	assert_int_equal(res.err, 0);
	assert_int_equal(store_rtxn_begin(f->st, &r), 0);
	assert_int_equal(store_queue_list(r, reply_one, &rf), 1);
	store_rtxn_end(&r);
	assert_non_null(strstr(rf.data, "\r\nSubject: away  Bcc: x@evil.test\r\n"));
	assert_null(strstr(rf.data, "\r\nBcc:"));
	assert_non_null(strstr(rf.data, "\r\nIn-Reply-To: <m1@remote.test>\r\n"));
	assert_non_null(strstr(rf.data, "\r\nAuto-Submitted: auto-replied"));
	free(rf.data);
}

static void
test_domain_stop(void **state)
{
	struct fx *f = *state;
	const char *rcpts[] = { TOMO };
	struct store_rcpt_result res;
	const char *msg = "From: a@remote.test\r\n\r\nbody\r\n";

	put(f, "sample.com", "stop;");
	put(f, TOMO, "discard;");
	deliver(f, "a@remote.test", msg, rcpts, 1, &res);
	assert_int_equal(res.err, 0);
	assert_int_equal(fx_mailbox(f, TOMO, "INBOX").messages, 1);
	put(f, "sample.com", "keep;");
	deliver(f, "a@remote.test", msg, rcpts, 1, &res);
	assert_int_equal(fx_mailbox(f, TOMO, "INBOX").messages, 2);	/* its keep ended the sequence */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reject, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_records, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_redirect_needs_sender, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_vacation_fields, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_domain_stop, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
