// SPDX-License-Identifier: MIT
/*
 * The ztest runner: the suites, tests, rules and expectations the program's constructors
 * register, running them in Zephyr's order and phases, and what a failed check does in each
 * phase.
 *
 * Tests run on the thread that called ztest_run_all(), as on Zephyr's native targets: a failed
 * zassert or zassume reaches libllext-zephyr's fail hook, which this file sets, and the hook
 * leaves the test with longjmp(), as Zephyr's unit-test builds do. The frames it leaves (the
 * test's, an extension's) are abandoned: no C++ destructor runs in them. A check that fails on
 * another thread cannot leave the test from there: it marks the running test failed (or
 * skipped), and that thread goes on after the check.
 */
#include <setjmp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <llext-zephyr.h>
#include <zephyr/llext/symbol.h>
#include <zephyr/ztest.h>

#include "ztest_priv.h"

/* Registered by constructors before main(), read after: no lock. Suites and tests in name order. */
static struct ztest_suite_node *suites;
static struct ztest_unit_test *tests;
static struct ztest_test_rule *rules, **rules_tail = &rules;
static struct ztest_expected_result_entry *expectations;

/* What the current phase's failure does; only the running thread changes these. */
static enum ztest_phase phase = TEST_PHASE_FRAMEWORK;
static enum { SUITE_OK, SUITE_FAILED, SUITE_SKIPPED } suite_state;
static pthread_t runner;
static jmp_buf test_exit, setup_exit, bail_exit;
static int status = Z_ZTEST_STATUS_OK;

/* Set by checks on any thread while a test runs; read once it has ended. */
static atomic_bool expect_failed, other_failed, other_skipped;

/* Insert @node into the list at @head, kept in strcmp() order of key(node). */
#define INSERT_SORTED(head, node, key)                                                             \
	do {                                                                                       \
		__typeof__(node) *at_ = &(head);                                                   \
		while (*at_ && strcmp(key(*at_), key(node)) <= 0) {                                \
			at_ = &(*at_)->z_next;                                                     \
		}                                                                                  \
		(node)->z_next = *at_;                                                             \
		*at_ = (node);                                                                     \
	} while (0)

#define SUITE_KEY(s) ((s)->name)
#define TEST_KEY(t) ((t)->name)

void z_ztest_register_suite(struct ztest_suite_node *suite)
{
	INSERT_SORTED(suites, suite, SUITE_KEY);
}

void z_ztest_register_test(struct ztest_unit_test *test)
{
	INSERT_SORTED(tests, test, TEST_KEY);
}

void z_ztest_register_rule(struct ztest_test_rule *rule)
{
	/* Rules run in the order the program defines them (within a file). */
	rule->z_next = NULL;
	*rules_tail = rule;
	rules_tail = &rule->z_next;
}

void z_ztest_register_expectation(struct ztest_expected_result_entry *entry)
{
	entry->z_next = expectations;
	expectations = entry;
}

struct ztest_suite_node *z_ztest_suites(void)
{
	return suites;
}

struct ztest_unit_test *z_ztest_get_next_test(const char *suite, struct ztest_unit_test *prev)
{
	for (struct ztest_unit_test *t = prev ? prev->z_next : tests; t; t = t->z_next) {
		if (strcmp(t->test_suite_name, suite) == 0) {
			return t;
		}
	}
	return NULL;
}

int z_ztest_status(void)
{
	return status;
}

static const char *phase_name(enum ztest_phase p)
{
	static const char *const names[] = {
	    [TEST_PHASE_SETUP] = "setup",       [TEST_PHASE_BEFORE] = "before",
	    [TEST_PHASE_TEST] = "test",         [TEST_PHASE_AFTER] = "after",
	    [TEST_PHASE_TEARDOWN] = "teardown", [TEST_PHASE_FRAMEWORK] = "framework",
	};

	return names[p];
}

static bool on_runner(void)
{
	return pthread_equal(pthread_self(), runner);
}

/* A failure where none may happen (after, teardown, the framework): the run cannot go on. */
static _Noreturn void bail(const char *what)
{
	printk(" ERROR: cannot %s in test phase '%s()', bailing\n", what, phase_name(phase));
	longjmp(bail_exit, 1);
}

/* A failed zassert (@skip false) or zassume (@skip true): leave the phase that failed. */
static void end_phase(bool skip)
{
	if (phase == TEST_PHASE_FRAMEWORK || !on_runner()) {
		/* Outside any test (a constructor), or on another thread: mark, and go on. */
		atomic_store(skip ? &other_skipped : &other_failed, true);
		if (phase == TEST_PHASE_FRAMEWORK && !skip) {
			status = Z_ZTEST_STATUS_FAILED;
		}
		return;
	}
	switch (phase) {
	case TEST_PHASE_SETUP:
		printk(" at %s function\n", phase_name(phase));
		suite_state = skip ? SUITE_SKIPPED : SUITE_FAILED;
		longjmp(setup_exit, 1);
	case TEST_PHASE_BEFORE:
	case TEST_PHASE_TEST:
		if (!skip) {
			printk(" at %s function\n", phase_name(phase));
		}
		longjmp(test_exit, skip ? TC_SKIP + 1 : TC_FAIL + 1);
	default:
		bail(skip ? "skip" : "fail");
	}
}

