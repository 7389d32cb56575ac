// SPDX-License-Identifier: MIT
/*
 * An extension the host never brings up, but calls: lazy_register() registers an exit handler,
 * which must run although the constructor and destructor never do.
 */
#include <stdio.h>
#include <stdlib.h>

static void lazy_atexit(void)
{
	printf("atexit lazy\n");
	fflush(stdout);
}

void lazy_register(void)
{
	atexit(lazy_atexit);
}

__attribute__((constructor)) static void lazy_ctor(void)
{
	printf("ctor lazy\n");
}

__attribute__((destructor)) static void lazy_dtor(void)
{
	printf("dtor lazy\n");
}
