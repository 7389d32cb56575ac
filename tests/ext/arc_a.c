// SPDX-License-Identifier: MIT
/* Archive member a: needs b, which needs c (tests/test_archive.c). */
int arc_b(void);
int arc_a(void);

int arc_a(void)
{
	return arc_b() + 1;
}
