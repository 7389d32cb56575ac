// SPDX-License-Identifier: MIT
/* Uses a symbol a shared library exports with EXPORT_SYMBOL() (tests/ext/libexport.c). */
int libexport_triple(int v);

int libexport_user(int v)
{
	return libexport_triple(v) + 1;
}
