// SPDX-License-Identifier: MIT
/* The user of cb_lib.c: registers a callback of its own code, which cb_lib's destructor calls. */
#include <stdio.h>

void lib_at_teardown(void (*cb)(void));

static int calls;

static void user_cb(void)
{
	calls++;
	printf("user: callback ran (%d)\n", calls);
}

__attribute__((constructor)) static void user_init(void)
{
	lib_at_teardown(user_cb);
}

int main(void)
{
	printf("user: main\n");
	return 0;
}
