// SPDX-License-Identifier: MIT
/*
 * Hand-written assembly extensions that use the relocation types compilers do not emit in
 * ordinary code, loaded with libllext and executed. Each check compares what a function returns
 * with what its assembly source, next to this file, says it computes, and that the extension really
 * had every relocation type it was written to exercise. Only the host architecture's fixtures are
 * built and run.
 */
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <llext/log.h>

#include "aarch64/relocs.h"
#include "arch.h"
#include "common.h"
#include "logcap.h"
#include "host_api.h"

static struct llext *load_arch(const char *file, const char *name)
{
	char path[4096];
	struct llext *ext = NULL;
	size_t len;
	void *buf;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", ARCH_FIXTURE_DIR, file);
	buf = read_file(path, &len);
	log_capture_start();
	ret = load_buffer(buf, len, name, &ext, NULL);
	log_capture_stop();
	free(buf);
	if (ret != 0) {
		fail_msg("loading %s: %d\n%s", file, ret, log_text());
	}
	return ext;
}

/* The extension had at least one relocation of each type in @types. */
static void expect_types(struct llext *ext, const unsigned int *types, size_t n)
{
	struct llext_reloc_count counts[128];
	size_t k = llext_reloc_counts(ext, counts, ARRAY_SIZE(counts));

	assert_true(k <= ARRAY_SIZE(counts));
	for (size_t i = 0; i < n; i++) {
		size_t j;

		for (j = 0; j < k; j++) {
			if (counts[j].type == types[i] && counts[j].count > 0) {
				break;
			}
		}
		if (j == k) {
			fail_msg("%s has no relocation of type %u", ext->name, types[i]);
		}
	}
}

static void *sym(struct llext *ext, const char *name)
{
	return ext_sym(ext, name);
}

#if defined(__aarch64__)

/* The types the backend applies, from the list its table is generated from; 0 for the others. */
#define APPLIED(name, size, flags, reach, min, max)                                                \
	((flags) & (LLEXT_RF_TLS | LLEXT_RF_DYNAMIC) ? R_AARCH64_NONE : (name)),

/*
 * a64_relocs.S uses every type the backend applies, except R_AARCH64_NONE and the 32- and 64-bit
 * LDST*_ABS_LO12_NC forms: compiled C uses those (the tests/ext and tests/real fixtures do).
 */
static void test_a64_relocs(void **state)
{
	static const unsigned int listed[] = {LLEXT_AARCH64_RELOCS(APPLIED)};
	unsigned int types[ARRAY_SIZE(listed)];
	size_t ntypes = 0;
	struct llext *ext = load_arch("a64_relocs.o", "a64");
	uint64_t out[8];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(listed); i++) {
		if (listed[i] != R_AARCH64_NONE && listed[i] != R_AARCH64_LDST32_ABS_LO12_NC &&
		    listed[i] != R_AARCH64_LDST64_ABS_LO12_NC) {
			types[ntypes++] = listed[i];
		}
	}
	expect_types(ext, types, ntypes);

	/* Branches to another section: CBZ, TBNZ, B.EQ. */
	long (*branches)(long) = sym(ext, "a64_branches");

	assert_int_equal(branches(0), 100);
	assert_int_equal(branches(1), 300);
	assert_int_equal(branches(2), 200);
	assert_int_equal(branches(6), 200);
	assert_int_equal(branches(4), -1);

	/* Literal loads and ADR. */
	uint64_t (*literal)(void) = sym(ext, "a64_literal");
	const char *(*adr)(void) = sym(ext, "a64_adr");

	assert_int_equal(literal(), 0x1122334455667788ull + 0x99aabbccull);
	assert_string_equal(adr(), "adr-ok");

	/* Scaled loads and stores. */
	void (*ldst)(uint64_t *) = sym(ext, "a64_ldst");
	uint8_t *store = sym(ext, "a64_store");

	memset(out, 0, sizeof(out));
	ldst(out);
	assert_int_equal(out[0], 0x5a);
	assert_int_equal(out[1], 0xbeef);
	assert_int_equal(out[2], 0x0123456789abcdefull);
	assert_int_equal(out[3], 0xfedcba9876543210ull);
	assert_int_equal(store[0], 0xef);
	assert_int_equal(store[2] | store[3] << 8, 0xbeef);

	/* Signed groups: MOVN for the negative values. */
	void (*sabs)(int64_t *) = sym(ext, "a64_sabs");
	int64_t s[5];

	sabs(s);
	assert_int_equal(s[0], -1234);
	assert_int_equal(s[1], 0xfedc);
	assert_int_equal(s[2], -0x12345678ll);
	assert_int_equal(s[3], -0x123456789abcll);
	assert_int_equal(s[4], 0x7edcba987654ll);

	/* Unsigned groups, and a 64-bit address built by G3 and the _NC forms. */
	void (*uabs)(uint64_t *) = sym(ext, "a64_uabs");
	uint64_t quad = (uintptr_t)sym(ext, "a64_quad");

	uabs(out);
	assert_int_equal(out[0], 0xfff0);
	assert_int_equal(out[1], 0x87654321ull);
	assert_int_equal(out[2], 0xba9876543210ull);
	assert_int_equal(out[3], quad);

	/* PC-relative groups, forward and backward, and to the host wherever it is. */
	void (*prel)(uint64_t *) = sym(ext, "a64_prel");
	uint64_t fwd = (uintptr_t)sym(ext, "a64_fwd"), back = (uintptr_t)sym(ext, "a64_back");

	prel(out);
	assert_int_equal(out[0], fwd);
	assert_int_equal(out[1], back);
	assert_int_equal(out[2], back);
	assert_int_equal(out[3], fwd);
	assert_int_equal(out[4], (uintptr_t)host_add);

	/* Through the GOT. */
	void (*got)(uint64_t *) = sym(ext, "a64_got");

	got(out);
	assert_int_equal(out[0], (uintptr_t)&host_counter);
	assert_int_equal(out[1], (uintptr_t)&host_counter);
	assert_int_equal(out[2], (uintptr_t)host_name);

	uint64_t (*page_nc)(void) = sym(ext, "a64_page_nc");

	assert_int_equal(page_nc(), quad);

	/* A call and a tail call into the host. */
	int (*call)(int, int) = sym(ext, "a64_call");
	int (*tail)(int, int) = sym(ext, "a64_tail");

	assert_int_equal(call(2, 3), 6);
	assert_int_equal(tail(20, 22), 42);
	assert_int_equal(((long (*)(void))back)(), 11);

	/* Data relocations. */
	const uint16_t *d16 = sym(ext, "a64_data16");
	const uint32_t *d32 = sym(ext, "a64_data32");
	const uint64_t *d64 = sym(ext, "a64_data64");

	assert_int_equal(d16[0], 0x1234);
	assert_int_equal(d16[1], 0xfffe);
	assert_int_equal((int16_t)d16[2], (int64_t)(quad - (uintptr_t)&d16[2]));
	assert_int_equal(d32[0], 0x89abcdefu);
	assert_int_equal(d32[1], (uint32_t)-5);
	assert_int_equal((int32_t)d32[2], (int64_t)(back - (uintptr_t)&d32[2]));
	assert_int_equal(d64[0], quad + 8);
	assert_int_equal(d64[1], (uintptr_t)host_add - (uintptr_t)&d64[1]);

	assert_int_equal(llext_unload(&ext), 0);
}

