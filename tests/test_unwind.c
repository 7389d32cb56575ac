// SPDX-License-Identifier: MIT
/*
 * Unwinding through extension frames in a plain C host: one that links neither libstdc++ nor
 * libgcc_s, so that the only unwinder is the libgcc_s glibc opens privately for backtrace().
 *
 * The order matters: backtrace() is tested first, before anything loads a C++ runtime with
 * RTLD_GLOBAL (which would make libgcc_s visible to dlsym(RTLD_DEFAULT) and hide the case), and
 * so is an unwinder that comes late, before libgcc_s is the global one.
 *
 * Built with -rdynamic, so that dladdr() names the host's main, and with -fexceptions, so that
 * the host's C frame that an exception crosses has unwind tables on every target.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include <llext/symbol.h>

#include "common.h"

/* Calls @fn back: the host C frame a C++ exception crosses in cxx_across(). */
void host_call_back(void (*fn)(int), int n);
__attribute__((noinline)) void host_call_back(void (*fn)(int), int n)
{
	fn(n);
	__asm__ volatile("" ::: "memory");
}
EXPORT_SYMBOL(host_call_back);

static bool runtime_preloaded;

/* The index of the first frame in @frames[from..n) that llext_addr_info() names @name. */
static int find_ext_frame(void *const *frames, int from, int n, const char *name)
{
	struct llext_addr_info info;

	for (int i = from; i < n; i++) {
		/* A return address: the call is the byte before it. */
		if (llext_addr_info((char *)frames[i] - 1, &info) == 0 && info.sym_name &&
		    strcmp(info.sym_name, name) == 0) {
			return i;
		}
	}
	return -1;
}

static int find_host_frame(void *const *frames, int from, int n, const char *name)
{
	for (int i = from; i < n; i++) {
		Dl_info di;

		if (dladdr((char *)frames[i] - 1, &di) && di.dli_sname &&
		    strcmp(di.dli_sname, name) == 0) {
			return i;
		}
	}
	return -1;
}

static void test_backtrace(void **state)
{
	void *frames[64];
	struct llext *ext;
	int (*outer)(void **, int);
	int n, inner_at, outer_at, main_at;

	(void)state;
	if (runtime_preloaded) {
		print_message("# libgcc_s or libstdc++ was loaded before the test started (a "
		              "sanitizer runtime links them): the private-copy case is not what "
		              "runs here\n");
	} else {
		print_message("# libgcc_s not loaded at start: backtrace() uses glibc's private "
		              "copy\n");
	}
	assert_int_equal(load_fixture("backtrace.o", "backtrace", &ext, NULL), 0);
	outer = (int (*)(void **, int))ext_sym(ext, "bt_outer");
	n = outer(frames, 64);
	print_message("# backtrace() returned %d frames\n", n);

	inner_at = find_ext_frame(frames, 0, n, "bt_inner");
	outer_at = find_ext_frame(frames, inner_at + 1, n, "bt_outer");
	main_at = find_host_frame(frames, outer_at + 1, n, "main");
	/* The unwinder went from the extension's frames through to the host's main. */
	assert_true(inner_at >= 0);
	assert_true(outer_at > inner_at);
	assert_true(main_at > outer_at);
	assert_int_equal(llext_unload(&ext), 0);
}

/* Whether @p is the start of an .eh_frame: a CIE (id 0) of version 1 or 3. */
static bool is_eh_frame(const void *p)
{
	const uint8_t *b = p;
	uint32_t id;

	memcpy(&id, b + 4, sizeof(id));
	return id == 0 && (b[8] == 1 || b[8] == 3);
}

/*
 * An unwinder that the process gets after extensions have loaded (dlopen() with RTLD_GLOBAL)
 * has the frames of the extensions loaded after it: not finding one once is not final. Where a
 * sanitizer runtime brought libgcc_s in before the test, the global unwinder was found by the
 * first load and stays that one: the late one is never used.
 */
static void test_late_unwinder(void **state)
{
	struct llext *ext;
	void *fake, *reg = NULL, *dereg = NULL;
	int (*calls)(void **, void **);

	(void)state;
	/* Loaded once more with no new module: the miss of test_backtrace() stands. */
	assert_int_equal(load_fixture("backtrace.o", "backtrace", &ext, NULL), 0);
	assert_int_equal(llext_unload(&ext), 0);

	fake = dlopen(FAKEUNWIND_PATH, RTLD_NOW | RTLD_GLOBAL);
	assert_non_null(fake);
	calls = (int (*)(void **, void **))dlsym(fake, "fakeunwind_calls");
	assert_non_null(calls);
	assert_int_equal(calls(&reg, &dereg), 0);

	assert_int_equal(load_fixture("backtrace.o", "backtrace", &ext, NULL), 0);
	if (runtime_preloaded) {
		assert_int_equal(calls(&reg, &dereg), 0);
		assert_int_equal(llext_unload(&ext), 0);
		assert_int_equal(calls(&reg, &dereg), 0);
		return; /* the unwinder libllext registered with stays mapped: so does this one */
	}
	assert_int_equal(calls(&reg, &dereg), 1000);
	assert_true(is_eh_frame(reg));
	assert_int_equal(llext_unload(&ext), 0);
	assert_int_equal(calls(&reg, &dereg), 1001);
	assert_ptr_equal(dereg, reg);
	/* Never closed: libllext keeps calling the unwinder it found. */
}

static void test_cxx_across(void **state)
{
	const char *msg = "thrown across the host with 5";
	struct llext *ext;
	long (*across)(int);
	void *cxxrt;

	(void)state;
	/* A C++ extension needs the C++ runtime among the process's global symbols. */
	cxxrt = dlopen("libstdc++.so.6", RTLD_NOW | RTLD_GLOBAL);
	assert_non_null(cxxrt);
	assert_int_equal(load_fixture("cxx-across.o", "across", &ext, NULL), 0);
	across = (long (*)(int))ext_sym(ext, "cxx_across");
	assert_int_equal(across(5), (long)strlen(msg));
	assert_int_equal(llext_unload(&ext), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_backtrace),
	    cmocka_unit_test(test_late_unwinder),
	    cmocka_unit_test(test_cxx_across),
	};

	/* Neither is linked in (sanitizer runtimes bring both): the first backtrace() will open
	 * libgcc_s privately. */
	runtime_preloaded = dlopen("libgcc_s.so.1", RTLD_NOW | RTLD_NOLOAD) != NULL ||
	                    dlopen("libstdc++.so.6", RTLD_NOW | RTLD_NOLOAD) != NULL;
	return cmocka_run_group_tests_name("unwind", tests, NULL, NULL);
}
