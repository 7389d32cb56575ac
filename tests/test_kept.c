// SPDX-License-Identifier: MIT
/*
 * Scratch mappings kept from one load for the next (lib/kept.c): reused when large enough,
 * replaced by a larger one, handed out one at a time so that each comes back whole, and nothing
 * left mapped once freed.
 */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "llext_priv.h"
#include "maps.h"

#define KIB ((size_t)1 << 10)
#define MIB ((size_t)1 << 20)

static bool mapped(const void *p)
{
	char perms[5];

	return maps_perms((uintptr_t)p, perms);
}

static size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

/* How many pages of [p, p + len) are mapped. */
static size_t pages_mapped(const uint8_t *p, size_t len)
{
	size_t n = 0;

	for (size_t off = 0; off < len; off += page_size()) {
		n += mapped(p + off);
	}
	return n;
}

/* Whether every page of [p, p + len) is mapped; @len is a multiple of the page size. */
static bool all_mapped(const uint8_t *p, size_t len)
{
	return pages_mapped(p, len) == len / page_size();
}

static void test_reused_when_large_enough(void **state)
{
	struct llext_kept k = LLEXT_KEPT_INIT;
	uint8_t *a, *b;

	(void)state;
	a = llext_kept_take(&k, 100 * KIB, 0);
	assert_non_null(a);
	memset(a, 0x5a, 100 * KIB);
	llext_kept_give(&k, a, 100 * KIB, 0);
	/* The same block for the same or a smaller need, with what the last user left in it
	 * (small blocks are not given to the kernel to take back). */
	b = llext_kept_take(&k, 40 * KIB, 0);
	assert_ptr_equal(b, a);
	assert_int_equal(b[100 * KIB - 1], 0x5a);
	llext_kept_give(&k, b, 40 * KIB, 0);
	/* Handed out whole the first time, it came back whole. */
	assert_true(all_mapped(a, 100 * KIB));
	llext_kept_free(&k);
	assert_false(mapped(a));
}

static void test_larger_replaces_smaller(void **state)
{
	struct llext_kept k = LLEXT_KEPT_INIT;
	uint8_t *small, *large, *again;

	(void)state;
	small = llext_kept_take(&k, 8 * KIB, 0);
	llext_kept_give(&k, small, 8 * KIB, 0);
	large = llext_kept_take(&k, 300 * KIB, 0);
	assert_non_null(large);
	assert_ptr_not_equal(large, small);
	/* Not the kept one: too small. It stays kept until the larger comes back. */
	assert_true(mapped(small));
	llext_kept_give(&k, large, 300 * KIB, 0);
	assert_false(mapped(small));
	assert_true(all_mapped(large, 300 * KIB));
	again = llext_kept_take(&k, 8 * KIB, 0);
	assert_ptr_equal(again, large);
	llext_kept_give(&k, again, 8 * KIB, 0);
	llext_kept_free(&k);
	assert_false(mapped(large));
}

/* While the kept block is out, other users get blocks of their own, even when one of theirs has
 * been kept meanwhile: the block out comes back with its whole length. */
static void test_one_out_at_a_time(void **state)
{
	struct llext_kept k = LLEXT_KEPT_INIT;
	uint8_t *a, *b, *c;

	(void)state;
	a = llext_kept_take(&k, 256 * KIB, 0);
	llext_kept_give(&k, a, 256 * KIB, 0);
	a = llext_kept_take(&k, 16 * KIB, 0); /* the 256 KiB block, out */
	b = llext_kept_take(&k, 16 * KIB, 0);
	assert_ptr_not_equal(b, a);
	llext_kept_give(&k, b, 16 * KIB, 0); /* kept: there was none */
	c = llext_kept_take(&k, 16 * KIB, 0);
	assert_ptr_not_equal(c, a);
	assert_ptr_not_equal(c, b);
	llext_kept_give(&k, c, 16 * KIB, 0);
	assert_false(mapped(c)); /* the same size as the one kept: unmapped */
	llext_kept_give(&k, a, 16 * KIB, 0);
	/* a is larger than b: a is kept, whole, and b unmapped. */
	assert_false(mapped(b));
	assert_true(all_mapped(a, 256 * KIB));
	llext_kept_free(&k);
	assert_int_equal(pages_mapped(a, 256 * KIB), 0);
}

static void test_huge_alignment(void **state)
{
	struct llext_kept k = LLEXT_KEPT_INIT;
	uint8_t *a;

	(void)state;
	a = llext_kept_take(&k, 3 * MIB, 2 * MIB);
	assert_non_null(a);
	assert_int_equal((uintptr_t)a % (2 * MIB), 0);
	memset(a, 1, 3 * MIB);
	llext_kept_give(&k, a, 3 * MIB, 2 * MIB);
	/* Given to the kernel to take back while it waits: mapped all the same. */
	assert_true(all_mapped(a, 4 * MIB));
	assert_ptr_equal(llext_kept_take(&k, 1 * MIB, 2 * MIB), a);
	llext_kept_give(&k, a, 1 * MIB, 2 * MIB);
	llext_kept_free(&k);
	assert_false(mapped(a));
	assert_false(mapped(a + 4 * MIB - 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reused_when_large_enough),
	    cmocka_unit_test(test_larger_replaces_smaller),
	    cmocka_unit_test(test_one_out_at_a_time),
	    cmocka_unit_test(test_huge_alignment),
	};

	return cmocka_run_group_tests_name("kept", tests, NULL, NULL);
}
