// SPDX-License-Identifier: MIT
/*
 * Section bounds: __start_NAME and __stop_NAME, for every section name of an extension that is a
 * C identifier, span all its loaded sections of that name laid out together, as GNU ld and lld
 * define them; they belong to the extension, whatever the host exports.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <llext/symbol.h>

#include "common.h"
#include "objsyms.h"
#include "logcap.h"

static const char *const variants[] = {FIXTURE_VARIANTS};

/* The host exports a __start_my_items of its own: an extension must not see it for its table. */
static int host_items[4];
EXPORT_SYMBOL_NAMED(host_items, __start_my_items);

/* True if [@p, @p + @len) lies in region @r of @ext. */
static bool in_region(const struct llext *ext, enum llext_mem r, const void *p, size_t len)
{
	uintptr_t lo = (uintptr_t)ext->mem[r], a = (uintptr_t)p;

	return ext->mem[r] && a >= lo && a + len <= lo + ext->mem_size[r];
}

/* Checks the table of bounds.c (built with -DBASE=@base) through @ext's own functions. */
static void check_table(struct llext *ext, int base)
{
	int (*count)(void) = ext_sym(ext, "bounds_count");
	void *(*items)(void) = ext_sym(ext, "bounds_items");
	int (*key)(int) = ext_sym(ext, "bounds_key");
	int (*call)(int, int, int *) = ext_sym(ext, "bounds_call");
	int (*calls)(int) = ext_sym(ext, "bounds_calls");
	const int *(*consts)(int *) = ext_sym(ext, "bounds_consts");
	int (*absent)(void) = ext_sym(ext, "bounds_absent");
	int seen = 0, found, n;
	const int *c;

	/* Three entries, registered in any order the compiler chose: each key once. */
	assert_int_equal(count(), 3);
	for (int i = 0; i < 3; i++) {
		int k = key(i) - base;

		assert_true(k >= 1 && k <= 3);
		seen |= 1 << k;
	}
	assert_int_equal(seen, 0xe);
	assert_int_equal(key(3), -1);
	/* The entries' functions run, and the writable table counts the calls. */
	assert_int_equal(call(base + 1, 7, &found), 14);
	assert_int_equal(found, 1);
	assert_int_equal(call(base + 2, 7, &found), 49);
	assert_int_equal(call(base + 3, 7, &found), -7);
	assert_int_equal(call(base + 3, 8, &found), -8);
	assert_int_equal(calls(base + 1), 1);
	assert_int_equal(calls(base + 3), 2);
	call(base + 4, 1, &found);
	assert_int_equal(found, 0);
	/* Writable with contents: the data region, not the host's array of the same name. */
	assert_ptr_not_equal(items(), host_items);
	assert_true(in_region(ext, LLEXT_MEM_DATA, items(), 3 * 16));

	/* The const table: read-only data. */
	c = consts(&n);
	assert_int_equal(n, 2);
	assert_true(in_region(ext, LLEXT_MEM_RODATA, c, 2 * sizeof(int)));
	assert_int_equal(c[0] + c[1], 2 * base + 30);
	assert_true((c[0] == base + 10 && c[1] == base + 20) ||
	            (c[0] == base + 20 && c[1] == base + 10));

	/* Weak references to the bounds of a section it does not have: null. */
	assert_int_equal(absent(), 3);
}

/* A registration table in one object, under one flag set (PC-relative, GOT, absolute). */
static void test_table(void **state)
{
	char file[128];
	struct llext *ext;

	snprintf(file, sizeof(file), "bounds-%s.o", (const char *)*state);
	assert_int_equal(load_fixture(file, "bounds", &ext, NULL), 0);
	check_table(ext, 0);
	assert_int_equal(llext_unload(&ext), 0);
	assert_int_equal(registry_count(), 0);
}

/* Two extensions with a my_items section each: each walks its own. */
static void test_per_extension(void **state)
{
	struct llext *one, *two;
	int (*key_one)(int), (*key_two)(int);

	(void)state;
	assert_int_equal(load_fixture("bounds-gcc-default.o", "bounds1", &one, NULL), 0);
	assert_int_equal(load_fixture("bounds-second.o", "bounds2", &two, NULL), 0);
	check_table(one, 0);
	check_table(two, 100);
	key_one = ext_sym(one, "bounds_key");
	key_two = ext_sym(two, "bounds_key");
	assert_true(key_one(0) < 100);
	assert_true(key_two(0) > 100);
	assert_int_equal(llext_unload(&two), 0);
	assert_int_equal(llext_unload(&one), 0);
	assert_int_equal(registry_count(), 0);
}

/* Entries from two compilation units joined with `ld -r`: one input section (merged) or two
 * (--unique); in both, the first unit's entries come first. */
