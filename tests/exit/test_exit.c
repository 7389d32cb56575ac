// SPDX-License-Identifier: MIT
/*
 * Exit order: every destructor, exit handler and thread_local destructor of the extensions runs
 * before any of them is unmapped, at process exit and with llext_unload_many(); and at exit
 * nothing is unmapped, so that a thread an extension left running and a leak checker still find
 * its memory. Each test starts a program (llext-run or exit-host, tests/exit/host.c) that loads
 * the fixtures of tests/exit/ext/, and reads its exit status and output.
 *
 * Arguments: the programs and objects, found by base name. In a cross build each program is
 * started through the exe wrapper (MESON_EXE_WRAPPER), as tests/cli/test_cli.c explains.
 */
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

extern char **environ;

static char **inputs;
static int ninputs;

static const char *path_of(const char *base)
{
	for (int i = 0; i < ninputs; i++) {
		const char *slash = strrchr(inputs[i], '/');

		if (strcmp(slash ? slash + 1 : inputs[i], base) == 0) {
			return inputs[i];
		}
	}
	fail_msg("'%s' was not given to the test program", base);
	return NULL;
}

struct result {
	int status; /* exit status, or 128 + signal */
	char *out, *err;
};

static char *slurp(FILE *f)
{
	long len = ftell(f);
	char *buf;

	assert_true(len >= 0);
	rewind(f);
	buf = calloc(1, (size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return buf;
}

/* Runs @argv through the exe wrapper, whose words meson gives without quotes here. */
static void run(struct result *r, const char *const *argv)
{
	char wrap[1024] = "", *save = NULL;
	const char *cmd[32];
	FILE *out = tmpfile(), *err = tmpfile();
	posix_spawn_file_actions_t fa;
	int n = 0, ws;
	pid_t pid;

	assert_non_null(out);
	assert_non_null(err);
	if (getenv("MESON_EXE_WRAPPER")) {
		snprintf(wrap, sizeof(wrap), "%s", getenv("MESON_EXE_WRAPPER"));
	}
	for (char *w = strtok_r(wrap, " '", &save); w && n < 8; w = strtok_r(NULL, " '", &save)) {
		cmd[n++] = w;
	}
	for (int i = 0; argv[i]; i++) {
		assert_true(n < 31);
		cmd[n++] = argv[i];
	}
	cmd[n] = NULL;
	assert_int_equal(posix_spawn_file_actions_init(&fa), 0);
	assert_int_equal(posix_spawn_file_actions_adddup2(&fa, fileno(out), 1), 0);
	assert_int_equal(posix_spawn_file_actions_adddup2(&fa, fileno(err), 2), 0);
	fflush(NULL);
	assert_int_equal(posix_spawnp(&pid, cmd[0], &fa, NULL, (char *const *)cmd, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	fseek(out, 0, SEEK_END);
	fseek(err, 0, SEEK_END);
	r->out = slurp(out);
	r->err = slurp(err);
	r->status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	/* Away from the TAP stream: meson shows it when a test fails. */
	fprintf(stderr, "$");
	for (int i = 0; argv[i]; i++) {
		fprintf(stderr, " %s", argv[i]);
	}
	fprintf(stderr, "\n[exit %d]\n[stdout]\n%s[stderr]\n%s\n", r->status, r->out, r->err);
}

#define RUN(r, ...) run(r, (const char *const[]){__VA_ARGS__, NULL})

static void result_free(struct result *r)
{
	free(r->out);
	free(r->err);
}

/* The position of @needle in @haystack, failing if absent: for checking order. */
static size_t pos_of(const char *haystack, const char *needle)
{
	const char *p = strstr(haystack, needle);

	if (!p) {
		fail_msg("expected to find \"%s\" in:\n%s", needle, haystack);
	}
	return (size_t)(p - haystack);
}

/* ---- a destructor that calls back into an extension loaded later ---- */

static void check_callback(const struct result *r, const char *end)
{
	assert_int_equal(r->status, 0);
	/* The callback runs once, from lib's destructor, before lib's last line and the end. */
	assert_true(pos_of(r->out, "user: callback ran (1)\n") <
	            pos_of(r->out, "lib: destructor done\n"));
	assert_null(strstr(r->out, "(2)"));
	if (end) {
		assert_true(pos_of(r->out, "lib: destructor done\n") < pos_of(r->out, end));
	}
}

static void test_callback_llext_run(void **state)
{
	struct result r;

	(void)state;
	RUN(&r, path_of("llext-run"), path_of("exit-cb-lib.o"), path_of("exit-cb-user.o"));
	check_callback(&r, NULL);
	assert_true(pos_of(r.out, "user: main\n") < pos_of(r.out, "user: callback ran"));
	result_free(&r);
}

static void test_callback_unload_many(void **state)
{
	struct result r;

	(void)state;
	/* The user links against lib: lib's last use goes with the user's. */
	RUN(&r, path_of("exit-host"), "many", path_of("exit-cb-lib.o"), path_of("exit-cb-user.o"));
	check_callback(&r, "host: llext_unload_many returned 0\n");
	result_free(&r);
}

static void test_callback_at_exit(void **state)
{
	struct result r;

	(void)state;
	RUN(&r, path_of("exit-host"), "exit", path_of("exit-cb-lib.o"), path_of("exit-cb-user.o"));
	check_callback(&r, NULL);
	assert_true(pos_of(r.out, "host: returning from main\n") <
	            pos_of(r.out, "user: callback ran"));
	result_free(&r);
}

/* ---- the order of three extensions' constructors, exit handlers and destructors ---- */

/*
 * What the documented rule gives for constructions in the order @first, @second, @third: the
 * exit handlers, then the destructors, each in the reverse order.
 */
static void expect_order(char *buf, size_t size, const char *between, const char *end, char first,
                         char second, char third)
{
	snprintf(buf, size,
	         "ctor %c\nctor %c\nctor %c\n%s"
	         "atexit %c\natexit %c\natexit %c\n"
	         "dtor %c\ndtor %c\ndtor %c\n%s",
	         first, second, third, between, third, second, first, third, second, first, end);
}

static void run_order(const char *mode, bool reverse, const char *between, const char *end)
{
	char want[512];
	struct result r;

	if (reverse) {
		RUN(&r, path_of("exit-host"), mode, "-r", path_of("exit-order-a.o"),
		    path_of("exit-order-b.o"), path_of("exit-order-c.o"));
		expect_order(want, sizeof(want), between, end, 'c', 'b', 'a');
	} else {
		RUN(&r, path_of("exit-host"), mode, path_of("exit-order-a.o"),
		    path_of("exit-order-b.o"), path_of("exit-order-c.o"));
		expect_order(want, sizeof(want), between, end, 'a', 'b', 'c');
	}
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, want);
	result_free(&r);
}

static void test_order_at_exit(void **state)
{
	(void)state;
	run_order("exit", false, "host: returning from main\n", "");
}

/* Construction order, not load order, decides. */
static void test_order_at_exit_reverse(void **state)
{
	(void)state;
	run_order("exit", true, "host: returning from main\n", "");
}

static void test_order_unload_many(void **state)
{
	(void)state;
	run_order("many", false, "", "host: llext_unload_many returned 0\n");
}

static void test_order_unload_many_reverse(void **state)
{
	(void)state;
	run_order("many", true, "", "host: llext_unload_many returned 0\n");
}

/*
 * An extension never brought up: its exit handler runs, its constructor and destructor never.
 * a, brought up, is constructed after lazy's load. At exit the C library runs the handlers
 * newest registration first; llext_unload_many() runs each extension's, newest construction
 * first.
 */
static void run_lazy(const char *mode, const char *handlers, const char *end)
{
	char want[512];
	struct result r;

	RUN(&r, path_of("exit-host"), mode, "-u", path_of("exit-order-a.o"),
	    path_of("exit-lazy.o"));
	snprintf(want, sizeof(want), "ctor a\n%s%sdtor a\n%s",
	         strcmp(mode, "exit") == 0 ? "host: returning from main\n" : "", handlers, end);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, want);
	result_free(&r);
}

static void test_never_brought_up_at_exit(void **state)
{
	(void)state;
	run_lazy("exit", "atexit lazy\natexit a\n", "");
}

static void test_never_brought_up_unload_many(void **state)
{
	(void)state;
	run_lazy("many", "atexit a\natexit lazy\n", "host: llext_unload_many returned 0\n");
}

/* A destructor that unloads an extension its constructor loaded. */
static void run_reentrant(const char *mode, const char *between, const char *after_dtor,
                          const char *end)
{
	char want[512];
	struct result r;

	assert_int_equal(setenv("EXIT_INNER_OBJ", path_of("exit-order-b.o"), 1), 0);
	RUN(&r, path_of("exit-host"), mode, path_of("exit-reent.o"));
	assert_int_equal(unsetenv("EXIT_INNER_OBJ"), 0);
	snprintf(want, sizeof(want),
	         "ctor b\nreent: loaded inner\n%sreent: unloading inner\ndtor b\n%s"
	         "reent: llext_unload returned 0\n%s",
	         between, after_dtor, end);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, want);
	result_free(&r);
}

static void test_reentrant_at_exit(void **state)
{
	(void)state;
	/* At exit the C library runs b's exit handler, registered after libllext's, first. */
	run_reentrant("exit", "host: returning from main\natexit b\n", "", "");
}

static void test_reentrant_unload_many(void **state)
{
	(void)state;
	/* An explicit unload of b: its destructor, then its exit handler, as dlclose() runs them.
	 */
	run_reentrant("many", "", "atexit b\n", "host: llext_unload_many returned 0\n");
}

/*
 * One C++ extension: its thread_local object, then its static object, then its destructor
 * function, at exit as with llext_unload_many().
 */
static void run_cxx(const char *mode, const char *between, const char *end)
{
	char want[256];
	struct result r;

	RUN(&r, path_of("exit-host"), mode, path_of("exit-cxx-order.o"));
	snprintf(want, sizeof(want),
	         "ctor cxx, thread_local cxx\n%sthread_local cxx\nstatic cxx\n"
	         "dtor cxx\n%s",
	         between, end);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, want);
	result_free(&r);
}

