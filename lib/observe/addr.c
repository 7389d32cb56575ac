// SPDX-License-Identifier: MIT
/*
 * From an address to the extension, region and symbol holding it: llext_addr_info(), for crash
 * handlers, profilers and debugging aids.
 *
 * Each extension keeps its function and object symbols sorted by address, which the load stage
 * load/addr_table.c builds from the object's symbol table (the object itself is gone after the
 * load) and hands over. A table of the extensions' address ranges, sorted too, finds the
 * extension.
 *
 * Lookups run in signal handlers, so they may neither allocate nor wait. The registry's lock
 * cannot serve: it is recursive, so a handler interrupting its own thread in the middle of an
 * unload would take it and read a half-changed registry. The range table has its own guard, an
 * atomic word: readers count themselves in unless a writer has raised its flag, and then give
 * up with -EBUSY rather than wait. A writer raises the flag, waits for readers to leave (they
 * never wait for anything, so they do leave), changes the table and lowers the flag. Readers
 * look at an extension's symbols only while counted in, and an extension is removed from the
 * table before its memory is freed, so what a reader looks at stays there while it looks.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "observe/addr.h"
#include "runtime/ext.h"

/* An extension's symbols by address, built by the load stage (load/addr_table.c). */
struct llext_addr_table {
	struct llext_addr_sym *syms; /* by address, then rank */
	size_t nsyms;
	const char *names; /* a copy of the object's string table, in the same block as syms */
	bool in_map;       /* that block is in the extension's spare memory, not on the heap */
	uint64_t stubs, stubs_end, got, got_end; /* [start, end) of each, or 0, 0 */
};

/* ---- the table of extensions, and its guard ---- */

struct range {
	uintptr_t start, end;
	struct llext_internal *ie;
};

#define WRITER 0x80000000u

static _Atomic unsigned int guard; /* WRITER | number of readers */
static pthread_mutex_t writers = PTHREAD_MUTEX_INITIALIZER;
static struct range *ranges;
static size_t nranges, cap;

/* Keeps readers out; the caller holds the writers' mutex. */
static void exclusive_begin(void)
{
	atomic_fetch_or(&guard, WRITER);
	while (atomic_load(&guard) != WRITER) {
		sched_yield();
	}
}

static void exclusive_end(void)
{
	atomic_fetch_and(&guard, ~WRITER);
}

static bool read_begin(void)
{
	if (atomic_fetch_add(&guard, 1) & WRITER) {
		atomic_fetch_sub(&guard, 1);
		return false;
	}
	return true;
}

static void read_end(void)
{
	atomic_fetch_sub(&guard, 1);
}

/*
 * The ranges are kept by descending start address: the kernel places new mappings below the
 * old ones, so a new extension's range goes at the end, and the last one loaded is the first
 * unloaded, without moving the others (which made a load slow with thousands of extensions).
 * Index of the first range starting at or below @a.
 */
static size_t at_or_below(uintptr_t a)
{
	size_t lo = 0, hi = nranges;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ranges[mid].start > a) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

/* Puts @ie's range in the table of extensions. */
static int insert_range(struct llext_internal *ie)
{
	struct range *grown = NULL;
	size_t at;

	pthread_mutex_lock(&writers);
	if (nranges == cap) {
		/* Grown before readers are kept out, so that they are kept out only briefly. */
		size_t ncap = cap ? cap * 2 : 16;

		grown = llext_calloc(ncap, sizeof(*grown));
		if (!grown) {
			pthread_mutex_unlock(&writers);
			LOG_ERR("%s: out of memory registering its address range", ie->pub.name);
			return -ENOMEM;
		}
		if (nranges) {
			memcpy(grown, ranges, nranges * sizeof(*grown));
		}
		cap = ncap;
	}
	exclusive_begin();
	if (grown) {
		/* Swapped in while no reader can be looking at the old array. */
		struct range *old = ranges;

		ranges = grown;
		grown = old;
	}
	at = at_or_below((uintptr_t)ie->map);
	memmove(&ranges[at + 1], &ranges[at], (nranges - at) * sizeof(*ranges));
	ranges[at] = (struct range){(uintptr_t)ie->map, (uintptr_t)ie->map + ie->map_size, ie};
	nranges++;
	exclusive_end();
	pthread_mutex_unlock(&writers);
	free(grown);
	return 0;
}

int llext_addr_add(struct llext_internal *ie, const struct llext_addr_parts *p)
{
	struct llext_addr_table *t = llext_calloc(1, sizeof(*t));

	if (!t) {
		if (!p->in_map) {
			free(p->syms); /* the names follow in the same block */
		}
		LOG_ERR("%s: out of memory for its symbols by address", ie->pub.name);
		return -ENOMEM;
	}
	*t = (struct llext_addr_table){p->syms,  p->nsyms,     p->names, p->in_map,
	                               p->stubs, p->stubs_end, p->got,   p->got_end};
	ie->addr = t;
	return insert_range(ie);
}

