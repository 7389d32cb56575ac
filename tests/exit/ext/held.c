// SPDX-License-Identifier: MIT
/*
 * A buffer held_buffer only through this extension's global, as a library's cache is: still in use
 * at exit, so a leak checker must not report it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *held_buffer;

int main(void)
{
	held_buffer = malloc(64);
	if (!held_buffer) {
		return 1;
	}
	strcpy(held_buffer, "held by a global");
	printf("held: %s\n", held_buffer);
	return 0;
}
