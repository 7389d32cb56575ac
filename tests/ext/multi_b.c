// SPDX-License-Identifier: MIT
/* The other half of multi_a.c. */
extern int multi_a_state;

int multi_b_state;

static int twice(int v)
{
	return 2 * v;
}

int multi_b_scale(int v)
{
	multi_a_state++;
	return twice(v) + multi_b_state;
}
