/* SPDX-License-Identifier: MIT */
/*
 * One relocation applied outside a load, for Zephyr 3.5's arch_elf_relocate*() API (relocate.c).
 */
#ifndef LLEXT_RUNTIME_RELOCATE_H
#define LLEXT_RUNTIME_RELOCATE_H

#include <stdint.h>

#include <llext/elf.h>

#include "arch.h"

/* Why an encoder refused, in words (for messages). */
const char *llext_reloc_error(enum llext_reloc_err err);

/* Applies @rel at @loc (its own run-time address) with S = @S; logs and returns -ENOEXEC if the
 * type is unknown, not allowed, or its value does not fit. */
int llext_reloc_one(const elf_rela_t *rel, uintptr_t loc, uint64_t S, const char *sym_name);

#endif /* LLEXT_RUNTIME_RELOCATE_H */
