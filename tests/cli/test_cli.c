// SPDX-License-Identifier: MIT
/*
 * llext-run and the plugind example, used as a user would: each test starts the program,
 * feeds it standard input, and checks its exit status, standard output and standard error.
 *
 * Arguments: the programs and objects under test (llext-run, plugind, *.o), found by base name.
 *
 * In a cross build this driver itself runs under the exe wrapper (qemu-aarch64), and qemu-user
 * cannot start another AArch64 program directly. Meson puts the wrapper's command in
 * MESON_EXE_WRAPPER for tests of cross-built programs, so every program started here is started
 * through it; the wrapper is a native program, which qemu-user's execve runs fine.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

extern char **environ;

/* ---- the files under test, by base name ---- */

static char **inputs;
static int ninputs;

/* The argument whose base name is @base, or NULL. */
static const char *find_input(const char *base)
{
	for (int i = 0; i < ninputs; i++) {
		const char *slash = strrchr(inputs[i], '/');
		const char *b = slash ? slash + 1 : inputs[i];

		if (strcmp(b, base) == 0) {
			return inputs[i];
		}
	}
	return NULL;
}

static const char *path_of(const char *base)
{
	const char *path = find_input(base);

	if (!path) {
		fail_msg("'%s' was not given to the test program", base);
	}
	return path;
}

