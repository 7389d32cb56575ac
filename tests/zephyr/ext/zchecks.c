// SPDX-License-Identifier: MIT
/*
 * Every zassert, zassume and zexpect form, with and without a message, passing (test_entry)
 * and failing (failing(n), one form each). Compiled as C and as C++.
 */
#include <zephyr/llext/symbol.h>
#include <zephyr/ztest.h>

static int three = 3;
static const char word[] = "word";
static const char other[] = "wore";

void test_entry(void)
{
	int *none = NULL;

	zassert_true(three == 3);
	zassert_true(three == 3, "plain message");
	zassert_false(three == 4, "with %s %d", "arguments", three);
	zassert_ok(0);
	zassert_not_ok(-5, "%d", -5);
	zassert_is_null(none);
	zassert_not_null(&three);
	zassert_equal(three, 3, "three is %d", three);
	zassert_not_equal(three, 4);
	zassert_equal_ptr(&three, &three);
	zassert_within(three, 5, 2);
	zassert_between_inclusive(three, 3, 3);
	zassert_mem_equal(word, "word", 4);
	zassert_str_equal(word, "word", "%s", word);
	zassume_true(three);
	zassume_false(!three, "msg");
	zassume_ok(0, "%d", 0);
	zassume_not_ok(1);
	zassume_is_null(none);
	zassume_not_null(word);
	zassume_equal(three, 3);
	zassume_not_equal(three, 0);
	zassume_equal_ptr(word, word);
	zassume_within(three, 3, 0);
	zassume_between_inclusive(three, 0, 9);
	zassume_mem_equal(word, word, sizeof(word));
	zassume_str_equal(word, "word");
	zexpect_true(1);
	zexpect_equal(three, 3, "%s", "e");
	zexpect_not_null(word);
	zexpect_str_equal(word, "word");
}
EXPORT_SYMBOL(test_entry);

/*
 * Fail form @which (0 ...): returns 1 if execution went on after the check (a hook that
 * returns, or zexpect), -1 if there is no such form.
 */
int failing(int which)
{
	switch (which) {
	case 0: zassert_true(three == 4); break;
	case 1: zassert_false(three == 3, "plain message"); break;
	case 2: zassert_ok(three, "ok? %d", three); break;
	case 3: zassert_not_ok(0); break;
	case 4: zassert_is_null(&three, "%p", (void *)&three); break;
	case 5: zassert_not_null((const char *)NULL); break;
	case 6: zassert_equal(three, 4, "got %d, wanted %d", three, 4); break;
	case 7: zassert_not_equal(three, 3); break;
	case 8: zassert_equal_ptr(word, other); break;
	case 9: zassert_within(three, 10, 2, "%d", 10); break;
	case 10: zassert_between_inclusive(three, 4, 9); break;
	case 11: zassert_mem_equal(word, other, 4, "mem"); break;
	case 12: zassert_str_equal(word, other); break;
	case 13: zassert_unreachable("reached with %d", three); break;
	case 14: zassert_unreachable(); break;
	case 15: zassume_true(three == 4, "assume %s", "this"); break;
	case 16: zassume_equal(three, 5); break;
	case 17: zexpect_equal(three, 6, "expect %d", 6); break;
	case 18: zexpect_true(false); break;
	case 19: ztest_test_fail(); break;
	case 20: ztest_test_skip(); break;
	default: return -1;
	}
	return 1;
}
EXPORT_SYMBOL(failing);

/* For llext-run --call: a failed zassert, zassume and zexpect. */
void fail_assert(void)
{
	printk("before the check\n");
	zassert_equal(three, 4, "three is %d", three);
	printk("after the check\n");
}
EXPORT_SYMBOL(fail_assert);

void fail_assume(void)
{
	zassume_true(three == 4, "no four here");
}
EXPORT_SYMBOL(fail_assume);

void fail_expect(void)
{
	zexpect_str_equal(word, other, "expected");
	printk("went on\n");
}
EXPORT_SYMBOL(fail_expect);
