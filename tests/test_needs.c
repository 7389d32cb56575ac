// SPDX-License-Identifier: MIT
/*
 * What an extension needs besides the host: shared libraries (named in its source with
 * LLEXT_NEEDS(), or by the load), the C++ runtime, the compiler's runtime, and the static part of
 * the C library bound to the extension. This program is a plain C host that links none of
 * libsqlite3, libstdc++ or libgcc_s.
 */
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <llext/symbol.h>

#include "common.h"
#include "logcap.h"

#define SQLITE "libsqlite3.so.0"

/* A host function whose name a needed library also defines: the host's must win. */
const char *sqlite3_libversion(void);
const char *sqlite3_libversion(void)
{
	return "the host's";
}
EXPORT_SYMBOL(sqlite3_libversion);

static int names_needed(struct dl_phdr_info *info, size_t size, void *arg)
{
	const char *lib = arg;
	const ElfW(Dyn) *dyn = NULL;
	const char *strtab = NULL;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		if (info->dlpi_phdr[i].p_type == PT_DYNAMIC) {
			dyn = (const void *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
		}
	}
	for (const ElfW(Dyn) *d = dyn; d && d->d_tag != DT_NULL; d++) {
		if (d->d_tag == DT_STRTAB) {
			strtab = (const char *)d->d_un.d_ptr;
		}
	}
	for (const ElfW(Dyn) *d = dyn; d && strtab && d->d_tag != DT_NULL; d++) {
		if (d->d_tag == DT_NEEDED && strcmp(strtab + d->d_un.d_val, lib) == 0) {
			return 1;
		}
	}
	return 1 + 1; /* stop after the first module, the program itself: 2 for "not needed" */
}

/* Whether this program itself (not the libraries it links) names @lib in DT_NEEDED. */
static bool program_needs(const char *lib)
{
	return dl_iterate_phdr(names_needed, (void *)lib) == 1;
}

static void test_host_links_none(void **state)
{
	(void)state;
	assert_false(program_needs(SQLITE));
	assert_false(program_needs("libstdc++.so.6"));
	assert_false(program_needs("libgcc_s.so.1"));
	/* And the check itself sees what the program does link. */
	assert_true(program_needs("libc.so.6"));
	assert_null(dlopen(SQLITE, RTLD_NOW | RTLD_NOLOAD));
}

/* sqlite3_libversion_number() as the library itself answers. */
static int real_version(void)
{
	void *h = dlopen(SQLITE, RTLD_NOW | RTLD_NOLOAD);
	int (*fn)(void);
	int v;

	assert_non_null(h);
	fn = (int (*)(void))(uintptr_t)dlsym(h, "sqlite3_libversion_number");
	assert_non_null(fn);
	v = fn();
	dlclose(h);
	return v;
}

static void test_needs_in_source(void **state)
{
	const char *file = *state;
	struct llext *ext;

	assert_int_equal(load_fixture(file, "needs", &ext, NULL), 0);
	int (*number)(void) = ext_sym(ext, "needs_version_number");
	const char *(*string)(void) = ext_sym(ext, "needs_version_string");

	/* Opened for the extension, and only for it: RTLD_LOCAL leaves the process as it was. */
	assert_int_equal(number(), real_version());
	assert_true(number() >= 3000000);
	assert_null(dlsym(RTLD_DEFAULT, "sqlite3_libversion_number"));
	/* The host's definition is found before the library's. */
	assert_string_equal(string(), "the host's");
	assert_int_equal(llext_unload(&ext), 0);
	/* Closed with the extension. */
	assert_null(dlopen(SQLITE, RTLD_NOW | RTLD_NOLOAD));
}

static void test_needs_by_parameter(void **state)
{
	static const char *const libs[] = {"libm.so.6", SQLITE, NULL};
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;
	struct llext *ext;

	(void)state;
	log_capture_start();
	assert_int_equal(load_fixture("needs-none.o", "noneeds", &ext, NULL), -ENODATA);
	assert_true(log_contains("undefined symbol 'sqlite3_libversion_number'"));
	log_capture_stop();

	param.libraries = libs;
	assert_int_equal(load_fixture("needs-none.o", "noneeds", &ext, &param), 0);
	int (*number)(void) = ext_sym(ext, "needs_version_number");

	assert_int_equal(number(), real_version());
	assert_int_equal(llext_unload(&ext), 0);
	assert_null(dlopen(SQLITE, RTLD_NOW | RTLD_NOLOAD));
}