/* A file in this test's build directory, for objects the tests make themselves. */
static const char *scratch(const char *name)
{
	static char buf[4][4096];
	static int next;
	char *p = buf[next++ % 4];

	snprintf(p, sizeof(buf[0]), "%s/%s", CLI_SCRATCH_DIR, name);
	return p;
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void copy_file(const char *from, const char *to)
{
	FILE *f = fopen(from, "rb");
	char *buf;
	long len;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	assert_true(len > 0);
	rewind(f);
	buf = malloc((size_t)len);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	write_file(to, buf, (size_t)len);
	free(buf);
}

/* ---- running a program ---- */

/* The exe wrapper's words (MESON_EXE_WRAPPER, shell-quoted), or none for a native build. */
static char *wrapper[16];
static int nwrapper;

static void parse_wrapper(void)
{
	const char *s = getenv("MESON_EXE_WRAPPER");
	static char words[4096];
	char *out = words;

	if (!s || !*s) {
		return;
	}
	while (*s) {
		while (*s == ' ' || *s == '\t') {
			s++;
		}
		if (!*s) {
			break;
		}
		if (nwrapper == (int)(sizeof(wrapper) / sizeof(wrapper[0])) - 1 ||
		    out + strlen(s) + 1 > words + sizeof(words)) {
			fprintf(stderr, "MESON_EXE_WRAPPER is too long\n");
			exit(99);
		}
		wrapper[nwrapper++] = out;
		while (*s && *s != ' ' && *s != '\t') {
			if (*s == '\'') {
				for (s++; *s && *s != '\''; s++) {
					*out++ = *s;
				}
				s += *s == '\'';
			} else if (*s == '"') {
				for (s++; *s && *s != '"'; s++) {
					if (*s == '\\' && s[1]) {
						s++;
					}
					*out++ = *s;
				}
				s += *s == '"';
			} else if (*s == '\\' && s[1]) {
				*out++ = s[1];
				s += 2;
			} else {
				*out++ = *s++;
			}
		}
		*out++ = '\0';
	}
}

struct result {
	int status; /* exit status, or 128 + signal */
	char *out, *err;
};

static char *slurp(FILE *f)
{
	long len;
	char *buf;

	fflush(f);
	len = ftell(f);
	assert_true(len >= 0);
	rewind(f);
	buf = calloc(1, (size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return buf;
}

/* Run @argv[0] with @argv through the wrapper, @input on its standard input. */
static void run_argv(struct result *r, const char *input, const char *const *argv)
{
	const char *cmd[64];
	FILE *in = tmpfile(), *out = tmpfile(), *err = tmpfile();
	posix_spawn_file_actions_t fa;
	int n = 0, ws, ret;
	pid_t pid;

	assert_non_null(in);
	assert_non_null(out);
	assert_non_null(err);
	for (int i = 0; i < nwrapper; i++) {
		cmd[n++] = wrapper[i];
	}
	for (int i = 0; argv[i]; i++) {
		assert_true(n < 63);
		cmd[n++] = argv[i];
	}
	cmd[n] = NULL;
	if (input) {
		fputs(input, in);
	}
	fflush(in);
	rewind(in);

	/*
	 * posix_spawn rather than fork: under qemu-user with -L (our exe wrapper), a forked child
	 * hangs before it can exec; qemu's vfork emulation works.
	 */
	assert_int_equal(posix_spawn_file_actions_init(&fa), 0);
	assert_int_equal(posix_spawn_file_actions_adddup2(&fa, fileno(in), 0), 0);
	assert_int_equal(posix_spawn_file_actions_adddup2(&fa, fileno(out), 1), 0);
	assert_int_equal(posix_spawn_file_actions_adddup2(&fa, fileno(err), 2), 0);
	fflush(NULL);
	ret = posix_spawnp(&pid, cmd[0], &fa, NULL, (char *const *)cmd, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (ret != 0) {
		fail_msg("cannot run %s: %s", cmd[0], strerror(ret));
	}
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	fclose(in);
	fseek(out, 0, SEEK_END);
	fseek(err, 0, SEEK_END);
	r->out = slurp(out);
	r->err = slurp(err);
	r->status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	/* On stderr, away from the TAP stream: meson shows it when a test fails. */
	fprintf(stderr, "$");
	for (int i = 0; argv[i]; i++) {
		fprintf(stderr, " '%s'", argv[i]);
	}
	fprintf(stderr, "\n[exit %d]\n[stdout]\n%s[stderr]\n%s\n", r->status, r->out, r->err);
}

/* llext-run with the given arguments (NULL-terminated), no input. */
#define llext_run(r, ...)                                                                          \
	run_argv(r, NULL, (const char *const[]){path_of("llext-run"), __VA_ARGS__, NULL})

static void result_free(struct result *r)
{
	free(r->out);
	free(r->err);
}

static void assert_contains(const char *haystack, const char *needle)
{
	if (!strstr(haystack, needle)) {
		fail_msg("expected to find \"%s\" in:\n%s", needle, haystack);
	}
}

static void assert_lacks(const char *haystack, const char *needle)
{
	if (strstr(haystack, needle)) {
		fail_msg("did not expect \"%s\" in:\n%s", needle, haystack);
	}
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

/* "llext-run: FILE: TEXT" for a message about @file. */
static void assert_reason(const char *err, const char *file, const char *text)
{
	char line[8192];

	snprintf(line, sizeof(line), "llext-run: %s: %s", file, text);
	assert_contains(err, line);
}

/*
 * "llext-run: NAME: TEXT": a message of libllext's, passed on as it wrote it, about extension
 * @name. A load that fails this way is then reported against its file: "FILE: not loaded".
 */
static void assert_logged(const char *err, const char *name, const char *text)
{
	char line[8192];

	snprintf(line, sizeof(line), "llext-run: %s: %s", name, text);
	assert_contains(err, line);
}

static void assert_not_loaded(const char *err, const char *file, const char *name)
{
	char text[4096];

	snprintf(text, sizeof(text), "not loaded (extension '%s')\n", name);
	assert_reason(err, file, text);
}

static void assert_usage_error(struct result *r, const char *text)
{
	assert_int_equal(r->status, 2);
	assert_contains(r->err, text);
	assert_contains(r->err, "Try 'llext-run --help' for more information.");
	assert_string_equal(r->out, "");
}

/* ---- --help, --version and usage errors ---- */

static void test_help(void **state)
{
	struct result r;

	(void)state;
	llext_run(&r, "--help");
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "Usage: llext-run [OPTION]... FILE.o [FILE.o]... [-- ARG...]");
	assert_contains(r.out, "--call=SYMBOL");
	assert_contains(r.out, "--strict");
	assert_string_equal(r.err, "");
	result_free(&r);

	llext_run(&r, "-h");
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "Usage: llext-run");
	result_free(&r);
}

static void test_version(void **state)
{
	struct result r;

	(void)state;
	llext_run(&r, "--version");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "llext-run (libllext) " CLI_VERSION "\n");
	assert_string_equal(r.err, "");
	result_free(&r);
}

static void test_usage_errors(void **state)
{
	const char *args = path_of("cli-args.o");
	struct result r;

	(void)state;
	run_argv(&r, NULL, (const char *const[]){path_of("llext-run"), NULL});
	assert_usage_error(&r, "llext-run: missing FILE.o operand");
	result_free(&r);

	llext_run(&r, "--bogus", args);
	assert_usage_error(&r, "llext-run: unrecognized option '--bogus'");
	result_free(&r);

	llext_run(&r, "-q", args);
	assert_usage_error(&r, "llext-run: invalid option '-q'");
	result_free(&r);

	llext_run(&r, args, "--call");
	assert_usage_error(&r, "llext-run: option '--call' requires an argument");
	result_free(&r);

	llext_run(&r, "--list=yes", args);
	assert_usage_error(&r, "llext-run: option '--list=yes' takes no argument");
	result_free(&r);

	llext_run(&r, "--list", "--call", "args_called", args);
	assert_usage_error(&r, "cannot be used with --call");
	result_free(&r);

	llext_run(&r, "--call", "args_called", args, "--", "x");
	assert_usage_error(&r, "--call takes none");
	result_free(&r);

	/* Only files before "--": nothing to load. */
	llext_run(&r, "--", args);
	assert_usage_error(&r, "missing FILE.o operand");
	result_free(&r);
}

/* ---- running main ---- */

static void test_hello_example(void **state)
{
	struct result r;

	(void)state;
	llext_run(&r, path_of("hello.o"), "--", "world");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "Hello, world!\n");
	assert_string_equal(r.err, "");
	result_free(&r);

	llext_run(&r, path_of("hello.o"), "--", "Ada", "Grace");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "Hello, Ada and Grace!\n");
	result_free(&r);
}

