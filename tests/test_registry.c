// SPDX-License-Identifier: MIT
/* The registry and lifecycle API: names, use counts, iteration, lookups, calls, arguments. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llext/buf_loader.h>

#include "common.h"
#include "logcap.h"
#include "host_api.h"

#define BASIC "basic-gcc-default.o"

static void test_same_name_returns_existing(void **state)
{
	static const char junk[] = "not an ELF file at all";
	struct llext *a, *b, *c;

	(void)state;
	assert_int_equal(load_fixture(BASIC, "same", &a, NULL), 0);
	assert_int_equal(a->use_count, 1);
	/* Already loaded: the loader is not even read, the previous count comes back. */
	assert_int_equal(load_buffer(junk, sizeof(junk), "same", &b, NULL), 1);
	assert_ptr_equal(a, b);
	assert_int_equal(load_fixture(BASIC, "same", &c, NULL), 2);
	assert_ptr_equal(a, c);
	assert_int_equal(a->use_count, 3);

	assert_int_equal(llext_unload(&c), 2);
	assert_non_null(c);
	assert_int_equal(llext_unload(&b), 1);
	assert_non_null(b);
	assert_ptr_equal(llext_by_name("same"), a);
	assert_int_equal(llext_unload(&a), 0);
	assert_null(a);
	assert_null(llext_by_name("same"));
}

/*
 * Zephyr's rule, kept for programs that rely on it: a second file loaded under a name already
 * taken is not loaded; the first file's extension comes back. (llext-run gives each file a name
 * of its own instead: tests/cli, test_name_collision.)
 */
static void test_same_name_other_file(void **state)
{
	struct llext *a, *b;

	(void)state;
	assert_int_equal(load_fixture(BASIC, "taken", &a, NULL), 0);
	assert_int_equal(load_fixture("provider-gcc-default.o", "taken", &b, NULL), 1);
	assert_ptr_equal(a, b);
	assert_int_equal(a->use_count, 2);
	/* The second file's code was never loaded: only the first's exports are there. */
	assert_non_null(llext_find_sym(&b->exp_tab, "basic_ops"));
	assert_null(llext_find_sym(&b->exp_tab, "provider_value"));
	assert_int_equal(llext_unload(&b), 1);
	assert_int_equal(llext_unload(&a), 0);
}

static void test_by_name(void **state)
{
	struct llext *a, *b;

	(void)state;
	assert_null(llext_by_name("nothing"));
	assert_null(llext_by_name(NULL));
	assert_int_equal(load_fixture(BASIC, "first", &a, NULL), 0);
	assert_int_equal(load_fixture("exports.o", "second", &b, NULL), 0);
	assert_ptr_equal(llext_by_name("first"), a);
	assert_ptr_equal(llext_by_name("second"), b);
	assert_string_equal(a->name, "first");
	assert_null(llext_by_name("firs"));
	assert_int_equal(llext_unload(&a), 0);
	assert_null(llext_by_name("first"));
	assert_ptr_equal(llext_by_name("second"), b);
	assert_int_equal(llext_unload(&b), 0);
}

static void test_long_names_are_cut(void **state)
{
	const char *longname = "a-very-long-extension-name";
	struct llext *a, *b;

	(void)state;
	assert_int_equal(load_fixture(BASIC, longname, &a, NULL), 0);
	assert_int_equal(strlen(a->name), LLEXT_MAX_NAME_LEN);
	assert_memory_equal(a->name, longname, LLEXT_MAX_NAME_LEN);
	/* Both the full and the cut name find it, and loading the full name again reuses it. */
	assert_ptr_equal(llext_by_name(longname), a);
	assert_ptr_equal(llext_by_name(a->name), a);
	assert_int_equal(load_fixture(BASIC, longname, &b, NULL), 1);
	assert_ptr_equal(a, b);
	assert_int_equal(llext_unload(&b), 1);
	assert_int_equal(llext_unload(&a), 0);
}

struct walk {
	char names[8][LLEXT_MAX_NAME_LEN + 1];
	int n, stop_at, unload_current;
};

static int walk_cb(struct llext *ext, void *arg)
{
	struct walk *w = arg;

	snprintf(w->names[w->n], sizeof(w->names[0]), "%s", ext->name);
	w->n++;
	if (w->unload_current) {
		struct llext *e = ext;

		assert_int_equal(llext_unload(&e), 0);
	}
	return w->n == w->stop_at ? 1234 : 0;
}

