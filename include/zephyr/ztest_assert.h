/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Zephyr's ztest assertions: zassert_*, zassume_* and zexpect_*.
 *
 * Each macro takes an optional message with printf arguments after its own arguments:
 * zassert_equal(a, b), zassert_equal(a, b, "text"), zassert_equal(a, b, "got %d", a).
 *
 * When a check fails, libllext-zephyr prints the file, line, function, the failed condition and
 * the message on standard error, then calls the host's hook (llext_zephyr_set_fail_hook()). With
 * no hook, a failed zassert ends the process with status 1 and a failed zassume with status 77
 * (the test is skipped); a failed zexpect is counted and execution goes on. A hook may return,
 * and then the code after the failed check runs, as after a failed zexpect.
 */
#ifndef ZEPHYR_INCLUDE_ZTEST_ASSERT_H_
#define ZEPHYR_INCLUDE_ZTEST_ASSERT_H_

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <zephyr/sys/printk.h>
#include <zephyr/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief What a check does when it fails. */
enum z_llext_check {
	/** zassert: the test fails. */
	Z_LLEXT_ASSERT,
	/** zassume: the test is skipped. */
	Z_LLEXT_ASSUME,
	/** zexpect: the test fails, and goes on. */
	Z_LLEXT_EXPECT,
};

/**
 * @brief Report a check: does nothing and returns true if @p cond holds, else reports the failure
 * and returns false (when the hook returns).
 *
 * @param kind zassert, zassume or zexpect
 * @param cond The result of the check
 * @param default_msg The check in words, such as "a not equal to b"
 * @param file Source file of the check
 * @param line Its line
 * @param func Its function
 * @param fmt The user's message, printf style, or NULL for none
 */
__printf_like(7, 8) bool z_llext_check(enum z_llext_check kind, bool cond, const char *default_msg,
				       const char *file, int line, const char *func,
				       const char *fmt, ...);

/** @cond INTERNAL */
/*
 * The optional message: Z_ZT_MSG_SEL picks Z_ZT_MSG_NONE when nothing follows the check's own
 * arguments and Z_ZT_MSG_SOME otherwise (up to 31 message arguments). The GNU ", ##" comma
 * elision it relies on works in every mode of GCC and Clang for a macro with named parameters.
 */
#define Z_ZT_MSG_NONE(...) NULL
#define Z_ZT_MSG_SOME(...) __VA_ARGS__
#define Z_ZT_MSG_SEL(_0, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16,    \
		     _17, _18, _19, _20, _21, _22, _23, _24, _25, _26, _27, _28, _29, _30, _31,    \
		     _32, which, ...)                                                              \
	which
#define Z_ZT_CHECK(kind, cond, default_msg, ...)                                                   \
	z_llext_check(kind, (cond) ? true : false, default_msg, __FILE__, __LINE__, __func__,      \
		      Z_ZT_MSG_SEL(_, ##__VA_ARGS__, Z_ZT_MSG_SOME, Z_ZT_MSG_SOME, Z_ZT_MSG_SOME,  \
				   Z_ZT_MSG_SOME, Z_ZT_MSG_SOME, Z_ZT_MSG_SOME, Z_ZT_MSG_SOME,     \
				   Z_ZT_MSG_SOME, Z_ZT_MSG_SOME, Z_ZT_MSG_SOME, Z_ZT_MSG_SOME,     \
				   Z_ZT_MSG_SOME, Z_ZT_MSG_SOME, Z_ZT_MSG_SOME, Z_ZT_MSG_SOME,     \
				   Z_ZT_MSG_SOME, Z_ZT_MSG_SOME, Z_ZT_MSG_SOME, Z_ZT_MSG_SOME,     \
				   Z_ZT_MSG_SOME, Z_ZT_MSG_SOME, Z_ZT_MSG_SOME, Z_ZT_MSG_SOME,     \
				   Z_ZT_MSG_SOME, Z_ZT_MSG_SOME, Z_ZT_MSG_SOME, Z_ZT_MSG_SOME,     \
				   Z_ZT_MSG_SOME, Z_ZT_MSG_SOME, Z_ZT_MSG_SOME, Z_ZT_MSG_SOME,     \
				   Z_ZT_MSG_SOME, Z_ZT_MSG_NONE, ~)(__VA_ARGS__))
/** @endcond */