static void test_main_args(void **state)
{
	const char *args = path_of("cli-args.o");
	char want[8192];
	struct result r;

	(void)state;
	llext_run(&r, args, "--", "one", "two words", "", "--help", "-v");
	assert_int_equal(r.status, 0);
	snprintf(want, sizeof(want),
	         "ctor\nargc=6\nargv[0]=%s\nargv[1]=one\nargv[2]=two words\nargv[3]=\n"
	         "argv[4]=--help\nargv[5]=-v\nargv[6]=NULL\ndtor\n",
	         args);
	assert_string_equal(r.out, want);
	assert_string_equal(r.err, "");
	result_free(&r);

	/* No "--": argv holds the path alone. */
	llext_run(&r, args);
	assert_int_equal(r.status, 0);
	snprintf(want, sizeof(want), "ctor\nargc=1\nargv[0]=%s\nargv[1]=NULL\ndtor\n", args);
	assert_string_equal(r.out, want);
	result_free(&r);

	/* Options may follow the files (GNU argument permutation). */
	llext_run(&r, args, "--time");
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "argc=1\n");
	assert_contains(r.err, "time:");
	result_free(&r);
}

/* The same source with -ffunction-sections -fdata-sections: many small sections. */
static void test_sections(void **state)
{
	const char *obj = path_of("cli-sections.o");
	char want[8192];
	struct result r;

	(void)state;
	llext_run(&r, obj, "--", "x");
	assert_int_equal(r.status, 0);
	snprintf(want, sizeof(want), "ctor\nargc=2\nargv[0]=%s\nargv[1]=x\nargv[2]=NULL\ndtor\n",
	         obj);
	assert_string_equal(r.out, want);
	result_free(&r);

	llext_run(&r, "--call", "args_called", obj);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "ctor\ncalled 1\ndtor\n");
	result_free(&r);
}

static void test_exit_status(void **state)
{
	struct result r;

	(void)state;
	llext_run(&r, path_of("cli-args.o"), "--", "exit=42");
	assert_int_equal(r.status, 42);
	/* Destructors still run after main returns. */
	assert_contains(r.out, "dtor\n");
	result_free(&r);

	llext_run(&r, path_of("cli-args.o"), "--", "exit=3");
	assert_int_equal(r.status, 3);
	result_free(&r);
}

static void test_no_main(void **state)
{
	struct result r;

	(void)state;
	llext_run(&r, path_of("cli-lib.o"));
	assert_int_equal(r.status, 1);
	assert_reason(r.err, path_of("cli-lib.o"), "no exported function 'main'");
	result_free(&r);
}

/* ---- --call ---- */

static void test_call(void **state)
{
	struct result r;

	(void)state;
	llext_run(&r, "--call", "args_called", path_of("cli-args.o"));
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "ctor\ncalled 1\ndtor\n");
	assert_string_equal(r.err, "");
	result_free(&r);

	llext_run(&r, "-c", "args_called", path_of("cli-args.o"));
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "called 1\n");
	result_free(&r);

	/* main is not called, even when it exists; a missing function is reported. */
	llext_run(&r, "--call=no_such_fn", path_of("cli-args.o"));
	assert_int_equal(r.status, 1);
	assert_lacks(r.out, "argc=");
	assert_logged(r.err, "cli-args", "no exported function 'no_such_fn'");
	result_free(&r);
}

/* ---- several extensions, --strict, load failures ---- */

static void test_link_order(void **state)
{
	const char *lib = path_of("cli-lib.o"), *app = path_of("cli-app.o");
	struct result r;

	(void)state;
	llext_run(&r, lib, app, "--", "21");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "twice(21)=42\nlib_calls=1\n");
	result_free(&r);

	/* The other way round, the first file has nothing to link against. */
	llext_run(&r, app, lib, "--", "21");
	assert_int_equal(r.status, 1);
	assert_logged(r.err, "cli-app", "undefined symbol 'lib_twice'");
	assert_logged(r.err, "cli-app", "undefined symbol 'lib_calls'");
	assert_not_loaded(r.err, app, "cli-app");
	assert_string_equal(r.out, "");
	result_free(&r);

	/* The documented example: a library extension and one that uses it. */
	llext_run(&r, path_of("greetlib.o"), path_of("greeter.o"), "--", "Ada", "Grace");
	assert_int_equal(r.status, 2);
	assert_string_equal(r.out, "Hello, Ada!\nHello, Grace!\n");
	result_free(&r);
}

static void test_strict(void **state)
{
	const char *args = path_of("cli-args.o");
	struct result r;

	(void)state;
	/* Only another extension's exports: fine. */
	llext_run(&r, "--strict", path_of("cli-lib.o"), path_of("cli-strict.o"));
	assert_int_equal(r.status, 42);
	result_free(&r);

	/* The C library is a process global, not an export: strict loading refuses it. */
	llext_run(&r, "--strict", args);
	assert_int_equal(r.status, 1);
	assert_logged(r.err, "cli-args", "undefined symbol '");
	assert_not_loaded(r.err, args, "cli-args");
	assert_string_equal(r.out, "");
	result_free(&r);

	llext_run(&r, "-s", args);
	assert_int_equal(r.status, 1);
	result_free(&r);
}

