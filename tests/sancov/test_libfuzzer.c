// SPDX-License-Identifier: MIT
/*
 * libFuzzer on extension code, run as a user runs it: a libFuzzer program of the user's own
 * (libfuzzer_host.c) and llext-fuzz, each started with a fixed seed and a bounded number of runs,
 * their output and exit status checked.
 *
 * Arguments: the directory for scratch files, then the programs and objects by name (their
 * base names say which is which). In a cross build the programs run through the exe wrapper
 * ($MESON_EXE_WRAPPER, which Meson sets since llext-fuzz is among the arguments).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "objsyms.h"

extern char **environ;

/* The budget of every search: enough runs for the instrumented extensions to find the bug with
 * this seed (they need some 400000, on both architectures), far too few for blind mutation
 * (2^48), and some 15 seconds under qemu. */
#define SEED "-seed=1"
#define RUNS "-runs=1500000"
#define MAX_LEN "-max_len=16"

static char **inputs;
static int ninputs;
static const char *scratch_dir;

static const char *input(const char *base)
{
	for (int i = 0; i < ninputs; i++) {
		const char *b = strrchr(inputs[i], '/') ? strrchr(inputs[i], '/') + 1 : inputs[i];

		if (strcmp(b, base) == 0) {
			return inputs[i];
		}
	}
	fail_msg("no input named %s", base);
	return NULL;
}

struct result {
	int status; /* the exit status, or 128 + the signal */
	char *err;  /* standard error and output, together */
};

static char *slurp(const char *path)
{
	size_t len;
	char *buf = read_file(path, &len), *s = malloc(len + 1);

	assert_non_null(s);
	memcpy(s, buf, len);
	s[len] = '\0';
	free(buf);
	return s;
}

static char *wrapper[8];
static int nwrapper;

/* $MESON_EXE_WRAPPER, split at spaces (Meson quotes nothing in ours). */
static void parse_wrapper(void)
{
	const char *w = getenv("MESON_EXE_WRAPPER");
	char *copy = w ? strdup(w) : NULL, *save = NULL;

	for (char *t = copy ? strtok_r(copy, " ", &save) : NULL; t && nwrapper < 7;
	     t = strtok_r(NULL, " ", &save)) {
		wrapper[nwrapper++] = t;
	}
}

