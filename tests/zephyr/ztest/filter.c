// SPDX-License-Identifier: MIT
/*
 * A ztest host for the runner's command line (-test=, -list): three suites whose every case
 * passes, each setup, teardown, predicate and case saying on standard output that it ran.
 * check-ztest-filter.py runs it with patterns, reads which suites and cases it declares from
 * this file, and checks that exactly the selected ones ran and the others were neither run nor
 * counted as failures.
 *
 * alpha's setup loads ext/zsuite.c, and its cases call it: a filtered run still loads and runs
 * extension code.
 */
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#include "zsuite_ext.h"

/* The checker reads these lines: "RAN suite::case", "SETUP suite", and so on. */
#define NOTE(what, name) printk(what " %s\n", name)

/* ---- alpha: a fixture that is the extension ---- */

struct alpha_fixture {
	struct zsuite_ext z;
};

static void *alpha_setup(void)
{
	static struct alpha_fixture f;

	NOTE("SETUP", "alpha");
	zassert_true(zsuite_load(&f.z, "zsuite"), "cannot load " ZSUITE_EXT);
	return &f;
}

static void alpha_teardown(void *data)
{
	struct alpha_fixture *f = data;

	NOTE("TEARDOWN", "alpha");
	zsuite_unload(&f->z);
}

ZTEST_SUITE(alpha, NULL, alpha_setup, NULL, NULL, alpha_teardown);

ZTEST_F(alpha, test_add)
{
	struct zsuite_ext *z = &fixture->z;

	NOTE("RAN", "alpha::test_add");
	zassert_equal(z->add(20, 22), 42);
}

ZTEST_F(alpha, test_calls)
{
	struct zsuite_ext *z = &fixture->z;

	NOTE("RAN", "alpha::test_calls");
	zassert_true(z->calls() >= 0);
}

ZTEST_F(alpha, test_check)
{
	struct zsuite_ext *z = &fixture->z;

	NOTE("RAN", "alpha::test_check");
	zassert_equal(z->check_equal(3, 3), 1);
}

/* ---- beta: setup and teardown of its own ---- */

static void *beta_setup(void)
{
	NOTE("SETUP", "beta");
	return NULL;
}

static void beta_teardown(void *data)
{
	(void)data;
	NOTE("TEARDOWN", "beta");
}

ZTEST_SUITE(beta, NULL, beta_setup, NULL, NULL, beta_teardown);

ZTEST(beta, test_add)
{
	NOTE("RAN", "beta::test_add");
}

ZTEST(beta, test_other)
{
	NOTE("RAN", "beta::test_other");
}

/* ---- gamma: a predicate, which a suite -test= leaves out never has called ---- */

static bool gamma_predicate(const void *state)
{
	(void)state;
	NOTE("PREDICATE", "gamma");
	return true;
}

static void *gamma_setup(void)
{
	NOTE("SETUP", "gamma");
	return NULL;
}

ZTEST_SUITE(gamma, gamma_predicate, gamma_setup, NULL, NULL, NULL);

ZTEST(gamma, test_add)
{
	NOTE("RAN", "gamma::test_add");
}
