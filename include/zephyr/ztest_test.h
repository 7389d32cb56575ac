/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Zephyr's ztest suites on Linux: ZTEST(), ZTEST_F(), ZTEST_SUITE(), ZTEST_RULE(),
 * ZTEST_EXPECT_FAIL() and the calls that run them.
 *
 * These belong to the host program, which the ztest runner (libllext-ztest, `pkg-config --libs
 * llext-ztest`) turns into a Zephyr test image: its main() runs every suite and prints Zephyr's
 * report. Extensions use only the assertions and ztest_test_fail(), ztest_test_skip() and
 * ztest_test_pass().
 *
 * Registration: each macro defines its node and a constructor that hands the node to the runner
 * before main(), so no linker script is needed and suites may sit in any object of the program.
 * The runner keeps suites, and the tests of a suite, in name order, the order Zephyr's sorted
 * iterable sections give them.
 */
#ifndef ZEPHYR_INCLUDE_ZTEST_TEST_H_
#define ZEPHYR_INCLUDE_ZTEST_TEST_H_

#include <stdbool.h>
#include <stdint.h>

#include <zephyr/kernel.h>
#include <zephyr/sys/util.h>
#include <zephyr/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Counts kept for one test, over every time it ran. */
struct ztest_unit_test_stats {
	/** Times the test ran. */
	uint32_t run_count;
	/** Times it was skipped. */
	uint32_t skip_count;
	/** Times it failed. */
	uint32_t fail_count;
	/** Times it passed. */
	uint32_t pass_count;
	/** Its longest run, in milliseconds. */
	uint32_t duration_worst_ms;
};

/** @brief Counts kept for one suite. */
struct ztest_suite_stats {
	/** Times the suite ran. */
	uint32_t run_count;
	/** Times its predicate said no. */
	uint32_t skip_count;
	/** Times it ran with a failed test. */
	uint32_t fail_count;
};

/** @brief One test case, as ZTEST() defines it. */
struct ztest_unit_test {
	/** The suite's name. */
	const char *test_suite_name;
	/** The test's name (the second argument of ZTEST()). */
	const char *name;
	/** Calls the test with the suite's fixture. */
	void (*test)(void *data);
	/** K_USER for ZTEST_USER(); recorded only, as there is no user mode. */
	uint32_t thread_options;
	/** Its counts. */
	struct ztest_unit_test_stats *const stats;
	/** @cond INTERNAL */
	struct ztest_unit_test *z_next;
	/** @endcond */
};

/** @brief The suite's setup: runs once before its tests; returns the fixture. */
typedef void *(*ztest_suite_setup_t)(void);
/** @brief Runs before each test of the suite, with the fixture. */
typedef void (*ztest_suite_before_t)(void *fixture);
/** @brief Runs after each test of the suite, even one that failed. */
typedef void (*ztest_suite_after_t)(void *fixture);
/** @brief Runs once after the suite's tests. */
typedef void (*ztest_suite_teardown_t)(void *fixture);
/** @brief Says whether the suite runs for @p global_state (ztest_run_all()'s first argument). */
typedef bool (*ztest_suite_predicate_t)(const void *global_state);

/** @brief One suite, as ZTEST_SUITE() defines it. */
struct ztest_suite_node {
	/** The suite's name. */
	const char *const name;
	/** Setup, or NULL. */
	const ztest_suite_setup_t setup;
	/** Before each test, or NULL. */
	const ztest_suite_before_t before;
	/** After each test, or NULL. */
	const ztest_suite_after_t after;
	/** Teardown, or NULL. */
	const ztest_suite_teardown_t teardown;
	/** Predicate, or NULL to run always. */
	const ztest_suite_predicate_t predicate;
	/** Its counts. */
	struct ztest_suite_stats *const stats;
	/** @cond INTERNAL */
	struct ztest_suite_node *z_next;
	/** @endcond */
};

/** @brief A rule's callback: the test about to run or just run, and the suite's fixture. */
typedef void (*ztest_rule_cb)(const struct ztest_unit_test *test, void *data);

/** @brief A rule, as ZTEST_RULE() defines it. */
struct ztest_test_rule {
	/** Before each test of every suite (before the suite's own before), or NULL. */
	ztest_rule_cb before_each;
	/** After each test (after the suite's own after), or NULL. */
	ztest_rule_cb after_each;
	/** @cond INTERNAL */
	struct ztest_test_rule *z_next;
	/** @endcond */
};

/** @brief What a test is expected to end with (ZTEST_EXPECT_FAIL(), ZTEST_EXPECT_SKIP()). */
enum ztest_expected_result {
	/** The test must fail; it then counts as passed, and as failed if it passes. */
	ZTEST_EXPECTED_RESULT_FAIL = 0,
	/** The test must be skipped; it then counts as passed, and as failed otherwise. */
	ZTEST_EXPECTED_RESULT_SKIP,
};

/** @brief An expectation about one test. */
struct ztest_expected_result_entry {
	/** The suite's name. */
	const char *test_suite_name;
	/** The test's name. */
	const char *test_name;
	/** What it must end with. */
	enum ztest_expected_result expected_result;
	/** @cond INTERNAL */
	struct ztest_expected_result_entry *z_next;
	/** @endcond */
};

