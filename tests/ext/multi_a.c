// SPDX-License-Identifier: MIT
/* Half of an object joined with `ld -r`: calls and data across the two files. */
int multi_b_scale(int v);
extern int multi_b_state;

int multi_a_state = 3;

int multi_a_entry(int v)
{
	multi_b_state += v;
	return multi_b_scale(v) + multi_a_state;
}
