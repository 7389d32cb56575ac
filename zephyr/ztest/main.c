// SPDX-License-Identifier: MIT
/*
 * main() of a ztest program: read the command line (-test=, -list), run test_main() (the
 * program's, or the default one here), then print the report. The exit status is Zephyr's: 0
 * when everything passed, 1 when a test failed, 2 when the run could not go on (or the command
 * line was wrong).
 */
#include <stdio.h>

#include <zephyr/ztest.h>

#include "ztest_priv.h"

/* Weak: a program that defines test_main() (to run with states of its own) replaces it. */
__attribute__((weak)) void test_main(void)
{
	ztest_run_all(NULL, false, 1, 1);
	ztest_verify_all_test_suites_ran();
}

int main(int argc, char **argv)
{
	int ret;

	/* Line by line, as a console shows it: what was printed survives a crash. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = z_ztest_parse_args(argc, argv);
	if (ret != 0) {
		return ret > 0 ? Z_ZTEST_STATUS_OK : Z_ZTEST_STATUS_CRITICAL;
	}
	z_ztest_take_failures();
	test_main();
	if (!z_ztest_listing()) {
		z_ztest_check_selection();
	}
	return z_ztest_end_report();
}