/* libllext-zephyr's fail hook while the runner runs: after the check was printed. */
static void on_failure(const struct llext_zephyr_failure *f, void *user)
{
	(void)user;
	if (f->kind == Z_LLEXT_EXPECT) {
		if ((phase == TEST_PHASE_AFTER || phase == TEST_PHASE_TEARDOWN) && on_runner()) {
			bail("fail");
		}
		atomic_store(&expect_failed, true);
		return;
	}
	end_phase(f->kind == Z_LLEXT_ASSUME);
}

void ztest_test_pass(void)
{
	if (phase == TEST_PHASE_TEST && on_runner()) {
		longjmp(test_exit, TC_PASS + 1);
	}
	if (!on_runner()) {
		/* Another thread cannot end the test: the test passes unless something else fails.
		 */
		return;
	}
	bail("pass");
}
EXPORT_SYMBOL(ztest_test_pass);

void z_ztest_take_failures(void)
{
	runner = pthread_self();
	llext_zephyr_set_fail_hook(on_failure, NULL);
}

static void run_rules(bool before, const struct ztest_unit_test *test, void *data)
{
	for (struct ztest_test_rule *r = rules; r; r = r->z_next) {
		if (before && r->before_each) {
			r->before_each(test, data);
		} else if (!before && r->after_each) {
			r->after_each(test, data);
		}
	}
}

