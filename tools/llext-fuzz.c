// SPDX-License-Identifier: MIT
/*
 * llext-fuzz: a libFuzzer driver for extensions. `llext-fuzz EXT.o [libFuzzer options]` loads
 * EXT.o, runs its LLVMFuzzerInitialize() if it has one, and fuzzes its LLVMFuzzerTestOneInput().
 *
 * libFuzzer owns main(): this program is linked with libFuzzer's runtime and gives it the two
 * functions a fuzz target gives. Its LLVMFuzzerInitialize() loads the extension named first on
 * the command line and takes that name out of the arguments libFuzzer parses next; its
 * LLVMFuzzerTestOneInput() calls the extension's. An extension built with
 * -fsanitize=fuzzer-no-link registers its coverage counters with libFuzzer from its constructor,
 * which llext_bringup() runs.
 *
 * Like llext-run it uses only the public API. A crash is reported as llext-run reports one,
 * with the extension's function names: libFuzzer prints the stack of a crash through
 * __sanitizer_print_stack_trace(), which a sanitizer runtime would define; this program links
 * none and defines it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <llext/fs_loader.h>
#include <llext/llext.h>

#include "crash.h"

#ifndef LLEXT_FUZZ_VERSION
#define LLEXT_FUZZ_VERSION "unknown"
#endif

#define PROG "llext-fuzz"
/* The object, for the copies of this program libFuzzer starts (see object_arg()). */
#define OBJECT_ENV "LLEXT_FUZZ_OBJECT"

typedef int (*init_fn)(int *argc, char ***argv);
typedef int (*test_fn)(const uint8_t *data, size_t size);

static struct llext_fs_loader loader;
static struct llext *ext;
static test_fn test_one;

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: %s EXT.o [libFuzzer options] [CORPUS_DIR...]\n"
	        "Loads EXT.o with libllext, runs its LLVMFuzzerInitialize() if it has one, and\n"
	        "fuzzes its LLVMFuzzerTestOneInput(). Build EXT.o with\n"
	        "'clang -fsanitize=fuzzer-no-link -c' for coverage feedback. The options are\n"
	        "libFuzzer's ('%s EXT.o -help=1' lists them). Without EXT.o, $LLEXT_FUZZ_OBJECT\n"
	        "names the object.\n",
	        PROG, PROG);
}

/* The extension's base name without ".o", as llext-run names extensions. */
static void ext_name(const char *path, char name[LLEXT_MAX_NAME_LEN + 1])
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t n = strlen(base);

	if (n > 2 && strcmp(base + n - 2, ".o") == 0) {
		n -= 2;
	}
	if (n > LLEXT_MAX_NAME_LEN) {
		n = LLEXT_MAX_NAME_LEN;
	}
	memcpy(name, base, n);
	name[n] = '\0';
}

/* Loads @path and brings it up (its constructors register its coverage); exits on failure. */
static void load_extension(const char *path)
{
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;
	char name[LLEXT_MAX_NAME_LEN + 1];
	int ret;

	ext_name(path, name);
	loader = (struct llext_fs_loader)LLEXT_FS_LOADER(path);
	ret = llext_load(&loader.loader, name, &ext, &param);
	if (ret < 0) {
		fprintf(stderr, "%s: %s: cannot load it: %s (libllext says why above)\n", PROG,
		        path, strerror(-ret));
		exit(1);
	}
	llext_bringup(ext);
	test_one = (test_fn)(uintptr_t)llext_find_sym(&ext->exp_tab, "LLVMFuzzerTestOneInput");
	if (!test_one) {
		fprintf(stderr,
		        "%s: %s: no exported function 'LLVMFuzzerTestOneInput'; define "
		        "'int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)'\n",
		        PROG, path);
		exit(1);
	}
}

/* Whether @path is a relocatable ELF object: its magic, and e_type ET_REL (1, little-endian on
 * both targets). O_NONBLOCK: a FIFO given as an input must not block the check. */
static bool is_object(const char *path)
{
	unsigned char h[18];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	bool ok = fd >= 0 && read(fd, h, sizeof(h)) == (ssize_t)sizeof(h) &&
	          memcmp(h,
	                 "\x7f"
	                 "ELF",
	                 4) == 0 &&
	          h[16] == 1 && h[17] == 0;

	if (fd >= 0) {
		close(fd);
	}
	return ok;
}

/*
 * The object to load: the first argument, taken out of the arguments libFuzzer parses next; or,
 * when $LLEXT_FUZZ_OBJECT is set and the first argument is no object, that. libFuzzer's -fork,
 * -jobs, -workers, -merge=1 and -minimize_crash start copies of this program with the arguments
 * it was left, without the object: it is handed to them in the environment, which they inherit.
 * NULL when there is none.
 */
static const char *object_arg(int *argc, char **av)
{
	static char abs[PATH_MAX];
	const char *env = getenv(OBJECT_ENV);
	const char *obj;

	if (env && env[0] && (*argc < 2 || !is_object(av[1]))) {
		return env;
	}
	if (*argc < 2 || av[1][0] == '-') {
		return NULL;
	}
	obj = av[1];
	memmove(&av[1], &av[2], (size_t)(*argc - 1) * sizeof(*av));
	(*argc)--;
	/* Absolute, for copies started in another directory. */
	setenv(OBJECT_ENV, realpath(obj, abs) ? abs : obj, 1);
	return obj;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char **av = *argv;
	const char *obj;
	init_fn init;

	if (*argc >= 2 && strcmp(av[1], "--help") == 0) {
		usage(stdout);
		exit(0);
	}
	if (*argc >= 2 && strcmp(av[1], "--version") == 0) {
		printf("%s %s\n", PROG, LLEXT_FUZZ_VERSION);
		exit(0);
	}
	obj = object_arg(argc, av);
	if (!obj) {
		usage(stderr);
		exit(2);
	}
	crash_backtrace_init(PROG);
	load_extension(obj);
	init = (init_fn)(uintptr_t)llext_find_sym(&ext->exp_tab, "LLVMFuzzerInitialize");
	return init ? init(argc, argv) : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return test_one(data, size);
}

/*
 * What libFuzzer asks of a sanitizer runtime, where this program has none. libFuzzer warns
 * when they are missing; a death callback is what a sanitizer calls before dying, and nothing
 * here dies that way.
 */
int __sanitizer_acquire_crash_state(void);
int __sanitizer_acquire_crash_state(void)
{
	static atomic_flag taken = ATOMIC_FLAG_INIT;

	return !atomic_flag_test_and_set(&taken); /* only the first crash is reported */
}

void __sanitizer_set_death_callback(void (*callback)(void));
void __sanitizer_set_death_callback(void (*callback)(void))
{
	(void)callback;
}

/* Called by libFuzzer on a crash, a timeout or a leak, from its signal handler. */
void __sanitizer_print_stack_trace(void);
void __sanitizer_print_stack_trace(void)
{
	crash_print_backtrace();
}
