// SPDX-License-Identifier: MIT
/* Uses export_dependency_ext.c's function and data, loaded before it under another name. */
#include <stdio.h>
#include <stdlib.h>

extern int dependency_calls;
int dependency_square(int v);

int main(int argc, char **argv)
{
	int v = argc > 1 ? atoi(argv[1]) : 3;

	printf("dependent: square(%d)=%d\n", v, dependency_square(v));
	printf("dependent: calls=%d\n", dependency_calls);
	return 0;
}
