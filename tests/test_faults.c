// SPDX-License-Identifier: MIT
/*
 * Failure injection: every allocation, mmap and mprotect of a load fails in turn, and so does
 * every read of the loader. Each failure must give a negative errno, leave the registry as it
 * was and leave no mapping behind (tests/support/maptrack.c counts the loader's mappings) or
 * heap (the valgrind and ASan runs check that).
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <llext/buf_loader.h>

#include "common.h"
#include "logcap.h"
#include "host_api.h"
#include "base/base.h"
#include "maptrack.h"

/* Fail the n-th fallible call of one load; returns whether that call was reached. */
static bool load_with_fault(long n, int (*load)(struct llext **ext), int *ret, struct llext **ext)
{
	bool reached;

	atomic_store(&llext_fault_countdown, n);
	*ret = load(ext);
	reached = atomic_load(&llext_fault_countdown) == 0;
	atomic_store(&llext_fault_countdown, 0);
	return reached;
}

static void every_call_fails_in_turn(int (*load)(struct llext **ext), long *points, long *recovered)
{
	struct llext *ext;
	size_t live;
	int ret;

	/* Once without faults: process-wide tables are built, and the load must work. */
	assert_int_equal(load(&ext), 0);
	assert_int_equal(llext_unload(&ext), 0);
	live = maptrack_live_bytes();

	log_capture_start();
	for (long n = 1;; n++) {
		if (!load_with_fault(n, load, &ret, &ext)) {
			/* The load made fewer than n fallible calls: it ran to the end. */
			assert_int_equal(ret, 0);
			assert_int_equal(llext_unload(&ext), 0);
			*points = n - 1;
			break;
		}
		if (ret == 0) {
			/* Recovered: a placement attempt failed and another address was taken. */
			assert_int_equal(llext_unload(&ext), 0);
			(*recovered)++;
		} else {
			assert_true(ret < 0);
			assert_null(ext);
		}
		assert_int_equal(registry_count(), 0);
		assert_int_equal(maptrack_live_bytes(), live);
	}
	log_capture_stop();
	assert_int_equal(maptrack_live_bytes(), live);
}

static int load_basic(struct llext **ext)
{
	return load_fixture("basic-gcc-default.o", "faults", ext, NULL);
}

static int load_cxx(struct llext **ext)
{
	return load_fixture("cxx-gcc-default.o", "faults", ext, NULL);
}

static int load_linked(struct llext **ext)
{
	struct llext *prov;
	int ret;

	/* The provider loads without faults; the consumer's load is the one injected into. */
	long saved = atomic_exchange(&llext_fault_countdown, 0);

	assert_int_equal(load_fixture("provider-gcc-default.o", "prov", &prov, NULL), 0);
	atomic_store(&llext_fault_countdown, saved);
	ret = load_fixture("consumer-gcc-default.o", "faults", ext, NULL);
	saved = atomic_exchange(&llext_fault_countdown, 0);
	/* A failed consumer leaves the provider with only our reference. */
	assert_int_equal(prov->use_count, ret == 0 ? 2 : 1);
	assert_int_equal(llext_unload(&prov), ret == 0 ? 1 : 0);
	atomic_store(&llext_fault_countdown, saved);
	return ret;
}

static void test_allocations_maps_protections(void **state)
{
	long basic, cxx, linked, recovered = 0;

	(void)state;
	every_call_fails_in_turn(load_basic, &basic, &recovered);
	every_call_fails_in_turn(load_cxx, &cxx, &recovered);
	every_call_fails_in_turn(load_linked, &linked, &recovered);
	/* Enough failure points to mean something: every table, the map, two protections. */
	assert_true(basic >= 10);
	assert_true(cxx >= 10);
	assert_true(linked >= 10);
	/* Most failures are fatal to the load; only placement attempts have alternatives. */
	assert_true(recovered < basic / 2);
	print_message("# failure points: basic %ld, cxx %ld, linked %ld, recovered %ld\n", basic, cxx,
	              linked, recovered);
}

/* An extension with sections named as C identifiers, whose grouping allocates (load/map.c), and
 * section bounds to resolve. */
static int load_bounds(struct llext **ext)
{
	return load_fixture("bounds-gcc-default.o", "faults", ext, NULL);
}

static void test_section_bounds(void **state)
{
	long points, recovered = 0;

	(void)state;
	every_call_fails_in_turn(load_bounds, &points, &recovered);
	assert_true(points >= 10);
}

