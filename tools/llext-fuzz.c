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
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llext/fs_loader.h>
#include <llext/llext.h>

#include "crash.h"

#ifndef LLEXT_FUZZ_VERSION
#define LLEXT_FUZZ_VERSION "unknown"
#endif

#define PROG "llext-fuzz"

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
	        "libFuzzer's ('%s EXT.o -help=1' lists them).\n",
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

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char **av = *argv;
	init_fn init;

	if (*argc >= 2 && strcmp(av[1], "--help") == 0) {
		usage(stdout);
		exit(0);
	}
	if (*argc >= 2 && strcmp(av[1], "--version") == 0) {
		printf("%s %s\n", PROG, LLEXT_FUZZ_VERSION);
		exit(0);
	}
	if (*argc < 2 || av[1][0] == '-') {
		usage(stderr);
		exit(2);
	}
	crash_backtrace_init(PROG);
	load_extension(av[1]);
	/* libFuzzer parses what is left: the object's name is not one of its options or inputs. */
	memmove(&av[1], &av[2], (size_t)(*argc - 1) * sizeof(*av));
	(*argc)--;
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
