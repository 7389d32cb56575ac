// SPDX-License-Identifier: MIT
/* Fixtures: finding, reading and loading them; the registry; tests built at run time. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llext/buf_loader.h>
#include <llext/fs_loader.h>

#include "common.h"

const char *fixture_path(const char *file)
{
	static __thread char path[4096];

	snprintf(path, sizeof(path), "%s/%s", FIXTURE_DIR, file);
	return path;
}

void scratch_path(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", FIXTURE_DIR, name);
}

void *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	void *buf;
	long n;

	if (!f) {
		fail_msg("cannot open %s: %s", path, strerror(errno));
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	assert_non_null(buf);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fail_msg("cannot read %s", path);
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

int load_fixture(const char *file, const char *name, struct llext **ext,
                 struct llext_load_param *param)
{
	struct llext_fs_loader fl = LLEXT_FS_LOADER(fixture_path(file));

	return llext_load(&fl.loader, name, ext, param);
}

int load_buffer(const void *buf, size_t len, const char *name, struct llext **ext,
                struct llext_load_param *param)
{
	struct llext_buf_loader bl = LLEXT_BUF_LOADER(buf, len);

	return llext_load(&bl.loader, name, ext, param);
}

Elf64_Shdr *obj_section(uint8_t *obj, const char *name)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)obj;
	Elf64_Shdr *sh = (Elf64_Shdr *)(obj + eh->e_shoff);
	const char *names = (const char *)obj + sh[eh->e_shstrndx].sh_offset;

	for (size_t i = 1; i < eh->e_shnum; i++) {
		if (strcmp(names + sh[i].sh_name, name) == 0) {
			return &sh[i];
		}
	}
	fail_msg("the object has no section %s", name);
	return NULL;
}

void *ext_sym(struct llext *ext, const char *name)
{
	void *p = (void *)llext_find_sym(&ext->exp_tab, name);

	if (!p) {
		fail_msg("%s does not export %s", ext->name, name);
	}
	return p;
}

static int count_one(struct llext *ext, void *arg)
{
	(void)ext;
	(*(int *)arg)++;
	return 0;
}

int registry_count(void)
{
	int n = 0;

	llext_iterate(count_one, &n);
	return n;
}

int run_dynamic_tests(const char *group, struct CMUnitTest *tests, size_t n)
{
	return _cmocka_run_group_tests(group, tests, n, NULL, NULL);
}

void run_numbered_threads(void *(*fn)(void *), int n)
{
	pthread_t *t = calloc((size_t)n, sizeof(*t));

	assert_non_null(t);
	for (int i = 0; i < n; i++) {
		assert_int_equal(pthread_create(&t[i], NULL, fn, (void *)(intptr_t)i), 0);
	}
	for (int i = 0; i < n; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
	}
	free(t);
}