/** @brief The phase the runner is in; a failure means something different in each. */
enum ztest_phase {
	/** The suite's setup: a failure fails every case of the suite, a skip skips them. */
	TEST_PHASE_SETUP,
	/** A rule's before_each or the suite's before: a failure or skip ends the case. */
	TEST_PHASE_BEFORE,
	/** The case itself. */
	TEST_PHASE_TEST,
	/** The suite's after or a rule's after_each: nothing may fail, skip or pass here. */
	TEST_PHASE_AFTER,
	/** The suite's teardown: the same. */
	TEST_PHASE_TEARDOWN,
	/** The runner itself, between cases. */
	TEST_PHASE_FRAMEWORK,
};

/** @cond INTERNAL */
void z_ztest_register_suite(struct ztest_suite_node *suite);
void z_ztest_register_test(struct ztest_unit_test *test);
void z_ztest_register_rule(struct ztest_test_rule *rule);
void z_ztest_register_expectation(struct ztest_expected_result_entry *entry);

#define Z_ZTEST_CAT2(a, b) a##b
#define Z_ZTEST_CAT(a, b) Z_ZTEST_CAT2(a, b)

/*
 * A constructor that registers @node with @fn: runs before main(), in any object. It ends with a
 * declaration, so that the user's ';' after ZTEST_SUITE(...) ends it as in Zephyr.
 */
#define Z_ZTEST_REGISTER(fn, node)                                                                 \
	__attribute__((constructor)) static void Z_ZTEST_CAT(node, _register)(void)                \
	{                                                                                          \
		fn(&node);                                                                         \
	}                                                                                          \
	extern int z_ztest_semicolon

#define Z_ZTEST_ARGS_0 void
#define Z_ZTEST_ARGS_1(suite) struct suite##_fixture *fixture
#define Z_ZTEST_CALL_0(suite, fn, data) ((void)(data), suite##_##fn())
#define Z_ZTEST_CALL_1(suite, fn, data) suite##_##fn((struct suite##_fixture *)(data))

