/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Zephyr's logging macros, backed by libllext-zephyr.
 *
 * Each source file names its module with LOG_MODULE_REGISTER(name) or
 * LOG_MODULE_DECLARE(name), optionally with a level; without one the level is LOG_LEVEL if the
 * file defines it, else CONFIG_LOG_DEFAULT_LEVEL (LOG_LEVEL_INF unless defined otherwise).
 * Messages above the module's level are not compiled in, as in Zephyr.
 *
 * The rest go to the host: by default one line each on standard error, as
 * "<err> module: message"; a host can take them instead with llext_zephyr_set_log(). The
 * messages are formatted at once (Zephyr may defer that): arguments are read when LOG_*() runs.
 */
#ifndef ZEPHYR_INCLUDE_LOGGING_LOG_H_
#define ZEPHYR_INCLUDE_LOGGING_LOG_H_

#include <zephyr/autoconf.h>

#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>

#include <zephyr/sys/printk.h>
#include <zephyr/sys/util.h>
#include <zephyr/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Logging disabled. */
#define LOG_LEVEL_NONE 0
/** @brief Errors. */
#define LOG_LEVEL_ERR 1
/** @brief Warnings. */
#define LOG_LEVEL_WRN 2
/** @brief Information. */
#define LOG_LEVEL_INF 3
/** @brief Debugging details. */
#define LOG_LEVEL_DBG 4

#ifndef CONFIG_LOG_DEFAULT_LEVEL
/** @brief Level of a module that names none. */
#define CONFIG_LOG_DEFAULT_LEVEL LOG_LEVEL_INF
#endif

/**
 * @brief Emit one message of @p level from @p module (printf style).
 * @param level LOG_LEVEL_ERR to LOG_LEVEL_DBG
 * @param module The module's name
 * @param fmt printf format
 */
__printf_like(3, 4) void z_llext_log(int level, const char *module, const char *fmt, ...);
/**
 * @brief Emit @p str followed by a hex dump of @p length bytes at @p data.
 * @param level LOG_LEVEL_ERR to LOG_LEVEL_DBG
 * @param module The module's name
 * @param data Bytes to dump
 * @param length Their number
 * @param str Title of the dump
 */
void z_llext_log_hexdump(int level, const char *module, const void *data, size_t length,
			 const char *str);

/** @cond INTERNAL */
#ifdef LOG_LEVEL
#define Z_LLEXT_LOG_DEFAULT LOG_LEVEL
#else
#define Z_LLEXT_LOG_DEFAULT CONFIG_LOG_DEFAULT_LEVEL
#endif
#define Z_LLEXT_LOG_SECOND(a, b, ...) b
#define Z_LLEXT_LOG_MODULE(name, ...)                                                              \
	static const char z_llext_log_module[] __unused = #name;                                   \
	static const int z_llext_log_level __unused =                                              \
	    Z_LLEXT_LOG_SECOND(name, ##__VA_ARGS__, Z_LLEXT_LOG_DEFAULT, ~)
#define Z_LLEXT_LOG(level, ...)                                                                    \
	do {                                                                                       \
		if ((level) <= z_llext_log_level) {                                                \
			z_llext_log(level, z_llext_log_module, __VA_ARGS__);                       \
		}                                                                                  \
	} while (0)
#define Z_LLEXT_HEXDUMP(level, data, length, str)                                                  \
	do {                                                                                       \
		if ((level) <= z_llext_log_level) {                                                \
			z_llext_log_hexdump(level, z_llext_log_module, data, length, str);         \
		}                                                                                  \
	} while (0)
/** @endcond */

/** @brief Create the log module @p name for this file: LOG_MODULE_REGISTER(name[, level]). */
#define LOG_MODULE_REGISTER(...) Z_LLEXT_LOG_MODULE(__VA_ARGS__)
/**
 * @brief Use the log module @p name, registered in another file of the same program:
 * LOG_MODULE_DECLARE(name[, level]). On Linux each file names its module itself.
 */
#define LOG_MODULE_DECLARE(...) Z_LLEXT_LOG_MODULE(__VA_ARGS__)

/** @brief Log an error (printf style). */
#define LOG_ERR(...) Z_LLEXT_LOG(LOG_LEVEL_ERR, __VA_ARGS__)
/** @brief Log a warning. */
#define LOG_WRN(...) Z_LLEXT_LOG(LOG_LEVEL_WRN, __VA_ARGS__)
/** @brief Log information. */
#define LOG_INF(...) Z_LLEXT_LOG(LOG_LEVEL_INF, __VA_ARGS__)
/** @brief Log a debugging detail. */
#define LOG_DBG(...) Z_LLEXT_LOG(LOG_LEVEL_DBG, __VA_ARGS__)

/** @brief Log @p _str and a hex dump of @p _length bytes at @p _data as an error. */
#define LOG_HEXDUMP_ERR(_data, _length, _str) Z_LLEXT_HEXDUMP(LOG_LEVEL_ERR, _data, _length, _str)
/** @brief As LOG_HEXDUMP_ERR(), as a warning. */
#define LOG_HEXDUMP_WRN(_data, _length, _str) Z_LLEXT_HEXDUMP(LOG_LEVEL_WRN, _data, _length, _str)
/** @brief As LOG_HEXDUMP_ERR(), as information. */
#define LOG_HEXDUMP_INF(_data, _length, _str) Z_LLEXT_HEXDUMP(LOG_LEVEL_INF, _data, _length, _str)
/** @brief As LOG_HEXDUMP_ERR(), as a debugging detail. */
#define LOG_HEXDUMP_DBG(_data, _length, _str) Z_LLEXT_HEXDUMP(LOG_LEVEL_DBG, _data, _length, _str)

/** @brief Print through the log, without level or module: here, printk(). */
#define LOG_PRINTK(...) printk(__VA_ARGS__)
/** @brief Print raw text through the log: here, printk(). */
#define LOG_RAW(...) printk(__VA_ARGS__)
/** @brief Switch the log to synchronous output: it always is here, so nothing. */
#define LOG_PANIC() ((void)0)

#ifdef __cplusplus
}
#endif

#endif /* ZEPHYR_INCLUDE_LOGGING_LOG_H_ */
