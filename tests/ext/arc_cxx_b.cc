// SPDX-License-Identifier: MIT
/* The second member: its copy of arc_cxx_twice() is dropped, its own function kept. */
#include "arc_cxx.h"

extern "C" int arc_cxx_b(int x)
{
	try {
		return arc_cxx_twice(x) + 1;
	} catch (const std::invalid_argument &) {
		return -2;
	}
}