static void test_iterate(void **state)
{
	struct llext *e[3];
	struct walk w = {0};
	static const char *const names[] = {"one", "two", "three"};

	(void)state;
	assert_int_equal(llext_iterate(walk_cb, &w), 0);
	assert_int_equal(w.n, 0);
	assert_int_equal(llext_iterate(NULL, NULL), -EINVAL);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(load_fixture(BASIC, names[i], &e[i], NULL), 0);
	}
	/* Load order, every extension once. */
	assert_int_equal(llext_iterate(walk_cb, &w), 0);
	assert_int_equal(w.n, 3);
	for (int i = 0; i < 3; i++) {
		assert_string_equal(w.names[i], names[i]);
	}
	/* A non-zero return stops the walk and is returned. */
	memset(&w, 0, sizeof(w));
	w.stop_at = 2;
	assert_int_equal(llext_iterate(walk_cb, &w), 1234);
	assert_int_equal(w.n, 2);
	/* The callback may unload the extension it is given. */
	memset(&w, 0, sizeof(w));
	w.unload_current = 1;
	assert_int_equal(llext_iterate(walk_cb, &w), 0);
	assert_int_equal(w.n, 3);
	assert_int_equal(registry_count(), 0);
}

static void test_invalid_arguments(void **state)
{
	struct llext_buf_loader bl = LLEXT_BUF_LOADER("x", 1);
	struct llext *ext = (struct llext *)1, *null = NULL;

	(void)state;
	log_capture_start();
	assert_int_equal(llext_load(NULL, "x", &ext, NULL), -EINVAL);
	assert_null(ext);
	assert_int_equal(llext_load(&bl.loader, NULL, &ext, NULL), -EINVAL);
	assert_int_equal(llext_load(&bl.loader, "", &ext, NULL), -EINVAL);
	assert_int_equal(llext_load(&bl.loader, "x", NULL, NULL), -EINVAL);
	log_capture_stop();
	assert_int_equal(llext_unload(NULL), -EINVAL);
	assert_int_equal(llext_unload(&null), -EINVAL);
	assert_int_equal(llext_call_fn(NULL, "f"), -EINVAL);
	assert_int_equal(llext_bringup(NULL), -EINVAL);
	assert_int_equal(llext_teardown(NULL), -EINVAL);
	assert_null(llext_find_sym(NULL, NULL));
	assert_int_equal(registry_count(), 0);
}

static void test_call_fn(void **state)
{
	struct llext *ext;

	(void)state;
	host_records_clear();
	assert_int_equal(load_fixture("exports.o", "calls", &ext, NULL), 0);
	assert_int_equal(llext_call_fn(ext, "exported_void"), 0);
	assert_int_equal(llext_call_fn(ext, "exported_void"), 0);
	assert_int_equal(host_nrecords, 2);
	assert_int_equal(host_records[0], 77);
	log_capture_start();
	assert_int_equal(llext_call_fn(ext, "not_exported"), -EINVAL);
	assert_int_equal(llext_call_fn(ext, "no_such_function"), -EINVAL);
	log_capture_stop();
	assert_int_equal(host_nrecords, 2);
	assert_int_equal(llext_unload(&ext), 0);
}

static void test_host_symbols(void **state)
{
	(void)state;
	/* EXPORT_SYMBOL() in the program, found with no registration call. */
	assert_ptr_equal(llext_find_sym(NULL, "host_add"), (const void *)host_add);
	assert_ptr_equal(llext_find_sym(NULL, "host_counter"), &host_counter);
	assert_ptr_equal(llext_find_sym(NULL, "host_name"), host_name);
	/* Not exported, even though it exists in the process. */
	assert_null(llext_find_sym(NULL, "host_records_clear"));
	assert_null(llext_find_sym(NULL, "strlen"));
}

static void test_hand_built_table(void **state)
{
	int a = 1, b = 2;
	struct llext_symbol syms[] = {{"alpha", &a}, {"beta", &b}};
	struct llext_symtable tab = {.sym_cnt = 2, .syms = syms};

	(void)state;
	assert_ptr_equal(llext_find_sym(&tab, "beta"), &b);
	assert_ptr_equal(llext_find_sym(&tab, "alpha"), &a);
	assert_null(llext_find_sym(&tab, "gamma"));
}

static bool exports_name(const struct llext *ext, const char *name)
{
	for (size_t i = 0; i < ext->exp_tab.sym_cnt; i++) {
		if (strcmp(ext->exp_tab.syms[i].name, name) == 0) {
			return true;
		}
	}
	return false;
}

static void test_explicit_exports(void **state)
{
	struct llext *ext;

	(void)state;
	assert_int_equal(load_fixture("exports.o", "explicit", &ext, NULL), 0);
	/* Exactly what LL_EXTENSION_SYMBOL named. */
	assert_int_equal(ext->exp_tab.sym_cnt, 3);
	assert_true(exports_name(ext, "exported_fn"));
	assert_true(exports_name(ext, "exported_var"));
	assert_true(exports_name(ext, "exported_void"));
	assert_false(exports_name(ext, "not_exported"));
	assert_null(llext_find_sym(&ext->exp_tab, "not_exported"));
	assert_non_null(ext->exp_tab.index);

	int (*fn)(int) = ext_sym(ext, "exported_fn");
	int *var = ext_sym(ext, "exported_var");

	assert_int_equal(fn(5), 15);
	assert_int_equal(*var, 17);
	assert_ptr_equal(ext->mem[LLEXT_MEM_EXPORT], ext->exp_tab.syms);
	assert_int_equal(ext->mem_size[LLEXT_MEM_EXPORT], 3 * sizeof(struct llext_symbol));
	assert_int_equal(llext_unload(&ext), 0);
}

