// SPDX-License-Identifier: MIT
/* Archive member c: uses the archive's hidden helper; defines one more function, which an
 * extension defining it too collides with. */
__attribute__((visibility("hidden"))) int arc_hidden(int x);
int arc_c(void);
int arc_c_other(void);

int arc_c(void)
{
	return arc_hidden(100);
}

int arc_c_other(void)
{
	return 7;
}
