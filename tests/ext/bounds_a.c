// SPDX-License-Identifier: MIT
/*
 * One of two compilation units that register entries in section my_keys and are joined into one
 * extension with `ld -r` (bounds_b.c is the other); this one walks the whole table.
 */
#include "bounds_keys.h"

KEY(1);
KEY(2);

int bounds_a_data = 5; /* a section of its own between the two units' tables */

extern const long __start_my_keys[], __stop_my_keys[];

/* Copies up to @max keys in table order to @out; the number of entries. */
int bounds_join_keys(long *out, int max)
{
	int n = (int)(__stop_my_keys - __start_my_keys);

	for (int i = 0; i < n && i < max; i++) {
		out[i] = __start_my_keys[i];
	}
	return n;
}
