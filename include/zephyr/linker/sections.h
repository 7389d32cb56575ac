/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Zephyr's <zephyr/linker/sections.h>: the placement attributes, for a Linux process.
 *
 * Zephyr places code and data in named sections so that its linker script can put them in
 * particular memory: pinned (never paged out with demand paging), boot-time only, interrupt
 * handlers, uninitialised RAM. A Linux process has one kind of memory for all of them, and an
 * extension's sections are placed by libllext, so every attribute here places nothing: the
 * code or data goes where the compiler puts it by default. The system call headers
 * llext-zephyr-syscalls writes mark their wrappers __pinned_func, as Zephyr's do.
 */
#ifndef ZEPHYR_INCLUDE_LINKER_SECTIONS_H_
#define ZEPHYR_INCLUDE_LINKER_SECTIONS_H_

#include <zephyr/autoconf.h>

#include <zephyr/toolchain.h>

/** @brief Code kept resident with demand paging: ordinary code here. */
#define __pinned_func
/** @brief Data kept resident with demand paging: ordinary data here. */
#define __pinned_data
/** @brief Read-only data kept resident with demand paging: ordinary read-only data here. */
#define __pinned_rodata
/** @brief Zero-initialised data kept resident with demand paging: ordinary bss here. */
#define __pinned_bss
/** @brief Uninitialised data kept resident with demand paging: ordinary bss here. */
#define __pinned_noinit
/** @brief Code used only at boot: ordinary code here. */
#define __boot_func
/** @brief Data used only at boot: ordinary data here. */
#define __boot_data
/** @brief An interrupt handler: ordinary code (there are no interrupts in a process). */
#define __isr

#endif /* ZEPHYR_INCLUDE_LINKER_SECTIONS_H_ */
