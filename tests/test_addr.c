// SPDX-License-Identifier: MIT
/*
 * llext_addr_info(): addresses of every fixture variant's functions and objects, local ones
 * included, checked against the object file's own symbol table and llext_find_sym(); stubs and
 * the GOT; addresses outside every extension; calls from a signal handler and from a thread
 * while another loads and unloads.
 */
#include <errno.h>
#include <gelf.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "logcap.h"
#include "host_api.h"
#include "objsyms.h"

static const char *const variants[] = {FIXTURE_VARIANTS};

static char *obj(const char *base, const char *variant)
{
	static char name[128];

	snprintf(name, sizeof(name), "%s-%s.o", base, variant);
	return name;
}

/* -fno-pic x86_64 code cannot reach a PIE host's data: refused, as test_reloc.c checks. */
static bool not_loadable_here(const char *variant)
{
	if (strstr(variant, "nopic") && (uintptr_t)&host_counter >= 0x80000000u) {
		print_message("# %s: not loadable in a PIE host, nothing to look up\n", variant);
		return true;
	}
	return false;
}

/* Loads basic-VARIANT.o; false if this host cannot have it. */
static bool load_basic(const char *variant, struct llext **ext)
{
	int ret;

	log_capture_start();
	ret = load_fixture(obj("basic", variant), "basic", ext, NULL);
	log_capture_stop();
	if (ret == -ENOEXEC && not_loadable_here(variant)) {
		return false;
	}
	assert_int_equal(ret, 0);
	return true;
}

/* Every symbol llext_addr_info() walks to in text is one of the object's functions, with its
 * size; returns how many it walked. */
static size_t walk_text(struct llext *ext, const struct objsym *syms, size_t n, bool *seen)
{
	const uint8_t *p = ext->mem[LLEXT_MEM_TEXT];
	const uint8_t *end = p + ext->mem_size[LLEXT_MEM_TEXT];
	struct llext_addr_info info;
	size_t walked = 0;

	while (p && p < end) {
		assert_int_equal(llext_addr_info(p, &info), 0);
		assert_ptr_equal(info.ext, ext);
		if (info.sym_addr == p && (info.region == LLEXT_MEM_TEXT)) {
			const struct objsym *s = objsyms_find(syms, n, info.sym_name);

			if (!s) {
				fail_msg("walked to '%s', not a symbol of the object", info.sym_name);
			}
			assert_int_equal(info.sym_type, STT_FUNC);
			assert_int_equal(info.sym_size, s->size);
			seen[s - syms] = true;
			walked++;
		}
		p = info.next_sym_addr;
	}
	return walked;
}

static void test_symbols(void **state)
{
	const char *file = obj("basic", *state);
	struct llext_addr_info info;
	struct objsym *syms;
	struct llext *ext;
	size_t n;
	bool *seen;

	if (!load_basic(*state, &ext)) {
		return;
	}
	n = objsyms_read(fixture_path(file), &syms);
	seen = calloc(n + 1, sizeof(*seen));
	assert_non_null(seen);
	assert_true(walk_text(ext, syms, n, seen) > 0);

	for (size_t i = 0; i < n; i++) {
		const uint8_t *a;

		if (!syms[i].global) {
			continue;
		}
		/* Globals: at the address the export table gives, and to their last byte. */
		a = llext_find_sym(&ext->exp_tab, syms[i].name);
		assert_non_null(a);
		assert_int_equal(llext_addr_info(a, &info), 0);
		assert_ptr_equal(info.ext, ext);
		assert_string_equal(info.sym_name, syms[i].name);
		assert_ptr_equal(info.sym_addr, a);
		assert_int_equal(info.sym_type, syms[i].type);
		if (syms[i].size > 1) {
			assert_int_equal(llext_addr_info(a + syms[i].size - 1, &info), 0);
			assert_string_equal(info.sym_name, syms[i].name);
		}
		if (syms[i].code) {
			assert_true(seen[i]);
			assert_int_equal(info.region, LLEXT_MEM_TEXT);
		}
	}
	/* A static function, named although nothing exports it. */
	assert_true(seen[objsyms_find(syms, n, "op_add") - syms]);

	assert_int_equal(llext_addr_info(ext_sym(ext, "basic_global"), &info), 0);
	assert_int_equal(info.region, LLEXT_MEM_DATA);
	assert_int_equal(info.sym_type, STT_OBJECT);
	assert_int_equal(llext_addr_info((long *)ext_sym(ext, "basic_zeroes") + 100, &info), 0);
	assert_int_equal(info.region, LLEXT_MEM_BSS);
	assert_string_equal(info.sym_name, "basic_zeroes");
	assert_int_equal(info.sym_size, 512 * sizeof(long));
	free(seen);
	objsyms_free(syms, n);
	assert_int_equal(llext_unload(&ext), 0);
}

