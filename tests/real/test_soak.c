// SPDX-License-Identifier: MIT
/*
 * Soak: 100,000 load/unload cycles of a real-world extension (zlib) leave the process's mapping
 * count and heap where they started. Native builds only (tools/run-tests.sh): it takes seconds
 * natively and hours under valgrind or emulation.
 */
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include <llext/fs_loader.h>

#include "common.h"

#define CYCLES 100000

static size_t mapping_count(void)
{
	FILE *f = fopen("/proc/self/maps", "re");
	size_t n = 0;
	int c;

	assert_non_null(f);
	while ((c = fgetc(f)) != EOF) {
		n += c == '\n';
	}
	fclose(f);
	return n;
}

static void test_soak(void **state)
{
	char path[512];
	struct llext_fs_loader fl = LLEXT_FS_LOADER(path);
	size_t maps_before, heap_before;
	struct llext *ext;

	(void)state;
	snprintf(path, sizeof(path), "%s/zlib.o", REAL_DIR);
	/*
	 * The first loads build the process-wide state that stays: libllext's tables and kept
	 * scratch, and glibc's (libgcc_s, opened for the unwinder). Failed dlsym() calls leave
	 * nothing: libllext clears their messages.
	 */
	for (int i = 0; i < 2; i++) {
		assert_int_equal(llext_load(&fl.loader, "soak", &ext, NULL), 0);
		assert_int_equal(llext_unload(&ext), 0);
	}

	maps_before = mapping_count();
	heap_before = mallinfo2().uordblks;
	for (int i = 0; i < CYCLES; i++) {
		if (llext_load(&fl.loader, "soak", &ext, NULL) != 0) {
			fail_msg("load %d failed", i);
		}
		if (llext_unload(&ext) != 0) {
			fail_msg("unload %d failed", i);
		}
	}
	assert_int_equal(mallinfo2().uordblks, heap_before);
	assert_int_equal(mapping_count(), maps_before);
	assert_int_equal(registry_count(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_soak),
	};

	return cmocka_run_group_tests_name("soak", tests, NULL, NULL);
}
