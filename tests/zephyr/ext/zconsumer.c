// SPDX-License-Identifier: MIT
/* Links against zprovider's exports, loaded before it. */
#include <zephyr/kernel.h>
#include <zephyr/llext/symbol.h>
#include <zephyr/ztest_assert.h>

extern int calls;
extern const char zprovider_name[];
int zprovider_scale(int x);

void test_entry(void)
{
	zassert_equal(zprovider_scale(4), 40);
	zassert_equal(zprovider_scale(-4), 0);
	zassert_equal(calls, 2, "calls is the provider's variable");
	zassert_str_equal(zprovider_name, "zprovider");
	printk("consumer: %s called %d times\n", zprovider_name, calls);
}
EXPORT_SYMBOL(test_entry);
