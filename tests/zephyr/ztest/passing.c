// SPDX-License-Identifier: MIT
/*
 * A ztest host written as Zephyr's tests are, run by the ztest runner (libllext-ztest's main()):
 * a suite with a fixture whose setup loads an extension, before/after/teardown, skipped and
 * assumed-away cases, a case that passes early, cases whose failure is expected (a zassert
 * inside the extension, a zexpect), a rule, a suite its predicate turns away, a suite whose
 * setup skips it, and a last suite that checks what the others did, in which order.
 *
 * Every case passes or is skipped: the program exits with 0 and prints PROJECT EXECUTION
 * SUCCESSFUL. check-ztest.py reads its output line by line.
 */
#include <stdint.h>
#include <string.h>

#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#include "zsuite_ext.h"

/* What ran, in order, as words: "setup before a after ...". */
static char order[2048];

static void note(const char *what)
{
	if (strlen(order) + strlen(what) + 2 < sizeof(order)) {
		strcat(order, order[0] ? " " : "");
		strcat(order, what);
	}
}

/* The state test_main() hands to the predicates. */
struct run_state {
	int wanted;
};
static const struct run_state state = {42};

/* Set by code that must not run. */
static bool after_ext_assert, after_skip, after_pass, never_ran;
/* Set by code that must run after a failed zexpect. */
static bool went_on;
static int rule_before, rule_after;
static const char *rule_last_test;

/* ---- fixture_suite: a fixture, the phases, and the extension ---- */

struct fixture_suite_fixture {
	uint32_t magic;
	int befores, afters;
	struct zsuite_ext z;
};

static bool with_state(const void *global_state)
{
	const struct run_state *s = global_state;

	/* The runner passes test_main()'s state through untouched. */
	return s == &state && s->wanted == 42;
}

static void *fixture_setup(void)
{
	static struct fixture_suite_fixture f;

	note("setup");
	f.magic = 0x5eed;
	zassert_true(zsuite_load(&f.z, "zsuite"), "cannot load " ZSUITE_EXT);
	return &f;
}

static void fixture_before(void *data)
{
	struct fixture_suite_fixture *f = data;

	note("before");
	f->befores++;
}

static void fixture_after(void *data)
{
	struct fixture_suite_fixture *f = data;

	note("after");
	f->afters++;
}

static void fixture_teardown(void *data)
{
	struct fixture_suite_fixture *f = data;

	note("teardown");
	zassert_not_null(f, "setup failed: no fixture");
	/* Each case had its before and its after, whatever became of it. */
	zassert_equal(f->befores, 10);
	zassert_equal(f->afters, 10);
	zsuite_unload(&f->z);
}

ZTEST_SUITE(fixture_suite, with_state, fixture_setup, fixture_before, fixture_after,
            fixture_teardown);

ZTEST_F(fixture_suite, test_a_fixture)
{
	note("a");
	zassert_equal(fixture->magic, 0x5eed, "the fixture is setup's");
	/* This case's before ran, its after not yet. */
	zassert_equal(fixture->befores, fixture->afters + 1);
}

ZTEST_F(fixture_suite, test_b_extension)
{
	note("b");
	zassert_equal(fixture->z.add(2, 3), 5);
	zassert_equal(fixture->z.add(-7, 3), -4);
	zassert_equal(fixture->z.calls(), 2);
	zassert_equal(fixture->z.check_equal(4, 4), 1, "a check that holds returns");
}

ZTEST(fixture_suite, test_c_skip)
{
	note("c");
	ztest_test_skip();
	after_skip = true;
}

ZTEST(fixture_suite, test_d_assume)
{
	note("d");
	zassume_equal(1, 2, "one is not two");
	after_skip = true;
}

ZTEST_F(fixture_suite, test_e_ext_assume)
{
	note("e");
	fixture->z.assume_positive(-1);
	after_skip = true;
}

ZTEST(fixture_suite, test_f_pass_early)
{
	note("f");
	ztest_test_pass();
	after_pass = true;
}

ZTEST_F(fixture_suite, test_g_ext_pass)
{
	note("g");
	fixture->z.pass();
	after_pass = true;
}

/* A zassert that fails inside the extension fails this case (and only it): expected here. */
ZTEST_EXPECT_FAIL(fixture_suite, test_h_ext_assert);
ZTEST_F(fixture_suite, test_h_ext_assert)
{
	note("h");
	fixture->z.check_equal(1, 2);
	after_ext_assert = true;
}

/* A failed zexpect fails the case at its end; the code after it runs. */
ZTEST_EXPECT_FAIL(fixture_suite, test_i_expect);
ZTEST_F(fixture_suite, test_i_expect)
{
	note("i");
	fixture->z.expect_equal(1, 2);
	went_on = true;
}

/* ZTEST_USER_F: the same as ZTEST_F on Linux. */
ZTEST_USER_F(fixture_suite, test_j_user)
{
	note("j");
	zassert_equal(fixture->magic, 0x5eed);
}

/* ---- never_suite: its predicate says no ---- */

static bool never(const void *global_state)
{
	(void)global_state;
	return false;
}

ZTEST_SUITE(never_suite, never, NULL, NULL, NULL, NULL);

ZTEST(never_suite, test_never)
{
	never_ran = true;
	zassert_unreachable("a suite whose predicate is false does not run");
}

/* ---- skipped_setup: setup skips, so every case is skipped without running ---- */

static bool skipped_ran;

static void *skipping_setup(void)
{
	ztest_test_skip();
	skipped_ran = true;
	return NULL;
}

ZTEST_SUITE(skipped_setup, NULL, skipping_setup, NULL, NULL, NULL);

ZTEST(skipped_setup, test_skipped)
{
	skipped_ran = true;
}

/* ---- a rule around every case ---- */

static void rule_before_each(const struct ztest_unit_test *test, void *data)
{
	(void)data;
	rule_before++;
	rule_last_test = test->name;
}

static void rule_after_each(const struct ztest_unit_test *test, void *data)
{
	(void)data;
	rule_after++;
	zassert_equal_ptr(test->name, rule_last_test, "after_each gets the test before_each got");
}

ZTEST_RULE(counting, rule_before_each, rule_after_each);

/* ---- zz_check: runs last (suites run in name order) and checks the others ---- */

ZTEST_SUITE(zz_check, NULL, NULL, NULL, NULL, NULL);

ZTEST(zz_check, test_order)
{
	/* Derived from the definitions above: setup once, then before/case/after per case in
	 * name order, teardown once. */
	static const char want[] = "setup before a after before b after before c after before d "
				   "after before e after before f after before g after before h "
				   "after before i after before j after teardown";

	zassert_str_equal(order, want, "order was: %s", order);
}

ZTEST(zz_check, test_outcomes)
{
	zassert_false(after_skip, "a skip ends the case");
	zassert_false(after_pass, "ztest_test_pass() ends the case");
	zassert_false(after_ext_assert, "a failed zassert in the extension ends the case");
	zassert_true(went_on, "a failed zexpect lets the case go on");
	zassert_false(never_ran);
	zassert_false(skipped_ran, "a skip in setup ends setup, and no case of the suite runs");
}

ZTEST_USER(zz_check, test_rules)
{
	/* Ten cases of fixture_suite, test_order, test_outcomes and this one (its after has not
	 * run yet). */
	zassert_equal(rule_before, 13);
	zassert_equal(rule_after, 12);
	zassert_str_equal(rule_last_test, "test_rules");
}

void test_main(void)
{
	ztest_run_all(&state, false, 1, 1);
	ztest_verify_all_test_suites_ran();
}
