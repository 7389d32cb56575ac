// SPDX-License-Identifier: MIT
/* Toolchain and utility macros, an absent devicetree and devices, and a host system call. */
#include <stdint.h>
#include <zephyr/device.h>
#include <zephyr/devicetree.h>
#include <zephyr/drivers/uart.h>
#include <zephyr/kernel.h>
#include <zephyr/llext/symbol.h>
#include <zephyr/sys/util.h>
#include <zephyr/toolchain.h>
#include <zephyr/ztest_assert.h>

#include "zhost.h"

#if DT_HAS_CHOSEN(zephyr_console) && DT_NODE_HAS_STATUS_OKAY(DT_CHOSEN(zephyr_console))
#error "there is no devicetree on Linux"
#endif
#if DT_NODE_EXISTS(DT_NODELABEL(uart0)) || DT_HAS_COMPAT_STATUS_OKAY(ns16550) || DT_HAS_ALIAS(led0)
#error "there is no devicetree on Linux"
#endif

struct outer {
	int before;
	long member;
};

BUILD_ASSERT(sizeof(uint32_t) == 4);
BUILD_ASSERT(BIT(3) == 8, "BIT counts from 0");

static const int big __aligned(64) = 64;
static int kept __used = 1;
const char *where Z_GENERIC_SECTION(.zutil_data) = "own section";
int zutil_weak(void) __weak;

int zutil_weak(void)
{
	return 7;
}

static int add_one(int x, int unused)
{
	ARG_UNUSED(unused);
	return x + 1;
}

void test_entry(void)
{
	static const int arr[5] = {1, 2, 3, 4, 5};
	struct outer o = {0, 0};

	zassert_equal(ARRAY_SIZE(arr), 5);
	zassert_equal(BIT(0) | BIT(4), 0x11);
	zassert_true(IS_ALIGNED(&big, 64));
	zassert_false(IS_ALIGNED((uintptr_t)&big + 4, 64));
	zassert_equal(MIN(3, -2), -2);
	zassert_equal(MAX(3, -2), 3);
	zassert_equal_ptr(CONTAINER_OF(&o.member, struct outer, member), &o);
	zassert_str_equal(STRINGIFY(BIT(1)), "(1UL << (1))");
	zassert_str_equal(where, "own section");
	zassert_equal(kept + add_one(1, 0) + zutil_weak(), 10);
	zassert_is_null(device_get_binding("uart0"));
	zassert_false(device_is_ready(NULL));
	zassert_equal(zhost_twice(21), 42, "the host's system call");
	zassert_equal(IS_ENABLED(CONFIG_NOT_THERE), 0);
}
EXPORT_SYMBOL(test_entry);
