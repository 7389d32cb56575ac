/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Zephyr's <zephyr/llext/llext.h>: libllext's <llext/llext.h>.
 *
 * The extension API: load, find symbols, call, unload. Zephyr's <zephyr/llext/llext.h> brings
 * in <zephyr/kernel.h> (and so <zephyr/sys/util.h>), and so does this one.
 */
#ifndef ZEPHYR_LLEXT_LLEXT_H
#define ZEPHYR_LLEXT_LLEXT_H

#include <zephyr/autoconf.h>

#include <llext/llext.h>
#include <zephyr/kernel.h>
#include <zephyr/llext/elf.h>
#include <zephyr/llext/symbol.h>

/**
 * @brief The section LLEXT_RODATA_NO_RELOC places data in.
 *
 * Zephyr, built with CONFIG_LLEXT_RODATA_NO_RELOC, leaves this section where the ELF buffer
 * has it instead of copying it, for read-only data with no relocations. libllext copies every
 * extension out of its buffer (CONFIG_LLEXT_RODATA_NO_RELOC stays undefined): the section is
 * read-only data like any other, placed in the LLEXT_MEM_RODATA region, mapped read-only, and
 * relocated if it has relocations.
 */
#define LLEXT_SECTION_RODATA_NO_RELOC ".llext.rodata.noreloc"

/** @brief Place read-only data in LLEXT_SECTION_RODATA_NO_RELOC (read-only data here). */
#define LLEXT_RODATA_NO_RELOC __attribute__((section(LLEXT_SECTION_RODATA_NO_RELOC)))

#endif /* ZEPHYR_LLEXT_LLEXT_H */
