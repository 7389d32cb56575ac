// SPDX-License-Identifier: MIT
/* An extension other extensions link against. */
#include "host_api.h"

int provider_data = 5;

int provider_value(int x)
{
	return host_add(x, 100);
}
