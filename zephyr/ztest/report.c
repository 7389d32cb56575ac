// SPDX-License-Identifier: MIT
/* The end of a ztest run: each suite's summary line and tests, then the verdict, as Zephyr's. */
#include <stdio.h>

#include <zephyr/ztest.h>

#include "ztest_priv.h"

struct tally {
	int pass, fail, skip, total;
	uint32_t ms;
};

/* A test's result over every run: skipped if it never ran otherwise, else pass or fail. */
static const char *overall(const struct ztest_unit_test_stats *st)
{
	if (st->skip_count == st->run_count) {
		return "SKIP";
	}
	if (st->pass_count == st->run_count) {
		return "PASS";
	}
	return st->pass_count == 0 ? "FAIL" : "FLAKY";
}

static struct tally tally_suite(const struct ztest_suite_node *suite)
{
	struct tally t = {0};

	for (struct ztest_unit_test *u = z_ztest_get_next_test(suite->name, NULL); u;
	     u = z_ztest_get_next_test(suite->name, u)) {
		const struct ztest_unit_test_stats *st = u->stats;

		t.total++;
		t.ms += st->duration_worst_ms;
		if (st->skip_count == st->run_count) {
			t.skip++;
		} else if (st->pass_count == st->run_count) {
			t.pass++;
		} else {
			t.fail++;
		}
	}
	return t;
}

static void print_suite_line(const struct ztest_suite_node *suite)
{
	struct tally t = tally_suite(suite);
	const char *result = t.fail ? "FAIL" : "PASS";
	int rate = 0;

	if (t.skip == t.total) {
		result = "SKIP";
	} else {
		/* Hundredths of a percent of the tests that ran, rounded to nearest. */
		rate = (int)((t.pass * 100000L / (t.total - t.skip) + 5) / 10);
	}
	printk("SUITE %s - %3d.%02d%% [%s]: pass = %d, fail = %d, skip = %d, total = %d duration = "
	       "%u.%03u seconds\n",
	       result, rate / 100, rate % 100, suite->name, t.pass, t.fail, t.skip, t.total,
	       t.ms / 1000, t.ms % 1000);
}

static void print_suite_tests(const struct ztest_suite_node *suite)
{
	for (struct ztest_unit_test *u = z_ztest_get_next_test(suite->name, NULL); u;
	     u = z_ztest_get_next_test(suite->name, u)) {
		const struct ztest_unit_test_stats *st = u->stats;
		const char *result = overall(st);

		if (result[1] == 'L') {
			printk(" - %s - [%s.%s] - (Failed %u of %u attempts) - duration = %u.%03u "
			       "seconds\n",
			       result, u->test_suite_name, u->name, st->run_count - st->pass_count,
			       st->run_count, st->duration_worst_ms / 1000,
			       st->duration_worst_ms % 1000);
		} else {
			printk(" - %s - [%s.%s] duration = %u.%03u seconds\n", result,
			       u->test_suite_name, u->name, st->duration_worst_ms / 1000,
			       st->duration_worst_ms % 1000);
		}
	}
	printk("\n");
}

int z_ztest_end_report(void)
{
	int status = z_ztest_status();

	printk("\n------ TESTSUITE SUMMARY START ------\n\n");
	for (struct ztest_suite_node *s = z_ztest_suites(); s; s = s->z_next) {
		print_suite_line(s);
		print_suite_tests(s);
	}
	printk("------ TESTSUITE SUMMARY END ------\n\n");
	printk("%s\n", Z_ZTEST_LINE);
	printk("PROJECT EXECUTION %s\n", status ? "FAILED" : "SUCCESSFUL");
	fflush(stdout);
	return status;
}
