/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Zephyr's printk(): printf formats, written to standard output by libllext-zephyr (or
 * to the sink its host set with llext_zephyr_set_print()).
 *
 * Unlike Zephyr's minimal printk, every format of the C library's printf works, floating
 * point included.
 */
#ifndef ZEPHYR_INCLUDE_SYS_PRINTK_H_
#define ZEPHYR_INCLUDE_SYS_PRINTK_H_

#include <zephyr/autoconf.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>

#include <zephyr/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Print a formatted message, as printf() does. */
__printf_like(1, 2) void printk(const char *fmt, ...);
/** @brief Print a formatted message from a va_list, as vprintf() does. */
__printf_like(1, 0) void vprintk(const char *fmt, va_list ap);
/** @brief Format into @p str, as snprintf() does; returns the length the whole output needs. */
__printf_like(3, 4) int snprintk(char *str, size_t size, const char *fmt, ...);
/** @brief Format into @p str from a va_list, as vsnprintf() does. */
__printf_like(3, 0) int vsnprintk(char *str, size_t size, const char *fmt, va_list ap);

#ifdef __cplusplus
}
#endif

#endif /* ZEPHYR_INCLUDE_SYS_PRINTK_H_ */
