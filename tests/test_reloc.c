// SPDX-License-Identifier: MIT
/*
 * Load every fixture variant (each compiler under each flag set), run its code, unload it.
 * A relocation is right when the code it patches runs right, so every check calls into the
 * extension and compares with what the C source says it computes.
 *
 * Built twice on x86_64: as a PIE (the default) and as a non-PIE executable, because -fno-pic
 * extensions reach host data with 32-bit absolute addresses, which only a non-PIE host can
 * satisfy.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llext/log.h>

#include "common.h"
#include "logcap.h"
#include "host_api.h"

static const char *const variants[] = {FIXTURE_VARIANTS};

/*
 * Whether extensions of a variant can reach the host's data and functions: x86_64 -fno-pic code
 * takes their addresses as 32-bit absolute values, so they must lie below 2 GiB. That is where
 * a non-PIE program is, and where a PIE is not (except under valgrind, which maps PIEs low).
 */
static bool host_reaches_absolute(const char *variant)
{
#if defined(__x86_64__)
	if (strstr(variant, "-nopic")) {
		return (uintptr_t)&host_counter < 0x80000000u && (uintptr_t)host_add < 0x80000000u;
	}
#endif
	(void)variant;
	return true;
}

static char *obj(const char *base, const char *variant)
{
	static char name[128];

	snprintf(name, sizeof(name), "%s-%s.o", base, variant);
	return name;
}

static void test_basic(void **state)
{
	const char *variant = *state;
	struct llext *ext;
	int ret;

	log_capture_start();
	ret = load_fixture(obj("basic", variant), "basic", &ext, NULL);
	log_capture_stop();
	if (!host_reaches_absolute(variant)) {
		/* R_X86_64_32 against host data in a PIE: refused, with the fix named. */
		assert_int_equal(ret, -ENOEXEC);
		assert_true(log_contains("host_counter") || log_contains("host_add"));
		assert_true(log_contains("-fPIC"));
		assert_int_equal(registry_count(), 0);
		return;
	}
	assert_int_equal(ret, 0);
	assert_non_null(ext);
	assert_int_equal(llext_bringup(ext), 0);

	int (*ops)(int, int, int) = ext_sym(ext, "basic_ops");
	int (*calls)(void) = ext_sym(ext, "basic_calls");
	int (*host_call)(int, int) = ext_sym(ext, "basic_host_call");
	int (*host_data)(int) = ext_sym(ext, "basic_host_data");
	int *(*host_data_addr)(void) = ext_sym(ext, "basic_host_data_addr");
	const char *(*name)(void) = ext_sym(ext, "basic_host_name");
	int (*(*host_fn)(void))(int, int) = ext_sym(ext, "basic_host_fn");
	int (*format)(char *, size_t, int) = ext_sym(ext, "basic_format");
	int (*sort)(int *, size_t) = ext_sym(ext, "basic_sort");
	int (*data)(void) = ext_sym(ext, "basic_data");
	const char *(*rodata)(void) = ext_sym(ext, "basic_rodata");
	long (*bss_sum)(void) = ext_sym(ext, "basic_bss_sum");
	char *(*dup)(const char *) = ext_sym(ext, "basic_strdup");
	int (*sw)(int) = ext_sym(ext, "basic_switch");
	int *global = ext_sym(ext, "basic_global");
	long *zeroes = ext_sym(ext, "basic_zeroes");

	/* Function-pointer table in relocated data. */
	assert_int_equal(ops(0, 20, 22), 42);
	assert_int_equal(ops(1, 20, 22), -2);
	assert_int_equal(ops(2, 6, 7), 42);
	assert_int_equal(calls(), 3);

	/* Host function and host data. */
	assert_int_equal(host_call(2, 3), 10);
	host_counter = 100;
	assert_int_equal(host_data(5), 105);
	assert_int_equal(host_counter, 105);
	assert_ptr_equal(host_data_addr(), &host_counter);
	assert_ptr_equal(name(), host_name);
	assert_ptr_equal(host_fn(), host_add);

	/* libc, with a callback from libc into the extension. */
	char buf[64];

	assert_int_equal(format(buf, sizeof(buf), 7), (int)strlen("greeting-7-host"));
	assert_string_equal(buf, "greeting-7-host");
	int v[] = {9, 4, 7, 1, 8};

	assert_int_equal(sort(v, 5), 1);
	assert_int_equal(v[1], 4);
	assert_int_equal(v[4], 9);
	char *d = dup("copy me");

	assert_string_equal(d, "copy me");
	free(d);

	/* Data, rodata and bss. */
	assert_int_equal(data(), 42);
	assert_int_equal(data(), 43);
	assert_string_equal(rodata(), "greeting");
	assert_int_equal(*global, 7);
	assert_int_equal(bss_sum(), 0);
	zeroes[511] = 5;
	zeroes[0] = 6;
	assert_int_equal(bss_sum(), 11);

	/* A jump table, if the compiler made one. */
	assert_int_equal(sw(0), 11);
	assert_int_equal(sw(3), 41);
	assert_int_equal(sw(6), 73);
	assert_int_equal(sw(9), -1);

	assert_int_equal(llext_unload(&ext), 0);
	assert_null(ext);
	assert_int_equal(registry_count(), 0);
}

static void check_records(const int *want, size_t n)
{
	assert_int_equal(host_nrecords, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(host_records[i], want[i]);
	}
}

/* The order GCC documents: preinit first, then priorities ascending, then constructors
 * without priority in source order; destructors in the exact reverse. */
