/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief The host's side of libllext-zephyr: where printk(), logging and failed ztest checks
 * of extensions go.
 *
 * libllext-zephyr provides Zephyr's printk, ztest checks, logging and kernel subset to
 * extensions (see <zephyr/kernel.h> and the other <zephyr/...> headers): it exports them with
 * EXPORT_SYMBOL(), so a host program only has to link it (pkg-config --cflags --libs
 * llext-zephyr) or dlopen() it. These calls let the host take the output instead of leaving
 * it on standard output and standard error, and decide what a failed check does. Each setting
 * is process-wide; the callbacks may be called from any thread, one call at a time.
 *
 * @defgroup llext_zephyr Zephyr runtime for extensions
 * @{
 */
#ifndef LLEXT_ZEPHYR_H
#define LLEXT_ZEPHYR_H

#include <stddef.h>

#include <zephyr/ztest_assert.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief A printk() sink.
 * @param text The formatted text (not NUL-terminated)
 * @param len Its length in bytes
 * @param user The pointer given to llext_zephyr_set_print()
 */
typedef void (*llext_zephyr_print_fn)(const char *text, size_t len, void *user);

/**
 * @brief Send printk() output to @p fn, or back to standard output if @p fn is NULL.
 * @param fn Sink, or NULL
 * @param user Passed to @p fn
 */
void llext_zephyr_set_print(llext_zephyr_print_fn fn, void *user);

/**
 * @brief A log sink.
 * @param level LOG_LEVEL_ERR (1) to LOG_LEVEL_DBG (4)
 * @param module The module's name, as LOG_MODULE_REGISTER() gave it
 * @param msg The message without a trailing newline; a hex dump's lines follow its title,
 *        each after a newline
 * @param user The pointer given to llext_zephyr_set_log()
 */
typedef void (*llext_zephyr_log_fn)(int level, const char *module, const char *msg, void *user);

/**
 * @brief Send LOG_*() messages to @p fn, or back to standard error if @p fn is NULL.
 *
 * Standard error gets one line per message, "<err> module: message" (levels err, wrn, inf,
 * dbg), and a hex dump's lines after its title.
 *
 * @param fn Sink, or NULL
 * @param user Passed to @p fn
 */
void llext_zephyr_set_log(llext_zephyr_log_fn fn, void *user);

/** @brief A failed zassert, zassume or zexpect. */
struct llext_zephyr_failure {
	/** Which kind of check failed. */
	enum z_llext_check kind;
	/** Source file of the check, as the compiler named it (__FILE__). */
	const char *file;
	/** Its line. */
	int line;
	/** Its function. */
	const char *func;
	/** The check in words, such as "number not equal to 42". */
	const char *cond;
	/** The check's message, formatted, or "" if it had none. */
	const char *msg;
};

/**
 * @brief What to do about a failed check, after it was printed.
 *
 * The hook may return: the extension's code then goes on after the check. To stop the test, it
 * leaves instead: exit(), or longjmp() back to the host's test (CMocka's fail() does that). The
 * failure's strings are valid only during the call.
 *
 * @param f The failure
 * @param user The pointer given to llext_zephyr_set_fail_hook()
 */
typedef void (*llext_zephyr_fail_fn)(const struct llext_zephyr_failure *f, void *user);

/**
 * @brief Choose what a failed check does after it is printed on standard error.
 *
 * With no hook (@p fn NULL, the default), a failed zassert ends the process with exit status 1,
 * a failed zassume with 77 (the status test harnesses read as "skipped"), and a failed zexpect
 * only counts.
 *
 * @param fn Hook, or NULL
 * @param user Passed to @p fn
 */
void llext_zephyr_set_fail_hook(llext_zephyr_fail_fn fn, void *user);

/**
 * @brief How many checks have failed in this process (whatever the hook did about them).
 * @return The count; llext_zephyr_reset_failures() sets it back to 0
 */
unsigned int llext_zephyr_failures(void);

/** @brief Set the failure count to 0. */
void llext_zephyr_reset_failures(void);

#ifdef __cplusplus
}
#endif

/** @} */

#endif /* LLEXT_ZEPHYR_H */