static void test_cxx_at_exit(void **state)
{
	(void)state;
	run_cxx("exit", "host: returning from main\n", "");
}

static void test_cxx_unload_many(void **state)
{
	(void)state;
	run_cxx("many", "", "host: llext_unload_many returned 0\n");
}

/* ---- a thread an extension left running ---- */

static void test_thread_llext_run(void **state)
{
	struct result r;

	(void)state;
	RUN(&r, path_of("llext-run"), path_of("exit-worker.o"));
	assert_int_equal(r.status, 0);
	assert_true(pos_of(r.out, "worker: started, answered 1\n") <
	            pos_of(r.out, "worker: answered 2 in the destructor\n"));
	result_free(&r);
}

static void test_thread_at_exit(void **state)
{
	struct result r;

	(void)state;
	RUN(&r, path_of("exit-host"), "worker", path_of("exit-worker.o"));
	assert_int_equal(r.status, 0);
	/* After every destructor ran, its code and data are still there for the thread. */
	assert_true(pos_of(r.out, "host: worker started, answered 1\n") <
	            pos_of(r.out, "worker: answered 2 in the destructor\n"));
	assert_true(pos_of(r.out, "worker: answered 2 in the destructor\n") <
	            pos_of(r.out, "host: worker answered 3 after the destructors\n"));
	result_free(&r);
}

