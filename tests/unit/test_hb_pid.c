/*
 * test_hb_pid.c - hb_pid_file_dead: dead only on positive evidence. A live
 * pid, a missing file and garbage are not dead; a pid that has exited, and
 * a zombie, are.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "hb/hb.h"

static char path[64];

static void
write_pid_text(const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void
write_pid(long pid)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld\n", pid);
	write_pid_text(buf);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(path, sizeof(path), "/tmp/test_hb_pid.%ld", (long)getpid());
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

static void
test_alive(void **state)
{
	(void)state;
	write_pid(getpid());
	assert_false(hb_pid_file_dead(path));
}

static void
test_no_evidence(void **state)
{
	(void)state;
	unlink(path);
	assert_false(hb_pid_file_dead(path));
	assert_false(hb_pid_file_dead(""));
	assert_false(hb_pid_file_dead(NULL));
	write_pid_text("");
	assert_false(hb_pid_file_dead(path));
	write_pid_text("12ab\n");
	assert_false(hb_pid_file_dead(path));
	write_pid_text("-5\n");
	assert_false(hb_pid_file_dead(path));
}

static void
test_exited(void **state)
{
	pid_t pid = fork();

	(void)state;
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	write_pid(pid);
	assert_true(hb_pid_file_dead(path));
}

static void
test_zombie(void **state)
{
	int pfd[2];
	char c;
	pid_t pid;

	(void)state;
	assert_int_equal(pipe(pfd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	/* the child is a zombie once it has exited and is not yet reaped */
	close(pfd[1]);
	assert_int_equal(read(pfd[0], &c, 1), 0);
	close(pfd[0]);
	write_pid(pid);
	/* exit closes files before the task turns zombie: allow it a moment */
	for (int i = 0; i < 500 && !hb_pid_file_dead(path); i++)
		usleep(10000);
	assert_true(hb_pid_file_dead(path));
	assert_int_equal(waitpid(pid, NULL, 0), pid);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_alive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_evidence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zombie, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
