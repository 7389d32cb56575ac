// SPDX-License-Identifier: MIT
/* The host side of tests/ext/host_api.h, exported with EXPORT_SYMBOL(). */
#include <string.h>

#include <llext/symbol.h>

#include "host_api.h"
#include "common.h"

int host_counter;
const char host_name[] = "host";

int host_add(int a, int b)
{
	return a + b;
}

int host_records[64];
size_t host_nrecords;

void host_record(int value)
{
	if (host_nrecords < ARRAY_SIZE(host_records)) {
		host_records[host_nrecords++] = value;
	}
}

void host_records_clear(void)
{
	host_nrecords = 0;
	memset(host_records, 0, sizeof(host_records));
}

EXPORT_SYMBOL(host_counter);
EXPORT_SYMBOL(host_name);
EXPORT_SYMBOL(host_add);
EXPORT_SYMBOL(host_record);