static void test_missing_symbol(void **state)
{
	const char *obj = path_of("cli-missing.o");
	struct result r;

	(void)state;
	llext_run(&r, obj);
	assert_int_equal(r.status, 1);
	assert_logged(r.err, "cli-missing", "undefined symbol 'llext_cli_nowhere'");
	assert_logged(r.err, "cli-missing", "1 undefined symbol; export it with EXPORT_SYMBOL()");
	assert_not_loaded(r.err, obj, "cli-missing");
	assert_string_equal(r.out, "");
	result_free(&r);

	/* An earlier extension that loaded is unloaded without running anything. */
	llext_run(&r, path_of("cli-args.o"), obj);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	result_free(&r);
}

static void test_library(void **state)
{
	const char *obj = path_of("cli-sqlite.o");
	struct result r;

	(void)state;
	/* llext-run does not link libsqlite3: without the option the symbol is missing. */
	llext_run(&r, obj);
	assert_int_equal(r.status, 1);
	assert_logged(r.err, "cli-sqlite", "undefined symbol 'sqlite3_libversion_number'");
	result_free(&r);

	llext_run(&r, "--library=sqlite3", obj);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "sqlite major 3\n");
	result_free(&r);

	llext_run(&r, "-N", "libsqlite3.so.0", "-N", "libm.so.6", obj);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "sqlite major 3\n");
	result_free(&r);

	llext_run(&r, "--library=llext-no-such", obj);
	assert_int_equal(r.status, 1);
	assert_logged(r.err, "cli-sqlite", "cannot open the library 'libllext-no-such.so'");
	assert_not_loaded(r.err, obj, "cli-sqlite");
	result_free(&r);
}

/*
 * -N m and -N c open libm.so and libc.so, GNU ld scripts on x86_64 (libc.so on AArch64), as
 * the linker's -lm and -lc do; so does LLEXT_NEEDS("libm.so"). --strict keeps the process's
 * own copies out of reach, so each symbol comes from a library a script named.
 */
static void test_ld_script_library(void **state)
{
	const char *obj = path_of("cli-libm.o");
	struct result r;

	(void)state;
	llext_run(&r, "--strict", obj);
	assert_int_equal(r.status, 1);
	assert_logged(r.err, "cli-libm", "undefined symbol 'cos'");
	result_free(&r);

	llext_run(&r, "--strict", "-N", "m", "-N", "c", obj);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "1.500 1.000\n");
	result_free(&r);

	/* libc.so alone: printf comes from it, cos is still missing. */
	llext_run(&r, "--strict", "-N", "c", obj);
	assert_int_equal(r.status, 1);
	assert_logged(r.err, "cli-libm", "undefined symbol 'cos'");
	result_free(&r);

	llext_run(&r, "--strict", "-N", "c", path_of("cli-needs-libm.o"));
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "1.500 1.000\n");
	result_free(&r);
}

/* Static archives: named with --library, found by -N, or loaded whole as an operand. */
static void test_archives(void **state)
{
	const char *zlib = path_of("cli-zlib.o"), *arc = path_of("cli-arc.o");
	char dir[4096];
	struct result r;

	(void)state;
	/* libz.a's members are linked into the extension. */
	llext_run(&r, "--library=" CLI_ZLIB_A, zlib);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "round trip, smaller\n");
	result_free(&r);

	/* libz.a loaded whole, as an extension of its own, before the one using it. */
	llext_run(&r, "--list", CLI_ZLIB_A);
	assert_int_equal(r.status, 0);
	assert_true(strncmp(r.out, "libz.a: ", 8) == 0);
	assert_contains(r.out, "gzopen");
	result_free(&r);
	llext_run(&r, CLI_ZLIB_A, zlib);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "round trip, smaller\n");
	result_free(&r);

	/* -N z: libz.so comes first, as with ld: nothing of zlib is in the extension. */
	llext_run(&r, "-N", "z", "--list", zlib);
	assert_int_equal(r.status, 0);
	assert_lacks(r.out, "compress2");
	result_free(&r);
	llext_run(&r, "-N", CLI_ZLIB_A, "--list", zlib);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "compress2");
	result_free(&r);

	/* -N arc: there is no libarc.so, so libarc.a, found in LIBRARY_PATH. */
	snprintf(dir, sizeof(dir), "%s", path_of("libarc.a"));
	*strrchr(dir, '/') = '\0';
	setenv("LIBRARY_PATH", dir, 1);
	llext_run(&r, "-N", "arc", arc);
	unsetenv("LIBRARY_PATH");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "arc_a 1111, count 1\n");
	result_free(&r);

	/* The same by path: a thin archive too. */
	llext_run(&r, "--library", path_of("libarc-thin.a"), arc);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "arc_a 1111, count 1\n");
	result_free(&r);

	/* Without the archive the symbols are missing. */
	llext_run(&r, arc);
	assert_int_equal(r.status, 1);
	assert_logged(r.err, "cli-arc", "undefined symbol 'arc_a'");
	result_free(&r);

	/* A thin archive as an operand: the file loader gives no folder for its members. */
	llext_run(&r, path_of("libarc-thin.a"));
	assert_int_equal(r.status, 1);
	assert_logged(r.err, "libarc-thin.a", "a thin archive's members are files named relative");
	assert_contains(r.err, "name the archive by its path\n");
	result_free(&r);
}

