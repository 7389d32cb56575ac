// SPDX-License-Identifier: MIT
/*
 * The program the debugger tests run under gdb and lldb: it loads, calls and unloads extensions
 * as its command line says, through libllext's public API only (so the debugger finds the JIT
 * interface in libllext.so, as it would in any program).
 *
 *   load NAME FILE     llext_load() FILE as NAME
 *   call NAME FN ARG   calls int FN(int) exported by NAME and prints the result
 *   unload NAME        llext_unload() NAME
 *   ready              prints "ready PID" and flushes (attach tests wait for it)
 *
 * Any failure exits with status 2 and says why.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <llext/fs_loader.h>
#include <llext/llext.h>

static struct llext *find(const char *name)
{
	struct llext *ext = llext_by_name(name);

	if (!ext) {
		fprintf(stderr, "debug-host: no extension %s\n", name);
		exit(2);
	}
	return ext;
}

static void load(const char *name, const char *file)
{
	struct llext_fs_loader fl = LLEXT_FS_LOADER(file);
	struct llext *ext;
	int ret = llext_load(&fl.loader, name, &ext, NULL);

	if (ret != 0) {
		fprintf(stderr, "debug-host: loading %s as %s: %d\n", file, name, ret);
		exit(2);
	}
}

/* Not inlined, so that backtraces show a host frame between main and the extension. */
__attribute__((noinline)) static int call_ext(const char *name, const char *fn, int arg)
{
	int (*f)(int) = (int (*)(int))(uintptr_t)llext_find_sym(&find(name)->exp_tab, fn);
	int ret;

	if (!f) {
		fprintf(stderr, "debug-host: %s exports no %s\n", name, fn);
		exit(2);
	}
	ret = f(arg);
	__asm__ volatile("" ::: "memory"); /* not a tail call: keep this frame */
	return ret;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "load") == 0 && i + 2 < argc) {
			load(argv[i + 1], argv[i + 2]);
			i += 2;
		} else if (strcmp(argv[i], "call") == 0 && i + 3 < argc) {
			printf("%s.%s(%d) = %d\n", argv[i + 1], argv[i + 2], atoi(argv[i + 3]),
			       call_ext(argv[i + 1], argv[i + 2], atoi(argv[i + 3])));
			fflush(stdout);
			i += 3;
		} else if (strcmp(argv[i], "unload") == 0 && i + 1 < argc) {
			struct llext *ext = find(argv[i + 1]);

			llext_unload(&ext);
			i += 1;
		} else if (strcmp(argv[i], "ready") == 0) {
			printf("ready %d\n", (int)getpid());
			fflush(stdout);
		} else {
			fprintf(stderr, "debug-host: bad command '%s'\n", argv[i]);
			return 2;
		}
	}
	return 0;
}