/* The host's export table, rebuilt after a library is opened, with each allocation failing. */
static void test_host_table_rebuild(void **state)
{
	long points = 0;

	(void)state;
	for (long n = 1;; n++) {
		void *lib = dlopen(LIBEXPORT_PATH, RTLD_NOW | RTLD_LOCAL);
		const void *p;
		bool reached;

		assert_non_null(lib);
		atomic_store(&llext_fault_countdown, n);
		p = llext_find_sym(NULL, "libexport_triple");
		reached = atomic_load(&llext_fault_countdown) == 0;
		atomic_store(&llext_fault_countdown, 0);
		if (!reached) {
			assert_ptr_equal(p, dlsym(lib, "libexport_triple"));
			assert_int_equal(dlclose(lib), 0);
			break;
		}
		points++;
		/* Failed this time; the next lookup, without faults, sees the library. */
		assert_ptr_equal(llext_find_sym(NULL, "libexport_triple"),
		                 dlsym(lib, "libexport_triple"));
		assert_ptr_equal(llext_find_sym(NULL, "host_add"), (const void *)host_add);
		assert_int_equal(dlclose(lib), 0);
	}
	assert_true(points >= 1);
}

/* How the faulty loader answers peek. */
enum peek_mode {
	PEEK_NONE,  /* no peek at all: the object is read into libllext's memory */
	PEEK_ALL,   /* everywhere: the object is parsed in place */
	PEEK_START, /* at 0 only, like a loader keeping sections out of reach (the file loader's
	             * holes): every loaded section is read into place */
};

/* A loader that fails its n-th read. */
struct faulty {
	struct llext_loader loader;
	struct llext_buf_loader inner;
	long reads_left;
	enum peek_mode peek;
};

static int faulty_read(struct llext_loader *l, void *out, size_t len)
{
	struct faulty *f = (struct faulty *)l;

	if (--f->reads_left == 0) {
		return -EIO;
	}
	return f->inner.loader.read(&f->inner.loader, out, len);
}

static int faulty_seek(struct llext_loader *l, size_t pos)
{
	struct faulty *f = (struct faulty *)l;

	return f->inner.loader.seek(&f->inner.loader, pos);
}

static void *faulty_peek(struct llext_loader *l, size_t pos)
{
	struct faulty *f = (struct faulty *)l;

	if (f->peek == PEEK_START && pos != 0) {
		return NULL;
	}
	return f->inner.loader.peek(&f->inner.loader, pos);
}

static void reads_fail_in_turn(enum peek_mode peek)
{
	static const char *const names[] = {"without peek", "with peek",
	                                    "with peek at the start only"};
	size_t len;
	void *buf = read_file(fixture_path("basic-gcc-default.o"), &len);
	long n;

	log_capture_start();
	for (n = 1;; n++) {
		struct faulty f = {
		    .loader = {.read = faulty_read,
		               .seek = faulty_seek,
		               .peek = peek != PEEK_NONE ? faulty_peek : NULL},
		    .inner = LLEXT_BUF_LOADER(buf, len),
		    .reads_left = n,
		    .peek = peek,
		};
		struct llext *ext;
		int ret = llext_load(&f.loader, "reads", &ext, NULL);

		if (f.reads_left > 0) {
			int (*ops)(int, int, int);

			assert_int_equal(ret, 0);
			/* However its bytes came, the code runs. */
			ops = (int (*)(int, int, int))(uintptr_t)llext_find_sym(&ext->exp_tab,
			                                                        "basic_ops");
			assert_non_null(ops);
			assert_int_equal(ops(2, 6, 7), 42);
			assert_int_equal(llext_unload(&ext), 0);
			break;
		}
		/* The loader's own error comes back, whatever the read was for. */
		assert_int_equal(ret, -EIO);
		assert_true(log_contains("Input/output error"));
		assert_int_equal(registry_count(), 0);
	}
	log_capture_stop();
	/* Headers, every chunk of section headers, the last byte; without peek the rest, at the
	 * start only each loaded section (text, data, rodata at least). */
	assert_true(n >= (peek == PEEK_ALL ? 4 : peek == PEEK_NONE ? 5 : 7));
	print_message("# loader reads %s: %ld failure points\n", names[peek], n - 1);
	free(buf);
}

static void test_loader_reads(void **state)
{
	(void)state;
	reads_fail_in_turn(PEEK_ALL);
	reads_fail_in_turn(PEEK_NONE);
	reads_fail_in_turn(PEEK_START);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_allocations_maps_protections),
	    cmocka_unit_test(test_host_table_rebuild),
	    cmocka_unit_test(test_section_bounds),
	    cmocka_unit_test(test_loader_reads),
	};

	/* The C++ fixture needs the C++ runtime in the process, as in tests/test_cxx.c. */
	if (!dlopen("libstdc++.so.6", RTLD_NOW | RTLD_GLOBAL)) {
		return 1;
	}
	return cmocka_run_group_tests_name("faults", tests, NULL, NULL);
}
