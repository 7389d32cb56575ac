// SPDX-License-Identifier: MIT
/*
 * Pre-init, init and fini arrays written as Zephyr code writes them, with Z_GENERIC_SECTION()
 * and a quoted section name (or, with -DUNQUOTED, an unquoted one). Each function appends a
 * digit to the exported number: 0x12 after the pre-init pair, 0x123 after init, 0x1234 once
 * the fini array ran. Each also prints, so a CLI test sees the order around the call.
 */
#include <zephyr/llext/symbol.h>
#include <zephyr/sys/printk.h>
#include <zephyr/toolchain.h>
#include <zephyr/ztest_assert.h>

static int number;
EXPORT_SYMBOL(number);

static void step(int digit)
{
	number = (number << 4) | digit;
	printk("step %d: %#x\n", digit, (unsigned int)number);
}

static void preinit_1(void)
{
	step(1);
}

static void preinit_2(void)
{
	step(2);
}

static void init_3(void)
{
	step(3);
}

static void fini_4(void)
{
	step(4);
}

#ifdef UNQUOTED
#define PREINIT Z_GENERIC_SECTION(.preinit_array)
#define INIT Z_GENERIC_SECTION(.init_array)
#define FINI Z_GENERIC_SECTION(.fini_array)
#else
#define PREINIT Z_GENERIC_SECTION(".preinit_array")
#define INIT Z_GENERIC_SECTION(".init_array")
#define FINI Z_GENERIC_SECTION(".fini_array")
#endif

static void (*const preinit_fns[])(void) __used PREINIT = {preinit_1, preinit_2};
static void (*const init_fns[])(void) __used INIT = {init_3};
static void (*const fini_fns[])(void) __used FINI = {fini_4};

void test_entry(void)
{
	printk("test_entry sees %#x\n", (unsigned int)number);
	zassert_equal(number, 0x123, "got %#x instead of 0x123", (unsigned int)number);
}
EXPORT_SYMBOL(test_entry);