/* ABS32 and a checked MOVW_UABS_G1 against the extension's own data: it is placed below 4 GiB. */
static void test_a64_low(void **state)
{
	static const unsigned int types[] = {R_AARCH64_ABS32, R_AARCH64_MOVW_UABS_G1};
	struct llext *ext = load_arch("a64_low.o", "a64-low");
	uint64_t (*addr)(void) = sym(ext, "a64_low_addr");
	uint64_t *var = sym(ext, "a64_low_var");
	uint32_t *ref = sym(ext, "a64_low_ref");

	(void)state;
	expect_types(ext, types, ARRAY_SIZE(types));
	assert_true((uintptr_t)var < ((uint64_t)1 << 32));
	assert_int_equal(addr(), (uintptr_t)var);
	assert_int_equal(*ref, (uint32_t)(uintptr_t)var + 4);
	assert_int_equal(*var, 0x600d);
	assert_int_equal(llext_unload(&ext), 0);
}

/* Branches to an undefined weak function load, go through a veneer, and guarded code runs. */
static void test_a64_weak_branch(void **state)
{
	static const unsigned int types[] = {R_AARCH64_CALL26, R_AARCH64_JUMP26};
	struct llext *ext = load_arch("a64_weak.o", "a64-weak");
	long (*call)(void) = sym(ext, "a64_weak_call");
	long (*tail)(void) = sym(ext, "a64_weak_tail");
	struct llext_stats st;

	(void)state;
	expect_types(ext, types, ARRAY_SIZE(types));
	assert_int_equal(call(), 7);
	assert_int_equal(tail(), 8);
	assert_int_equal(llext_get_stats(ext, &st), 0);
	/* One target, one veneer, its GOT entry shared with the explicit GOT loads. */
	assert_int_equal(st.stubs, 1);
	assert_int_equal(st.got_entries, 1);
	assert_int_equal(llext_unload(&ext), 0);
}

/*
 * Calls to libc from beyond a branch's reach: a 1 GiB PROT_NONE reservation made before the load
 * lies between the extension and libc, so every BL and B to libc must go through a veneer.
 */
