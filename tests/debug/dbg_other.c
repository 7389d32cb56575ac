// SPDX-License-Identifier: MIT
/* A second extension, loaded next to dbg_ext.c: the debugger must tell the two apart. */
static int other_calls;

__attribute__((noinline)) int other_entry(int n)
{
	other_calls++;
	return n * 100 + other_calls; /* OTHER_HERE */
}
