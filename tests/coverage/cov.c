// SPDX-License-Identifier: MIT
/*
 * Coverage fixture, built with GCC --coverage and with Clang -fprofile-instr-generate: every line
 * count follows from the calls a test makes, and the marked lines are the ones it checks. Built
 * twice under two names (COV_FN), so that two extensions with data of their own are loaded.
 */
#include <stdlib.h>

int COV_FN(int n)
{
	int s = 0; /* ENTRY: once per call */

	for (int i = 0; i < n; i++) {
		s += i * 3; /* BODY: n times per call */
	}
	if (s < 0) {
		s = 0; /* NEVER: no call gets here */
	}
	return s;
}

/* llext-run's entry: one call with argv[1] as n. */
int main(int argc, char **argv)
{
	return COV_FN(argc > 1 ? atoi(argv[1]) : 0) < 0; /* MAIN: once per run */
}
