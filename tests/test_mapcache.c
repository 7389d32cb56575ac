// SPDX-License-Identifier: MIT
/*
 * Scratch mappings kept from one load for the next (lib/base/mapcache.c): reused when large enough,
 * replaced by a larger one, handed out one at a time so that each comes back whole, contents
 * kept when tagged, and nothing left mapped once freed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"
#include "base/mapcache.h"
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
	struct llext_mapcache k = LLEXT_MAPCACHE_INIT;
	uint8_t *a, *b;

	(void)state;
	a = llext_mapcache_take(&k, 100 * KIB, 0, NULL);
	assert_non_null(a);
	memset(a, 0x5a, 100 * KIB);
	llext_mapcache_give(&k, a, 100 * KIB, 0, 0);
	/* The same block for the same or a smaller need, with what the last user left in it
	 * (small blocks are not given to the kernel to take back). */
	b = llext_mapcache_take(&k, 40 * KIB, 0, NULL);
	assert_ptr_equal(b, a);
	assert_int_equal(b[100 * KIB - 1], 0x5a);
	llext_mapcache_give(&k, b, 40 * KIB, 0, 0);
	/* Handed out whole the first time, it came back whole. */
	assert_true(all_mapped(a, 100 * KIB));
	llext_mapcache_free(&k);
	assert_false(mapped(a));
}

static void test_larger_replaces_smaller(void **state)
{
	struct llext_mapcache k = LLEXT_MAPCACHE_INIT;
	uint8_t *small, *large, *again;

	(void)state;
	small = llext_mapcache_take(&k, 8 * KIB, 0, NULL);
	llext_mapcache_give(&k, small, 8 * KIB, 0, 0);
	large = llext_mapcache_take(&k, 300 * KIB, 0, NULL);
	assert_non_null(large);
	assert_ptr_not_equal(large, small);
	/* Not the kept one: too small. It stays kept until the larger comes back. */
	assert_true(mapped(small));
	llext_mapcache_give(&k, large, 300 * KIB, 0, 0);
	assert_false(mapped(small));
	assert_true(all_mapped(large, 300 * KIB));
	again = llext_mapcache_take(&k, 8 * KIB, 0, NULL);
	assert_ptr_equal(again, large);
	llext_mapcache_give(&k, again, 8 * KIB, 0, 0);
	llext_mapcache_free(&k);
	assert_false(mapped(large));
}

/* While the kept block is out, other users get blocks of their own, even when one of theirs has
 * been kept meanwhile: the block out comes back with its whole length. */
static void test_one_out_at_a_time(void **state)
{
	struct llext_mapcache k = LLEXT_MAPCACHE_INIT;
	uint8_t *a, *b, *c;

	(void)state;
	a = llext_mapcache_take(&k, 256 * KIB, 0, NULL);
	llext_mapcache_give(&k, a, 256 * KIB, 0, 0);
	a = llext_mapcache_take(&k, 16 * KIB, 0, NULL); /* the 256 KiB block, out */
	b = llext_mapcache_take(&k, 16 * KIB, 0, NULL);
	assert_ptr_not_equal(b, a);
	llext_mapcache_give(&k, b, 16 * KIB, 0, 0); /* kept: there was none */
	c = llext_mapcache_take(&k, 16 * KIB, 0, NULL);
	assert_ptr_not_equal(c, a);
	assert_ptr_not_equal(c, b);
	llext_mapcache_give(&k, c, 16 * KIB, 0, 0);
	assert_false(mapped(c)); /* the same size as the one kept: unmapped */
	llext_mapcache_give(&k, a, 16 * KIB, 0, 0);
	/* a is larger than b: a is kept, whole, and b unmapped. */
	assert_false(mapped(b));
	assert_true(all_mapped(a, 256 * KIB));
	llext_mapcache_free(&k);
	assert_int_equal(pages_mapped(a, 256 * KIB), 0);
}