static const int ctor_order[] = {1, 101, 200, 1000, 1001};
static const int dtor_order[] = {-1001, -1000, -200, -101};

static void run_ctors(const char *file)
{
	struct llext *ext;

	host_records_clear();
	assert_int_equal(load_fixture(file, "ctors", &ext, NULL), 0);
	assert_int_equal(host_nrecords, 0); /* loading runs nothing */
	assert_int_equal(llext_bringup(ext), 0);
	check_records(ctor_order, ARRAY_SIZE(ctor_order));
	/* Bringup runs once. */
	assert_int_equal(llext_bringup(ext), 0);
	assert_int_equal(host_nrecords, 5);

	host_records_clear();
	assert_int_equal(llext_teardown(ext), 0);
	check_records(dtor_order, ARRAY_SIZE(dtor_order));
	/* Unloading after an explicit teardown runs nothing more. */
	host_records_clear();
	assert_int_equal(llext_unload(&ext), 0);
	assert_int_equal(host_nrecords, 0);

	/* Unloading the last reference tears down what was brought up. */
	assert_int_equal(load_fixture(file, "ctors", &ext, NULL), 0);
	assert_int_equal(llext_bringup(ext), 0);
	host_records_clear();
	assert_int_equal(llext_unload(&ext), 0);
	check_records(dtor_order, ARRAY_SIZE(dtor_order));

	/* A teardown before the bringup does nothing, and does not stop the later one. */
	assert_int_equal(load_fixture(file, "ctors", &ext, NULL), 0);
	host_records_clear();
	assert_int_equal(llext_teardown(ext), 0);
	assert_int_equal(host_nrecords, 0);
	assert_int_equal(llext_bringup(ext), 0);
	check_records(ctor_order, ARRAY_SIZE(ctor_order));
	host_records_clear();
	assert_int_equal(llext_unload(&ext), 0);
	check_records(dtor_order, ARRAY_SIZE(dtor_order));

	/* Never brought up: no destructor runs. */
	assert_int_equal(load_fixture(file, "ctors", &ext, NULL), 0);
	host_records_clear();
	assert_int_equal(llext_unload(&ext), 0);
	assert_int_equal(host_nrecords, 0);
}

static void test_ctors(void **state)
{
	run_ctors(obj("ctors", *state));
}

static void test_ctors_legacy(void **state)
{
	(void)state;
	/* .ctors / .dtors sections (clang -fno-use-init-array) run in the same order. */
	run_ctors("ctors-legacy.o");
}

static void test_multi(void **state)
{
	struct llext *ext;

	assert_int_equal(load_fixture(obj("multi", *state), "multi", &ext, NULL), 0);
	int (*entry)(int) = ext_sym(ext, "multi_a_entry");
	int *a_state = ext_sym(ext, "multi_a_state");
	int *b_state = ext_sym(ext, "multi_b_state");

	/* b_state = 0 + 5; scale = 2*5 + 5 = 15, a_state 3 -> 4; result 15 + 4 */
	assert_int_equal(entry(5), 19);
	assert_int_equal(*a_state, 4);
	assert_int_equal(*b_state, 5);
	assert_int_equal(llext_unload(&ext), 0);
}

static void test_linked_extensions(void **state)
{
	const char *variant = *state;
	struct llext *prov, *cons, *again;

	assert_int_equal(load_fixture(obj("provider", variant), "provider", &prov, NULL), 0);
	assert_int_equal(prov->use_count, 1);
	assert_int_equal(load_fixture(obj("consumer", variant), "consumer", &cons, NULL), 0);
	/* The consumer holds a reference on what it links against. */
	assert_int_equal(prov->use_count, 2);

	int (*call)(int) = ext_sym(cons, "consumer_call");
	int *pdata = ext_sym(prov, "provider_data");

	/* provider_value(1) = 101, provider_data 5 -> 6 */
	assert_int_equal(call(1), 107);
	assert_int_equal(*pdata, 6);

	/* Dropping the user's reference leaves the provider loaded for the consumer. */
	again = prov;
	assert_int_equal(llext_unload(&again), 1);
	assert_non_null(again);
	assert_ptr_equal(llext_by_name("provider"), prov);
	assert_int_equal(call(2), 109);

	/* Unloading the consumer releases the provider. */
	assert_int_equal(llext_unload(&cons), 0);
	assert_null(llext_by_name("provider"));
	assert_null(llext_by_name("consumer"));
	assert_int_equal(registry_count(), 0);
}

int main(void)
{
	size_t nv = ARRAY_SIZE(variants);
	struct CMUnitTest *t = calloc(nv * 4 + 1, sizeof(*t));
	char(*names)[96] = calloc(nv * 4, sizeof(*names));
	size_t n = 0;

	for (size_t i = 0; i < nv; i++) {
		static const struct {
			const char *what;
			CMUnitTestFunction fn;
		} kinds[] = {
		    {"basic", test_basic},
		    {"ctors", test_ctors},
		    {"multi", test_multi},
		    {"linked", test_linked_extensions},
		};

		for (size_t k = 0; k < 4; k++) {
			snprintf(names[n], sizeof(names[n]), "%s/%s", kinds[k].what, variants[i]);
			t[n].name = names[n];
			t[n].test_func = kinds[k].fn;
			t[n].initial_state = (void *)variants[i];
			n++;
		}
	}
#if FIXTURE_HAVE_CLANG
	t[n].name = "ctors/legacy-ctors-dtors";
	t[n].test_func = test_ctors_legacy;
	n++;
#endif
	int ret = run_dynamic_tests("load", t, n);

	free(names);
	free(t);
	return ret;
}