static void test_implicit_exports(void **state)
{
	struct llext *ext;

	(void)state;
	assert_int_equal(load_fixture(BASIC, "implicit", &ext, NULL), 0);
	/* Every global of default visibility, nothing static. */
	assert_true(exports_name(ext, "basic_ops"));
	assert_true(exports_name(ext, "basic_global"));
	assert_true(exports_name(ext, "basic_zeroes"));
	assert_false(exports_name(ext, "op_add"));
	assert_false(exports_name(ext, "calls"));
	assert_false(exports_name(ext, "greeting"));
	/* Undefined symbols it uses are not its exports. */
	assert_false(exports_name(ext, "host_add"));
	assert_false(exports_name(ext, "qsort"));
	assert_int_equal(llext_unload(&ext), 0);
}

static void test_regions(void **state)
{
	struct llext *ext;
	size_t total = 0;

	(void)state;
	assert_int_equal(load_fixture(BASIC, "regions", &ext, NULL), 0);
	for (int r = 0; r < LLEXT_MEM_PARTITIONS; r++) {
		assert_non_null(ext->mem[r]);
		assert_true(ext->mem_size[r] > 0);
		assert_true(ext->mem_on_heap[r]);
		total += ext->mem_size[r];
	}
	/* Nothing of the ELF file's tables is kept after the load. */
	assert_null(ext->mem[LLEXT_MEM_SYMTAB]);
	assert_null(ext->mem[LLEXT_MEM_STRTAB]);
	assert_null(ext->mem[LLEXT_MEM_SHSTRTAB]);
	assert_true(ext->alloc_size >= total);
	/* The exported function lies in the text region, the exported array in bss. */
	uintptr_t fn = (uintptr_t)ext_sym(ext, "basic_ops");
	uintptr_t arr = (uintptr_t)ext_sym(ext, "basic_zeroes");

	assert_true(fn >= (uintptr_t)ext->mem[LLEXT_MEM_TEXT] &&
	            fn < (uintptr_t)ext->mem[LLEXT_MEM_TEXT] + ext->mem_size[LLEXT_MEM_TEXT]);
	assert_true(arr >= (uintptr_t)ext->mem[LLEXT_MEM_BSS] &&
	            arr < (uintptr_t)ext->mem[LLEXT_MEM_BSS] + ext->mem_size[LLEXT_MEM_BSS]);
	assert_int_equal(llext_unload(&ext), 0);
}

/* ---- threads: the registry stays consistent under concurrent use ---- */

struct worker {
	int id;
	int failures;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	char own[16];

	snprintf(own, sizeof(own), "thread%d", w->id);
	for (int i = 0; i < 40; i++) {
		struct llext *shared, *mine;
		int (*ops)(int, int, int);

		if (load_fixture(BASIC, "shared", &shared, NULL) < 0 ||
		    load_fixture(BASIC, own, &mine, NULL) != 0) {
			w->failures++;
			continue;
		}
		ops = (int (*)(int, int, int))llext_find_sym(&mine->exp_tab, "basic_ops");
		if (!ops || ops(0, i, w->id) != i + w->id || llext_by_name(own) != mine) {
			w->failures++;
		}
		if (llext_unload(&mine) != 0 || llext_unload(&shared) < 0) {
			w->failures++;
		}
	}
	return NULL;
}

static void test_threads(void **state)
{
	pthread_t t[4];
	struct worker w[4];

	(void)state;
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){.id = i};
		assert_int_equal(pthread_create(&t[i], NULL, worker_main, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(w[i].failures, 0);
	}
	assert_int_equal(registry_count(), 0);
	assert_null(llext_by_name("shared"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_name_returns_existing),
	    cmocka_unit_test(test_same_name_other_file),
	    cmocka_unit_test(test_by_name),
	    cmocka_unit_test(test_long_names_are_cut),
	    cmocka_unit_test(test_iterate),
	    cmocka_unit_test(test_invalid_arguments),
	    cmocka_unit_test(test_call_fn),
	    cmocka_unit_test(test_host_symbols),
	    cmocka_unit_test(test_hand_built_table),
	    cmocka_unit_test(test_explicit_exports),
	    cmocka_unit_test(test_implicit_exports),
	    cmocka_unit_test(test_regions),
	    cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests_name("registry", tests, NULL, NULL);
}
