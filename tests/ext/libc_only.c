// SPDX-License-Identifier: MIT
/* Uses libc only: loads by default, fails with exports_only (nothing exports puts). */
#include <string.h>

size_t libc_only_len(const char *s)
{
	return strlen(s);
}