static void test_a64_veneer(void **state)
{
	const uint64_t reach = (uint64_t)1 << 27;
	size_t gap = (size_t)1 << 30;
	void *hole = mmap(NULL, gap, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	struct llext *ext;
	struct llext_stats st;
	uint64_t text, fns[2];

	(void)state;
	assert_true(hole != MAP_FAILED);
	ext = load_arch("a64_libc.o", "a64-libc");
	text = (uintptr_t)ext->mem[LLEXT_MEM_TEXT];
	fns[0] = (uintptr_t)dlsym(RTLD_DEFAULT, "strlen");
	fns[1] = (uintptr_t)dlsym(RTLD_DEFAULT, "labs");
	for (size_t i = 0; i < 2; i++) {
		uint64_t d = fns[i] > text ? fns[i] - text : text - fns[i];

		assert_true(fns[i] != 0);
		if (d <= reach) {
			fail_msg(
			    "libc function at 0x%llx is only 0x%llx bytes from the text at 0x%llx",
			    (unsigned long long)fns[i], (unsigned long long)d,
			    (unsigned long long)text);
		}
	}

	size_t (*len)(const char *) = sym(ext, "a64_libc_strlen");
	long (*abs_)(long) = sym(ext, "a64_libc_labs");

	assert_int_equal(len("veneer"), 106);
	assert_int_equal(abs_(-42), 42);
	assert_int_equal(llext_get_stats(ext, &st), 0);
	assert_int_equal(st.stubs, 2);
	assert_int_equal(llext_unload(&ext), 0);
	munmap(hole, gap);
}

/* An extern __thread that no module defines is refused by name, with where it was looked for
 * (tests/test_tls.c links the ones that are defined). */
static void test_a64_tls_refused(void **state)
{
	struct llext *ext = NULL;
	int ret;

	(void)state;
	log_capture_start();
	ret = load_fixture("tls-extern.o", "tls-extern", &ext, NULL);
	log_capture_stop();
	if (ret == -ENOENT) {
		skip();
	}
	assert_int_equal(ret, -ENODATA);
	assert_null(ext);
	if (!log_contains("undefined thread-local variable 'some_tls_var'")) {
		fail_msg("the variable is not named in:\n%s", log_text());
	}
	assert_true(log_contains("an extension loaded before"));
}

#define HOST_TESTS                                                                                 \
	cmocka_unit_test(test_a64_relocs), cmocka_unit_test(test_a64_low),                         \
	    cmocka_unit_test(test_a64_weak_branch), cmocka_unit_test(test_a64_veneer),             \
	    cmocka_unit_test(test_a64_tls_refused)

#elif defined(__x86_64__)

static void test_x86_relocs(void **state)
{
	static const unsigned int types[] = {
	    R_X86_64_8,     R_X86_64_PC8,      R_X86_64_16,       R_X86_64_PC16,
	    R_X86_64_PC64,  R_X86_64_GOTPC32,  R_X86_64_GOTOFF64, R_X86_64_GOTPC64,
	    R_X86_64_GOT64, R_X86_64_GOTPLT64, R_X86_64_PLTOFF64, R_X86_64_GOTPCREL64,
	};
	struct llext *ext = load_arch("x86_relocs.o", "x86");
	void *(*gotoff)(void) = sym(ext, "x86_gotoff");
	void *(*got64)(void) = sym(ext, "x86_got64");
	void *(*gotplt64)(void) = sym(ext, "x86_gotplt64");
	int (*pltoff)(int, int) = sym(ext, "x86_pltoff");
	const uint8_t *d8 = sym(ext, "x86_data8");
	const uint16_t *d16 = sym(ext, "x86_data16");
	const uint64_t *d64 = sym(ext, "x86_data64");
	uintptr_t near = (uintptr_t)sym(ext, "x86_near");

	(void)state;
	expect_types(ext, types, ARRAY_SIZE(types));
	assert_ptr_equal(gotoff(), sym(ext, "x86_var"));
	assert_ptr_equal(got64(), &host_counter);
	assert_ptr_equal(gotplt64(), (void *)host_add);
	assert_int_equal(pltoff(20, 22), 42);

	assert_int_equal(d8[0], 0x7f);
	assert_int_equal(d8[1], 0x80);
	assert_int_equal((int8_t)d8[2], (int64_t)(near - (uintptr_t)&d8[2]));
	assert_int_equal(d16[0], 0xfedc);
	assert_int_equal(d16[1], 0xfffe);
	assert_int_equal((int16_t)d16[2], (int64_t)(near - (uintptr_t)&d16[2]));
	assert_int_equal(d64[0], (uintptr_t)host_add - (uintptr_t)&d64[0]);
	/* GOTPCREL64 is G + A - P: its GOT entry, read back, holds host_counter's address. */
	assert_ptr_equal(*(void **)((uintptr_t)&d64[1] + d64[1]), &host_counter);

	assert_int_equal(llext_unload(&ext), 0);
}

#define HOST_TESTS cmocka_unit_test(test_x86_relocs)

#endif

int main(void)
{
	const struct CMUnitTest tests[] = {HOST_TESTS};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