static void test_huge_alignment(void **state)
{
	struct llext_mapcache k = LLEXT_MAPCACHE_INIT;
	uint8_t *a;

	(void)state;
	a = llext_mapcache_take(&k, 3 * MIB, 2 * MIB, NULL);
	assert_non_null(a);
	assert_int_equal((uintptr_t)a % (2 * MIB), 0);
	memset(a, 1, 3 * MIB);
	llext_mapcache_give(&k, a, 3 * MIB, 2 * MIB, 0);
	/* Given to the kernel to take back while it waits: mapped all the same. */
	assert_true(all_mapped(a, 4 * MIB));
	assert_ptr_equal(llext_mapcache_take(&k, 1 * MIB, 2 * MIB, NULL), a);
	llext_mapcache_give(&k, a, 1 * MIB, 2 * MIB, 0);
	llext_mapcache_free(&k);
	assert_false(mapped(a));
	assert_false(mapped(a + 4 * MIB - 1));
}

/* The figure @field ("LazyFree:", "Rss:") of /proc/self/smaps for the mapping holding @p, in
 * KiB; -1 if not found. */
static long smaps_kib(const void *p, const char *field)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	size_t flen = strlen(field);
	char line[512];
	bool in = false;
	long kib = -1;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			in = lo <= (uintptr_t)p && (uintptr_t)p < hi;
		} else if (in && strncmp(line, field, flen) == 0) {
			kib = strtol(line + flen, NULL, 10);
			break;
		}
	}
	fclose(f);
	return kib;
}

static long lazyfree_kib(const void *p)
{
	return smaps_kib(p, "LazyFree:");
}

/* Whether the 512 KiB at @p were offered to the kernel: lazily free, or taken back already. */
static bool offered(const void *p)
{
	return lazyfree_kib(p) > 0 || smaps_kib(p, "Rss:") < 512;
}

/* Whether smaps shows pages given to the kernel with MADV_FREE: qemu's user mode drops the call. */
static bool lazyfree_shown(void)
{
	uint8_t *p =
	    mmap(NULL, 512 * KIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bool shown;

	assert_true(p != MAP_FAILED);
	memset(p, 1, 512 * KIB);
	assert_int_equal(madvise(p, 512 * KIB, MADV_FREE), 0);
	shown = offered(p);
	munmap(p, 512 * KIB);
	return shown;
}

/*
 * A tag given back with the kept mapping comes back with it, and says that its contents matter:
 * they are not offered to the kernel (no lazily freed pages), as an untagged mapping's are.
 */
static void test_tag_keeps_contents(void **state)
{
	struct llext_mapcache k = LLEXT_MAPCACHE_INIT;
	bool shown = lazyfree_shown();
	uint64_t tag = 1;
	uint8_t *a;

	(void)state;
	if (!shown) {
		print_message(
		    "# lazily freed pages are not shown here (an emulator): only the tags "
		    "and the contents can be told\n");
	}
	a = llext_mapcache_take(&k, 512 * KIB, 0, &tag);
	assert_non_null(a);
	assert_int_equal(tag, 0); /* fresh */
	memset(a, 0x5a, 512 * KIB);
	llext_mapcache_give(&k, a, 512 * KIB, 0, 42);
	assert_int_equal(lazyfree_kib(a), 0);
	assert_ptr_equal(llext_mapcache_take(&k, 512 * KIB, 0, &tag), a);
	assert_int_equal(tag, 42);
	assert_true(a[0] == 0x5a && memcmp(a, a + 1, 512 * KIB - 1) == 0);
	llext_mapcache_give(&k, a, 512 * KIB, 0, 0);
	assert_int_equal(offered(a), shown);
	assert_ptr_equal(llext_mapcache_take(&k, 512 * KIB, 0, &tag), a);
	assert_int_equal(tag, 0);
	llext_mapcache_give(&k, a, 512 * KIB, 0, 0);
	llext_mapcache_free(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reused_when_large_enough),
	    cmocka_unit_test(test_larger_replaces_smaller),
	    cmocka_unit_test(test_one_out_at_a_time),
	    cmocka_unit_test(test_huge_alignment),
	    cmocka_unit_test(test_tag_keeps_contents),
	};

	return cmocka_run_group_tests_name("kept", tests, NULL, NULL);
}
