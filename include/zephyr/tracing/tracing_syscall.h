/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Zephyr's <zephyr/tracing/tracing_syscall.h>: system call tracing hooks, which do nothing.
 *
 * Zephyr's tracing backends record each system call's entry and exit when CONFIG_TRACING_SYSCALL
 * is on. libllext has no tracing subsystem (CONFIG_TRACING_SYSCALL stays undefined), so the
 * hooks expand to nothing; the system call headers llext-zephyr-syscalls writes include this
 * one, as Zephyr's do.
 */
#ifndef ZEPHYR_INCLUDE_TRACING_SYSCALL_H_
#define ZEPHYR_INCLUDE_TRACING_SYSCALL_H_

#include <zephyr/autoconf.h>

/** @brief Called as system call @p id starts: nothing here. */
#define sys_port_trace_syscall_enter(id, name, ...)
/** @brief Called as system call @p id returns: nothing here. */
#define sys_port_trace_syscall_exit(id, name, ...)

#endif /* ZEPHYR_INCLUDE_TRACING_SYSCALL_H_ */
