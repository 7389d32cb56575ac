// SPDX-License-Identifier: MIT
/*
 * A shared library that exports a symbol to extensions with EXPORT_SYMBOL(), and does not link
 * libllext: the note it carries is all libllext needs to find it.
 */
#include <llext/symbol.h>

int libexport_triple(int v);

int libexport_triple(int v)
{
	return 3 * v;
}
EXPORT_SYMBOL(libexport_triple);

/* Not exported to extensions: reachable only as a global symbol of the process. */
int libexport_plain(int v);

int libexport_plain(int v)
{
	return v + 1;
}
