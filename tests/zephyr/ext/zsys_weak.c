// SPDX-License-Identifier: MIT
/*
 * Refers to the implementation of the call nothing implements weakly, so it loads, and sees the
 * symbol resolve to NULL; the implemented one resolves to the host's.
 */
#include <errno.h>

#include <zephyr/llext/symbol.h>

#include "zsys_calls.h"

#pragma weak z_impl_zsys_missing
#pragma weak z_impl_zsys_add

/* The address z_impl_zsys_missing resolved to (NULL expected). */
const void *zsys_missing_addr(void)
{
	return (const void *)&z_impl_zsys_missing;
}
EXPORT_SYMBOL(zsys_missing_addr);

/* The address z_impl_zsys_add resolved to (the host's). */
const void *zsys_add_addr(void)
{
	return (const void *)&z_impl_zsys_add;
}
EXPORT_SYMBOL(zsys_add_addr);

/* Calls zsys_missing() only if it is implemented, as code that tolerates its absence does. */
int zsys_try_missing(void)
{
	return z_impl_zsys_missing ? zsys_missing(7) : -ENOSYS;
}
EXPORT_SYMBOL(zsys_try_missing);
