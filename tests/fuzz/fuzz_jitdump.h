/* SPDX-License-Identifier: MIT */
/*
 * For the fuzz targets that load: LLEXT_PERF_JITDUMP on, so that every load that succeeds reads
 * its line table (lib/load/perf_files.c, lib/observe/dwarf_line.c), and the jitdump file sent
 * to /dev/null once opened, so that millions of loads write nothing to disk.
 */
#ifndef TESTS_FUZZ_JITDUMP_H
#define TESTS_FUZZ_JITDUMP_H

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_jit_dir[64];

/* Call before the first load. */
static inline void fuzz_jitdump_init(void)
{
	snprintf(fuzz_jit_dir, sizeof(fuzz_jit_dir), "/tmp/llext-fuzz-XXXXXX");
	if (!mkdtemp(fuzz_jit_dir)) {
		perror("mkdtemp");
		exit(1);
	}
	setenv("LLEXT_PERF_JITDUMP", fuzz_jit_dir, 1);
}

/* Call after each load: once the file is open, its descriptor becomes /dev/null. */
static inline void fuzz_jitdump_discard(void)
{
	static int done;
	char want[128], link[PATH_MAX];
	struct dirent *de;
	DIR *d;

	if (done) {
		return;
	}
	snprintf(want, sizeof(want), "%s/jit-%d.dump", fuzz_jit_dir, (int)getpid());
	d = opendir("/proc/self/fd");
	while (d && (de = readdir(d))) {
		char path[300];
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n > 0 && (link[n] = '\0', strcmp(link, want) == 0)) {
			int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

			dup2(null, atoi(de->d_name));
			close(null);
			unlink(want);
			rmdir(fuzz_jit_dir);
			done = 1;
		}
	}
	if (d) {
		closedir(d);
	}
}

#endif