/* ---- a leak checker scanning an extension's globals ---- */

static void test_held_by_global(void **state)
{
	struct result r;

	(void)state;
	/* Under the ASan build, LeakSanitizer checks at exit (ASAN_OPTIONS has detect_leaks=1). */
	RUN(&r, path_of("llext-run"), path_of("exit-held.o"));
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "held: held by a global\n");
	assert_null(strstr(r.err, "LeakSanitizer"));
	result_free(&r);
}

/* ---- real libraries whose destructors need it ---- */

static void test_googletest(void **state)
{
	struct result r;

	(void)state;
	RUN(&r, path_of("llext-run"), path_of("exit-libgtest.o"), path_of("exit-gtest-cases.o"));
	assert_int_equal(r.status, 0);
	assert_true(pos_of(r.out, "[       OK ] Arith.Gcd") <
	            pos_of(r.out, "[  PASSED  ] 3 tests."));
	pos_of(r.out, "[       OK ] Strings.Append");
	pos_of(r.out, "[       OK ] Vectors.SumOfFirstHundred");
	result_free(&r);
}

static void test_openssl(void **state)
{
	struct result r;

	(void)state;
	RUN(&r, path_of("llext-run"), path_of("exit-libcrypto.o"), path_of("exit-libssl.o"),
	    path_of("exit-openssl-user.o"));
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "openssl: sha256(abc) matches\n");
	result_free(&r);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_callback_llext_run),
	    cmocka_unit_test(test_callback_unload_many),
	    cmocka_unit_test(test_callback_at_exit),
	    cmocka_unit_test(test_order_at_exit),
	    cmocka_unit_test(test_order_at_exit_reverse),
	    cmocka_unit_test(test_order_unload_many),
	    cmocka_unit_test(test_order_unload_many_reverse),
	    cmocka_unit_test(test_never_brought_up_at_exit),
	    cmocka_unit_test(test_never_brought_up_unload_many),
	    cmocka_unit_test(test_reentrant_at_exit),
	    cmocka_unit_test(test_reentrant_unload_many),
	    cmocka_unit_test(test_cxx_at_exit),
	    cmocka_unit_test(test_cxx_unload_many),
	    cmocka_unit_test(test_thread_llext_run),
	    cmocka_unit_test(test_thread_at_exit),
	    cmocka_unit_test(test_held_by_global),
	    cmocka_unit_test(test_googletest),
	    cmocka_unit_test(test_openssl),
	};

	inputs = argv + 1;
	ninputs = argc - 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