/* ZTEST_EXPECT_FAIL() and ZTEST_EXPECT_SKIP() turn the expected result into a pass. */
static int final_result(const struct ztest_unit_test *test, int ret)
{
	for (struct ztest_expected_result_entry *e = expectations; e; e = e->z_next) {
		if (strcmp(e->test_suite_name, test->test_suite_name) != 0 ||
		    strcmp(e->test_name, test->name) != 0) {
			continue;
		}
		if (e->expected_result == ZTEST_EXPECTED_RESULT_FAIL) {
			return ret == TC_FAIL ? TC_PASS : TC_FAIL;
		}
		return ret == TC_SKIP ? TC_PASS : TC_FAIL;
	}
	return ret;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Before, the test and after; returns TC_PASS, TC_FAIL or TC_SKIP before expectations. */
static int run_phases(struct ztest_suite_node *suite, struct ztest_unit_test *test, void *data)
{
	int ret, jumped;

	atomic_store(&expect_failed, false);
	atomic_store(&other_failed, false);
	atomic_store(&other_skipped, false);
	phase = TEST_PHASE_BEFORE;
	jumped = setjmp(test_exit);
	if (!jumped) {
		run_rules(true, test, data);
		if (suite->before) {
			suite->before(data);
		}
		phase = TEST_PHASE_TEST;
		test->test(data);
		ret = TC_PASS;
	} else {
		ret = jumped - 1;
	}
	/* After runs whatever became of the test, as in Zephyr. */
	phase = TEST_PHASE_AFTER;
	if (suite->after) {
		suite->after(data);
	}
	run_rules(false, test, data);
	phase = TEST_PHASE_FRAMEWORK;
	if (atomic_load(&expect_failed) || atomic_load(&other_failed)) {
		ret = TC_FAIL;
	} else if (ret == TC_PASS && atomic_load(&other_skipped)) {
		ret = TC_SKIP;
	}
	return ret;
}

static const char *result_str(int ret)
{
	return ret == TC_PASS ? "PASS" : ret == TC_FAIL ? "FAIL" : ret == TC_SKIP ? "SKIP" : "?";
}

static int run_test(struct ztest_suite_node *suite, struct ztest_unit_test *test, void *data)
{
	uint64_t t0 = now_ns();
	uint32_t ms;
	int ret;

	printk("START - %s\n", test->name);
	if (suite_state == SUITE_FAILED) {
		ret = TC_FAIL;
	} else if (suite_state == SUITE_SKIPPED) {
		ret = TC_SKIP;
	} else {
		ret = run_phases(suite, test, data);
	}
	/* Whole milliseconds, rounded up, as Zephyr counts them. */
	ms = (uint32_t)((now_ns() - t0 + 999999u) / 1000000u);
	if (ms > test->stats->duration_worst_ms) {
		test->stats->duration_worst_ms = ms;
	}
	ret = final_result(test, ret);
	printk(" %s - %s in %u.%03u seconds\n", result_str(ret), test->name, ms / 1000, ms % 1000);
	printk("%s\n", Z_ZTEST_LINE);
	return ret;
}

static int run_cases(struct ztest_suite_node *suite, int case_iter, void *data)
{
	int fail = 0;

	for (int i = 0; i < case_iter; i++) {
		for (struct ztest_unit_test *t = z_ztest_get_next_test(suite->name, NULL); t;
		     t = z_ztest_get_next_test(suite->name, t)) {
			if (!z_ztest_test_selected(suite->name, t->name)) {
				/* Not run, not counted: the report shows it skipped. */
				continue;
			}
			int ret = run_test(suite, t, data);

			t->stats->run_count++;
			if (ret == TC_PASS) {
				t->stats->pass_count++;
			} else if (ret == TC_SKIP) {
				t->stats->skip_count++;
			} else {
				t->stats->fail_count++;
				fail++;
			}
		}
	}
	return fail;
}

/* One run of @suite: setup, every test @case_iter times, teardown. Returns the failures. */
static int run_suite(struct ztest_suite_node *suite, int case_iter, void *param)
{
	void *volatile data = NULL;
	int fail;

	if (setjmp(bail_exit)) {
		printk("TESTSUITE crashed.\n");
		status = Z_ZTEST_STATUS_CRITICAL;
		exit(z_ztest_end_report());
	}
	printk("Running TESTSUITE %s\n", suite->name);
	printk("%s\n", Z_ZTEST_LINE);
	suite_state = SUITE_OK;
	phase = TEST_PHASE_SETUP;
	if (!setjmp(setup_exit) && suite->setup) {
		data = suite->setup();
	}
	if (param) {
		data = param;
	}
	fail = run_cases(suite, case_iter, data);
	if (fail && status == Z_ZTEST_STATUS_OK) {
		status = Z_ZTEST_STATUS_FAILED;
	}
	printk(fail ? "TESTSUITE %s failed.\n" : "TESTSUITE %s succeeded\n", suite->name);
	phase = TEST_PHASE_TEARDOWN;
	if (suite->teardown) {
		suite->teardown(data);
	}
	phase = TEST_PHASE_FRAMEWORK;
	return fail;
}

static struct ztest_suite_node *find_suite(const char *name)
{
	for (struct ztest_suite_node *s = suites; s; s = s->z_next) {
		if (strcmp(s->name, name) == 0) {
			return s;
		}
	}
	return NULL;
}

int z_ztest_run_test_suite(const char *name, bool shuffle, int suite_iter, int case_iter,
                           void *param)
{
	struct ztest_suite_node *suite = find_suite(name);

	(void)shuffle;
	(void)suite_iter;
	z_ztest_take_failures();
	if (!suite) {
		printk("ERROR: no test suite named '%s'\n", name);
		status = Z_ZTEST_STATUS_CRITICAL;
		return -1;
	}
	return run_suite(suite, case_iter, param);
}

static void reset_stats(const struct ztest_suite_node *suite)
{
	for (struct ztest_unit_test *t = z_ztest_get_next_test(suite->name, NULL); t;
	     t = z_ztest_get_next_test(suite->name, t)) {
		memset(t->stats, 0, sizeof(*t->stats));
	}
}

int ztest_run_test_suites(const void *state, bool shuffle, int suite_iter, int case_iter)
{
	int count = 0;

	(void)shuffle;
	if (status == Z_ZTEST_STATUS_CRITICAL) {
		return 0;
	}
	z_ztest_take_failures();
	for (struct ztest_suite_node *s = suites; s; s = s->z_next) {
		reset_stats(s);
		for (int i = 0; i < suite_iter; i++) {
			/* -test= first: a suite it leaves out has no predicate or setup run. */
			if (!z_ztest_suite_selected(s->name) ||
			    (s->predicate && !s->predicate(state))) {
				s->stats->skip_count++;
				continue;
			}
			int fail = run_suite(s, case_iter, NULL);

			count++;
			s->stats->run_count++;
			s->stats->fail_count += fail ? 1 : 0;
		}
	}
	return count;
}

/* -list: every test as SUITE::TEST, suites and tests in run order, once per program. */
static void list_tests(void)
{
	static bool listed;

	if (listed) {
		return;
	}
	listed = true;
	for (struct ztest_suite_node *s = suites; s; s = s->z_next) {
		for (struct ztest_unit_test *t = z_ztest_get_next_test(s->name, NULL); t;
		     t = z_ztest_get_next_test(s->name, t)) {
			printk("%s::%s\n", t->test_suite_name, t->name);
		}
	}
}

void ztest_run_all(const void *state, bool shuffle, int suite_iter, int case_iter)
{
	if (z_ztest_listing()) {
		list_tests();
		return;
	}
	ztest_run_test_suites(state, shuffle, suite_iter, case_iter);
}

void ztest_verify_all_test_suites_ran(void)
{
	for (struct ztest_unit_test *t = tests; t; t = t->z_next) {
		const struct ztest_unit_test_stats *st = t->stats;

		if (!find_suite(t->test_suite_name)) {
			printk("ERROR: Test '%s' assigned to test suite '%s' which doesn't exist\n",
			       t->name, t->test_suite_name);
			status = status ? status : Z_ZTEST_STATUS_FAILED;
		}
		if (st->fail_count + st->pass_count + st->skip_count != st->run_count) {
			printk("Bad stats for %s.%s\n", t->test_suite_name, t->name);
			status = status ? status : Z_ZTEST_STATUS_FAILED;
		}
	}
}
