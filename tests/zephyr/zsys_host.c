// SPDX-License-Identifier: MIT
/*
 * The host's implementations of the system calls tests/zephyr/ext/zsys_calls.h declares (none
 * for zsys_missing, which stays unimplemented on purpose), shared by the hosts that load the
 * zsys extensions. Each call counts itself in z_impl_zsys_count().
 */
#include <stdint.h>
#include <string.h>

#include "zsys_calls.h"

static unsigned long calls;

int z_impl_zsys_add(int a, int b)
{
	calls++;
	return a + b;
}

size_t z_impl_zsys_upcase(char *dst, const char *const src, size_t n)
{
	size_t len = strlen(src);

	calls++;
	for (size_t i = 0; n && i < n - 1 && src[i]; i++) {
		dst[i] = src[i] >= 'a' && src[i] <= 'z' ? (char)(src[i] - 'a' + 'A') : src[i];
		dst[i + 1] = '\0';
	}
	return len;
}

unsigned long z_impl_zsys_count(void)
{
	return calls;
}

void z_impl_zsys_describe(struct zsys_info *info)
{
	calls++;
	info->calls = (int)calls;
	info->magic = 0x5a595343u;
}

uint64_t z_impl_zsys_swap64(uint64_t v)
{
	calls++;
	return __builtin_bswap64(v);
}
