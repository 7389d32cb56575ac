// SPDX-License-Identifier: MIT
/*
 * Calls libm and the C library by name only: run with --strict, each comes from a library that
 * -N names (libm.so and libc.so, GNU ld scripts on x86_64; libc.so on AArch64 too). With
 * -DNEEDS_LIBM the extension names libm.so itself.
 */
#include <stdio.h>

#include <llext/symbol.h>

#ifdef NEEDS_LIBM
LLEXT_NEEDS("libm.so");
#endif

double sqrt(double x);
double cos(double x);

int main(int argc, char **argv)
{
	volatile double quarter_square = 2.25, zero = 0.0;

	/* sqrt(2.25) is 1.5 and cos(0) is 1, both exact in binary. */
	printf("%.3f %.3f\n", sqrt(quarter_square), cos(zero));
	return 0;
}