/* Two C++ objects, std::vector, std::string and an exception across them, no option. */
static void test_cxx_objects(void **state)
{
	const char *lib = path_of("cli-cxxlib.o"), *app = path_of("cli-cxxmain.o");
	struct result r;

	(void)state;
	llext_run(&r, lib, app, "--", "x", "y");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "x+y\n");
	result_free(&r);

	llext_run(&r, lib, app);
	assert_int_equal(r.status, 3);
	assert_string_equal(r.out, "caught: nothing to join\n");
	result_free(&r);
}

static void test_not_elf(void **state)
{
	static const char junk[] = "This is not an ELF object, but it is longer than an ELF header "
				   "would be, so the loader can read one and look at its magic.\n";
	const char *path = scratch("junk.o");
	struct result r;

	(void)state;
	write_file(path, junk, sizeof(junk) - 1);
	llext_run(&r, path);
	assert_int_equal(r.status, 1);
	assert_logged(r.err, "junk", "not an ELF file");
	assert_not_loaded(r.err, path, "junk");
	result_free(&r);

	/* An ELF file that is not relocatable: the llext-run program itself. */
	llext_run(&r, path_of("llext-run"));
	assert_int_equal(r.status, 1);
	assert_logged(r.err, "llext-run", "ELF type ");
	assert_contains(r.err, " is not ET_REL: only relocatable objects (.o) are loaded\n");
	result_free(&r);

	/* A file shorter than an ELF header. */
	path = scratch("short.o");
	write_file(path,
	           "\x7f"
	           "ELF",
	           4);
	llext_run(&r, path);
	assert_int_equal(r.status, 1);
	assert_logged(r.err, "short", "cannot read the ELF header");
	result_free(&r);
}

static void test_missing_file(void **state)
{
	const char *path = scratch("no-such-file.o");
	struct result r;

	(void)state;
	unlink(path);
	llext_run(&r, path);
	assert_int_equal(r.status, 1);
	assert_reason(r.err, path, strerror(ENOENT));
	assert_string_equal(r.out, "");
	result_free(&r);

	/* A directory is not an object either. */
	llext_run(&r, CLI_SCRATCH_DIR);
	assert_int_equal(r.status, 1);
	assert_reason(r.err, CLI_SCRATCH_DIR, "not a regular file");
	result_free(&r);
}

static void test_names(void **state)
{
	const char *longname = scratch("a_very_long_extension_name.o");
	const char *dup = scratch("cli-lib.o");
	struct result r;

	(void)state;
	/* Names are the base name without ".o", cut to 15 characters. */
	copy_file(path_of("cli-args.o"), longname);
	llext_run(&r, "--list", longname);
	assert_int_equal(r.status, 0);
	assert_true(strncmp(r.out, "a_very_long_ext: ", 17) == 0);
	result_free(&r);

	/* Two files with one name cannot be loaded together. */
	copy_file(path_of("cli-lib.o"), dup);
	llext_run(&r, path_of("cli-lib.o"), dup);
	assert_int_equal(r.status, 1);
	assert_reason(r.err, dup, "an extension named 'cli-lib' is already loaded");
	result_free(&r);
}

/* ---- --list, --time, -v ---- */

/* The line of @text that starts (after spaces) with @word, or fails. */
static const char *line_of(const char *text, const char *word)
{
	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		const char *q = p + strspn(p, " ");

		if (strncmp(q, word, strlen(word)) == 0) {
			return q;
		}
	}
	fail_msg("no line starting with \"%s\" in:\n%s", word, text);
	return NULL;
}