void llext_addr_remove(struct llext_internal *ie)
{
	struct llext_addr_table *t = ie->addr;
	struct range *old = NULL;
	size_t at;

	if (!t) {
		return;
	}
	pthread_mutex_lock(&writers);
	at = at_or_below((uintptr_t)ie->map);
	if (at < nranges && ranges[at].ie == ie) {
		exclusive_begin();
		memmove(&ranges[at], &ranges[at + 1], (nranges - at - 1) * sizeof(*ranges));
		if (--nranges == 0) {
			/* Nothing stays allocated once the last extension goes. */
			old = ranges;
			ranges = NULL;
			cap = 0;
		}
		exclusive_end();
	}
	pthread_mutex_unlock(&writers);
	free(old);
	if (!t->in_map) {
		free(t->syms); /* the names follow in the same block */
	}
	free(t);
	ie->addr = NULL;
}

bool llext_addr_in_map(const struct llext_internal *ie)
{
	return ie->addr && ie->addr->in_map;
}

/* ---- walking the functions ---- */

/* Whether entry @i is the function that names its address: code, and last of its address. */
static bool names_func(const struct llext_addr_table *t, size_t i)
{
	const struct llext_addr_sym *s = &t->syms[i];

	if (s->type != STT_FUNC || s->region != LLEXT_MEM_TEXT) {
		return false;
	}
	return i + 1 == t->nsyms || t->syms[i + 1].addr != s->addr;
}

/* A function's extent: its size, or up to the next symbol when the object gave none. */
static uint64_t func_size(const struct llext_internal *ie, size_t i)
{
	const struct llext_addr_table *t = ie->addr;
	uint64_t end = (uintptr_t)ie->pub.mem[LLEXT_MEM_TEXT] + ie->pub.mem_size[LLEXT_MEM_TEXT];

	if (t->syms[i].size) {
		return t->syms[i].size;
	}
	if (t->stubs && t->stubs < end) {
		end = t->stubs;
	}
	for (size_t k = i + 1; k < t->nsyms; k++) {
		if (t->syms[k].addr > t->syms[i].addr) {
			end = t->syms[k].addr < end ? t->syms[k].addr : end;
			break;
		}
	}
	return end > t->syms[i].addr ? end - t->syms[i].addr : 0;
}

bool llext_addr_next_func(const struct llext_internal *ie, size_t *pos, struct llext_addr_func *out)
{
	const struct llext_addr_table *t = ie->addr;

	for (size_t i = *pos; t && i < t->nsyms; i++) {
		if (names_func(t, i)) {
			*out = (struct llext_addr_func){t->syms[i].addr, func_size(ie, i),
			                                t->names + t->syms[i].name};
			*pos = i + 1;
			return true;
		}
	}
	return false;
}

/* ---- lookups ---- */

static enum llext_mem region_of(const struct llext_internal *ie, uintptr_t a)
{
	const struct llext_addr_table *t = ie->addr;

	if (a >= t->stubs && a < t->stubs_end) {
		return LLEXT_MEM_STUBS;
	}
	if (a >= t->got && a < t->got_end) {
		return LLEXT_MEM_GOT;
	}
	for (int r = 0; r < LLEXT_MEM_PARTITIONS; r++) {
		uintptr_t start = (uintptr_t)ie->pub.mem[r];

		if (start && a >= start && a - start < ie->pub.mem_size[r]) {
			return (enum llext_mem)r;
		}
	}
	return LLEXT_MEM_COUNT;
}

/* Index of the first symbol above @a. */
static size_t upper_sym(const struct llext_addr_table *t, uintptr_t a)
{
	size_t lo = 0, hi = t->nsyms;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->syms[mid].addr <= a) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

static void describe(const struct llext_internal *ie, uintptr_t a, struct llext_addr_info *info)
{
	const struct llext_addr_table *t = ie->addr;
	size_t at = upper_sym(t, a);

	*info =
	    (struct llext_addr_info){.ext = (struct llext *)&ie->pub, .region = region_of(ie, a)};
	if (at < t->nsyms) {
		info->next_sym_addr = (const void *)(uintptr_t)t->syms[at].addr;
	}
	/* Regions do not overlap, so if the symbol just below is in another region, so are all
	 * those below it. Of several at one address the last, the highest ranked, names it. */
	if (at > 0 && t->syms[at - 1].region == info->region) {
		const struct llext_addr_sym *s = &t->syms[at - 1];

		info->sym_name = t->names + s->name;
		info->sym_addr = (const void *)(uintptr_t)s->addr;
		info->sym_size = s->size;
		info->sym_type = s->type;
	}
}

LLEXT_EXPORT int llext_addr_info(const void *addr, struct llext_addr_info *info)
{
	uintptr_t a = (uintptr_t)addr;
	size_t at;
	int ret = -ENOENT;

	if (!info) {
		return -EINVAL;
	}
	if (!read_begin()) {
		return -EBUSY;
	}
	at = at_or_below(a);
	if (at < nranges && a < ranges[at].end) {
		describe(ranges[at].ie, a, info);
		ret = 0;
	}
	read_end();
	return ret;
}
