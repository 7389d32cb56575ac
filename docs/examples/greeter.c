// SPDX-License-Identifier: MIT
/*
 * An extension that links against another one: greet_format and greet_count come from
 * greetlib.o, which must be loaded first.
 *
 *   llext-run greetlib.o greeter.o -- Ada Grace
 *
 * Its main returns the number of greetings made, so the shell sees it as the exit status.
 */
#include <stddef.h>
#include <stdio.h>

/* Defined by greetlib.o. */
extern int greet_count;
size_t greet_format(char *out, size_t len, const char *who);

int main(int argc, char **argv)
{
	char line[64];

	for (int i = 1; i < argc; i++) {
		greet_format(line, sizeof(line), argv[i]);
		puts(line);
	}
	return greet_count;
}
