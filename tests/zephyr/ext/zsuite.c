// SPDX-License-Identifier: MIT
/*
 * An extension that a ztest host calls from its test cases: plain calls, and zassert, zassume,
 * zexpect, ztest_test_pass() and ztest_test_fail() failing inside the extension, each of which
 * must end (or mark) the host's running test as it would in Zephyr.
 */
#include <zephyr/kernel.h>
#include <zephyr/llext/symbol.h>
#include <zephyr/ztest.h>

static int calls;

int zsuite_add(int a, int b)
{
	calls++;
	return a + b;
}
EXPORT_SYMBOL(zsuite_add);

int zsuite_calls(void)
{
	return calls;
}
EXPORT_SYMBOL(zsuite_calls);

/* Returns 1 only when @a == @b: a failed zassert leaves the test, and this function. */
int zsuite_check_equal(int a, int b)
{
	zassert_equal(a, b, "extension got %d and %d", a, b);
	return 1;
}
EXPORT_SYMBOL(zsuite_check_equal);

/* Returns 1 only when @v > 0: a failed zassume skips the test. */
int zsuite_assume_positive(int v)
{
	zassume_true(v > 0, "v is %d", v);
	return 1;
}
EXPORT_SYMBOL(zsuite_assume_positive);

/* Always returns 1: a failed zexpect marks the test failed and goes on. */
int zsuite_expect_equal(int a, int b)
{
	zexpect_equal(a, b, "expected %d, got %d", b, a);
	return 1;
}
EXPORT_SYMBOL(zsuite_expect_equal);

/* Ends the test as passed from inside the extension; returns 0 if it did not. */
int zsuite_pass(void)
{
	ztest_test_pass();
	return 0;
}
EXPORT_SYMBOL(zsuite_pass);

/* Fails the test from inside the extension; returns 0 if it did not leave it. */
int zsuite_fail(void)
{
	ztest_test_fail();
	return 0;
}
EXPORT_SYMBOL(zsuite_fail);