static void test_joined(void **state)
{
	static const char *const files[] = {"bounds-joined.o", "bounds-joined-unique.o"};

	(void)state;
	for (size_t f = 0; f < ARRAY_SIZE(files); f++) {
		struct llext *ext;
		long keys[8] = {0};

		assert_int_equal(load_fixture(files[f], "joined", &ext, NULL), 0);
		int (*join_keys)(long *, int) = ext_sym(ext, "bounds_join_keys");

		assert_int_equal(join_keys(keys, 8), 4);
		assert_true((keys[0] == 1 && keys[1] == 2) || (keys[0] == 2 && keys[1] == 1));
		assert_true((keys[2] == 11 && keys[3] == 12) || (keys[2] == 12 && keys[3] == 11));
		assert_int_equal(llext_unload(&ext), 0);
	}
	assert_int_equal(registry_count(), 0);
}

static uintptr_t align_up(uintptr_t v, uintptr_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/*
 * Three sections named my_vals with others between them (bounds_asm.c): laid out together in
 * input order, {1, 2} (8-aligned, 16 bytes), {3} (64-aligned, 8 bytes), {4, 5} (8-aligned,
 * 16 bytes), nothing else inside the bounds.
 */
static void test_apart(void **state)
{
	static const char *const files[] = {
		"bounds-asm-gcc.o",
		"bounds-asm-pic.o",
#if FIXTURE_HAVE_CLANG
		"bounds-asm-clang.o"
#endif
	};

	(void)state;
	for (size_t f = 0; f < ARRAY_SIZE(files); f++) {
		struct llext *ext;
		long vals[8] = {0};

		assert_int_equal(load_fixture(files[f], "apart", &ext, NULL), 0);
		int (*get)(long *, int) = ext_sym(ext, "bounds_vals");
		const void *(*start)(void) = ext_sym(ext, "bounds_vals_start");
		const void *(*stop)(void) = ext_sym(ext, "bounds_vals_stop");
		const void *(*three)(void) = ext_sym(ext, "bounds_vals_three");
		uintptr_t s = (uintptr_t)start(), third = align_up(s + 16, 64);

		assert_int_equal(get(vals, 8), 5);
		for (int i = 0; i < 5; i++) {
			assert_int_equal(vals[i], i + 1);
		}
		assert_int_equal(s % 8, 0);
		assert_int_equal((uintptr_t)three(), third);
		assert_int_equal((uintptr_t)stop(), third + 8 + 16);
		assert_true(in_region(ext, LLEXT_MEM_RODATA, start(), third + 24 - s));
		assert_int_equal(llext_unload(&ext), 0);
	}
	assert_int_equal(registry_count(), 0);
}

/* A strong reference to the bounds of a section the extension does not have: refused, named. */
static void test_strong_absent(void **state)
{
	struct llext *ext;

	(void)state;
	log_capture_start();
	assert_int_equal(load_fixture("bounds-strong.o", "strong", &ext, NULL), -ENODATA);
	log_capture_stop();
	assert_null(ext);
	assert_true(log_contains("undefined symbol '__start_nowhere': no section 'nowhere' in the "
	                         "extension"));
	assert_int_equal(registry_count(), 0);
}

/* Sections of one name in two regions (code and data): not one range, refused with the name. */
static void test_mixed_regions(void **state)
{
	struct llext *ext;

	(void)state;
	log_capture_start();
	assert_int_equal(load_fixture("bounds-mixed.o", "mixed", &ext, NULL), -ENOEXEC);
	log_capture_stop();
	assert_null(ext);
	assert_true(log_contains("symbol '__start_mixed': the sections 'mixed'"));
	assert_int_equal(registry_count(), 0);
}

/* __start_ followed by what is not a C identifier (".text", "9lives", both section names of the
 * object): ordinary undefined symbols, looked up outside and missing. */
static void test_not_identifier(void **state)
{
	struct llext *ext;

	(void)state;
	log_capture_start();
	assert_int_equal(load_fixture("bounds-ident.o", "ident", &ext, NULL), -ENODATA);
	log_capture_stop();
	assert_null(ext);
	assert_true(log_contains("undefined symbol '__start_.text'\n"));
	assert_true(log_contains("undefined symbol '__start_9lives'\n"));
	assert_false(log_contains("no section"));
	assert_true(log_contains("2 undefined symbols"));
	assert_int_equal(registry_count(), 0);
}

#if FIXTURE_HAVE_CLANG
/* The host's side of Clang's fuzzing coverage: what each extension's constructor handed over. */
struct coverage {
	char *cntrs, *cntrs_end;
	const uintptr_t *pcs, *pcs_end;
};
static struct coverage cov[2];
static int ncntrs, npcs, ncmps;

void host_cov_cntrs_init(char *start, char *stop);
void host_cov_pcs_init(const uintptr_t *start, const uintptr_t *stop);
void host_cov_const_cmp4(uint32_t a, uint32_t b);

void host_cov_cntrs_init(char *start, char *stop)
{
	if (ncntrs < 2) {
		cov[ncntrs].cntrs = start;
		cov[ncntrs].cntrs_end = stop;
	}
	ncntrs++;
}

void host_cov_pcs_init(const uintptr_t *start, const uintptr_t *stop)
{
	if (npcs < 2) {
		cov[npcs].pcs = start;
		cov[npcs].pcs_end = stop;
	}
	npcs++;
}

void host_cov_const_cmp4(uint32_t a, uint32_t b)
{
	(void)a;
	(void)b;
	ncmps++;
}

EXPORT_SYMBOL_NAMED(host_cov_cntrs_init, __sanitizer_cov_8bit_counters_init);
EXPORT_SYMBOL_NAMED(host_cov_pcs_init, __sanitizer_cov_pcs_init);
EXPORT_SYMBOL_NAMED(host_cov_const_cmp4, __sanitizer_cov_trace_const_cmp4);

/* Checks what extension @ext's coverage constructor handed over (@c), built from @file. */
static void check_coverage(struct llext *ext, const struct coverage *c, const char *file)
{
	int (*branchy)(int) = ext_sym(ext, "sancov_branchy");
	size_t n = (size_t)(c->cntrs_end - c->cntrs), before = 0, after = 0;
	uintptr_t text = (uintptr_t)ext->mem[LLEXT_MEM_TEXT];

	/* One counter per edge, of every function's section: two functions, two sections. */
	assert_int_equal(n, objsyms_sections_size(fixture_path(file), "__sancov_cntrs"));
	assert_true(n >= 2);
	assert_true(in_region(ext, LLEXT_MEM_DATA, c->cntrs, n));
	/* A {PC, flags} pair per counter, every PC in the extension's code. */
	assert_int_equal((size_t)(c->pcs_end - c->pcs) * sizeof(uintptr_t),
	                 objsyms_sections_size(fixture_path(file), "__sancov_pcs"));
	assert_int_equal((size_t)(c->pcs_end - c->pcs), 2 * n);
	for (const uintptr_t *p = c->pcs; p < c->pcs_end; p += 2) {
		assert_true(*p >= text && *p < text + ext->mem_size[LLEXT_MEM_TEXT]);
	}
	/* Running instrumented code counts in the very counters handed over. */
	for (size_t i = 0; i < n; i++) {
		before += (unsigned char)c->cntrs[i];
	}
	assert_int_equal(branchy(10), 20);
	assert_int_equal(branchy(-10), 10);
	for (size_t i = 0; i < n; i++) {
		after += (unsigned char)c->cntrs[i];
	}
	assert_true(after >= before + 2);
}

/* Two extensions built with -fsanitize=fuzzer-no-link (default flags and -fPIC): each
 * constructor hands over its own extension's tables. */
static void test_sancov(void **state)
{
	static const char *const files[] = {"sancov-default.o", "sancov-pic.o"};
	struct llext *ext[2];

	(void)state;
	ncntrs = npcs = 0;
	for (int i = 0; i < 2; i++) {
		assert_int_equal(load_fixture(files[i], i ? "sancov2" : "sancov1", &ext[i], NULL),
		                 0);
		assert_int_equal(llext_bringup(ext[i]), 0);
		assert_int_equal(ncntrs, i + 1);
		assert_int_equal(npcs, i + 1);
	}
	for (int i = 0; i < 2; i++) {
		check_coverage(ext[i], &cov[i], files[i]);
	}
	assert_true(cov[0].cntrs_end <= cov[1].cntrs || cov[1].cntrs_end <= cov[0].cntrs);
	assert_true(ncmps > 0);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(llext_unload(&ext[i]), 0);
	}
	assert_int_equal(registry_count(), 0);
}
#endif

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_per_extension),
		cmocka_unit_test(test_joined),
		cmocka_unit_test(test_apart),
		cmocka_unit_test(test_strong_absent),
		cmocka_unit_test(test_mixed_regions),
		cmocka_unit_test(test_not_identifier),
#if FIXTURE_HAVE_CLANG
		cmocka_unit_test(test_sancov),
#endif
	};
	size_t nv = ARRAY_SIZE(variants), n = 0;
	struct CMUnitTest *t = calloc(nv + ARRAY_SIZE(fixed), sizeof(*t));
	char(*names)[96] = calloc(nv, sizeof(*names));
	int ret;

	for (size_t i = 0; i < nv; i++) {
		snprintf(names[i], sizeof(names[i]), "table/%s", variants[i]);
		t[n++] = (struct CMUnitTest){.name = names[i],
		                             .test_func = test_table,
		                             .initial_state = (void *)variants[i]};
	}
	for (size_t i = 0; i < ARRAY_SIZE(fixed); i++) {
		t[n++] = fixed[i];
	}
	ret = run_dynamic_tests("section-bounds", t, n);
	free(names);
	free(t);
	return ret;
}
