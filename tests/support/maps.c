// SPDX-License-Identifier: MIT
/* What /proc/self/maps says about this process: the one parser, and the queries tests make. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "maps.h"

bool maps_each(bool (*fn)(uintptr_t lo, uintptr_t hi, const char *perms, void *arg), void *arg)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[1024];
	bool hit = false;

	assert_non_null(f);
	while (!hit && fgets(line, sizeof(line), f)) {
		unsigned long long lo, hi;
		char perms[5];

		if (sscanf(line, "%llx-%llx %4s", &lo, &hi, perms) == 3) {
			hit = fn((uintptr_t)lo, (uintptr_t)hi, perms, arg);
		}
	}
	fclose(f);
	return hit;
}

struct perms_query {
	uintptr_t addr;
	char *out;
};

static bool match_addr(uintptr_t lo, uintptr_t hi, const char *perms, void *arg)
{
	struct perms_query *q = arg;

	if (q->addr >= lo && q->addr < hi) {
		memcpy(q->out, perms, 5);
		return true;
	}
	return false;
}

bool maps_perms(uintptr_t addr, char perms[5])
{
	struct perms_query q = {addr, perms};

	return maps_each(match_addr, &q);
}

const char *perms_of_prot(int prot)
{
	static char seen[8][5];
	static const int order[] = {PROT_READ | PROT_EXEC, PROT_READ, PROT_READ | PROT_WRITE};

	if (!seen[PROT_READ][0]) {
		size_t page = (size_t)sysconf(_SC_PAGESIZE);
		uint8_t *p = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE,
		                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		assert_true(p != MAP_FAILED);
		for (int i = 0; i < 3; i++) {
			assert_int_equal(mprotect(p + i * page, page, order[i]), 0);
		}
		for (int i = 0; i < 3; i++) {
			assert_true(maps_perms((uintptr_t)(p + i * page), seen[order[i]]));
		}
		munmap(p, 3 * page);
	}
	assert_true(seen[prot & 7][0]);
	return seen[prot & 7];
}

static bool match_wx(uintptr_t lo, uintptr_t hi, const char *perms, void *arg)
{
	const uintptr_t *range = arg;

	return lo < range[1] && hi > range[0] && perms[1] == 'w' && perms[2] == 'x';
}

bool maps_any_wx(uintptr_t start, uintptr_t end)
{
	uintptr_t range[2] = {start, end};

	return maps_each(match_wx, range);
}
