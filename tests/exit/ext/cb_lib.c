// SPDX-License-Identifier: MIT
/*
 * A library that keeps a callback its user registers and calls it from its destructor, as
 * OPENSSL_atexit() and googletest's registry do: the user is loaded after it, so its code must
 * still be there when this destructor runs.
 */
#include <stdio.h>

static void (*on_exit_cb)(void);

void lib_at_teardown(void (*cb)(void))
{
	on_exit_cb = cb;
}

__attribute__((destructor)) static void lib_fini(void)
{
	if (on_exit_cb) {
		on_exit_cb();
	}
	printf("lib: destructor done\n");
	fflush(stdout);
}
