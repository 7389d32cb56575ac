// SPDX-License-Identifier: MIT
/*
 * The smallest useful extension: a main() that llext-run calls with the arguments given after
 * "--". It uses the C library like any program; libllext resolves printf through the process.
 *
 *   cc -c -O2 hello.c && llext-run hello.o -- world
 */
#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		printf("Hello from %s! Give me names after '--'.\n", argv[0]);
		return 0;
	}
	printf("Hello, ");
	for (int i = 1; i < argc; i++) {
		printf("%s%s", argv[i], i == argc - 1 ? "!\n" : i == argc - 2 ? " and " : ", ");
	}
	return 0;
}
