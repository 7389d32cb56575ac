// SPDX-License-Identifier: MIT
/* Exports under other names, both ways: EXPORT_SYMBOL_NAMED() in the host, the extension's
 * LL_EXTENSION_SYMBOL_NAMED(), and a host symbol exported as part of a group. */
#include <llext/symbol.h>

int host_plus(int a, int b);     /* the host's host_add(), exported under this name */
int host_group_fn(void);         /* EXPORT_GROUP_SYMBOL() */
int host_group_alias(void);      /* EXPORT_GROUP_SYMBOL_NAMED() of the same function */

static int named_sum(int a, int b)
{
	return host_plus(a, b) + host_group_fn() + host_group_alias();
}
LL_EXTENSION_SYMBOL_NAMED(named_sum, named_public_sum);
