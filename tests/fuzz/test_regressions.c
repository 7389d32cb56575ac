// SPDX-License-Identifier: MIT
/*
 * Replays every input the fuzzers ever crashed on (tests/fuzz/regressions/): each must now load
 * and unload cleanly or fail with a negative errno, leaving nothing registered. As in the fuzz
 * targets, loads are described to a jitdump file, line table included (lib/load/perf_files.c).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "logcap.h"

static void replay(void **state)
{
	const char *path = *state;
	struct llext *ext;
	size_t len;
	void *buf = read_file(path, &len);
	int ret;

	log_capture_start();
	ret = load_buffer(buf, len, "regression", &ext, NULL);
	log_capture_stop();
	if (ret == 0) {
		assert_int_equal(llext_unload(&ext), 0);
	} else {
		assert_true(ret < 0);
		assert_null(ext);
	}
	assert_int_equal(registry_count(), 0);
	free(buf);
}

int main(void)
{
	static char paths[256][512];
	struct CMUnitTest t[256];
	DIR *d = opendir(REGRESSION_DIR);
	struct dirent *de;
	size_t n = 0;
	char jit[4200];
	int ret;

	if (!d) {
		fprintf(stderr, "cannot open %s\n", REGRESSION_DIR);
		return 1;
	}
	while ((de = readdir(d)) && n < 256) {
		if (de->d_name[0] == '.' || strcmp(de->d_name, "README") == 0) {
			continue;
		}
		snprintf(paths[n], sizeof(paths[n]), "%s/%s", REGRESSION_DIR, de->d_name);
		t[n] = (struct CMUnitTest){paths[n] + strlen(REGRESSION_DIR) + 1, replay, NULL,
		                           NULL, paths[n]};
		n++;
	}
	closedir(d);
	/* Read at the first load; the file is of no use afterwards. */
	snprintf(jit, sizeof(jit), "%s/jit-%d.dump", REGRESSION_SCRATCH, (int)getpid());
	mkdir(REGRESSION_SCRATCH, 0755);
	setenv("LLEXT_PERF_JITDUMP", REGRESSION_SCRATCH, 1);
	ret = run_dynamic_tests("fuzz regressions", t, n);
	unlink(jit);
	return ret;
}
