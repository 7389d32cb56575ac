// SPDX-License-Identifier: MIT
/*
 * From an address to the extension, region and symbol holding it: llext_addr_info(), for crash
 * handlers, profilers and debugging aids.
 *
 * Each extension keeps its function and object symbols sorted by address, built once at load
 * time from the object's symbol table (the object itself is gone after the load). A table of
 * the extensions' address ranges, sorted too, finds the extension.
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
#include "base/mapcache.h"
#include "load/load.h"
#include "observe/addr.h"
#include "runtime/ext.h"

/* ---- the per-extension symbol table ---- */

/* Which symbols name code or data: not sections, files, or the assembler's mapping symbols. */
static bool wanted(const struct llext_load *ld, size_t i, uint8_t *type)
{
	const struct llext_elf *e = &ld->elf;
	const Elf64_Sym *s = &e->syms[i];
	const struct llext_symval *v = &ld->sym[i];
	const char *name = llext_elf_sym_name(e, i);
	size_t shndx;

	if (!((v->kind == LLEXT_SYM_DEFINED && !v->unloadable) || v->kind == LLEXT_SYM_COMMON)) {
		return false;
	}
	if (!name[0] || name[0] == '$' || strncmp(name, ".L", 2) == 0) {
		return false;
	}
	switch (ELF64_ST_TYPE(s->st_info)) {
	case STT_FUNC:
	case STT_OBJECT:
		*type = ELF64_ST_TYPE(s->st_info);
		return true;
	case STT_NOTYPE:
		/* Assembly functions often have no .type. */
		shndx = llext_elf_sym_shndx(e, i);
		if (v->kind == LLEXT_SYM_DEFINED && (e->shdr[shndx]->sh_flags & SHF_EXECINSTR)) {
			*type = STT_FUNC;
			return true;
		}
		return false;
	default:
		return false;
	}
}

static struct llext_addr_sym make_sym(const struct llext_load *ld, size_t i, uint8_t type,
                                      uint32_t name)
{
	const struct llext_elf *e = &ld->elf;
	const Elf64_Sym *s = &e->syms[i];
	struct llext_addr_sym as = {.addr = ld->sym[i].addr, .size = s->st_size, .name = name};
	uint8_t bind = ELF64_ST_BIND(s->st_info);

	if (ld->sym[i].kind == LLEXT_SYM_DEFINED) {
		size_t shndx = llext_elf_sym_shndx(e, i);
		/* st_size is untrusted: never let a symbol reach past its section. */
		uint64_t room = e->shdr[shndx]->sh_size - s->st_value;

		as.region = (uint8_t)ld->sect[shndx].region;
		if (as.size > room) {
			as.size = room;
		}
	} else {
		as.region = LLEXT_MEM_BSS; /* SHN_COMMON */
	}
	as.type = type;
	as.rank = (uint8_t)((as.size ? 4 : 0) + (bind != STB_LOCAL ? 2 : 0) +
	                    (ELF64_ST_TYPE(s->st_info) != STT_NOTYPE ? 1 : 0));
	return as;
}

/* The order of the table: address within the reservation, then rank (below 8). */
static uint64_t sort_key(const struct llext_addr_sym *s, uint64_t base)
{
	return (s->addr - base) << 3 | s->rank;
}

/*
 * Sorts the @n symbols at @from by address, then rank, with a radix sort on their offset in the
 * reservation and rank (below 8): one byte per pass, as many passes as the largest key has
 * bytes, a pass skipped when every key has the same byte there, all passes' counts taken in one
 * read. O(n): a comparison sort of the thousands of symbols of a large object cost a tenth of its
 * load; a handful of symbols is sorted by insertion. The passes go back and forth between @from
 * and @to (room for @n as well); returns whichever holds the result.
 */
