// SPDX-License-Identifier: MIT
/*
 * The sanitizer coverage interface from a host that does not export it: this program is linked
 * without -rdynamic, as a libFuzzer program is, so its definitions are only in its symbol table.
 * An extension using them resolves them to the host's own, in every thread, and no other name
 * of the host's symbol table is ever taken.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "common.h"
#include "logcap.h"

/* The host's side of the interface, as libFuzzer defines it: not exported. */
__thread uintptr_t __sancov_lowest_stack;
static char *cntrs_start, *cntrs_stop;
static int ncmp1;
static uint8_t last_cmp[2];

void __sanitizer_cov_8bit_counters_init(char *start, char *stop);
void __sanitizer_cov_8bit_counters_init(char *start, char *stop)
{
	cntrs_start = start;
	cntrs_stop = stop;
}

void __sanitizer_cov_trace_const_cmp1(uint8_t a, uint8_t b);
void __sanitizer_cov_trace_const_cmp1(uint8_t a, uint8_t b)
{
	ncmp1++;
	last_cmp[0] = a;
	last_cmp[1] = b;
}

void sancov_host_private(void);
void sancov_host_private(void)
{
}

static const char *const variants[] = {"../sancov/sancov-user-default.o",
                                       "../sancov/sancov-user-pic.o", "../sancov/sancov-user-ie.o"};

/* The calling thread's __sancov_lowest_stack, written through the extension. */
static void *other_thread(void *arg)
{
	int (*step)(uintptr_t, uint8_t) = arg;

	__sancov_lowest_stack = 5000;
	step(4000, 'x');
	return (void *)__sancov_lowest_stack;
}

static void check_variant(const char *file)
{
	void (*reg)(void);
	int (*step)(uintptr_t, uint8_t);
	struct llext *ext;
	pthread_t t;
	void *other;

	assert_int_equal(load_fixture(file, "sancov-user", &ext, NULL), 0);
	reg = (void (*)(void))(uintptr_t)ext_sym(ext, "sancov_user_register");
	step = (int (*)(uintptr_t, uint8_t))(uintptr_t)ext_sym(ext, "sancov_user_step");
	cntrs_start = cntrs_stop = NULL;
	reg();
	assert_non_null(cntrs_start);
	assert_int_equal(cntrs_stop - cntrs_start, 3);
	__sancov_lowest_stack = 1000;
	ncmp1 = 0;
	assert_int_equal(step(2000, 'F'), 1);
	assert_int_equal(__sancov_lowest_stack, 1000);
	assert_int_equal(step(600, 'Z'), 0);
	assert_int_equal(__sancov_lowest_stack, 600);
	assert_int_equal(ncmp1, 2);
	assert_int_equal(last_cmp[0], 'F');
	assert_int_equal(last_cmp[1], 'Z');
	assert_int_equal(cntrs_start[0], 1);
	assert_int_equal(cntrs_start[1], 1);
	/* Another thread's copy is another thread's. */
	assert_int_equal(pthread_create(&t, NULL, other_thread, (void *)step), 0);
	assert_int_equal(pthread_join(t, &other), 0);
	assert_int_equal((uintptr_t)other, 4000);
	assert_int_equal(__sancov_lowest_stack, 600);
	assert_int_equal(llext_unload(&ext), 0);
	assert_int_equal(registry_count(), 0);
}

/* Default flags (initial-exec on x86-64, descriptors on AArch64), -fPIC (general dynamic or
 * descriptors), and initial-exec as Clang emits it. */
static void test_default(void **state)
{
	(void)state;
	check_variant(variants[0]);
}

static void test_pic(void **state)
{
	(void)state;
	check_variant(variants[1]);
}

static void test_initial_exec(void **state)
{
	(void)state;
	check_variant(variants[2]);
}

/* Outside the coverage interface, the host's symbol table is never read. */
static void test_other_names(void **state)
{
	struct llext *ext = NULL;

	(void)state;
	log_capture_start();
	assert_int_equal(load_fixture("../sancov/sancov-private.o", "sancov-private", &ext, NULL),
	                 -ENODATA);
	log_capture_stop();
	assert_true(log_contains("undefined symbol 'sancov_host_private'"));
	assert_null(ext);
	assert_int_equal(registry_count(), 0);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default),
	    cmocka_unit_test(test_pic),
	    cmocka_unit_test(test_initial_exec),
	    cmocka_unit_test(test_other_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
