/* SPDX-License-Identifier: MIT */
/*
 * Counting the loader's mappings: tests/support/maptrack.c defines mmap() and munmap() for the
 * test program, so the loader linked into it makes its calls through them.
 */
#ifndef TESTS_MAPTRACK_H
#define TESTS_MAPTRACK_H

#include <stddef.h>

/* Bytes mapped with mmap() and not yet unmapped, in this program. */
size_t maptrack_live_bytes(void);

#endif
