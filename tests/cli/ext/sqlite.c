// SPDX-License-Identifier: MIT
/* Uses a library that llext-run does not link: run with --library=sqlite3. */
#include <stdio.h>

int sqlite3_libversion_number(void);

int main(void)
{
	printf("sqlite major %d\n", sqlite3_libversion_number() / 1000000);
	return 0;
}
