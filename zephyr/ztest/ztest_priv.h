/* SPDX-License-Identifier: MIT */
/* The ztest runner's internal declarations, grouped by the file that owns them. */
#ifndef LLEXT_ZTEST_PRIV_H
#define LLEXT_ZTEST_PRIV_H

#include <zephyr/ztest.h>

/* A test's result, as Zephyr numbers them. */
enum { TC_PASS = 0, TC_FAIL = 1, TC_SKIP = 2 };

/* The program's status, its exit status too: Zephyr's values. */
enum { Z_ZTEST_STATUS_OK, Z_ZTEST_STATUS_FAILED, Z_ZTEST_STATUS_CRITICAL };

/* The separator Zephyr prints between tests and before the verdict. */
#define Z_ZTEST_LINE "==================================================================="

/* runner.c */

/* The registered suites, in run order (z_next links them). */
struct ztest_suite_node *z_ztest_suites(void);
/* The program's status so far. */
int z_ztest_status(void);
/* Make failed checks end tests: set libllext-zephyr's fail hook, on the calling thread. */
void z_ztest_take_failures(void);

/* args.c */

/*
 * Read the program's command line (-test=, -list, -help). Returns 0 to run, 1 when -help was
 * printed, a negative errno (after saying why on standard error) when the line is wrong.
 */
int z_ztest_parse_args(int argc, char **argv);
/* Whether -test= selects @test of @suite (true without -test=). */
bool z_ztest_test_selected(const char *suite, const char *test);
/* Whether -test= selects any test of @suite: a suite none of whose tests is selected is not run. */
bool z_ztest_suite_selected(const char *suite);
/* Whether -list was given. */
bool z_ztest_listing(void);
/* Say on standard error which -test= patterns selected no test. */
void z_ztest_check_selection(void);

/* report.c */

/* Print the summary of every suite and the verdict; returns the exit status. */
int z_ztest_end_report(void);

#endif /* LLEXT_ZTEST_PRIV_H */