#define Z_TEST(suite, fn, t_options, use_fixture, args)                                            \
	struct ztest_unit_test_stats z_ztest_unit_test_stats_##suite##_##fn;                       \
	static void suite##_##fn(args);                                                            \
	static void z_ztest_wrapper_##suite##_##fn(void *data)                                     \
	{                                                                                          \
		Z_ZTEST_CALL_##use_fixture(suite, fn, data);                                       \
	}                                                                                          \
	static struct ztest_unit_test z_ztest_unit_test__##suite##__##fn = {                       \
	    #suite,                                                                                \
	    #fn,                                                                                   \
	    z_ztest_wrapper_##suite##_##fn,                                                        \
	    t_options,                                                                             \
	    &z_ztest_unit_test_stats_##suite##_##fn,                                               \
	    0};                                                                                    \
	Z_ZTEST_REGISTER(z_ztest_register_test, z_ztest_unit_test__##suite##__##fn);               \
	static void suite##_##fn(args)
/** @endcond */

/**
 * @brief Define test case @p fn of @p suite: `ZTEST(suite, fn) { ...body... }`.
 *
 * The suite may be defined in another file of the program.
 */
#define ZTEST(suite, fn) Z_TEST(suite, fn, 0, 0, Z_ZTEST_ARGS_0)

/** @brief As ZTEST(); Zephyr runs it in user mode, which Linux processes do not have. */
#define ZTEST_USER(suite, fn) Z_TEST(suite, fn, K_USER, 0, Z_ZTEST_ARGS_0)

/**
 * @brief As ZTEST(), with the suite's fixture: the body sees `struct suite_fixture *fixture`,
 * the pointer the suite's setup returned.
 */
#define ZTEST_F(suite, fn) Z_TEST(suite, fn, 0, 1, Z_ZTEST_ARGS_1(suite))

/** @brief As ZTEST_F(), with Zephyr's user mode left out as for ZTEST_USER(). */
#define ZTEST_USER_F(suite, fn) Z_TEST(suite, fn, K_USER, 1, Z_ZTEST_ARGS_1(suite))

/**
 * @brief Define suite @p SUITE_NAME.
 *
 * @param SUITE_NAME The name ZTEST() uses
 * @param PREDICATE Says for ztest_run_all()'s state whether the suite runs, or NULL for always
 * @param setup_fn Runs once first and returns the fixture, or NULL
 * @param before_fn Runs before each test, or NULL
 * @param after_fn Runs after each test, whatever its result, or NULL
 * @param teardown_fn Runs once last, or NULL
 */
#define ZTEST_SUITE(SUITE_NAME, PREDICATE, setup_fn, before_fn, after_fn, teardown_fn)             \
	struct ztest_suite_stats z_ztest_suite_node_stats_##SUITE_NAME;                            \
	static struct ztest_suite_node z_ztest_test_node_##SUITE_NAME = {                          \
	    #SUITE_NAME,                                                                           \
	    (setup_fn),                                                                            \
	    (before_fn),                                                                           \
	    (after_fn),                                                                            \
	    (teardown_fn),                                                                         \
	    (PREDICATE),                                                                           \
	    &z_ztest_suite_node_stats_##SUITE_NAME,                                                \
	    0};                                                                                    \
	Z_ZTEST_REGISTER(z_ztest_register_suite, z_ztest_test_node_##SUITE_NAME)

/**
 * @brief Define a rule: @p before_each_fn and @p after_each_fn run around every test of every
 * suite (either may be NULL). @p name must be unique in its file.
 */
#define ZTEST_RULE(name, before_each_fn, after_each_fn)                                            \
	static struct ztest_test_rule z_ztest_test_rule_##name = {(before_each_fn),                \
	                                                          (after_each_fn), 0};             \
	Z_ZTEST_REGISTER(z_ztest_register_rule, z_ztest_test_rule_##name)

/** @cond INTERNAL */
#define Z_ZTEST_EXPECT(suite, test, expectation)                                                   \
	static struct ztest_expected_result_entry z_ztest_expected_result_##suite##_##test = {     \
	    #suite, #test, expectation, 0};                                                        \
	Z_ZTEST_REGISTER(z_ztest_register_expectation, z_ztest_expected_result_##suite##_##test)
/** @endcond */

/** @brief Test @p test of @p suite must fail: it passes if it does, and fails otherwise. */
#define ZTEST_EXPECT_FAIL(suite, test) Z_ZTEST_EXPECT(suite, test, ZTEST_EXPECTED_RESULT_FAIL)
/** @brief Test @p test of @p suite must be skipped: it passes if it is, and fails otherwise. */
#define ZTEST_EXPECT_SKIP(suite, test) Z_ZTEST_EXPECT(suite, test, ZTEST_EXPECTED_RESULT_SKIP)

/** @brief Skip the running test if Kconfig-style option @p config is 1. */
#define Z_TEST_SKIP_IFDEF(config) COND_CODE_1(config, (ztest_test_skip()), ())
/** @brief Skip the running test unless option @p config is 1. */
#define Z_TEST_SKIP_IFNDEF(config) COND_CODE_1(config, (), (ztest_test_skip()))

/** @brief Memory attributes for user-mode tests: nothing on Linux. */
#define ZTEST_DMEM
/** @brief As ZTEST_DMEM. */
#define ZTEST_BMEM
/** @brief As ZTEST_DMEM. */
#define ZTEST_SECTION .data

/**
 * @brief End the running test as passed (from the test itself or code it calls).
 *
 * Only the ztest runner (libllext-ztest) has this call; it exports it to extensions.
 */
void ztest_test_pass(void);

/**
 * @brief Run every suite whose predicate accepts @p state, each @p suite_iter times, each test
 * @p case_iter times, then go on (the report comes when main() returns).
 *
 * This is what the default test_main() calls with @p state NULL; a program that defines its
 * own `void test_main(void)` calls it with its own states, once or several times.
 *
 * @param state Given to each suite's predicate
 * @param shuffle Ignored: tests run in name order, as Zephyr's without CONFIG_ZTEST_SHUFFLE
 * @param suite_iter Runs of each suite
 * @param case_iter Runs of each test in a suite run
 */
void ztest_run_all(const void *state, bool shuffle, int suite_iter, int case_iter);

/**
 * @brief As ztest_run_all().
 * @return The number of suite runs
 */
int ztest_run_test_suites(const void *state, bool shuffle, int suite_iter, int case_iter);

/**
 * @brief Run the suite named @p name whatever its predicate says.
 *
 * @param name The suite's name
 * @param shuffle Ignored
 * @param suite_iter Ignored, as in Zephyr: the suite runs once
 * @param case_iter Runs of each test
 * @param param If not NULL, the fixture the tests get instead of what setup returned
 * @return The number of failed tests, or -1 if there is no such suite
 */
int z_ztest_run_test_suite(const char *name, bool shuffle, int suite_iter, int case_iter,
                           void *param);

/** @brief Run suite @p suite (a name, not a string) as z_ztest_run_test_suite() does. */
#define ztest_run_test_suite(suite, shuffle, suite_iter, case_iter, param)                         \
	z_ztest_run_test_suite(#suite, shuffle, suite_iter, case_iter, param)

/**
 * @brief Mark the program failed if a test belongs to a suite that does not exist, or its counts
 * do not add up. Suites that never ran (their predicate said no) are skipped, not failed.
 */
void ztest_verify_all_test_suites_ran(void);

/**
 * @brief The next test of suite @p suite after @p prev (NULL for the first), in run order.
 * @return The test, or NULL after the last
 */
struct ztest_unit_test *z_ztest_get_next_test(const char *suite, struct ztest_unit_test *prev);

/**
 * @brief The program's test sequence; the runner's main() calls it, then prints the report.
 *
 * The runner's own, used unless the program defines one, runs ztest_run_all(NULL, false, 1, 1)
 * and ztest_verify_all_test_suites_ran().
 */
void test_main(void);

#ifdef __cplusplus
}
#endif

#endif /* ZEPHYR_INCLUDE_ZTEST_TEST_H_ */
