// SPDX-License-Identifier: MIT
/* Sections aligned beyond a page. */
#include <stdint.h>

__attribute__((aligned(65536))) int align_big_data[4] = {1, 2, 3, 4};
__attribute__((aligned(16384))) char align_big_bss[100];
__attribute__((aligned(8192))) const int align_big_ro[2] = {5, 6};

uintptr_t align_addr(int which)
{
	switch (which) {
	case 0:
		return (uintptr_t)align_big_data;
	case 1:
		return (uintptr_t)align_big_bss;
	default:
		return (uintptr_t)align_big_ro;
	}
}
