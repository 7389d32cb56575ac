/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Zephyr's <zephyr/llext/elf.h>: libllext's <llext/elf.h>.
 *
 * ELF types.
 */
#ifndef ZEPHYR_LLEXT_ELF_H
#define ZEPHYR_LLEXT_ELF_H

#include <zephyr/autoconf.h>

#include <llext/elf.h>

#endif /* ZEPHYR_LLEXT_ELF_H */
