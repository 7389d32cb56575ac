// SPDX-License-Identifier: MIT
/* Links against lib.c's exports (a call and data) and the C library. */
#include <stdio.h>
#include <stdlib.h>

extern int lib_calls;
int lib_twice(int v);

int main(int argc, char **argv)
{
	int v = argc > 1 ? atoi(argv[1]) : 0;

	printf("twice(%d)=%d\n", v, lib_twice(v));
	printf("lib_calls=%d\n", lib_calls);
	return 0;
}
