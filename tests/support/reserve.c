// SPDX-License-Identifier: MIT
/* Filling the free address space around an address, so that new mappings land farther away. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "maps.h"
#include "reserve.h"

struct reservation {
	size_t n;
	struct {
		uintptr_t start;
		size_t len;
	} r[256];
};

/* The mappings as they were before any reservation: reserving changes the list. */
struct snapshot {
	size_t n;
	struct {
		uintptr_t lo, hi;
	} m[512];
};

static bool record(uintptr_t lo, uintptr_t hi, const char *perms, void *arg)
{
	struct snapshot *snap = arg;

	(void)perms;
	snap->m[snap->n].lo = lo;
	snap->m[snap->n].hi = hi;
	snap->n++;
	return snap->n == 512;
}

/* Map [lo, hi) PROT_NONE if it is still free, and remember it in @res. */
static void occupy(struct reservation *res, uintptr_t lo, uintptr_t hi)
{
	void *p = mmap((void *)lo, hi - lo, PROT_NONE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);

	if (p == (void *)lo) {
		res->r[res->n].start = lo;
		res->r[res->n].len = hi - lo;
		res->n++;
	} else if (p != MAP_FAILED) {
		munmap(p, hi - lo);
	}
}

void *reserve_around(uintptr_t addr, uint64_t span)
{
	struct reservation *res = calloc(1, sizeof(*res));
	struct snapshot *snap = calloc(1, sizeof(*snap));
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t lo = (addr > span ? addr - span : 0x10000) & ~(page - 1);
	uintptr_t hi = (addr + span + page - 1) & ~(page - 1);
	uintptr_t prev = 0x10000;

	assert_non_null(res);
	assert_non_null(snap);
	maps_each(record, snap);
	/* The gaps between mappings, and after the last, clipped to [lo, hi). */
	for (size_t i = 0; i <= snap->n && res->n < 256; i++) {
		uintptr_t gap_lo = prev, gap_hi = i < snap->n ? snap->m[i].lo : hi;

		if (gap_lo < lo) {
			gap_lo = lo;
		}
		if (gap_hi > hi) {
			gap_hi = hi;
		}
		if (gap_lo < gap_hi) {
			occupy(res, gap_lo, gap_hi);
		}
		if (i < snap->n && snap->m[i].hi > prev) {
			prev = snap->m[i].hi;
		}
	}
	free(snap);
	return res;
}

void reserve_release(void *handle)
{
	struct reservation *res = handle;

	for (size_t i = 0; i < res->n; i++) {
		munmap((void *)res->r[i].start, res->r[i].len);
	}
	free(res);
}
