// SPDX-License-Identifier: MIT
/*
 * Exports a function for export_dependent_ext.c. The two file names agree in their first 15
 * characters, which llext-run's default extension names keep.
 */
#include <stdio.h>

int dependency_calls;

int dependency_square(int v)
{
	dependency_calls++;
	printf("dependency: square(%d)\n", v);
	return v * v;
}

/* For --call with this file last. */
void dependency_hello(void)
{
	printf("dependency: hello\n");
}
