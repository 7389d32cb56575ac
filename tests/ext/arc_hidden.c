// SPDX-License-Identifier: MIT
/* A hidden function of the archive: reachable from its members and from the extension they are
 * linked into, as in a static link, and exported by none. */
__attribute__((visibility("hidden"))) int arc_hidden(int x);

__attribute__((visibility("hidden"))) int arc_hidden(int x)
{
	return x + 1000;
}
