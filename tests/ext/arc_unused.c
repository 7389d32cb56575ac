// SPDX-License-Identifier: MIT
/* A member nothing needs: never pulled in. If it were, its reference to a function nobody
 * defines would fail the load, and its constructor would run. */
void arc_never_defined(void);
int arc_unused_marker(void);

__attribute__((constructor)) static void unused_ctor(void)
{
	arc_never_defined();
}

int arc_unused_marker(void)
{
	return 1;
}
