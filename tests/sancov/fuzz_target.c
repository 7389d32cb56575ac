// SPDX-License-Identifier: MIT
/*
 * A fuzz target as a plugin author writes one, for llext-fuzz. LLVMFuzzerInitialize() says what
 * it was given and arms the target: without it, nothing is ever reached. Built as is, the bug in
 * parse_magic() hides behind six nested one-byte comparisons; with -DCORRECT the same input is
 * only counted.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int armed;
static unsigned long magics;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fprintf(stderr, "fuzz-target: initialised with %d arguments, the first '%s'\n", *argc,
	        *argc > 1 ? (*argv)[1] : "");
	armed = 1;
	return 0;
}

__attribute__((noinline)) int parse_magic(const uint8_t *d, size_t n)
{
	if (n >= 6 && d[0] == 'F' && d[1] == 'U' && d[2] == 'Z' && d[3] == 'Z' && d[4] == 'E' &&
	    d[5] == 'D') {
#ifdef CORRECT
		magics++;
#else
		abort();
#endif
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return armed ? parse_magic(data, size) : 0;
}
