// SPDX-License-Identifier: MIT
/*
 * A host built WITH copy relocations on purpose (-fPIE on x86_64, no PIE on AArch64): stdout is
 * a copy in the program, stdin stays in the C library. An extension naming both directly (default
 * flags on x86_64; -fno-pic on AArch64, whose default reaches them through the GOT)
 * cannot be placed, and the message names the copy and the host-side fix beside the
 * extension-side one. tests/check-copy-relocs.py allows this one program its copies.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "common.h"
#include "logcap.h"
#include "runtime/host_copies.h"

/* Referenced directly, so the linker copies them into this program. */
int host_uses(void);
int host_uses(void)
{
	return fileno(stdout) + fileno(stderr);
}

static void test_copy_is_seen(void **state)
{
	(void)state;
	assert_true(llext_host_copied("stdout"));
	assert_false(llext_host_copied("stdin"));
	assert_false(llext_host_copied("stdou"));
}

static void test_placement_names_copy(void **state)
{
	struct llext *ext = NULL;

	(void)state;
	log_capture_start();
	assert_int_equal(load_fixture("stdio_both.o", "stdio_both", &ext, NULL), -ENOEXEC);
	log_capture_stop();
	assert_null(ext);
	assert_true(log_contains("no address is within reach of both"));
	assert_true(log_contains("'stdout' is a copy in the program (a copy relocation)"));
	assert_true(log_contains("build the host program with -fPIC"));
	assert_true(log_contains("rebuild the extension with -fPIC"));
	assert_int_equal(registry_count(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_copy_is_seen),
	    cmocka_unit_test(test_placement_names_copy),
	};

	(void)host_uses();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
