// SPDX-License-Identifier: MIT
/* Defines arc_c_other and needs arc_c: the member defining both collides with it. */
int arc_c(void);
int arc_c_other(void);
int arc_conflict(void);

int arc_c_other(void)
{
	return 1;
}

int arc_conflict(void)
{
	return arc_c();
}
