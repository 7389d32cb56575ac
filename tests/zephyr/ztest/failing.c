// SPDX-License-Identifier: MIT
/*
 * A ztest host that must fail: cases that fail in every way Zephyr's can (a zassert in the case
 * and in an extension, a zexpect, ztest_test_fail() in the case and in the extension, a
 * ZTEST_EXPECT_FAIL() case that passes, a zassert on another thread), beside one that passes and
 * one skipped; a suite whose setup fails; and a last suite that checks the failing cases ended
 * where they should have and that their after still ran.
 *
 * check-ztest.py runs it and checks its lines, summary, verdict and exit status 1.
 * Built with -DZTEST_BAIL, it instead fails in an after function, where nothing may fail: the
 * runner stops with "TESTSUITE crashed." and exit status 2.
 */
#include <string.h>

#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#include "zsuite_ext.h"

#ifndef ZTEST_BAIL

static struct zsuite_ext z;
static int afters, reached_after_failure;
static bool went_on, went_on_after_thread;

static void *broken_setup(void)
{
	zassert_true(zsuite_load(&z, "zsuite"), "cannot load " ZSUITE_EXT);
	return &z;
}

static void broken_after(void *data)
{
	(void)data;
	afters++;
}

static void broken_teardown(void *data)
{
	/* NULL if setup failed. */
	if (data) {
		zsuite_unload(data);
	}
}

ZTEST_SUITE(broken, NULL, broken_setup, NULL, broken_after, broken_teardown);

ZTEST(broken, test_assert)
{
	zassert_equal(1, 2, "one is not two");
	reached_after_failure++;
}

ZTEST(broken, test_expect)
{
	zexpect_equal(3, 4, "three is not four");
	went_on = true;
}

ZTEST(broken, test_ext_assert)
{
	z.check_equal(5, 6);
	reached_after_failure++;
}

ZTEST(broken, test_ext_fail)
{
	z.fail();
	reached_after_failure++;
}

ZTEST(broken, test_fail)
{
	ztest_test_fail();
	reached_after_failure++;
}

ZTEST(broken, test_passes)
{
	zassert_equal(z.add(20, 22), 42);
}

ZTEST(broken, test_skips)
{
	ztest_test_skip();
	reached_after_failure++;
}

/* A zassert on another thread cannot leave the case: it fails it, and that thread goes on. */
static struct k_thread helper;
static K_THREAD_STACK_DEFINE(helper_stack, 1024);
static bool helper_went_on;

static void helper_entry(void *p1, void *p2, void *p3)
{
	(void)p1;
	(void)p2;
	(void)p3;
	zassert_true(false, "on another thread");
	helper_went_on = true;
}

ZTEST(broken, test_thread)
{
	zassert_not_null(k_thread_create(&helper, helper_stack, K_THREAD_STACK_SIZEOF(helper_stack),
	                                 helper_entry, NULL, NULL, NULL, 0, 0, K_NO_WAIT));
	zassert_ok(k_thread_join(&helper, K_FOREVER));
	/* The case itself goes on to its end, then counts as failed. */
	went_on_after_thread = true;
}

/* Expected to fail, but passes: that is a failure. */
ZTEST_EXPECT_FAIL(broken, test_unexpected_pass);
ZTEST(broken, test_unexpected_pass)
{
}

/* ---- broken_setup: setup fails, so every case fails without running ---- */

static void *failing_setup(void)
{
	zassert_unreachable("setup fails");
	return NULL;
}

ZTEST_SUITE(broken_setup, NULL, failing_setup, NULL, NULL, NULL);

ZTEST(broken_setup, test_one)
{
	printk("BODY RAN\n");
}

ZTEST(broken_setup, test_two)
{
	printk("BODY RAN\n");
}

/* ---- zz_check: how the failures ended ---- */

ZTEST_SUITE(zz_check, NULL, NULL, NULL, NULL, NULL);

ZTEST(zz_check, test_after_ran)
{
	/* Every case of broken had its after, failed or not. */
	zassert_equal(afters, 9);
	zassert_equal(reached_after_failure, 0, "a failure ends the case");
	zassert_true(went_on, "a failed zexpect does not");
	zassert_true(helper_went_on, "a failure on another thread does not end that thread");
	zassert_true(went_on_after_thread, "nor the case");
}

#else /* ZTEST_BAIL */

static void bail_after(void *data)
{
	(void)data;
	zassert_unreachable("after may not fail");
}

ZTEST_SUITE(bail, NULL, NULL, NULL, bail_after, NULL);

ZTEST(bail, test_first)
{
}

ZTEST(bail, test_second)
{
	printk("BODY RAN\n");
}

#endif /* ZTEST_BAIL */