static void test_list(void **state)
{
	const char *args = path_of("cli-args.o");
	const char *p, *rel;
	size_t total, sum = 0;
	char head[8192];
	struct result r;

	(void)state;
	llext_run(&r, "--list", path_of("cli-lib.o"), args);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	/* Nothing ran: no constructor (its line; the list names args_ctor), no main. */
	assert_lacks(r.out, "\nctor\n");
	assert_true(strncmp(r.out, "ctor\n", 5) != 0);
	assert_lacks(r.out, "argc=");

	snprintf(head, sizeof(head), "cli-args: %s\n", args);
	p = strstr(r.out, head);
	assert_non_null(p);
	assert_non_null(strstr(r.out, "cli-lib: "));
	assert_true(strstr(r.out, "cli-lib: ") < p);

	/* Regions of cli-args, with the protection each is mapped with. */
	assert_contains(p, "  regions (4):\n");
	assert_contains(line_of(p, "text "), "r-x");
	assert_contains(line_of(p, "rodata "), "r--");
	assert_contains(line_of(p, "data "), "rw-");
	assert_contains(line_of(p, "bss "), "rw-");
	assert_lacks(p, "rwx");
	assert_true(strncmp(line_of(p, "text "), "text    0x", 10) == 0);

	/* Exports, with addresses. */
	assert_contains(line_of(p, "exports ("), "exports (");
	assert_contains(line_of(p, "main "), "0x");
	assert_contains(line_of(p, "args_called "), "0x");

	/* Relocations by type add up to the total. */
	rel = line_of(p, "relocations (");
	total = strtoul(rel + strlen("relocations ("), NULL, 10);
	assert_true(total > 0);
	for (const char *q = strstr(rel, "\n    " CLI_RELOC_PREFIX); q;
	     q = strstr(q + 1, "\n    " CLI_RELOC_PREFIX)) {
		const char *name = q + 5;

		sum += strtoul(name + strcspn(name, " "), NULL, 10);
	}
	assert_int_equal(sum, total);
	assert_contains(p, "  stubs ");
	assert_contains(p, ", GOT entries ");
	result_free(&r);

	/* With --strict too, and --time. */
	llext_run(&r, "-l", "-t", "-s", path_of("cli-lib.o"));
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "cli-lib: ");
	assert_contains(r.err, "bringup not run");
	result_free(&r);
}

static void test_time(void **state)
{
	struct result r;
	const char *line;

	(void)state;
	llext_run(&r, "--time", path_of("cli-lib.o"), path_of("cli-args.o"));
	assert_int_equal(r.status, 0);
	line = strstr(r.err, "llext-run: cli-args: time: parse ");
	assert_non_null(line);
	assert_true(strstr(line, " ms, place ") != NULL);
	assert_true(strstr(line, " ms, link ") != NULL);
	assert_true(strstr(line, " ms, bringup ") != NULL);
	assert_contains(r.err, "llext-run: cli-lib: time: parse ");
	/* The timings come before main runs. */
	assert_contains(r.out, "argc=1\n");
	result_free(&r);
}

static void test_verbose(void **state)
{
	const char *obj = path_of("cli-missing.o");
	struct result r;

	(void)state;
	llext_run(&r, "-v", path_of("cli-args.o"));
	assert_int_equal(r.status, 0);
	assert_contains(r.err, "llext: debug: ");
	assert_contains(r.err, "llext: info: cli-args: loaded at ");
	assert_contains(r.err, "llext: info: cli-args: torn down");
	assert_true(pos_of(r.err, "loaded at") < pos_of(r.err, "torn down"));
	result_free(&r);

	/* Without -v: quiet. */
	llext_run(&r, path_of("cli-args.o"));
	assert_string_equal(r.err, "");
	result_free(&r);

	/* Errors appear in the log and in the report. */
	llext_run(&r, "--verbose", obj);
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "llext: error: cli-missing: undefined symbol 'llext_cli_nowhere'");
	assert_logged(r.err, "cli-missing", "undefined symbol 'llext_cli_nowhere'");
	result_free(&r);
}

/* ---- the plugind example ---- */

static void test_plugind(void **state)
{
	char input[8192];
	struct result r;

	(void)state;
	run_argv(&r, "list\nunload uptime\nunload uptime\nlist\nfrobnicate\nquit\n",
	         (const char *const[]){path_of("plugind"), CLI_PLUGIN_DIR, NULL});
	assert_int_equal(r.status, 0);
	/* Loaded in name order, constructors before plugin_start. */
	assert_true(pos_of(r.out, "[greeter] hello\n") <
	            pos_of(r.out, "plugind: greeter: loaded\n"));
	assert_true(pos_of(r.out, "[uptime] constructor ran\n") <
	            pos_of(r.out, "[uptime] started\n"));
	assert_true(pos_of(r.out, "plugind: greeter: loaded\n") <
	            pos_of(r.out, "plugind: uptime: loaded\n"));
	/* list, then unload: plugin_stop, then the destructor. */
	assert_contains(line_of(r.out, "uptime "), "uses 1, exports 2");
	assert_true(pos_of(r.out, "plugind: uptime: loaded\n") <
	            pos_of(r.out, "[uptime] stopped after a while\n"));
	assert_true(pos_of(r.out, "[uptime] stopped after a while\n") <
	            pos_of(r.out, "[uptime] destructor ran\n"));
	assert_true(pos_of(r.out, "[uptime] destructor ran\n") <
	            pos_of(r.out, "plugind: uptime: unloaded\n"));
	assert_contains(r.out, "plugind: no plugin named 'uptime'\n");
	assert_contains(r.out, "plugind: commands: list, load FILE, unload NAME, quit\n");
	/* The second list shows greeter only; quit unloads it. */
	{
		const char *second = strstr(r.out, "plugind: no plugin named 'uptime'\n");

		assert_contains(line_of(second, "greeter "), "uses 1, exports ");
		assert_lacks(second, "uptime ");
	}
	assert_contains(r.out, "plugind: greeter: unloaded\n");
	result_free(&r);

	/* Plugins are loaded with exports_only: one that needs libc is refused. */
	snprintf(input, sizeof(input), "load %s\nlist\n", path_of("cli-args.o"));
	run_argv(&r, input, (const char *const[]){path_of("plugind"), CLI_PLUGIN_DIR, NULL});
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "not loaded");
	assert_contains(r.err, "undefined symbol");
	assert_lacks(r.out, "cli-args ");
	result_free(&r);
}

