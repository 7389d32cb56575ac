// SPDX-License-Identifier: MIT
/* Names a library that no system has. */
#include <llext/symbol.h>

LLEXT_NEEDS("libm.so.6");
LLEXT_NEEDS("libllext-test-no-such-library.so.7");

int needs_missing_fn(void)
{
	return 1;
}