static void test_stubs_got(void **state)
{
	struct llext_addr_info info;
	struct llext_stats st;
	struct llext *ext;

	if (!load_basic(*state, &ext)) {
		return;
	}
	assert_int_equal(llext_get_stats(ext, &st), 0);
	print_message("# %s: %zu stubs, %zu GOT entries to look up\n", (const char *)*state,
	              st.stubs, st.got_entries);
	/* Stubs end text and the GOT ends rodata (lib/load/map.c lays them out so). */
	if (st.stubs) {
		const uint8_t *last = (uint8_t *)ext->mem[LLEXT_MEM_TEXT] +
		                      ext->mem_size[LLEXT_MEM_TEXT] - 1;

		assert_int_equal(llext_addr_info(last, &info), 0);
		assert_int_equal(info.region, LLEXT_MEM_STUBS);
		assert_null(info.sym_name);
	}
	if (st.got_entries) {
		const uint8_t *last = (uint8_t *)ext->mem[LLEXT_MEM_RODATA] +
		                      ext->mem_size[LLEXT_MEM_RODATA] - 1;

		assert_int_equal(llext_addr_info(last, &info), 0);
		assert_int_equal(info.region, LLEXT_MEM_GOT);
		assert_null(info.sym_name);
	}
	assert_int_equal(llext_unload(&ext), 0);
}

static void test_outside(void **state)
{
	struct llext_addr_info info;
	struct llext *ext;
	void *fn;

	(void)state;
	assert_int_equal(llext_addr_info(&host_counter, &info), -ENOENT);
	assert_int_equal(llext_addr_info(NULL, &info), -ENOENT);
	assert_int_equal(load_fixture("basic-gcc-pic.o", "basic", &ext, NULL), 0);
	fn = ext_sym(ext, "basic_ops");
	assert_int_equal(llext_addr_info(fn, NULL), -EINVAL);
	assert_int_equal(llext_addr_info((uint8_t *)ext->mem[LLEXT_MEM_TEXT] - 1, &info), -ENOENT);
	assert_int_equal(llext_addr_info(fn, &info), 0);
	assert_int_equal(llext_unload(&ext), 0);
	/* Gone with the extension. */
	assert_int_equal(llext_addr_info(fn, &info), -ENOENT);
}

/* ---- from a signal handler ---- */

static const void *signal_addr;
static volatile sig_atomic_t signal_ret = 1;
static struct llext_addr_info signal_info;

static void on_signal(int sig)
{
	(void)sig;
	signal_ret = llext_addr_info(signal_addr, &signal_info);
}

static void test_signal_handler(void **state)
{
	struct sigaction sa = {.sa_handler = on_signal}, old;
	struct llext *ext;

	(void)state;
	assert_int_equal(load_fixture("basic-gcc-pic.o", "basic", &ext, NULL), 0);
	signal_addr = (const uint8_t *)ext_sym(ext, "basic_calls") + 1;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGUSR1, &sa, &old), 0);
	raise(SIGUSR1);
	assert_int_equal(sigaction(SIGUSR1, &old, NULL), 0);
	assert_int_equal(signal_ret, 0);
	assert_string_equal(signal_info.sym_name, "basic_calls");
	assert_int_equal(llext_unload(&ext), 0);
}

/* ---- while another thread loads and unloads ---- */

static atomic_bool stop;

static void *churn(void *arg)
{
	(void)arg;
	for (int i = 0; i < 200 && !atomic_load(&stop); i++) {
		struct llext *ext;

		if (load_fixture("basic-gcc-default.o", "churn", &ext, NULL) != 0) {
			return (void *)1;
		}
		llext_unload(&ext);
	}
	return NULL;
}

static void test_concurrent(void **state)
{
	struct llext_addr_info info;
	struct llext *ext;
	size_t found = 0, busy = 0;
	pthread_t t;
	void *res;
	void *fn;

	(void)state;
	assert_int_equal(load_fixture("basic-gcc-pic.o", "basic", &ext, NULL), 0);
	fn = ext_sym(ext, "basic_ops");
	atomic_store(&stop, false);
	assert_int_equal(pthread_create(&t, NULL, churn, NULL), 0);
	for (int i = 0; i < 200000; i++) {
		int ret = llext_addr_info(fn, &info);

		if (ret == 0) {
			assert_ptr_equal(info.ext, ext);
			assert_string_equal(info.sym_name, "basic_ops");
			found++;
		} else {
			/* Never a wrong answer, at worst "ask again". */
			assert_int_equal(ret, -EBUSY);
			busy++;
		}
	}
	atomic_store(&stop, true);
	assert_int_equal(pthread_join(t, &res), 0);
	assert_null(res);
	print_message("# %zu found, %zu busy\n", found, busy);
	assert_true(found > 0);
	assert_int_equal(llext_unload(&ext), 0);
}

int main(void)
{
	size_t nv = sizeof(variants) / sizeof(variants[0]);
	struct CMUnitTest *t = calloc(2 * nv + 3, sizeof(*t));
	size_t n = 0;
	int ret;

	for (size_t i = 0; i < nv; i++) {
		t[n++] = (struct CMUnitTest){variants[i], test_symbols, NULL, NULL,
		                             (void *)variants[i]};
	}
	for (size_t i = 0; i < nv; i++) {
		static char names[64][64];

		snprintf(names[i % 64], sizeof(names[0]), "stubs_got %s", variants[i]);
		t[n++] = (struct CMUnitTest){names[i % 64], test_stubs_got, NULL, NULL,
		                             (void *)variants[i]};
	}
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_outside);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_signal_handler);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_concurrent);
	ret = run_dynamic_tests("addr", t, n);
	free(t);
	return ret;
}
