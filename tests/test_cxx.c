// SPDX-License-Identifier: MIT
/*
 * C++ extensions, as g++ and clang++ emit them: COMDAT groups, STB_GNU_UNIQUE, static
 * constructors and destructors through __cxa_atexit(), exceptions unwinding through the
 * extension's own frames. The host provides the C++ runtime, as a C++ plugin host does.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "common.h"

static const char *const variants[] = {"cxx-gcc-default.o", "cxx-gcc-pic.o", "cxx-clang-default.o",
                                       "cxx-clang-pic.o"};

static void test_cxx(void **state)
{
	const char *file = *state;
	struct llext *ext;

	host_records_clear();
	assert_int_equal(load_fixture(file, "cxx", &ext, NULL), 0);
	int (*global_value)(void) = ext_sym(ext, "cxx_global_value");
	int (*shapes)(int) = ext_sym(ext, "cxx_shapes");
	long (*throw_catch)(int) = ext_sym(ext, "cxx_throw_catch");
	int (*unique)(void) = ext_sym(ext, "cxx_unique");
	int *counter = ext_sym(ext, "_ZZ4bumpvE7counter");

	/* The global object is constructed by bringup, not by loading. */
	assert_int_equal(global_value(), 0);
	assert_int_equal(host_nrecords, 0);
	assert_int_equal(llext_bringup(ext), 0);
	assert_int_equal(global_value(), 42);
	assert_int_equal(host_nrecords, 1);
	assert_int_equal(host_records[0], 42);

	/* Squares 1, 3, 5 and rectangles 2x2, 4x2: 35 + 12, doubled by the template. */
	assert_int_equal(shapes(5), 94);
	/* Thrown and caught inside the extension. */
	assert_int_equal(throw_catch(2), 2);
	assert_int_equal(throw_catch(7), -(long)strlen("value 7 is too big"));
	/* The static local of an inline function (GNU_UNIQUE with g++, weak with clang++),
	 * exported. */
	assert_int_equal(unique(), 1);
	assert_int_equal(unique(), 2);
	assert_int_equal(*counter, 2);

	/* Unloading runs the global's destructor, registered with __cxa_atexit(). */
	assert_int_equal(llext_unload(&ext), 0);
	assert_int_equal(host_nrecords, 2);
	assert_int_equal(host_records[1], -42);
}

/* Destructors registered by code that ran without a bringup still run at unload. */
static void test_local_static_without_bringup(void **state)
{
	struct llext *ext;

	(void)state;
	host_records_clear();
	assert_int_equal(load_fixture("cxx-gcc-pic.o", "cxxlocal", &ext, NULL), 0);
	int (*local)(void) = ext_sym(ext, "cxx_local_static");

	assert_int_equal(local(), 7);
	assert_int_equal(host_nrecords, 0);
	assert_int_equal(llext_unload(&ext), 0);
	/* Run now, while the code is there, rather than at exit() into unmapped memory. */
	assert_int_equal(host_nrecords, 1);
	assert_int_equal(host_records[0], -7);
}

int main(void)
{
	struct CMUnitTest t[5];
	void *cxxrt;

	/* A C++ host has its runtime loaded; this C test program loads it the same way. */
	cxxrt = dlopen("libstdc++.so.6", RTLD_NOW | RTLD_GLOBAL);
	if (!cxxrt) {
		fprintf(stderr, "cannot load libstdc++: %s\n", dlerror());
		return 1;
	}
	for (size_t i = 0; i < 4; i++) {
		t[i] = (struct CMUnitTest){variants[i], test_cxx, NULL, NULL, (void *)variants[i]};
	}
	size_t n = FIXTURE_HAVE_CLANG ? 4 : 2;

	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_local_static_without_bringup);
	return run_dynamic_tests("cxx", t, n);
}
