// SPDX-License-Identifier: MIT
/* Names stdin and stdout with direct (PC-relative) references: default flags on x86_64. */
#include <stdio.h>

int stdio_both(void)
{
	return fileno(stdin) + fileno(stdout);
}
