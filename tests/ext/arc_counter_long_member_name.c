// SPDX-License-Identifier: MIT
/* A member with a name longer than an archive header holds; its counter is private to each
 * extension it is linked into. */
int arc_count(void);

static int count;

int arc_count(void)
{
	return ++count;
}