/* ---- the crash report ---- */

/* Where the frame line naming @func in extension @ext starts ("#N 0xADDR func+0xOFF [ext]"). */
static size_t frame_of(const char *err, const char *func, const char *ext)
{
	char want[128], tail[64];
	const char *p, *start, *end;

	snprintf(want, sizeof(want), " %s+0x", func);
	p = strstr(err, want);
	if (!p) {
		fail_msg("no frame in %s in:\n%s", func, err);
	}
	for (start = p; start > err && start[-1] != '\n'; start--) {
	}
	end = strchr(p, '\n');
	snprintf(tail, sizeof(tail), " [%s]", ext);
	assert_true(start[0] == '#' && end && (size_t)(end - start) > strlen(tail));
	assert_memory_equal(end - strlen(tail), tail, strlen(tail));
	return (size_t)(start - err);
}

static void test_crash_report(void **state)
{
	const char *crash = path_of("cli-crash.o");
	struct result r;

	(void)state;
	/* A null pointer store in crash_deep, called by crash_middle, called by main. */
	llext_run(&r, crash);
	assert_int_equal(r.status, 128 + SIGSEGV);
	assert_contains(r.err,
	                "llext-run: fatal signal 11 (SIGSEGV) accessing 0x0; backtrace:\n#0 0x");
	assert_true(frame_of(r.err, "crash_deep", "cli-crash") <
	            frame_of(r.err, "crash_middle", "cli-crash"));
	assert_true(frame_of(r.err, "crash_middle", "cli-crash") <
	            frame_of(r.err, "main", "cli-crash"));
	/* Frames beyond the extension: llext-run and the C library. */
	assert_contains(r.err, "(libc.so.6");
	result_free(&r);

	/* abort(): the frames of libc first, then the extension's. */
	llext_run(&r, crash, "--", "abort");
	assert_int_equal(r.status, 128 + SIGABRT);
	assert_contains(r.err, "llext-run: fatal signal 6 (SIGABRT); backtrace:\n");
	assert_true(frame_of(r.err, "crash_middle", "cli-crash") <
	            frame_of(r.err, "main", "cli-crash"));
	result_free(&r);

	/* Turned off: the death it would die without the handler, without a word from llext-run
	 * (qemu-user says its own; AddressSanitizer's handler reports and aborts). */
	llext_run(&r, "--no-crash-report", crash);
	if (strstr(r.err, "AddressSanitizer")) {
		assert_int_equal(r.status, 128 + SIGABRT);
	} else {
		assert_int_equal(r.status, 128 + SIGSEGV);
	}
	assert_lacks(r.err, "llext-run: ");
	assert_lacks(r.err, "[cli-crash]");
	result_free(&r);
}

static void test_list_functions(void **state)
{
	struct result r;
	const char *p;

	(void)state;
	llext_run(&r, "--list", path_of("cli-crash.o"));
	assert_int_equal(r.status, 0);
	p = strstr(r.out, "  functions (");
	assert_non_null(p);
	/* The static one too, each with its address and size; in address order. */
	assert_true(strncmp(line_of(p, "crash_deep "), "crash_deep ", 11) == 0);
	assert_contains(line_of(p, "crash_deep "), " 0x");
	assert_contains(line_of(p, "crash_middle "), " 0x");
	assert_true(strstr(p, "    crash_middle ") < strstr(p, "    main "));
	result_free(&r);

	llext_run(&r, "--help");
	assert_contains(r.out, "--no-crash-report");
	result_free(&r);
}

/* ---- --zephyr: Zephyr extensions (tests/zephyr/ext/) on libllext-zephyr ---- */

static void test_zephyr_hello(void **state)
{
	const char *hello = path_of("zhello-gcc.o");
	struct result r;

	(void)state;
	llext_run(&r, "--zephyr", "--call", "test_entry", hello);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "hello from an extension\nu=42 d=-7 x=0xff s=str c=z pct=%\n");
	assert_string_equal(r.err, "");
	result_free(&r);

	/* Everything it needs is exported, so --strict changes nothing. */
	llext_run(&r, "-s", "-Z", "-c", "test_entry", hello);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "vprintk says 3\n");
	result_free(&r);

	/* Without the runtime, printk and the checks are missing. */
	llext_run(&r, "--call", "test_entry", hello);
	assert_int_equal(r.status, 1);
	assert_logged(r.err, "zhello-gcc", "undefined symbol 'printk'");
	result_free(&r);
}

