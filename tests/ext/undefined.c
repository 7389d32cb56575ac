// SPDX-License-Identifier: MIT
/* References symbols nobody defines: the load fails and names each of them. */
int llext_test_nowhere_fn(int);
extern int llext_test_nowhere_var;

int undefined_use(int v)
{
	return llext_test_nowhere_fn(v) + llext_test_nowhere_var;
}
