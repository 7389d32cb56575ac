// SPDX-License-Identifier: MIT
/* Memory bugs in extension code, for AddressSanitizer and LeakSanitizer to report. */
#include <stdlib.h>

__attribute__((noinline)) int smash(const char *p, int n)
{
	return p[n]; /* overflow: n is the block's size */
}

int ov_run(int n)
{
	char *p = malloc(8);
	int r = smash(p, n); /* caller */

	free(p);
	return r;
}

__attribute__((noinline)) static void *keep(size_t n)
{
	return malloc(n); /* leak */
}

int ov_leak(int n)
{
	return keep((size_t)n) != NULL;
}
