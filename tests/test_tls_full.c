// SPDX-License-Identifier: MIT
/*
 * Running out of static TLS, and getting it back. Extensions whose code uses local-exec or
 * initial-exec against their own variables (tests/ext/tls_own.c) get their blocks in the C
 * library's static TLS; this program loads one again and again under new names until a load is
 * refused, then unloads in orders that do and do not give the room back.
 *
 * tests/meson.build runs it with GLIBC_TUNABLES=glibc.rtld.nns=1:glibc.rtld.optional_static_tls=0,
 * which leaves glibc's surplus for libraries opened later at one library's initial-exec share
 * and the fixed part that keeps the default at its historic size (SURPLUS bytes, from glibc's
 * elf/dl-tls.c), plus what rounding the static area up to its alignment adds: a handful of blocks,
 * so that the limit is reached fast and the count of loads that fit can be bounded from the sizes
 * alone.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "logcap.h"

/* glibc's surplus with one namespace and no optional part: OTHER_IE_TLS (144) and LEGACY_TLS
 * (1664 less the default surplus of 4 namespaces and 512 optional bytes, 1520: 144); and the
 * alignment it rounds the static area up to (the thread control block's, 64 on both). */
#define SURPLUS (144 + 144)
#define STATIC_ALIGN 64

/* tls_own.c's block: an int in .tdata and a long in .tbss, 12 bytes or 16 as the compiler
 * orders the sections, aligned as the long; either way it takes 16 bytes of room, its size
 * rounded up to its alignment. */
#define BLOCK_ALIGN ((int)sizeof(long))
#define BLOCK_SIZE ((int)(sizeof(long) + sizeof(long)))

/* The fewest and the most blocks that fit: the first one may be padded up to its alignment,
 * the others follow it without gaps. */
#define FEWEST ((SURPLUS - (BLOCK_ALIGN - 1)) / BLOCK_SIZE)
#define MOST ((SURPLUS + STATIC_ALIGN - 1) / BLOCK_SIZE)
/* Never more loads than this, whatever the C library does. */
#define MAX_LOADS (4 * MOST)

struct own {
	struct llext *ext;
	int (*bump)(void);
	long (*hidden)(void);
	int *(*addr)(void);
};

static struct own loaded[MAX_LOADS];

/* Loads @file as "tls-full-@i"; 0 with its functions in loaded[@i], or the load's result. */
static int load_one(const char *file, int i)
{
	char name[32];
	struct own *o = &loaded[i];
	int ret;

	snprintf(name, sizeof(name), "tls-full-%d", i);
	ret = load_fixture(file, name, &o->ext, NULL);
	if (ret) {
		return ret;
	}
	o->bump = ext_sym(o->ext, "tls_own_bump");
	o->hidden = ext_sym(o->ext, "tls_own_hidden_get");
	o->addr = ext_sym(o->ext, "tls_own_addr");
	return 0;
}

/*
 * Loads until a load is refused, checking after each load that its block is fresh and its own:
 * bumping it leaves the earlier loads' variables as they were. Returns how many loads fit, all
 * still loaded; the refusal is checked to be the documented one.
 */
static int fill(const char *file)
{
	int n = 0, ret = 0;

	assert_int_equal(registry_count(), 0);
	log_capture_start();
	while (n < MAX_LOADS && (ret = load_one(file, n)) == 0) {
		assert_int_equal(loaded[n].bump(), 42);
		assert_int_equal(loaded[n].hidden(), 2);
		for (int j = 0; j < n; j++) {
			assert_int_equal(*loaded[j].addr(), 42);
			assert_int_equal(loaded[j].hidden(), 2);
			assert_ptr_not_equal(loaded[j].addr(), loaded[n].addr());
		}
		n++;
	}
	log_capture_stop();
	assert_int_not_equal(n, MAX_LOADS);
	/* Refused as docs/writing-extensions.md says: -ENOEXEC, the C library's reason, what to
	 * do; and nothing registered of the refused load. */
	assert_int_equal(ret, -ENOEXEC);
	if (!log_contains("static TLS block")) {
		print_message("log: %s\n", log_text());
	}
	assert_true(log_contains("gets no static TLS"));
	assert_true(log_contains("cannot allocate memory in static TLS block"));
	assert_true(log_contains("-fPIC"));
	assert_true(log_contains("GLIBC_TUNABLES=glibc.rtld.optional_static_tls="));
	assert_int_equal(registry_count(), n);
	/* The earlier blocks are untouched by the refusal. */
	for (int j = 0; j < n; j++) {
		assert_int_equal(loaded[j].bump(), 43);
	}
	return n;
}

static void unload_down(int from, int to)
{
	for (int i = from; i >= to; i--) {
		assert_int_equal(llext_unload(&loaded[i].ext), 0);
	}
}

/*
 * Filled, unloaded in reverse order, filled again: the C library took every block back, and as
 * many fit the second time.
 */
static void test_fill_reverse(void **state)
{
	const char *file = *state;
	int n = fill(file), again;

	assert_in_range(n, FEWEST, MOST);
	unload_down(n - 1, 0);
	assert_int_equal(registry_count(), 0);
	again = fill(file);
	assert_int_equal(again, n);
	unload_down(n - 1, 0);
}

/*
 * Filled, then the first load unloaded, leaving a hole: the C library takes a block back only
 * if it was the last one taken, so the next load is still refused; unloading the last one
 * gives room for one. The hole stays used for good: with everything unloaded, one block fewer
 * fits than at first. Last in the program, as it loses a block's room.
 */
static void test_hole(void **state)
{
	const char *file = *state;
	int n = fill(file), ret;

	assert_in_range(n, FEWEST, MOST);
	assert_true(n >= 2);
	assert_int_equal(llext_unload(&loaded[0].ext), 0);
	log_capture_start();
	ret = load_one(file, 0);
	log_capture_stop();
	assert_int_equal(ret, -ENOEXEC);
	assert_true(log_contains("cannot allocate memory in static TLS block"));
	assert_int_equal(registry_count(), n - 1);

	assert_int_equal(llext_unload(&loaded[n - 1].ext), 0);
	assert_int_equal(load_one(file, n - 1), 0);
	assert_int_equal(loaded[n - 1].bump(), 42);
	assert_int_equal(loaded[1].bump(), 44);
	unload_down(n - 1, 1);
	assert_int_equal(registry_count(), 0);

	assert_int_equal(fill(file), n - 1);
	unload_down(n - 2, 0);
}

int main(void)
{
	static const char *const own[] = {"tls-own-le.o", "tls-own-ie.o", "tls-own-le-clang.o"};
	struct CMUnitTest t[ARRAY_SIZE(own) + 1];
	size_t n = 0;

	for (size_t i = 0; i < (FIXTURE_HAVE_CLANG ? 3 : 2); i++, n++) {
		t[n] = (struct CMUnitTest){own[i], test_fill_reverse, NULL, NULL, (void *)own[i]};
	}
	t[n++] = (struct CMUnitTest){"hole", test_hole, NULL, NULL, (void *)own[0]};
	return run_dynamic_tests("tls-full", t, n);
}
