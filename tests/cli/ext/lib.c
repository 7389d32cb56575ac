// SPDX-License-Identifier: MIT
/* A library extension with no main, used by app.c and strict.c; needs nothing from anyone. */
int lib_calls;

int lib_twice(int v)
{
	lib_calls++;
	return 2 * v;
}
