// SPDX-License-Identifier: MIT
/* Exports to other extensions with EXPORT_SYMBOL(), functions and data, static or not. */
#include <zephyr/llext/symbol.h>
#include <zephyr/sys/util.h>

static int calls;
EXPORT_SYMBOL(calls);

const char zprovider_name[] = "zprovider";
EXPORT_SYMBOL(zprovider_name);

int zprovider_scale(int x)
{
	calls++;
	return MAX(x, 0) * 10;
}
EXPORT_SYMBOL(zprovider_scale);

/* Not exported: the export table lists only EXPORT_SYMBOL()s. */
int zprovider_hidden(void)
{
	return -1;
}
