// SPDX-License-Identifier: MIT
/* Calls into libarc.a (tests/ext/arc_*.c): a needs b needs c needs a hidden helper. */
#include <stdio.h>

int arc_a(void);
int arc_count(void);

int main(void)
{
	printf("arc_a %d, count %d\n", arc_a(), arc_count());
	return 0;
}
