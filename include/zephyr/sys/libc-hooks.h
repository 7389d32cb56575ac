/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Zephyr's <zephyr/sys/libc-hooks.h>: the C library's hooks, which a process does not need.
 *
 * In Zephyr this header ties the C library to the kernel: the console hooks behind stdout, and,
 * with user mode, the memory partition that holds the C library's globals
 * (z_libc_partition, announced by Z_LIBC_PARTITION_EXISTS). In a Linux process the C library is
 * the process's own and there is no user mode, so nothing is declared: Z_LIBC_PARTITION_EXISTS
 * stays undefined, which is what Zephyr code tests before it names the partition.
 */
#ifndef ZEPHYR_INCLUDE_SYS_LIBC_HOOKS_H_
#define ZEPHYR_INCLUDE_SYS_LIBC_HOOKS_H_

#include <zephyr/autoconf.h>

#include <stddef.h>
#include <stdio.h>

#endif /* ZEPHYR_INCLUDE_SYS_LIBC_HOOKS_H_ */
