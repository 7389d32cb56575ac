// SPDX-License-Identifier: MIT
/*
 * A host for the exit-order tests, using the public API only:
 *
 *   exit-host MODE [-r] [-u] OBJ...
 *
 * loads each OBJ in turn, brings them up in load order (with -r, in the reverse order; with -u,
 * all but the last, whose lazy_register() it calls instead) and then, by MODE:
 *   exit   returns from main() with every extension still loaded;
 *   many   unloads them all with one llext_unload_many() call, then returns;
 *   worker calls worker_start() of the last OBJ and returns from main(); an exit handler
 *          registered before the first load, which runs after libllext's, then asks the
 *          extension's thread to answer once more.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llext/fs_loader.h>
#include <llext/llext.h>

static int (*late_ping)(void);

/* Runs after libllext's exit handler: every destructor has run, and the thread still answers. */
static void ping_late(void)
{
	if (late_ping) {
		printf("host: worker answered %d after the destructors\n", late_ping());
		fflush(stdout);
	}
}

static int load_all(int n, char **paths, struct llext **exts)
{
	for (int i = 0; i < n; i++) {
		struct llext_fs_loader ldr = LLEXT_FS_LOADER(paths[i]);
		char name[16];
		int ret;

		snprintf(name, sizeof(name), "ext%d", i);
		ret = llext_load(&ldr.loader, name, &exts[i], NULL);
		if (ret < 0) {
			fprintf(stderr, "host: cannot load %s: %d\n", paths[i], ret);
			return 1;
		}
	}
	return 0;
}

static int start_worker(struct llext *ext)
{
	int (*start)(void) =
	    (int (*)(void))(uintptr_t)llext_find_sym(&ext->exp_tab, "worker_start");

	late_ping = (int (*)(void))(uintptr_t)llext_find_sym(&ext->exp_tab, "worker_ping");
	if (!start || !late_ping) {
		fprintf(stderr,
		        "host: the last extension has no worker_start() and worker_ping()\n");
		return 1;
	}
	printf("host: worker started, answered %d\n", start());
	return 0;
}

static int call_lazy(struct llext *ext)
{
	void (*reg)(void) =
	    (void (*)(void))(uintptr_t)llext_find_sym(&ext->exp_tab, "lazy_register");

	if (!reg) {
		fprintf(stderr, "host: the last extension has no lazy_register()\n");
		return 1;
	}
	reg();
	return 0;
}

int main(int argc, char **argv)
{
	struct llext **exts;
	bool reverse = false, lazy = false;
	const char *mode;
	int n, ret;

	if (argc < 3) {
		fprintf(stderr, "usage: exit-host exit|many|worker [-r] [-u] OBJ...\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	mode = argv[1];
	argv += 2;
	argc -= 2;
	for (; argc > 1 && argv[0][0] == '-'; argv++, argc--) {
		reverse = reverse || strcmp(argv[0], "-r") == 0;
		lazy = lazy || strcmp(argv[0], "-u") == 0;
	}
	n = argc;
	exts = calloc((size_t)n, sizeof(*exts));
	if (!exts || atexit(ping_late) != 0 || load_all(n, argv, exts) != 0) {
		return 1;
	}
	for (int i = 0; i < n - lazy; i++) {
		llext_bringup(exts[reverse ? n - 1 - i : i]);
	}
	if (lazy && call_lazy(exts[n - 1]) != 0) {
		return 1;
	}
	if (strcmp(mode, "many") == 0) {
		ret = llext_unload_many(exts, (size_t)n);
		printf("host: llext_unload_many returned %d\n", ret);
		for (int i = 0; i < n; i++) {
			if (exts[i]) {
				printf("host: entry %d was not cleared\n", i);
				ret = 1;
			}
		}
		free(exts);
		return ret != 0;
	}
	if (strcmp(mode, "worker") == 0 && start_worker(exts[n - 1]) != 0) {
		return 1;
	}
	/* The extensions stay loaded: libllext's exit handler finishes them. */
	printf("host: returning from main\n");
	free(exts);
	return 0;
}
