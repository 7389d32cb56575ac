/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Zephyr's <zephyr/syscall.h>, for the system call headers llext-zephyr-syscalls writes.
 *
 * Zephyr's header holds the machinery of user-mode system calls: the traps, the dispatch table
 * and its handler type. libllext has no user mode (CONFIG_USERSPACE stays undefined), so a
 * system call is always the direct call of its implementation, z_impl_NAME(), and what is left
 * here is what code written for both modes may still name.
 */
#ifndef ZEPHYR_INCLUDE_SYSCALL_H_
#define ZEPHYR_INCLUDE_SYSCALL_H_

#include <zephyr/autoconf.h>

#include <stdbool.h>
#include <stdint.h>

#include <zephyr/syscall_list.h>
#include <zephyr/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief The type of a system call handler in Zephyr's dispatch table (there is none here). */
typedef uintptr_t (*_k_syscall_handler_t)(uintptr_t arg1, uintptr_t arg2, uintptr_t arg3,
                                          uintptr_t arg4, uintptr_t arg5, uintptr_t arg6,
                                          void *ssf);

/**
 * @brief Whether a system call must trap into the kernel: never, without user mode.
 * @return false
 */
static inline bool z_syscall_trap(void)
{
	return false;
}

#ifdef __cplusplus
}
#endif

#endif /* ZEPHYR_INCLUDE_SYSCALL_H_ */
