// SPDX-License-Identifier: MIT
/*
 * Unit tests of an extension with CMocka: each test loads thermostat.o afresh, with its imports
 * (the host's sensor_read() and the C library's malloc()) bound to this test's mocks through the
 * overrides load parameter, so every test starts from the extension's initial state and chooses
 * what its imports do.
 *
 *   cc -o test_thermostat test_thermostat.c $(pkg-config --cflags --libs llext cmocka)
 *   ./test_thermostat thermostat.o
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <llext/fs_loader.h>
#include <llext/llext.h>

static const char *object;

/* The mocks: each returns what the test queued for it with will_return(). */
static int mock_sensor_read(void)
{
	return (int)mock();
}

static void *mock_malloc(size_t size)
{
	check_expected(size);
	return mock_ptr_type(void *);
}

static struct llext_symbol mocks[] = {
    {"sensor_read", (void *)mock_sensor_read},
    {"malloc", (void *)mock_malloc},
};

struct fixture {
	struct llext *ext;
	int (*step)(int target);
	int history[4];
};

static int setup(void **state)
{
	static struct llext_symtable table = {.sym_cnt = 2, .syms = mocks};
	struct llext_load_param param = LLEXT_LOAD_PARAM_DEFAULT;
	struct llext_fs_loader ldr = LLEXT_FS_LOADER(object);
	struct fixture *f = calloc(1, sizeof(*f));

	param.overrides = &table;
	if (!f || llext_load(&ldr.loader, "thermostat", &f->ext, &param) != 0) {
		free(f);
		return -1;
	}
	f->step = (int (*)(int))(uintptr_t)llext_find_sym(&f->ext->exp_tab, "thermostat_step");
	*state = f;
	/* Its constructors: none of its own, but built for coverage it registers its counters. */
	return f->step && llext_bringup(f->ext) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	/* The history the extension holds is the fixture's buffer, from mock_malloc(). */
	llext_unload(&f->ext);
	free(f);
	return 0;
}

/* The next step's malloc(), answered with the fixture's own buffer. */
static void expect_history(struct fixture *f)
{
	expect_value(mock_malloc, size, sizeof(f->history));
	will_return(mock_malloc, f->history);
}

static void test_heats_when_cold(void **state)
{
	struct fixture *f = *state;

	expect_history(f);
	will_return(mock_sensor_read, 15);
	assert_int_equal(f->step(20), 1);
}

static void test_hysteresis(void **state)
{
	struct fixture *f = *state;

	expect_history(f);
	will_return(mock_sensor_read, 18);
	assert_int_equal(f->step(20), 1);
	/* Mean 20: within one degree of the target, it keeps heating. */
	will_return(mock_sensor_read, 22);
	assert_int_equal(f->step(20), 1);
	/* Mean 22: too warm, it stops. */
	will_return(mock_sensor_read, 26);
	assert_int_equal(f->step(20), 0);
}

static void test_no_memory(void **state)
{
	struct fixture *f = *state;

	expect_value(mock_malloc, size, sizeof(f->history));
	will_return(mock_malloc, NULL);
	assert_int_equal(f->step(20), -1);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_heats_when_cold, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_hysteresis, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_memory, setup, teardown),
	};

	if (argc != 2) {
		return 2;
	}
	object = argv[1];
	return cmocka_run_group_tests_name("thermostat", tests, NULL, NULL);
}
