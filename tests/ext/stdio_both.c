// SPDX-License-Identifier: MIT
/* Names stdin and stdout, default flags: direct (PC-relative) references to both. */
#include <stdio.h>

int stdio_both(void)
{
	return fileno(stdin) + fileno(stdout);
}