/** @brief Fail the test unless @p cond holds; @p default_msg says what was checked. */
#define zassert(cond, default_msg, ...)                                                            \
	((void)Z_ZT_CHECK(Z_LLEXT_ASSERT, cond, default_msg, ##__VA_ARGS__))
/** @brief Skip the test unless @p cond holds. */
#define zassume(cond, default_msg, ...)                                                            \
	((void)Z_ZT_CHECK(Z_LLEXT_ASSUME, cond, default_msg, ##__VA_ARGS__))
/** @brief Mark the test failed unless @p cond holds, and go on. */
#define zexpect(cond, default_msg, ...)                                                            \
	((void)Z_ZT_CHECK(Z_LLEXT_EXPECT, cond, default_msg, ##__VA_ARGS__))

/** @brief Assert that this point is not reached. */
#define zassert_unreachable(...) zassert(0, "Reached unreachable code", ##__VA_ARGS__)
/** @brief Assert that @p cond is true. */
#define zassert_true(cond, ...) zassert(cond, #cond " is false", ##__VA_ARGS__)
/** @brief Assert that @p cond is false. */
#define zassert_false(cond, ...) zassert(!(cond), #cond " is true", ##__VA_ARGS__)
/** @brief Assert that @p cond is 0 (success). */
#define zassert_ok(cond, ...) zassert(!(cond), #cond " is non-zero", ##__VA_ARGS__)
/** @brief Assert that @p cond is not 0 (failure). */
#define zassert_not_ok(cond, ...) zassert(!!(cond), #cond " is zero", ##__VA_ARGS__)
/** @brief Assert that @p ptr is NULL. */
#define zassert_is_null(ptr, ...) zassert((ptr) == NULL, #ptr " is not NULL", ##__VA_ARGS__)
/** @brief Assert that @p ptr is not NULL. */
#define zassert_not_null(ptr, ...) zassert((ptr) != NULL, #ptr " is NULL", ##__VA_ARGS__)
/** @brief Assert that @p a == @p b, compared as they are. */
#define zassert_equal(a, b, ...) zassert((a) == (b), #a " not equal to " #b, ##__VA_ARGS__)
/** @brief Assert that @p a != @p b. */
#define zassert_not_equal(a, b, ...) zassert((a) != (b), #a " equal to " #b, ##__VA_ARGS__)
/** @brief Assert that @p a and @p b are the same pointer, compared as void pointers. */
#define zassert_equal_ptr(a, b, ...)                                                               \
	zassert((const void *)(a) == (const void *)(b), #a " not equal to " #b, ##__VA_ARGS__)
/** @brief Assert that @p a is within @p d of @p b. */
#define zassert_within(a, b, d, ...)                                                               \
	zassert(((a) >= ((b) - (d))) && ((a) <= ((b) + (d))), #a " not within " #b " +/- " #d,     \
		##__VA_ARGS__)
/** @brief Assert that @p l <= @p a <= @p u. */
#define zassert_between_inclusive(a, l, u, ...)                                                    \
	zassert(((a) >= (l)) && ((a) <= (u)), #a " not between " #l " and " #u " inclusive",       \
		##__VA_ARGS__)
/** @brief Assert that @p size bytes at @p buf and @p exp are the same. */
#define zassert_mem_equal(buf, exp, size, ...)                                                     \
	zassert(memcmp(buf, exp, size) == 0, #buf " not equal to " #exp, ##__VA_ARGS__)
/** @brief Assert that strings @p s1 and @p s2 are equal. */
#define zassert_str_equal(s1, s2, ...)                                                             \
	zassert(strcmp(s1, s2) == 0, #s1 " not equal to " #s2, ##__VA_ARGS__)

/** @brief Assume that @p cond is true; skip the test otherwise. */
#define zassume_true(cond, ...) zassume(cond, #cond " is false", ##__VA_ARGS__)
/** @brief Assume that @p cond is false. */
#define zassume_false(cond, ...) zassume(!(cond), #cond " is true", ##__VA_ARGS__)
/** @brief Assume that @p cond is 0 (success). */
#define zassume_ok(cond, ...) zassume(!(cond), #cond " is non-zero", ##__VA_ARGS__)
/** @brief Assume that @p cond is not 0. */
#define zassume_not_ok(cond, ...) zassume(!!(cond), #cond " is zero", ##__VA_ARGS__)
/** @brief Assume that @p ptr is NULL. */
#define zassume_is_null(ptr, ...) zassume((ptr) == NULL, #ptr " is not NULL", ##__VA_ARGS__)
/** @brief Assume that @p ptr is not NULL. */
#define zassume_not_null(ptr, ...) zassume((ptr) != NULL, #ptr " is NULL", ##__VA_ARGS__)
/** @brief Assume that @p a == @p b. */
#define zassume_equal(a, b, ...) zassume((a) == (b), #a " not equal to " #b, ##__VA_ARGS__)
/** @brief Assume that @p a != @p b. */
#define zassume_not_equal(a, b, ...) zassume((a) != (b), #a " equal to " #b, ##__VA_ARGS__)
/** @brief Assume that @p a and @p b are the same pointer. */
#define zassume_equal_ptr(a, b, ...)                                                               \
	zassume((const void *)(a) == (const void *)(b), #a " not equal to " #b, ##__VA_ARGS__)
/** @brief Assume that @p a is within @p d of @p b. */
#define zassume_within(a, b, d, ...)                                                               \
	zassume(((a) >= ((b) - (d))) && ((a) <= ((b) + (d))), #a " not within " #b " +/- " #d,     \
		##__VA_ARGS__)
/** @brief Assume that @p l <= @p a <= @p u. */
#define zassume_between_inclusive(a, l, u, ...)                                                    \
	zassume(((a) >= (l)) && ((a) <= (u)), #a " not between " #l " and " #u " inclusive",       \
		##__VA_ARGS__)
/** @brief Assume that @p size bytes at @p buf and @p exp are the same. */
#define zassume_mem_equal(buf, exp, size, ...)                                                     \
	zassume(memcmp(buf, exp, size) == 0, #buf " not equal to " #exp, ##__VA_ARGS__)
/** @brief Assume that strings @p s1 and @p s2 are equal. */
#define zassume_str_equal(s1, s2, ...)                                                             \
	zassume(strcmp(s1, s2) == 0, #s1 " not equal to " #s2, ##__VA_ARGS__)

/** @brief Expect that @p cond is true; mark the test failed otherwise, and go on. */
#define zexpect_true(cond, ...) zexpect(cond, #cond " is false", ##__VA_ARGS__)
/** @brief Expect that @p cond is false. */
#define zexpect_false(cond, ...) zexpect(!(cond), #cond " is true", ##__VA_ARGS__)
/** @brief Expect that @p cond is 0 (success). */
#define zexpect_ok(cond, ...) zexpect(!(cond), #cond " is non-zero", ##__VA_ARGS__)
/** @brief Expect that @p cond is not 0. */
#define zexpect_not_ok(cond, ...) zexpect(!!(cond), #cond " is zero", ##__VA_ARGS__)
/** @brief Expect that @p ptr is NULL. */
#define zexpect_is_null(ptr, ...) zexpect((ptr) == NULL, #ptr " is not NULL", ##__VA_ARGS__)
/** @brief Expect that @p ptr is not NULL. */
#define zexpect_not_null(ptr, ...) zexpect((ptr) != NULL, #ptr " is NULL", ##__VA_ARGS__)
/** @brief Expect that @p a == @p b. */
#define zexpect_equal(a, b, ...) zexpect((a) == (b), #a " not equal to " #b, ##__VA_ARGS__)
/** @brief Expect that @p a != @p b. */
#define zexpect_not_equal(a, b, ...) zexpect((a) != (b), #a " equal to " #b, ##__VA_ARGS__)
/** @brief Expect that @p a and @p b are the same pointer. */
#define zexpect_equal_ptr(a, b, ...)                                                               \
	zexpect((const void *)(a) == (const void *)(b), #a " not equal to " #b, ##__VA_ARGS__)
/** @brief Expect that @p a is within @p d of @p b. */
#define zexpect_within(a, b, d, ...)                                                               \
	zexpect(((a) >= ((b) - (d))) && ((a) <= ((b) + (d))), #a " not within " #b " +/- " #d,     \
		##__VA_ARGS__)
/** @brief Expect that @p l <= @p a <= @p u. */
#define zexpect_between_inclusive(a, l, u, ...)                                                    \
	zexpect(((a) >= (l)) && ((a) <= (u)), #a " not between " #l " and " #u " inclusive",       \
		##__VA_ARGS__)
/** @brief Expect that @p size bytes at @p buf and @p exp are the same. */
#define zexpect_mem_equal(buf, exp, size, ...)                                                     \
	zexpect(memcmp(buf, exp, size) == 0, #buf " not equal to " #exp, ##__VA_ARGS__)
/** @brief Expect that strings @p s1 and @p s2 are equal. */
#define zexpect_str_equal(s1, s2, ...)                                                             \
	zexpect(strcmp(s1, s2) == 0, #s1 " not equal to " #s2, ##__VA_ARGS__)

#ifdef __cplusplus
}
#endif

#endif /* ZEPHYR_INCLUDE_ZTEST_ASSERT_H_ */
