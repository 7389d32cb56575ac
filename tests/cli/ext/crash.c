// SPDX-License-Identifier: MIT
/*
 * Dies of a fatal signal two extension functions deep: a store through a null pointer, or
 * abort() with "abort" as its argument. The empty asm statements keep the calls from becoming
 * tail calls, so that every frame is on the stack for the crash report.
 */
#include <stdlib.h>
#include <string.h>

static int *volatile nowhere;

__attribute__((noinline)) static void crash_deep(int how)
{
	if (how) {
		abort();
	}
	*nowhere = 42;
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void crash_middle(int how)
{
	crash_deep(how);
	__asm__ volatile("" ::: "memory");
}

int main(int argc, char **argv)
{
	crash_middle(argc > 1 && strcmp(argv[1], "abort") == 0);
	return 0;
}
