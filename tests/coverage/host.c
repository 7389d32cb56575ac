// SPDX-License-Identifier: MIT
/*
 * A host for the coverage tests, itself not instrumented, using the public API only. It runs the
 * steps its arguments give, in order, and returns from main() with whatever is still loaded:
 *
 *   load NAME PATH       loads PATH as NAME and brings it up (its constructors run)
 *   call NAME FN N       calls int FN(int) of NAME with N
 *   unload NAME          unloads NAME (its destructors run)
 *   exists PATH          fails unless PATH exists now
 *   absent PATH          fails if PATH exists now
 *   written DIR COUNT    fails unless DIR holds COUNT files with data now (a profile runtime
 *                        may create its file, empty, when it starts)
 *   pid                  prints "pid N", this process's id
 *
 * Exit status: 0, 1 if a step failed (said on standard error), 2 for a usage error.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <llext/fs_loader.h>
#include <llext/llext.h>

#define MAX_EXTS 8

static struct {
	const char *name;
	struct llext *ext;
} loaded[MAX_EXTS];

static struct llext **slot_of(const char *name, bool free_one)
{
	for (int i = 0; i < MAX_EXTS; i++) {
		if (free_one ? !loaded[i].ext
		             : loaded[i].ext && strcmp(loaded[i].name, name) == 0) {
			loaded[i].name = name;
			return &loaded[i].ext;
		}
	}
	fprintf(stderr, "host: %s: %s\n", name, free_one ? "too many loaded" : "not loaded");
	return NULL;
}

static int load(const char *name, const char *path)
{
	struct llext_fs_loader ldr = LLEXT_FS_LOADER(path);
	struct llext **e = slot_of(name, true);
	int ret;

	if (!e) {
		return 1;
	}
	ret = llext_load(&ldr.loader, name, e, NULL);
	if (ret < 0) {
		fprintf(stderr, "host: cannot load %s: %d\n", path, ret);
		*e = NULL;
		return 1;
	}
	ret = llext_bringup(*e);
	if (ret < 0) {
		fprintf(stderr, "host: bringing up %s failed: %d\n", name, ret);
		return 1;
	}
	return 0;
}

static int call(const char *name, const char *fn, const char *arg)
{
	struct llext **e = slot_of(name, false);
	int (*f)(int);

	if (!e) {
		return 1;
	}
	f = (int (*)(int))(uintptr_t)llext_find_sym(&(*e)->exp_tab, fn);
	if (!f) {
		fprintf(stderr, "host: %s exports no %s\n", name, fn);
		return 1;
	}
	printf("host: %s(%s) = %d\n", fn, arg, f(atoi(arg)));
	return 0;
}

static int unload(const char *name)
{
	struct llext **e = slot_of(name, false);

	if (!e) {
		return 1;
	}
	llext_unload(e);
	*e = NULL;
	return 0;
}

static int count_files(const char *dir, const char *want)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	long n = 0;

	if (!d) {
		fprintf(stderr, "host: cannot open %s\n", dir);
		return 1;
	}
	while ((de = readdir(d))) {
		struct stat st;

		n += fstatat(dirfd(d), de->d_name, &st, 0) == 0 && S_ISREG(st.st_mode) &&
		     st.st_size > 0;
	}
	closedir(d);
	if (n != atol(want)) {
		fprintf(stderr, "host: %s holds %ld files with data, expected %s\n", dir, n, want);
		return 1;
	}
	return 0;
}

static int check_path(const char *path, bool want)
{
	if ((access(path, F_OK) == 0) != want) {
		fprintf(stderr, "host: %s %s\n", path, want ? "does not exist" : "exists");
		return 1;
	}
	return 0;
}

/* Runs the step at argv[0]; *used is set to the number of words it took. */
static int step(char **argv, int argc, int *used)
{
	static const struct {
		const char *cmd;
		int words;
	} steps[] = {{"load", 3},   {"call", 4},    {"unload", 2}, {"exists", 2},
	             {"absent", 2}, {"written", 3}, {"pid", 1}};
	size_t i = 0, n = sizeof(steps) / sizeof(steps[0]);

	while (i < n && (strcmp(argv[0], steps[i].cmd) != 0 || argc < steps[i].words)) {
		i++;
	}
	if (i == n) {
		fprintf(stderr, "host: unknown or incomplete step '%s'\n", argv[0]);
		return 2;
	}
	*used = steps[i].words;
	switch (i) {
	case 0:
		return load(argv[1], argv[2]);
	case 1:
		return call(argv[1], argv[2], argv[3]);
	case 2:
		return unload(argv[1]);
	case 3:
	case 4:
		return check_path(argv[1], i == 3);
	case 5:
		return count_files(argv[1], argv[2]);
	default:
		printf("pid %ld\n", (long)getpid());
		return 0;
	}
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	for (int i = 1, used = 0; i < argc; i += used) {
		int ret = step(argv + i, argc - i, &used);

		if (ret) {
			return ret;
		}
	}
	/* What is still loaded is finished by libllext's exit handler. */
	return 0;
}
