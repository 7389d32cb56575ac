/* SPDX-License-Identifier: MIT */
/* Keeping new mappings away from an address (tests/support/reserve.c). */
#ifndef TESTS_RESERVE_H
#define TESTS_RESERVE_H

#include <stdint.h>

/*
 * Occupy (PROT_NONE, no memory) every free address range within @span of @addr, so that new
 * mappings land farther away. Returns a handle for reserve_release().
 */
void *reserve_around(uintptr_t addr, uint64_t span);
void reserve_release(void *handle);

#endif
