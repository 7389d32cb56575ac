/* SPDX-License-Identifier: MIT */
/*
 * The pages of a built extension: switching their protection, and unmapping them (pages.c).
 */
#ifndef LLEXT_RUNTIME_PAGES_H
#define LLEXT_RUNTIME_PAGES_H

#include <stdbool.h>
#include <stdint.h>

#include "runtime/ext.h"

/* The system's page size, read once. */
uint64_t llext_page_size(void);
/* Switch the pages of a region holding [addr, addr + len) between read+write and the region's
 * protection. */
int llext_mem_set_writable(struct llext_internal *ie, enum llext_mem region, uintptr_t addr,
                           size_t len, bool writable);
void llext_mem_free(struct llext_internal *ie);

#endif /* LLEXT_RUNTIME_PAGES_H */
