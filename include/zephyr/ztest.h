/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief The part of Zephyr's ztest that extension code uses: assertions, PRINT() and the calls
 * that fail or skip the running test.
 *
 * Test suites (ZTEST(), ZTEST_SUITE()) are not provided: on Linux the host program is the test
 * runner (CMocka, say) and calls the extension's test functions; see docs/zephyr-extensions.md.
 */
#ifndef ZEPHYR_INCLUDE_ZTEST_H_
#define ZEPHYR_INCLUDE_ZTEST_H_

#include <zephyr/kernel.h>
#include <zephyr/ztest_assert.h>

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
