// SPDX-License-Identifier: MIT
/* Uses two names defined in several places; see shadow.c. */
int host_add(int a, int b);
int atoi(const char *s);

int shadow_user_add(int a, int b)
{
	return host_add(a, b);
}

int shadow_user_atoi(const char *s)
{
	return atoi(s);
}
