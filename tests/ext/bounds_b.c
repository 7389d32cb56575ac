// SPDX-License-Identifier: MIT
/* The second unit of the `ld -r` table fixture (see bounds_a.c). */
#include "bounds_keys.h"

int bounds_b_data = 11;

KEY(11);
KEY(12);
