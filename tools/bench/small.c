// SPDX-License-Identifier: MIT
/* The benchmark's small plugin: one function calling libc. Built as small.o and small.so. */
#include <stdio.h>

int small_entry(int x);

int small_entry(int x)
{
	char buf[32];

	return snprintf(buf, sizeof(buf), "value %d", x);
}
