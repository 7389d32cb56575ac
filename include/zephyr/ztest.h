/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Zephyr's ztest: assertions, PRINT(), the calls that fail, skip or pass the running test,
 * and test suites (ZTEST(), ZTEST_SUITE() ..., in <zephyr/ztest_test.h>).
 *
 * Extensions use the assertions and the calls. A host program that defines suites links the
 * ztest runner (`pkg-config --cflags --libs llext-ztest`), whose main() runs them; see
 * docs/zephyr-extensions.md. A host may also be its own runner (CMocka, say) and call the
 * extensions' functions itself.
 */
#ifndef ZEPHYR_INCLUDE_ZTEST_H_
#define ZEPHYR_INCLUDE_ZTEST_H_

#include <zephyr/kernel.h>
#include <zephyr/sys/util.h>
#include <zephyr/ztest_assert.h>
#include <zephyr/ztest_test.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Print from a test, as printk() does. */
#define PRINT(...) printk(__VA_ARGS__)
/** @brief Print from a test, as printk() does. */
#define TC_PRINT(...) printk(__VA_ARGS__)

/** @brief Fail the running test, as a failed zassert does. */
void ztest_test_fail(void);
/** @brief Skip the running test, as a failed zassume does. */
void ztest_test_skip(void);

#ifdef __cplusplus
}
#endif

#endif /* ZEPHYR_INCLUDE_ZTEST_H_ */