/* Bringup before the call, teardown after it, as llext_bootstrap() orders them. */
static void test_zephyr_init_fini(void **state)
{
	static const char order[] = "step 1: 0x1\nstep 2: 0x12\nstep 3: 0x123\n"
				    "test_entry sees 0x123\nstep 4: 0x1234\n";
	const char *objs[] = {"zinit-gcc.o", "zinit-unquoted-gcc.o", "zinit-unquoted-clang.o"};
	struct result r;

	(void)state;
	for (size_t i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
		if (!find_input(objs[i])) {
			continue; /* no clang */
		}
		llext_run(&r, "--zephyr", "--call", "test_entry", path_of(objs[i]));
		assert_int_equal(r.status, 0);
		assert_string_equal(r.out, order);
		result_free(&r);
	}
}

/* "    Assertion failed at FILE:LINE: FUNC: COND" with a real line number. */
static void assert_check_line(const char *err, const char *what, const char *func_cond)
{
	char head[256];
	const char *p, *colon;

	snprintf(head, sizeof(head), "    %s failed at ", what);
	p = strstr(err, head);
	if (!p) {
		fail_msg("expected \"%s\" in:\n%s", head, err);
	}
	p = strstr(p, "zchecks.c:");
	assert_non_null(p);
	assert_true(strtol(p + strlen("zchecks.c:"), NULL, 10) > 0);
	colon = strchr(p + strlen("zchecks.c:"), ':');
	assert_non_null(colon);
	assert_true(strncmp(colon + 2, func_cond, strlen(func_cond)) == 0);
}

static void test_zephyr_checks(void **state)
{
	const char *checks = path_of("zchecks-gcc.o");
	struct result r;

	(void)state;
	llext_run(&r, "--zephyr", "--call", "test_entry", checks);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	result_free(&r);

	/* A failed zassert ends the run at once with status 1. */
	llext_run(&r, "--zephyr", "--call", "fail_assert", checks);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "before the check\n");
	assert_check_line(r.err, "Assertion",
	                  "fail_assert: three not equal to 4\n    three is 3\n");
	result_free(&r);

	/* A failed zassume skips: status 77. */
	llext_run(&r, "-Z", "-c", "fail_assume", checks);
	assert_int_equal(r.status, 77);
	assert_check_line(r.err, "Assumption",
	                  "fail_assume: three == 4 is false\n    no four here");
	result_free(&r);

	/* A failed zexpect lets the extension go on, and fails the run at the end. */
	llext_run(&r, "-Z", "-c", "fail_expect", checks);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "went on\n");
	assert_check_line(r.err, "Expectation",
	                  "fail_expect: word not equal to other\n    expected");
	result_free(&r);
}

static void test_zephyr_log_cxx(void **state)
{
	struct result r;

	(void)state;
	llext_run(&r, "--zephyr", "--call", "test_entry", path_of("zlog-gcc.o"));
	assert_int_equal(r.status, 0);
	assert_contains(r.err, "<err> zlog: error 1\n<wrn> zlog: warning two\n<inf> zlog: info 3\n"
	                       "<dbg> zlog: debug 4\n<err> zlog: hex err\n00000000: 4c 4c 45 58 ");
	assert_contains(r.err, "<inf> zlog: declared info\n");
	assert_lacks(r.err, "never seen");
	result_free(&r);

	llext_run(&r, "--zephyr", "--call", "test_entry", path_of("zcxx-gcc.o"));
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "zcxx: constructed\nzcxx: destroyed\n");
	assert_string_equal(r.err, "<inf> zcxx: area 9\n");
	result_free(&r);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_help),
	    cmocka_unit_test(test_version),
	    cmocka_unit_test(test_usage_errors),
	    cmocka_unit_test(test_hello_example),
	    cmocka_unit_test(test_main_args),
	    cmocka_unit_test(test_sections),
	    cmocka_unit_test(test_exit_status),
	    cmocka_unit_test(test_no_main),
	    cmocka_unit_test(test_call),
	    cmocka_unit_test(test_link_order),
	    cmocka_unit_test(test_strict),
	    cmocka_unit_test(test_missing_symbol),
	    cmocka_unit_test(test_not_elf),
	    cmocka_unit_test(test_missing_file),
	    cmocka_unit_test(test_library),
	    cmocka_unit_test(test_ld_script_library),
	    cmocka_unit_test(test_archives),
	    cmocka_unit_test(test_cxx_objects),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_list),
	    cmocka_unit_test(test_time),
	    cmocka_unit_test(test_verbose),
	    cmocka_unit_test(test_plugind),
	    cmocka_unit_test(test_crash_report),
	    cmocka_unit_test(test_list_functions),
	    cmocka_unit_test(test_zephyr_hello),
	    cmocka_unit_test(test_zephyr_init_fini),
	    cmocka_unit_test(test_zephyr_checks),
	    cmocka_unit_test(test_zephyr_log_cxx),
	};

	inputs = argv + 1;
	ninputs = argc - 1;
	parse_wrapper();
	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
