// SPDX-License-Identifier: MIT
/*
 * Stage: the extension's symbols by address, for llext_addr_info() and profilers
 * (observe/addr.c owns the table and answers the lookups).
 *
 * The table is built once at load time from the object's symbol table, which is gone after the
 * load: the function and object symbols, sorted by address, and a copy of the string table their
 * names point into, in one block that lasts as long as the extension. observe/addr.c gets the
 * finished block and the stub and GOT ranges, none of the load's structures.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "base/mapcache.h"
#include "load/load.h"
#include "observe/addr.h"
#include "runtime/ext.h"

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

/* Where the candidates are gathered and sorted, kept from one load for the next (base/mapcache.c).
 */
static struct llext_mapcache sort_scratch = LLEXT_MAPCACHE_INIT;

__attribute__((destructor)) static void sort_scratch_fini(void)
{
	llext_mapcache_free(&sort_scratch);
}

/*
 * The symbols: the wanted ones gathered and sorted in scratch, then copied into memory that
 * lasts (llext_mem_lasting(): the unused tail of the extension's huge pages when there is room;
 * a heap block of a large object's size would come and go with the heap's top, faulted in again
 * on every load). Names are offsets in one copy of the object's string table, taken whole: one
 * copy instead of a length and a copy per name.
 */
static int build_syms(struct llext_load *ld, struct llext_addr_parts *p)
{
	const struct llext_elf *e = &ld->elf;
	size_t len = 2 * e->nsyms * sizeof(struct llext_addr_sym), n = 0;
	struct llext_addr_sym *cand = llext_mapcache_take(&sort_scratch, len, 0, NULL), *sorted;
	uint8_t *block;
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
	block = llext_mem_lasting(ld, n * sizeof(*sorted) + e->str_size, &p->in_map);
	if (!block) {
		llext_mapcache_give(&sort_scratch, cand, len, 0, 0);
		LOG_ERR("%s: out of memory for its symbols by address", ld->name);
		return -ENOMEM;
	}
	memcpy(block, sorted, n * sizeof(*sorted));
	memcpy(block + n * sizeof(*sorted), e->str, e->str_size);
	llext_mapcache_give(&sort_scratch, cand, len, 0, 0);
	p->syms = (struct llext_addr_sym *)block;
	p->nsyms = n;
	p->names = (const char *)block + n * sizeof(*sorted);
	return 0;
}

int llext_addr_table_build(struct llext_load *ld)
{
	struct llext_internal *ie = ld->ie;
	struct llext_addr_parts p = {0};
	int ret;

	ret = build_syms(ld, &p);
	if (ret) {
		return ret;
	}
	if (ld->nstub) {
		p.stubs = (uintptr_t)ie->map + ld->stub_off;
		p.stubs_end = p.stubs + ld->nstub * ld->arch->stub_size;
	}
	if (ld->ngot || ld->need_got) {
		p.got = (uintptr_t)ie->map + ld->got_off;
		p.got_end = p.got + (ld->ngot ? ld->ngot : 1) * 8;
	}
	return llext_addr_add(ie, &p);
}