static void test_missing_library(void **state)
{
	static const char *const libs[] = {"libllext-test-absent.so.3", NULL};
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;
	int before = registry_count();
	struct llext *ext;

	(void)state;
	log_capture_start();
	assert_int_equal(load_fixture("needs-missing.o", "missing", &ext, NULL), -ENOENT);
	assert_null(ext);
	/* The library's name and what dlopen() said. */
	assert_true(log_contains("'libllext-test-no-such-library.so.7'"));
	assert_true(log_contains("cannot open shared object file"));
	param.libraries = libs;
	assert_int_equal(load_fixture("needs-none.o", "missing2", &ext, &param), -ENOENT);
	assert_true(log_contains("'libllext-test-absent.so.3'"));
	log_capture_stop();
	assert_int_equal(registry_count(), before);
	assert_null(dlopen(SQLITE, RTLD_NOW | RTLD_NOLOAD));
}

/* libgcc's helpers resolve although this program does not link libgcc_s. */
static void test_compiler_runtime(void **state)
{
	const char *file = *state;
	__int128 big = (__int128)1 << 100;
	struct llext *ext;

	assert_false(program_needs("libgcc_s.so.1"));
	assert_int_equal(load_fixture(file, "runtime", &ext, NULL), 0);
	__int128 (*div)(__int128, __int128) = ext_sym(ext, "rt_div");
	unsigned __int128 (*udiv)(unsigned __int128, unsigned __int128) = ext_sym(ext, "rt_udiv");
	double (*quad)(double, double, double) = ext_sym(ext, "rt_quad");
	int (*add)(int) = ext_sym(ext, "rt_atomic_add");
	uint64_t (*cas)(uint64_t, uint64_t) = ext_sym(ext, "rt_atomic_cas");

	assert_true(div(-big, 3) == -big / 3);
	assert_true(udiv((unsigned __int128)big * 5, 7) == (unsigned __int128)big * 5 / 7);
	assert_true(quad(1.5, 2.25, 4.0) == 15.0);
	assert_int_equal(add(5), 5);
	assert_int_equal(add(7), 12);
	assert_int_equal(cas(0, 9), 0);
	assert_int_equal(cas(1, 4), 9); /* no swap: the word holds 9 */
	assert_int_equal(cas(9, 4), 9);
	assert_int_equal(cas(4, 4), 4);
	assert_int_equal(llext_unload(&ext), 0);
}

/* Forks; the child calls @then and exits with what it returns; the child's exit status. */
static int in_child(int (*then)(void))
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		_exit(then());
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

/* In the child: 3 if the extension's fork handler ran there. */
static int child_saw_handler(void)
{
	for (size_t i = 0; i < host_nrecords; i++) {
		if (host_records[i] == 3) {
			return 3;
		}
	}
	return 0;
}

/* In the child: quick_exit(), which must not call into an unloaded extension. */
static int child_quick_exit(void)
{
	quick_exit(42);
}

static void test_atexit_bound(void **state)
{
	const char *file = *state;
	struct llext *ext;
	int status;

	host_records_clear();
	assert_int_equal(load_fixture(file, "atexit", &ext, NULL), 0);
	int (*reg)(void) = ext_sym(ext, "atexit_register");

	assert_int_equal(reg(), 0);
	assert_int_equal(host_nrecords, 0);
	/* Its fork handler runs in the child while it is loaded. */
	status = in_child(child_saw_handler);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 3);

	/* The exit handler runs at unload, as dlclose() runs a library's, and only then. */
	assert_int_equal(llext_unload(&ext), 0);
	assert_int_equal(host_nrecords, 1);
	assert_int_equal(host_records[0], 1);

	/* Its fork and quick-exit handlers are gone with it. */
	status = in_child(child_saw_handler);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	status = in_child(child_quick_exit);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 42);
	assert_int_equal(host_nrecords, 1);
}

