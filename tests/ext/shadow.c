// SPDX-License-Identifier: MIT
/*
 * Exports names that also exist elsewhere: host_add (exported by the host) and atoi (a libc
 * function). Resolution order decides which one shadow_user.c gets.
 */
int host_add(int a, int b)
{
	return -(a + b);
}

int atoi(const char *s)
{
	(void)s;
	return -7;
}
