// SPDX-License-Identifier: MIT
/* Weak undefined references: absent symbols resolve to NULL, present ones to the definition. */
#include "host_api.h"

extern int weak_missing_fn(int) __attribute__((weak));
extern int weak_missing_var __attribute__((weak));
extern int host_add(int, int) __attribute__((weak));

int weak_probe(void)
{
	int r = 0;

	if (weak_missing_fn) {
		r |= 1;
	}
	if (&weak_missing_var) {
		r |= 2;
	}
	if (host_add) {
		r |= 4;
	}
	return r;
}

/* A weak definition: exported like any other. */
__attribute__((weak)) int weak_defined(void)
{
	return 9;
}
