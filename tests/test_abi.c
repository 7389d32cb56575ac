// SPDX-License-Identifier: MIT
/*
 * Links only the installed shared library: the public headers and the exported ABI are enough
 * to load, link, call and unload an extension.
 */
#include <errno.h>
#include <string.h>

#include <llext/buf_loader.h>
#include <llext/fs_loader.h>
#include <llext/llext.h>
#include <llext/log.h>

#include "common.h"
#include "host_api.h"

static void test_public_api_round_trip(void **state)
{
	struct llext_fs_loader fl = LLEXT_FS_LOADER(fixture_path("basic-gcc-pic.o"));
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;
	struct llext *ext;
	struct llext_stats st;
	struct llext_reloc_count counts[64];
	size_t n, total = 0;

	(void)state;
	assert_int_equal(llext_load(&fl.loader, "abi", &ext, &param), 0);
	assert_int_equal(llext_bringup(ext), 0);
	int (*ops)(int, int, int) =
	    (int (*)(int, int, int))llext_find_sym(&ext->exp_tab, "basic_ops");

	assert_non_null(ops);
	assert_int_equal(ops(2, 6, 7), 42);
	assert_int_equal(llext_get_stats(ext, &st), 0);
	assert_true(st.relocs > 0);
	n = llext_reloc_counts(ext, counts, 64);
	assert_true(n > 0 && n <= 64);
	for (size_t i = 0; i < n; i++) {
		assert_non_null(counts[i].name);
		assert_true(i == 0 || counts[i].type > counts[i - 1].type);
		total += counts[i].count;
	}
	/* Counts by type add up to the relocations applied. */
	assert_int_equal(total, st.relocs);
	assert_int_equal(llext_reloc_counts(ext, NULL, 0), n);
	assert_int_equal(llext_teardown(ext), 0);
	assert_int_equal(llext_unload(&ext), 0);
	assert_null(ext);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_public_api_round_trip),
	};

	return cmocka_run_group_tests_name("abi", tests, NULL, NULL);
}
