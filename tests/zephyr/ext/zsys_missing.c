// SPDX-License-Identifier: MIT
/* Calls the system call nothing implements: its load must fail, as in Zephyr. */
#include <zephyr/llext/symbol.h>

#include "zsys_calls.h"

int zsys_call_missing(void)
{
	return zsys_missing(1);
}
EXPORT_SYMBOL(zsys_call_missing);
