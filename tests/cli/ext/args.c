// SPDX-License-Identifier: MIT
/*
 * Prints what main() receives, so the CLI tests can check argc and argv. "exit=N" as the first
 * argument makes main return N. Has every kind of region (text, rodata, data, bss), a
 * constructor and a destructor, and a void(void) function for --call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int calls = 1;     /* .data */
static char scratch[256]; /* .bss */

__attribute__((constructor)) static void args_ctor(void)
{
	puts("ctor");
}

__attribute__((destructor)) static void args_dtor(void)
{
	puts("dtor");
}

void args_called(void)
{
	printf("called %d\n", calls++);
}

int main(int argc, char **argv)
{
	printf("argc=%d\n", argc);
	for (int i = 0; i < argc; i++) {
		snprintf(scratch, sizeof(scratch), "argv[%d]=%s", i, argv[i]);
		puts(scratch);
	}
	printf("argv[%d]=%s\n", argc, argv[argc] ? "not NULL" : "NULL");
	if (argc > 1 && strncmp(argv[1], "exit=", 5) == 0) {
		return atoi(argv[1] + 5);
	}
	return 0;
}
