// SPDX-License-Identifier: MIT
/* Explicit exports: only what LL_EXTENSION_SYMBOL names is in the export table. */
#include <llext/symbol.h>

#include "host_api.h"

int exported_fn(int v)
{
	return v * 3;
}
LL_EXTENSION_SYMBOL(exported_fn);

int exported_var = 17;
LL_EXTENSION_SYMBOL(exported_var);

static int hidden_calls;

void exported_void(void)
{
	hidden_calls++;
	host_record(77);
}
LL_EXTENSION_SYMBOL(exported_void);

/* Global, but not named by LL_EXTENSION_SYMBOL: not exported. */
int not_exported(void)
{
	return hidden_calls;
}
