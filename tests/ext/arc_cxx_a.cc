// SPDX-License-Identifier: MIT
/* Two members with one inline function each (one COMDAT group, one FDE each): the second
 * member's copy and its FDE are dropped when both are joined (tests/test_archive.c). */
#include "arc_cxx.h"

extern "C" int arc_cxx_a(int x)
{
	try {
		return arc_cxx_twice(x);
	} catch (const std::invalid_argument &) {
		return -1;
	}
}
