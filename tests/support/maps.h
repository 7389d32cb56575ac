/* SPDX-License-Identifier: MIT */
/* This process's mappings, as /proc/self/maps shows them (tests/support/maps.c). */
#ifndef TESTS_MAPS_H
#define TESTS_MAPS_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Call @fn for every mapping [lo, hi) with its permissions ("r-xp"), in address order, until it
 * returns true. Returns whether one did.
 */
bool maps_each(bool (*fn)(uintptr_t lo, uintptr_t hi, const char *perms, void *arg), void *arg);

/* The permissions ("r-xp") of the mapping holding @addr, from /proc/self/maps; false if none. */
bool maps_perms(uintptr_t addr, char perms[5]);
/*
 * How /proc/self/maps shows a page with protection @prot ("r--p" for PROT_READ) on this system,
 * in an extension's arrangement: read+execute, then read-only, then read+write pages. Measured
 * on a reference mapping, because emulators do not always show what the kernel would: qemu-user
 * 7.2 reports a read-only page that follows an executable one as "r-xp".
 */
const char *perms_of_prot(int prot);
/* Whether any mapping overlapping [start, end) is writable and executable. */
bool maps_any_wx(uintptr_t start, uintptr_t end);

#endif