/* Runs @args (through the exe wrapper), $SANCOV_EXT set to @ext if not NULL. */
static void run(struct result *r, const char *ext, const char *const *args)
{
	char out[4096];
	const char *argv[32];
	posix_spawn_file_actions_t fa;
	int n = 0, st;
	pid_t pid;

	for (int i = 0; i < nwrapper; i++) {
		argv[n++] = wrapper[i];
	}
	for (int i = 0; args[i] && n < 31; i++) {
		argv[n++] = args[i];
	}
	argv[n] = NULL;

	snprintf(out, sizeof(out), "%s/output.txt", scratch_dir);
	if (ext) {
		setenv("SANCOV_EXT", ext, 1);
	}
	assert_int_equal(posix_spawn_file_actions_init(&fa), 0);
	posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	assert_int_equal(posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	unsetenv("SANCOV_EXT");
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	r->err = slurp(out);
}

static void assert_contains(const char *text, const char *needle)
{
	if (!strstr(text, needle)) {
		fail_msg("'%s' not in:\n%s", needle, text);
	}
}

/*
 * libFuzzer's start-up line "INFO: Loaded N modules (T inline 8-bit counters): C1 [a, b), ...":
 * the number of modules, and whether one of them has @want counters.
 */
static int modules_with(const char *text, size_t want, bool *has)
{
	const char *p = strstr(text, "INFO: Loaded ");
	int n;

	assert_non_null(p);
	assert_int_equal(sscanf(p, "INFO: Loaded %d modules", &n), 1);
	p = strstr(p, "counters): ");
	assert_non_null(p);
	p += strlen("counters): ");
	*has = false;
	for (int i = 0; i < n; i++) {
		char *end;
		unsigned long c = strtoul(p, &end, 10);

		*has = *has || c == want;
		p = strchr(end, ')');
		assert_non_null(p);
		p += 2; /* ") " */
	}
	return n;
}

/* Any crash-* file left in the scratch directory, removed; its first 6 bytes in @head. */
static bool take_artifact(char head[7])
{
	char cmd[4200], path[4096];
	FILE *f;
	bool found = false;

	snprintf(cmd, sizeof(cmd), "ls %s/crash-* 2>/dev/null", scratch_dir);
	f = popen(cmd, "r");
	assert_non_null(f);
	while (fgets(path, sizeof(path), f)) {
		FILE *a;

		path[strcspn(path, "\n")] = '\0';
		a = fopen(path, "rb");
		assert_non_null(a);
		memset(head, 0, 7);
		assert_true(fread(head, 1, 6, a) <= 6);
		fclose(a);
		unlink(path);
		found = true;
	}
	pclose(f);
	return found;
}

/* The extension's counters are the second module libFuzzer counts; uninstrumented, none. */
static void check_registered(const char *host, const char *obj, bool instrumented)
{
	const char *argv[] = {host, "-runs=1", NULL};
	size_t cntrs = objsyms_sections_size(obj, "__sancov_cntrs");
	struct result r;
	bool has;

	run(&r, obj, argv);
	assert_int_equal(r.status, 0);
	if (instrumented) {
		assert_true(cntrs >= 7); /* an edge per comparison */
		assert_int_equal(modules_with(r.err, cntrs, &has), 2);
		assert_true(has);
		assert_contains(r.err, "Loaded 2 PC tables");
	} else {
		assert_int_equal(cntrs, 0);
		assert_int_equal(modules_with(r.err, cntrs, &has), 1);
	}
	free(r.err);
}

static void check_search(const char *host, const char *obj, bool finds)
{
	const char *argv[] = {host, SEED, RUNS, MAX_LEN, NULL};
	struct result r;
	char head[7];

	take_artifact(head);
	run(&r, obj, argv);
	if (finds) {
		assert_int_not_equal(r.status, 0);
		assert_contains(r.err, "ERROR: libFuzzer: deadly signal");
		assert_true(take_artifact(head));
		assert_string_equal(head, "FUZZED");
	} else {
		assert_int_equal(r.status, 0);
		assert_contains(r.err, "Done 1500000 runs");
		assert_false(take_artifact(head));
	}
	free(r.err);
}

static void test_registered(void **state)
{
	(void)state;
	check_registered(input("libfuzzer-host"), input("nested-fuzz.o"), true);
	check_registered(input("libfuzzer-host-asan"), input("nested-fuzz-asan.o"), true);
	check_registered(input("libfuzzer-host"), input("nested-plain.o"), false);
}

static void test_finds_nested(void **state)
{
	(void)state;
	check_search(input("libfuzzer-host"), input("nested-fuzz.o"), true);
	check_search(input("libfuzzer-host-asan"), input("nested-fuzz-asan.o"), true);
}

/* The control: the same search without the extension's feedback finds nothing. */
static void test_blind_finds_nothing(void **state)
{
	(void)state;
	check_search(input("libfuzzer-host"), input("nested-plain.o"), false);
}

/* ---- llext-fuzz ---- */

static void test_llext_fuzz_crash(void **state)
{
	const char *argv[] = {
	    input("llext-fuzz"), input("fuzz-target.o"), SEED, RUNS, MAX_LEN, NULL};
	struct result r;
	char head[7];
	const char *bt;

	(void)state;
	take_artifact(head);
	run(&r, NULL, argv);
	assert_int_equal(r.status, 77); /* libFuzzer's -error_exitcode */
	/* LLVMFuzzerInitialize() ran, with the object's name gone from the arguments. */
	assert_contains(r.err, "fuzz-target: initialised with 4 arguments, the first '-seed=1'");
	assert_contains(r.err, "INFO: Loaded 1 modules");
	assert_contains(r.err, "ERROR: libFuzzer: deadly signal");
	/* The backtrace names the extension's functions, innermost first. */
	bt = strstr(r.err, "llext-fuzz: backtrace:");
	assert_non_null(bt);
	assert_non_null(strstr(bt, " parse_magic+0x"));
	assert_contains(bt, "parse_magic+0x");
	assert_true(strstr(bt, "parse_magic+0x") < strstr(bt, "LLVMFuzzerTestOneInput+0x"));
	assert_contains(bt, "[fuzz-target]");
	assert_true(take_artifact(head));
	assert_string_equal(head, "FUZZED");
	free(r.err);
}

static void test_llext_fuzz_clean(void **state)
{
	const char *argv[] = {
	    input("llext-fuzz"), input("fuzz-correct.o"), SEED, "-runs=20000", MAX_LEN, NULL};
	struct result r;
	char head[7];

	(void)state;
	run(&r, NULL, argv);
	assert_int_equal(r.status, 0);
	assert_contains(r.err, "fuzz-target: initialised with 4 arguments, the first '-seed=1'");
	assert_contains(r.err, "Done 20000 runs");
	assert_false(take_artifact(head));
	free(r.err);
}

/* A file of @text in @dir. */
static void put_input(const char *dir, const char *name, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Files in @dir, after emptying it if @empty. */
static int files_in(const char *dir, bool empty)
{
	char path[4096];
	struct dirent *d;
	DIR *dp = opendir(dir);
	int n = 0;

	assert_non_null(dp);
	while ((d = readdir(dp))) {
		if (d->d_name[0] == '.') {
			continue;
		}
		if (empty) {
			snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
			unlink(path);
		} else {
			n++;
		}
	}
	closedir(dp);
	return n;
}

/* Whether llext-fuzz runs when executed itself, as libFuzzer runs its copies: through a
 * wrapper (qemu), only if the kernel hands the target's programs to it (binfmt_misc). */
static bool runs_without_wrapper(void)
{
	const char *argv[] = {input("llext-fuzz"), "--version", NULL};
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st, ret;

	assert_int_equal(posix_spawn_file_actions_init(&fa), 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	ret = posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (ret != 0) {
		return false;
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* -merge=1 runs a copy of llext-fuzz, which libFuzzer gives the arguments without the object:
 * the copy finds it in the environment, and the merged corpus is written. */
static void test_llext_fuzz_merge(void **state)
{
	char out[4096], in[4096];
	const char *argv[] = {
	    input("llext-fuzz"), input("fuzz-correct.o"), "-merge=1", out, in, NULL};
	struct result r;

	(void)state;
	if (nwrapper && !runs_without_wrapper()) {
		/* Not cmocka's skip(): its TAP line, "not ok N # SKIP", is a failure to meson. */
		print_message("# not run: the merge's copy of llext-fuzz cannot run without %s "
		              "here (no binfmt_misc entry); nothing was checked\n",
		              wrapper[0]);
		return;
	}
	snprintf(out, sizeof(out), "%s/merged", scratch_dir);
	snprintf(in, sizeof(in), "%s/to-merge", scratch_dir);
	mkdir(out, 0755);
	mkdir(in, 0755);
	files_in(out, true);
	files_in(in, true);
	put_input(in, "a", "A");
	put_input(in, "b", "FU");
	put_input(in, "c", "FUZZ");
	run(&r, NULL, argv);
	if (r.status != 0) {
		fail_msg("exit status %d:\n%s", r.status, r.err);
	}
	assert_contains(r.err, "MERGE-OUTER: 3 files, 0 in the initial corpus");
	/* The inner run loaded the extension (its LLVMFuzzerInitialize() said so) and read all. */
	assert_contains(r.err, "MERGE-OUTER: successful in 1 attempt");
	assert_contains(r.err, "MERGE-INNER: 3 total files");
	assert_non_null(
	    strstr(strstr(r.err, "MERGE-OUTER: attempt 1"), "fuzz-target: initialised"));
	assert_true(files_in(out, false) >= 1);
	free(r.err);
}

/* Started as libFuzzer starts its copies, without the object but with LLEXT_FUZZ_OBJECT (the
 * merge case shows libFuzzer doing it, where it can run the program itself): the first argument
 * a directory, then an option. */
static void test_llext_fuzz_object_env(void **state)
{
	char dir[4096];
	const char *by_dir[] = {input("llext-fuzz"), dir, "-runs=100", NULL};
	const char *by_option[] = {input("llext-fuzz"), "-runs=100", dir, NULL};
	const char *const *cases[] = {by_dir, by_option};
	struct result r;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/env-corpus", scratch_dir);
	mkdir(dir, 0755);
	setenv("LLEXT_FUZZ_OBJECT", input("fuzz-correct.o"), 1);
	for (size_t i = 0; i < 2; i++) {
		run(&r, NULL, cases[i]);
		if (r.status != 0) {
			fail_msg("case %zu: exit status %d:\n%s", i, r.status, r.err);
		}
		assert_contains(r.err, "fuzz-target: initialised with 3 arguments");
		assert_contains(r.err, "Done 100 runs");
		free(r.err);
	}
	unsetenv("LLEXT_FUZZ_OBJECT");
}

static void test_llext_fuzz_errors(void **state)
{
	const char *none[] = {input("llext-fuzz"), NULL};
	const char *missing[] = {input("llext-fuzz"), "/nonexistent/x.o", "-runs=1", NULL};
	const char *no_target[] = {input("llext-fuzz"), input("nested-fuzz.o"), "-runs=1", NULL};
	struct result r;

	(void)state;
	run(&r, NULL, none);
	assert_int_equal(r.status, 2);
	assert_contains(r.err, "Usage: llext-fuzz EXT.o");
	free(r.err);
	run(&r, NULL, missing);
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "llext-fuzz: /nonexistent/x.o: cannot load it");
	free(r.err);
	run(&r, NULL, no_target);
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "no exported function 'LLVMFuzzerTestOneInput'");
	free(r.err);
}

int main(int argc, char **argv)
{
	static const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_registered),
	    cmocka_unit_test(test_finds_nested),
	    cmocka_unit_test(test_blind_finds_nothing),
	    cmocka_unit_test(test_llext_fuzz_crash),
	    cmocka_unit_test(test_llext_fuzz_clean),
	    cmocka_unit_test(test_llext_fuzz_errors),
	    cmocka_unit_test(test_llext_fuzz_merge),
	    cmocka_unit_test(test_llext_fuzz_object_env),
	};

	if (argc < 2) {
		fprintf(stderr, "usage: %s SCRATCH_DIR PROGRAM_OR_OBJECT...\n", argv[0]);
		return 2;
	}
	parse_wrapper();
	if (nwrapper) {
		/* LeakSanitizer stops the world with ptrace, which qemu's user mode does not
		 * emulate: its check at exit fails every run of the AddressSanitizer host. */
		setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
	}
	scratch_dir = argv[1];
	mkdir(scratch_dir, 0755);
	inputs = argv + 2;
	ninputs = argc - 2;
	/* libFuzzer leaves its crash-* files in the current directory: the scratch one. */
	for (int i = 0; i < ninputs; i++) {
		inputs[i] = realpath(inputs[i], NULL);
		if (!inputs[i]) {
			fprintf(stderr, "%s: %s: %s\n", argv[0], argv[i + 2], strerror(errno));
			return 2;
		}
	}
	if (chdir(scratch_dir) != 0) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], scratch_dir, strerror(errno));
		return 2;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