static void test_atexit_at_teardown(void **state)
{
	struct llext *ext;

	(void)state;
	host_records_clear();
	assert_int_equal(load_fixture("atexit.o", "atexit2", &ext, NULL), 0);
	int (*reg)(void) = ext_sym(ext, "atexit_register");

	assert_int_equal(llext_bringup(ext), 0);
	assert_int_equal(reg(), 0);
	assert_int_equal(llext_teardown(ext), 0);
	assert_int_equal(host_nrecords, 1);
	assert_int_equal(host_records[0], 1);
	assert_int_equal(llext_unload(&ext), 0);
	assert_int_equal(host_nrecords, 1);
}

/* Two C++ objects, one using the other's std::string, std::vector and exceptions. */
static void test_cxx_without_host_runtime(void **state)
{
	const char *comp = *state;
	char lib[64], use[64], out[16];
	struct llext *a, *b;

	assert_false(program_needs("libstdc++.so.6"));
	snprintf(lib, sizeof(lib), "cxx-lib-%s.o", comp);
	snprintf(use, sizeof(use), "cxx-use-%s.o", comp);
	assert_int_equal(load_fixture(lib, "cxxlib", &a, NULL), 0);
	assert_int_equal(load_fixture(use, "cxxuse", &b, NULL), 0);
	int (*join)(const char *, char *, int) = ext_sym(b, "cxx_use_join");
	int (*thrown)(void) = ext_sym(b, "cxx_use_throw");

	assert_int_equal(join("--", out, sizeof(out)), 7);
	assert_string_equal(out, "a--b--c");
	assert_int_equal(thrown(), (int)strlen("nothing to join"));
	assert_int_equal(llext_unload(&b), 0);
	assert_int_equal(llext_unload(&a), 0);
}

static void test_lto_objects(void **state)
{
	struct llext *ext;

	(void)state;
	log_capture_start();
	assert_int_equal(load_fixture("lto-gcc.o", "ltogcc", &ext, NULL), -ENOEXEC);
	assert_true(log_contains("GCC's intermediate language"));
	assert_true(log_contains("-ffat-lto-objects"));
	if (FIXTURE_HAVE_CLANG) {
		assert_int_equal(load_fixture("lto-clang.o", "ltoclang", &ext, NULL), -ENOEXEC);
		assert_true(log_contains("LLVM bitcode"));
		assert_true(log_contains("without -flto"));
	}
	log_capture_stop();

	/* With its machine code kept beside the intermediate language, it loads and runs. */
	assert_int_equal(load_fixture("lto-fat.o", "ltofat", &ext, NULL), 0);
	int (*ops)(int, int, int) = ext_sym(ext, "basic_ops");

	assert_int_equal(ops(0, 2, 3), 5);
	assert_int_equal(llext_unload(&ext), 0);
}

int main(void)
{
	static const char *const needs[] = {"needs.o", "needs-clang.o"};
	static const char *const runtime[] = {"runtime.o", "runtime-clang.o"};
	static const char *const atexits[] = {"atexit.o", "atexit-clang.o"};
	static const char *const cxx[] = {"gcc", "clang"};
	size_t variants = FIXTURE_HAVE_CLANG ? 2 : 1;
	struct CMUnitTest t[16];
	char names[8][48];
	size_t n = 0, k = 0;

	/* First, before anything is loaded. */
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_host_links_none);
	for (size_t i = 0; i < variants; i++) {
		snprintf(names[k], sizeof(names[k]), "needs in source %s", needs[i]);
		t[n++] = (struct CMUnitTest){names[k++], test_needs_in_source, NULL, NULL,
		                             (void *)needs[i]};
		snprintf(names[k], sizeof(names[k]), "compiler runtime %s", runtime[i]);
		t[n++] = (struct CMUnitTest){names[k++], test_compiler_runtime, NULL, NULL,
		                             (void *)runtime[i]};
		snprintf(names[k], sizeof(names[k]), "atexit bound %s", atexits[i]);
		t[n++] = (struct CMUnitTest){names[k++], test_atexit_bound, NULL, NULL,
		                             (void *)atexits[i]};
		snprintf(names[k], sizeof(names[k]), "C++ without host runtime, %s", cxx[i]);
		t[n++] = (struct CMUnitTest){names[k++], test_cxx_without_host_runtime, NULL, NULL,
		                             (void *)cxx[i]};
	}
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_needs_by_parameter);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_missing_library);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_atexit_at_teardown);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_lto_objects);
	return run_dynamic_tests("needs", t, n);
}
