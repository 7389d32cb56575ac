/* SPDX-License-Identifier: MIT */
/* Entries of the table that bounds_a.c and bounds_b.c register from two compilation units. */
#ifndef TESTS_EXT_BOUNDS_KEYS_H
#define TESTS_EXT_BOUNDS_KEYS_H

#define KEY(k) static const long key_##k __attribute__((used, section("my_keys"))) = (k)

extern int bounds_a_data, bounds_b_data;

#endif
