// SPDX-License-Identifier: MIT
/* Archive member b: pulled in only because a needs it. */
int arc_c(void);
int arc_b(void);

int arc_b(void)
{
	return arc_c() + 10;
}
