// SPDX-License-Identifier: MIT
/* printk() formats, as a Zephyr extension prints them: the simplest extension there is. */
#include <stdint.h>
#include <zephyr/llext/symbol.h>
#include <zephyr/sys/printk.h>
#include <zephyr/ztest_assert.h>

static const uint32_t answer = 42;

/* vprintk() through a variadic function of the extension's own. */
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

void test_entry(void)
{
	char buf[8];
	int n;

	printk("hello from an extension\n");
	printk("u=%u d=%d x=%#x s=%s c=%c pct=%%\n", answer, -7, 255u, "str", 'z');
	printk("ld=%ld lld=%lld zu=%zu p=%p\n", -1L, 1LL << 40, sizeof(uint64_t), (void *)0);
	printk("pad=[%5d] left=[%-4s] zero=%08x prec=%.3s u32=%" PRIu32 " f=%.2f\n", 42, "ab",
	       0xbeefu, "abcdef", answer, 2.5);
	say("vprintk %s %d\n", "says", 3);
	n = snprintk(buf, sizeof(buf), "%s", "truncated");
	printk("snprintk=%d [%s]\n", n, buf);
	zassert_equal(answer, 42);
}
EXPORT_SYMBOL(test_entry);