static struct llext_addr_sym *sort_syms(struct llext_addr_sym *from, struct llext_addr_sym *to,
                                        size_t n, uint64_t base)
{
	enum { BUCKETS = 256, FEW = 64 };
	uint32_t count[8][BUCKETS];
	uint64_t all = 0;
	unsigned int passes = 0;

	if (n < FEW) {
		/* The radix sort's fixed cost is the buckets: a few symbols sort faster in place.
		 */
		for (size_t i = 1; i < n; i++) {
			struct llext_addr_sym x = from[i];
			size_t j = i;

			for (; j > 0 && sort_key(&from[j - 1], base) > sort_key(&x, base); j--) {
				from[j] = from[j - 1];
			}
			from[j] = x;
		}
		return from;
	}
	for (size_t i = 0; i < n; i++) {
		all |= sort_key(&from[i], base);
	}
	while (passes < 8 && all >> (8 * passes)) {
		passes++;
	}
	memset(count, 0, passes * sizeof(count[0]));
	for (size_t i = 0; i < n; i++) {
		uint64_t k = sort_key(&from[i], base);

		for (unsigned int p = 0; p < passes; p++) {
			count[p][k >> (8 * p) & (BUCKETS - 1)]++;
		}
	}
	for (unsigned int p = 0; p < passes; p++) {
		uint32_t at = 0, *c = count[p];
		struct llext_addr_sym *x;

		if (c[sort_key(&from[0], base) >> (8 * p) & (BUCKETS - 1)] == n) {
			continue; /* one value of this byte for all: already in order by it */
		}
		for (int d = 0; d < BUCKETS; d++) {
			uint32_t k = c[d];

			c[d] = at;
			at += k;
		}
		for (size_t i = 0; i < n; i++) {
			to[c[sort_key(&from[i], base) >> (8 * p) & (BUCKETS - 1)]++] = from[i];
		}
		x = from;
		from = to;
		to = x;
	}
	return from;
}

/* Where the candidates are gathered and sorted, kept from one load for the next (kept.c). */
static struct llext_mapcache sort_scratch = LLEXT_MAPCACHE_INIT;

__attribute__((destructor)) static void sort_scratch_fini(void)
{
	llext_mapcache_free(&sort_scratch);
}

/*
 * The table: the wanted symbols gathered and sorted in scratch, then copied into memory that
 * lasts (llext_mem_lasting(): the unused tail of the extension's huge pages when there is room;
 * a heap block of a large object's size would come and go with the heap's top, faulted in again
 * on every load). Names are offsets in one copy of the object's string table, taken whole: one
 * copy instead of a length and a copy per name.
 */
static int build_table(struct llext_load *ld, struct llext_addr_table *t)
{
	const struct llext_elf *e = &ld->elf;
	size_t len = 2 * e->nsyms * sizeof(struct llext_addr_sym), n = 0;
	struct llext_addr_sym *cand = llext_mapcache_take(&sort_scratch, len, 0, NULL), *sorted;
	void *syms, *names;
	uint8_t type;

	if (!cand) {
		LOG_ERR("%s: out of memory for its symbols by address", ld->name);
		return -ENOMEM;
	}
	for (size_t i = 1; i < e->nsyms; i++) {
		/* A name outside the string table has no place in the copy; llext_elf_sym_name()
		 * calls it "?", nothing to look up. */
		if (e->syms[i].st_name < e->str_size && wanted(ld, i, &type)) {
			cand[n++] = make_sym(ld, i, type, e->syms[i].st_name);
		}
	}
	sorted = sort_syms(cand, cand + e->nsyms, n, (uintptr_t)ld->ie->map);
	/* Both in the extension's tail, or both on the heap: one flag says how they go. */
	syms = llext_mem_lasting(ld, n * sizeof(*t->syms) + e->str_size, &t->in_map);
	if (!syms) {
		llext_mapcache_give(&sort_scratch, cand, len, 0, 0);
		LOG_ERR("%s: out of memory for its symbols by address", ld->name);
		return -ENOMEM;
	}
	names = (uint8_t *)syms + n * sizeof(*t->syms);
	memcpy(syms, sorted, n * sizeof(*t->syms));
	memcpy(names, e->str, e->str_size);
	llext_mapcache_give(&sort_scratch, cand, len, 0, 0);
	t->syms = syms;
	t->nsyms = n;
	t->names = names;
	return 0;
}

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

int llext_addr_add(struct llext_load *ld)
{
	struct llext_internal *ie = ld->ie;
	struct llext_addr_table *t;
	struct range *grown = NULL;
	size_t at;
	int ret;

	t = llext_calloc(1, sizeof(*t));
	if (!t) {
		LOG_ERR("%s: out of memory for its symbols by address", ld->name);
		return -ENOMEM;
	}
	ie->addr = t;
	ret = build_table(ld, t);
	if (ret) {
		return ret;
	}
	if (ld->nstub) {
		t->stubs = (uintptr_t)ie->map + ld->stub_off;
		t->stubs_end = t->stubs + ld->nstub * ld->arch->stub_size;
	}
	if (ld->ngot || ld->need_got) {
		t->got = (uintptr_t)ie->map + ld->got_off;
		t->got_end = t->got + (ld->ngot ? ld->ngot : 1) * 8;
	}

	pthread_mutex_lock(&writers);
	if (nranges == cap) {
		/* Grown before readers are kept out, so that they are kept out only briefly. */
		size_t ncap = cap ? cap * 2 : 16;

		grown = llext_calloc(ncap, sizeof(*grown));
		if (!grown) {
			pthread_mutex_unlock(&writers);
			LOG_ERR("%s: out of memory registering its address range", ld->name);
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
