// SPDX-License-Identifier: MIT
/*
 * An extension that loads another in its constructor and unloads it in its destructor, through
 * libllext's public API: a destructor that calls libllext while it is torn down with others or
 * at exit. The other's path is in the environment (EXIT_INNER_OBJ).
 */
#include <stdio.h>
#include <stdlib.h>

#include <llext/fs_loader.h>
#include <llext/llext.h>

static struct llext *inner;

__attribute__((constructor)) static void reent_ctor(void)
{
	const char *path = getenv("EXIT_INNER_OBJ");
	struct llext_fs_loader ldr = LLEXT_FS_LOADER(path ? path : "");

	if (!path || llext_load(&ldr.loader, "inner", &inner, NULL) != 0) {
		printf("reent: cannot load EXIT_INNER_OBJ\n");
		return;
	}
	llext_bringup(inner);
	printf("reent: loaded inner\n");
}

__attribute__((destructor)) static void reent_dtor(void)
{
	printf("reent: unloading inner\n");
	printf("reent: llext_unload returned %d\n", llext_unload(&inner));
	fflush(stdout);
}
