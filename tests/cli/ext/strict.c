// SPDX-License-Identifier: MIT
/* Uses only lib.c's exports, so it loads with --strict; main's result is the exit status. */
extern int lib_calls;
int lib_twice(int v);

int main(int argc, char **argv)
{
	(void)argv;
	return lib_twice(20 + argc) + lib_calls - 1;
}
