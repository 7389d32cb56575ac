/* SPDX-License-Identifier: MIT */
/* An inline function both arc_cxx_*.cc members define, in a COMDAT group, with its FDE. */
#include <stdexcept>

__attribute__((noinline)) inline int arc_cxx_twice(int x)
{
	if (x < 0) {
		throw std::invalid_argument("negative");
	}
	return 2 * x;
}
