/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Zephyr's <zephyr/syscall_list.h>: the system call numbers, of which there are none.
 *
 * Zephyr's build generates this header with one K_SYSCALL_NAME number per system call, for
 * the user-mode trap and its tracing. Without user mode no call is made by number, so
 * llext-zephyr-syscalls writes no numbers and this header defines only the two bounds Zephyr's
 * always has. The headers it writes include this one, as Zephyr's do.
 */
#ifndef ZEPHYR_SYSCALL_LIST_H
#define ZEPHYR_SYSCALL_LIST_H

/** @brief The number Zephyr gives an invalid system call. */
#define K_SYSCALL_BAD 0
/** @brief One more than the largest system call number. */
#define K_SYSCALL_LIMIT 1

#ifndef _ASMLANGUAGE
#include <stdarg.h>
#include <stdint.h>
#endif

#endif /* ZEPHYR_SYSCALL_LIST_H */
