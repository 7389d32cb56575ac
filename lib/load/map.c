// SPDX-License-Identifier: MIT
/*
 * Layout and mapping: where each section goes, where the extension goes, and page protection.
 *
 * An extension lives in one reservation, regions in this order, each starting on a page (or on
 * its largest section alignment, if bigger):
 *
 *   text   (sections with SHF_EXECINSTR, then stubs)        r-x
 *   rodata (other read-only sections, .tdata images, GOT)   r--
 *   data   (writable sections with contents)                rw-
 *   bss    (writable NOBITS sections, then SHN_COMMON)       rw-
 *
 * Within a region sections keep their order, except that those of one name that is a C
 * identifier follow the first of them (see group_named()).
 *
 * The reservation is mapped read+write, filled and relocated, then text becomes read+execute and
 * rodata read-only. Text becomes read+execute by mprotect(), or, as sealed text, by a sealed
 * memory file holding the same bytes mapped over it (runtime/sealed.c): the only way a process
 * under PR_SET_MDWE or MemoryDenyWriteExecute=yes gets executable code. No page is writable and
 * executable at any moment. What the pages serve after the load (switching a region writable for a
 * moment, unmapping) is runtime/pages.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "base/base.h"
#include "load/load.h"
#include "runtime/ext.h"
#include "runtime/host_copies.h"
#include "runtime/pages.h"
#include "runtime/sealed.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/*
 * Large extensions (from 512 KiB) live in transparent huge pages: one 2 MiB page costs one
 * allocation and one fault where 512 small pages cost 512 of each, and the kernel's per-page work,
 * not copying or relocating, is what dominates loading a large object (docs/performance.md). The
 * price is up to 2 MiB less one byte of resident memory per extension, paid only above this size.
 */
#define HUGE_THRESHOLD ((uint64_t)512 << 10)
/* From this size on, the pages a load writes are faulted in by one madvise() call; below it, the
 * call costs about what the few faults it saves do. */
#define POPULATE_THRESHOLD ((uint64_t)64 << 10)

/* Lowest address we map at (the usual vm.mmap_min_addr), and the top of user space on both
 * supported machines with 48-bit virtual addresses. */
#define MAP_FLOOR ((uint64_t)0x10000)
#define MAP_CEILING ((uint64_t)1 << 47)

/* Which region a section belongs to, LLEXT_MEM_COUNT if it is not loaded. */
static uint32_t classify(const Elf64_Shdr *sh)
{
	if (!(sh->sh_flags & SHF_ALLOC) || sh->sh_type == SHT_NULL) {
		return LLEXT_MEM_COUNT;
	}
	if (sh->sh_flags & SHF_EXECINSTR) {
		return LLEXT_MEM_TEXT;
	}
	if (sh->sh_flags & SHF_TLS) {
		/* Every thread gets its own copy (tls.c): .tdata is only the image copies start
		 * from, and .tbss takes no room here at all. */
		return sh->sh_type == SHT_NOBITS ? LLEXT_MEM_COUNT : LLEXT_MEM_RODATA;
	}
	if (sh->sh_flags & SHF_WRITE) {
		return sh->sh_type == SHT_NOBITS ? LLEXT_MEM_BSS : LLEXT_MEM_DATA;
	}
	return LLEXT_MEM_RODATA;
}

/* Regions in the order they are laid out. */
static const uint32_t order[LLEXT_MEM_PARTITIONS] = {LLEXT_MEM_TEXT, LLEXT_MEM_RODATA,
                                                     LLEXT_MEM_DATA, LLEXT_MEM_BSS};

/* Reserve @size bytes at the end of region @r, aligned to @align. */
static int reserve(struct llext_load *ld, uint64_t *cur, uint32_t r, uint64_t size, uint64_t align,
                   uint64_t *off)
{
	uint64_t o = llext_align_up(cur[r], align ? align : 1);

	if (size > ld->arch->max_span || o + size > ld->arch->max_span) {
		LOG_ERR(
		    "%s: extension is larger than %s's relative addressing reaches (%llu bytes)",
		    ld->name, ld->arch->name, (unsigned long long)ld->arch->max_span);
		return -ENOEXEC;
	}
	if (align > ld->region[r].align) {
		ld->region[r].align = align;
	}
	*off = o;
	cur[r] = o + size;
	return 0;
}

/* True if @s is a C identifier: the section names linkers give __start_ and __stop_ symbols. */
static bool c_ident(const char *s)
{
	if (!*s || (*s >= '0' && *s <= '9')) {
		return false;
	}
	for (; *s; s++) {
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9'))) {
			return false;
		}
	}
	return true;
}

/* A section that __start_NAME and __stop_NAME may bound: loaded, named as a C identifier, and not
 * thread-local (the image of .tdata is where no thread's variables are). */
static bool boundable(const struct llext_load *ld, size_t i)
{
	return ld->sect[i].region != LLEXT_MEM_COUNT && !(ld->elf.shdr[i]->sh_flags & SHF_TLS) &&
	       c_ident(llext_elf_sect_name(&ld->elf, i));
}

static int cmp_named(const void *a, const void *b)
{
	const struct llext_named *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c) {
		return c;
	}
	if (x->region != y->region) {
		return x->region < y->region ? -1 : 1;
	}
	return x->sect < y->sect ? -1 : x->sect > y->sect;
}

/*
 * Sorts the loaded sections named as C identifiers into ld->named and links those of one name and
 * region in input order, so that the layout puts them one after the other as a linker puts them in
 * one output section, and __start_NAME .. __stop_NAME spans them. Sorted, not compared pairwise:
 * an object may have tens of thousands of sections.
 */
static int group_named(struct llext_load *ld)
{
	size_t n = 0;

	for (size_t i = 1; i < ld->elf.shnum; i++) {
		n += boundable(ld, i);
	}
	if (!n) {
		return 0;
	}
	ld->named = llext_calloc(n, sizeof(*ld->named));
	if (!ld->named) {
		LOG_ERR("%s: out of memory", ld->name);
		return -ENOMEM;
	}
	for (size_t i = 1; i < ld->elf.shnum; i++) {
		if (boundable(ld, i)) {
			ld->named[ld->nnamed++] = (struct llext_named){
			    llext_elf_sect_name(&ld->elf, i), (uint32_t)i, ld->sect[i].region};
		}
	}
	qsort(ld->named, n, sizeof(*ld->named), cmp_named);
	for (size_t k = 1; k < n; k++) {
		const struct llext_named *p = &ld->named[k - 1], *q = &ld->named[k];

		if (p->region == q->region && strcmp(p->name, q->name) == 0) {
			ld->sect[p->sect].next_named = q->sect;
			ld->sect[q->sect].follows = true;
		}
	}
	return 0;
}

int llext_mem_classify(struct llext_load *ld)
{
	for (size_t i = 0; i < ld->elf.shnum; i++) {
		bool dropped = ld->elf.discarded && ld->elf.discarded[i];

		ld->sect[i].region = i && !dropped ? classify(ld->elf.shdr[i]) : LLEXT_MEM_COUNT;
		ld->sect[i].window = LLEXT_WINDOW_ANY;
	}
	return group_named(ld);
}

/* The first entry of ld->named whose name is not below @name (if @above, above it). */
static size_t named_bound(const struct llext_load *ld, const char *name, bool above)
{
	size_t lo = 0, hi = ld->nnamed;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ld->named[mid].name, name);

		if (c < 0 || (above && c == 0)) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

int llext_mem_named(const struct llext_load *ld, const char *name, uint32_t *first, uint32_t *last)
{
	size_t lo, hi;

	if (!c_ident(name)) {
		return -EINVAL;
	}
	lo = named_bound(ld, name, false);
	hi = named_bound(ld, name, true);
	if (lo == hi) {
		return -ENOENT;
	}
	if (ld->named[lo].region != ld->named[hi - 1].region) {
		return -EXDEV;
	}
	*first = ld->named[lo].sect;
	*last = ld->named[hi - 1].sect;
	return 0;
}

/* Each section, common symbol, the stubs and the GOT at an offset in its region (@cur[r] is
 * the end of region r so far). */
static int layout_items(struct llext_load *ld, uint64_t *cur)
{
	const struct llext_elf *e = &ld->elf;
	int ret = 0;

	for (size_t i = 1; i < e->shnum && !ret; i++) {
		uint32_t r = ld->sect[i].region;

		if (r == LLEXT_MEM_COUNT || ld->sect[i].follows) {
			continue; /* not loaded, or laid out after the first of its name */
		}
		for (size_t j = i; j && !ret; j = ld->sect[j].next_named) {
			/* The unwinder reads .eh_frame up to a zero terminator, which a linker
			 * would append: four zero bytes of the fresh mapping right after it. */
			ret = reserve(ld, cur, r, e->shdr[j]->sh_size + (j == e->eh_frame ? 4 : 0),
			              e->shdr[j]->sh_addralign, &ld->sect[j].offset);
		}
	}
	/* SHN_COMMON symbols: st_value is the alignment, st_size the size. */
	for (size_t i = 1; i < e->nsyms && !ret; i++) {
		const Elf64_Sym *s = &e->syms[i];

		if (s->st_shndx != SHN_COMMON) {
			continue;
		}
		if (s->st_value & (s->st_value - 1) || s->st_value > ((uint64_t)1 << 30)) {
			LOG_ERR("%s: common symbol %s: alignment %llu is invalid", ld->name,
			        llext_elf_sym_name(e, i), (unsigned long long)s->st_value);
			return -EINVAL;
		}
		ret = reserve(ld, cur, LLEXT_MEM_BSS, s->st_size, s->st_value, &ld->sym[i].addr);
	}
	if (!ret && ld->nstub) {
		ret = reserve(ld, cur, LLEXT_MEM_TEXT, ld->nstub * ld->arch->stub_size, 16,
		              &ld->stub_off);
	}
	if (!ret && (ld->ngot || ld->need_got)) {
		/* At least one entry, so that the GOT's base is an address of its own. */
		ret = reserve(ld, cur, LLEXT_MEM_RODATA, (ld->ngot ? ld->ngot : 1) * 8, 8,
		              &ld->got_off);
	}
	return ret;
}

/* The regions one after the other, each on a page (or its own larger alignment); the size of
 * the whole reservation. */
static int layout_regions(struct llext_load *ld, const uint64_t *cur)
{
	uint64_t pos = 0, page = llext_page_size();

	ld->map_align = page;
	for (int k = 0; k < LLEXT_MEM_PARTITIONS; k++) {
		struct llext_region *rg = &ld->region[order[k]];
		uint64_t a = rg->align > page ? rg->align : page;

		rg->size = cur[order[k]];
		rg->off = rg->size ? llext_align_up(pos, a) : pos;
		pos = rg->off + llext_align_up(rg->size, page);
		if (a > ld->map_align) {
			ld->map_align = a;
		}
	}
	if (pos > ld->arch->max_span) {
		LOG_ERR(
		    "%s: extension spans %llu bytes, more than %s's relative addressing reaches",
		    ld->name, (unsigned long long)pos, ld->arch->name);
		return -ENOEXEC;
	}
	if (pos >= HUGE_THRESHOLD && page < LLEXT_HUGE_PAGE) {
		/* A whole number of aligned huge pages, or the kernel cannot use them. What is left
		 * after the regions is resident all the same: the debuggers' copy may go there. */
		ld->spare_off = pos;
		pos = llext_align_up(pos, LLEXT_HUGE_PAGE);
		ld->spare_size = pos - ld->spare_off;
		if (ld->map_align < LLEXT_HUGE_PAGE) {
			ld->map_align = LLEXT_HUGE_PAGE;
		}
		ld->huge = true;
	}
	ld->ie->map_size = pos;
	return 0;
}

int llext_mem_layout(struct llext_load *ld)
{
	const struct llext_elf *e = &ld->elf;
	uint64_t cur[LLEXT_MEM_PARTITIONS] = {0};
	int ret;

	for (int r = 0; r < LLEXT_MEM_PARTITIONS; r++) {
		ld->region[r].align = 1;
	}
	ret = layout_items(ld, cur);
	if (!ret) {
		ret = layout_regions(ld, cur);
	}
	if (ret) {
		return ret;
	}
	/* Offsets so far are within regions; make them offsets in the reservation. */
	for (size_t i = 1; i < e->shnum; i++) {
		if (ld->sect[i].region != LLEXT_MEM_COUNT) {
			ld->sect[i].offset += ld->region[ld->sect[i].region].off;
		}
	}
	for (size_t i = 1; i < e->nsyms; i++) {
		if (e->syms[i].st_shndx == SHN_COMMON) {
			ld->sym[i].addr += ld->region[LLEXT_MEM_BSS].off;
		}
	}
	ld->stub_off += ld->region[LLEXT_MEM_TEXT].off;
	ld->got_off += ld->region[LLEXT_MEM_RODATA].off;
	LOG_DBG("%s: text %llu, rodata %llu, data %llu, bss %llu bytes; %zu stubs, %zu GOT "
	        "entries; %zu bytes mapped",
	        ld->name, (unsigned long long)ld->region[LLEXT_MEM_TEXT].size,
	        (unsigned long long)ld->region[LLEXT_MEM_RODATA].size,
	        (unsigned long long)ld->region[LLEXT_MEM_DATA].size,
	        (unsigned long long)ld->region[LLEXT_MEM_BSS].size, ld->nstub, ld->ngot,
	        ld->ie->map_size);
	return 0;
}

/* Map @size bytes read+write at exactly @addr, or fail without disturbing anything. */
static void *map_fixed(uint64_t addr, size_t size)
{
	void *p = llext_mmap((void *)(uintptr_t)addr, size, PROT_READ | PROT_WRITE,
	                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p == MAP_FAILED) {
		return NULL;
	}
	if ((uintptr_t)p != addr) {
		/* A kernel older than 4.17 took the address as a hint. */
		munmap(p, size);
		return NULL;
	}
	return p;
}

/* Where the next constrained extension is tried first: right after the last one. */
static uint64_t next_hint;

/* The lowest free, aligned address in [lo, hi] for @size bytes, from /proc/self/maps. */
static uint64_t find_gap(uint64_t lo, uint64_t hi, size_t size, uint64_t align)
{
	FILE *f = fopen("/proc/self/maps", "re");
	uint64_t prev_end = MAP_FLOOR, found = 0;
	char line[512];

	if (!f) {
		return 0;
	}
	for (;;) {
		unsigned long long start = MAP_CEILING, end = MAP_CEILING;
		bool more = fgets(line, sizeof(line), f) != NULL;
		uint64_t cand;

		if (more && !strchr(line, '\n')) {
			/* A line longer than the buffer: only its start matters. */
			char rest[512];

			while (fgets(rest, sizeof(rest), f) && !strchr(rest, '\n')) {
			}
		}
		if (more && sscanf(line, "%llx-%llx", &start, &end) != 2) {
			continue;
		}
		/* The gap is [prev_end, start). */
		cand = llext_align_up(prev_end > lo ? prev_end : lo, align);
		if (cand <= hi && cand + size <= start && cand + size > cand) {
			found = cand;
			break;
		}
		if (!more || start > hi + size) {
			break;
		}
		if (end > prev_end) {
			prev_end = end;
		}
	}
	fclose(f);
	return found;
}

/* A relocation that set an end of a window, for messages, with its symbol's address if known. */
static void describe(const struct llext_load *ld, struct llext_relpos pos, char *buf, size_t len)
{
	const Elf64_Rela *r = &ld->elf.rela[pos.sec].r[pos.idx];
	const struct llext_symval *v = &ld->sym[ELF64_R_SYM(r->r_info)];
	size_t n;

	llext_elf_describe_rel(&ld->elf, ld->arch, pos, buf, len);
	n = strlen(buf);
	/* Only symbols outside the extension have an address before it is placed. */
	if ((v->kind == LLEXT_SYM_EXTERNAL || v->kind == LLEXT_SYM_ABS) && n + 1 < len) {
		snprintf(buf + n, len - n, " (at %p)", (void *)(uintptr_t)v->addr);
	}
}

/*
 * The window on the reservation's base: what the absolute relocations against the extension
 * allow, intersected with every section's window moved by the section's offset. True if any
 * relocation narrowed it.
 */
static bool base_window(const struct llext_load *ld, struct llext_window *w)
{
	int64_t size = (int64_t)ld->ie->map_size;

	*w = (struct llext_window){.lo = (int64_t)MAP_FLOOR, .hi = (int64_t)MAP_CEILING - size};
	llext_window_narrow(w, ld->abs.lo, ld->abs.lo_by, llext_sat_sub(ld->abs.hi, size),
	                    ld->abs.hi_by);
	for (size_t i = 1; i < ld->elf.shnum; i++) {
		const struct llext_sect *s = &ld->sect[i];

		llext_window_narrow(
		    w, llext_sat_sub(s->window.lo, (int64_t)s->offset), s->window.lo_by,
		    llext_sat_sub(s->window.hi, (int64_t)s->offset), s->window.hi_by);
	}
	return w->lo_by.sec || w->hi_by.sec;
}

/* Maps the reservation inside @w: right after the previous constrained extension, then at the
 * lowest address in reach, then in the first gap the process's mappings leave. */
static int map_in_window(struct llext_load *ld, const struct llext_window *w, uint8_t **out)
{
	size_t size = ld->ie->map_size;
	uint64_t lo = llext_align_up((uint64_t)w->lo, ld->map_align), hi = (uint64_t)w->hi;
	uint64_t base = llext_align_up(next_hint, ld->map_align);
	uint8_t *map = NULL;
	char a[200] = "its symbols";

	if (base >= lo && base <= hi) {
		map = map_fixed(base, size);
	}
	if (!map && lo <= hi) {
		base = lo;
		map = map_fixed(base, size);
	}
	if (!map) {
		base = find_gap(lo, hi, size, ld->map_align);
		map = base ? map_fixed(base, size) : NULL;
	}
	if (!map) {
		describe(ld, w->lo_by.sec ? w->lo_by : w->hi_by, a, sizeof(a));
		LOG_ERR("%s: no free address range of %zu bytes within reach of %s; rebuild the "
		        "extension with %s",
		        ld->name, size, a, ld->arch->pic_hint);
		return -ENOEXEC;
	}
	next_hint = base + size;
	*out = map;
	return 0;
}

/* Where the sections and regions of the mapping at @map are. */
static void note_regions(struct llext_load *ld, uint8_t *map)
{
	struct llext_internal *ie = ld->ie;

	ie->map = map;
	ie->pub.alloc_size += ie->map_size;
	ld->spare = ld->spare_size ? map + ld->spare_off : NULL;
	for (size_t i = 1; i < ld->elf.shnum; i++) {
		if (ld->sect[i].region != LLEXT_MEM_COUNT) {
			ld->sect[i].addr = (uintptr_t)map + ld->sect[i].offset;
			ie->sect_addr[i] = ld->sect[i].addr;
		}
	}
	for (int r = 0; r < LLEXT_MEM_PARTITIONS; r++) {
		if (ld->region[r].size) {
			ie->pub.mem[r] = map + ld->region[r].off;
			ie->pub.mem_size[r] = ld->region[r].size;
			ie->pub.mem_on_heap[r] = true;
		}
	}
}

/*
 * The symbol of a bound's relocation if the main program holds it by a copy relocation, far
 * from the rest of the library it comes from; NULL otherwise.
 */
static const char *host_copy(const struct llext_load *ld, struct llext_relpos pos)
{
	const Elf64_Rela *r;
	const char *name;

	if (!pos.sec) {
		return NULL;
	}
	r = &ld->elf.rela[pos.sec].r[pos.idx];
	if (ld->sym[ELF64_R_SYM(r->r_info)].kind != LLEXT_SYM_EXTERNAL) {
		return NULL;
	}
	name = llext_elf_sym_name(&ld->elf, ELF64_R_SYM(r->r_info));
	return llext_host_copied(name) ? name : NULL;
}

/* Why no address fits: the two relocations that disagree, and the fixes. */
static void log_unreachable(const struct llext_load *ld, const struct llext_window *w)
{
	char a[200] = "the address space", b[200] = "its own data";
	const char *copy = host_copy(ld, w->lo_by);

	if (w->lo_by.sec) {
		describe(ld, w->lo_by, a, sizeof(a));
	}
	if (w->hi_by.sec) {
		describe(ld, w->hi_by, b, sizeof(b));
	}
	if (!copy) {
		copy = host_copy(ld, w->hi_by);
	}
	if (copy) {
		LOG_ERR("%s: no address is within reach of both %s and %s: '%s' is a copy in the "
		        "program (a copy relocation), far from the rest of its library; build the "
		        "host program with -fPIC (or -mno-direct-extern-access), or rebuild the "
		        "extension with %s",
		        ld->name, a, b, copy, ld->arch->pic_hint);
		return;
	}
	LOG_ERR("%s: no address is within reach of both %s and %s; rebuild the extension "
	        "with %s",
	        ld->name, a, b, ld->arch->pic_hint);
}

int llext_mem_place(struct llext_load *ld)
{
	struct llext_window w;
	bool constrained = base_window(ld, &w);
	uint8_t *map = NULL;
	int ret;

	if (w.lo > w.hi) {
		log_unreachable(ld, &w);
		return -ENOEXEC;
	}
	if (constrained) {
		ret = map_in_window(ld, &w, &map);
		if (ret) {
			return ret;
		}
	} else {
		map = llext_mmap_aligned(ld->ie->map_size, ld->map_align);
		if (!map) {
			LOG_ERR("%s: cannot map %zu bytes", ld->name, ld->ie->map_size);
			return -ENOMEM;
		}
	}
	if (ld->huge) {
		/* Before the first touch; a kernel without THP for us says no, and that is fine. */
		madvise(map, ld->ie->map_size, MADV_HUGEPAGE);
	} else if (ld->region[LLEXT_MEM_BSS].off >= POPULATE_THRESHOLD) {
		/* Every small page before .bss is written next (sections, GOT, stubs): one call
		 * faults them all in, at a fraction of the cost of a fault per page. A kernel
		 * before 5.14 says no, and they fault in one by one. */
		madvise(map, ld->region[LLEXT_MEM_BSS].off, MADV_POPULATE_WRITE);
	}
	note_regions(ld, map);
	LOG_DBG("%s: mapped %zu bytes at %p%s", ld->name, ld->ie->map_size, (void *)map,
	        constrained ? " (placed within reach of its symbols)" : "");
	return 0;
}

int llext_mem_copy(struct llext_load *ld)
{
	const struct llext_elf *e = &ld->elf;

	for (size_t i = 1; i < e->shnum; i++) {
		const Elf64_Shdr *sh = e->shdr[i];
		int ret;

		if (ld->sect[i].region == LLEXT_MEM_COUNT || sh->sh_type == SHT_NOBITS ||
		    !sh->sh_size) {
			continue;
		}
		ret = llext_elf_read_section(e, i, ld->ie->map + ld->sect[i].offset, ld->name);
		if (ret) {
			return ret;
		}
	}
	return 0;
}

/* @size bytes of the spare tail, handed out from the front in pieces aligned for any structure;
 * NULL if there is none or not that much left. */
static void *take_spare(struct llext_load *ld, size_t size)
{
	uint64_t need = llext_align_up(size ? size : 1, 16);
	void *p = ld->spare;

	if (!p || need > ld->spare_size) {
		return NULL;
	}
	ld->spare += need;
	ld->spare_size -= need;
	return p;
}

void *llext_mem_lasting(struct llext_load *ld, size_t size, bool *in_map)
{
	void *p = take_spare(ld, size);

	*in_map = p != NULL;
	return p ? p : llext_calloc(1, size ? size : 1);
}

static const k_mem_partition_attr_t region_prot[LLEXT_MEM_PARTITIONS] = {
    [LLEXT_MEM_TEXT] = K_MEM_PARTITION_P_RX_U_RX,
    [LLEXT_MEM_DATA] = K_MEM_PARTITION_P_RW_U_RW,
    [LLEXT_MEM_RODATA] = K_MEM_PARTITION_P_RO_U_RO,
    [LLEXT_MEM_BSS] = K_MEM_PARTITION_P_RW_U_RW,
};

/* Whether this load's text goes into a sealed memory file; *@chosen says whether that was
 * libllext's choice (neither the load's text_mode nor LLEXT_SEALED_TEXT said). */
static bool want_sealed(const struct llext_load *ld, bool *chosen)
{
	int env = llext_sealed_env();

	*chosen = false;
	if (ld->param->text_mode == LLEXT_TEXT_SEALED) {
		return true;
	}
	if (ld->param->text_mode == LLEXT_TEXT_ANONYMOUS) {
		return false;
	}
	if (env >= 0) {
		return env == 1;
	}
	*chosen = true;
	/* Only where the process forbids the other: sealed text loads slower at every size of
	 * object, to a first result too, and its code runs no faster (docs/performance.md, "Sealed
	 * text"). */
	return llext_sealed_hardened();
}

/* The text region made what it stays: read+execute, anonymous or sealed (runtime/sealed.c). */
static int protect_text(struct llext_load *ld, const struct k_mem_partition *p)
{
	size_t size = ld->region[LLEXT_MEM_TEXT].size;
	bool chosen, sealed = want_sealed(ld, &chosen);
	int err;

	if (!sealed) {
		if (ld->arch->sync_icache) {
			ld->arch->sync_icache((void *)p->start, size);
		}
		if (llext_mprotect((void *)p->start, p->size, (int)p->attr) == 0) {
			return 0;
		}
		err = errno;
		if (err != EACCES && err != EPERM) {
			LOG_ERR("%s: cannot protect its text pages: %s", ld->name, strerror(err));
			return -err;
		}
		if (!chosen) {
			LOG_ERR(
			    "%s: cannot protect its text pages: %s: %s forbids making writable "
			    "memory executable, and sealed text, which works under it, is turned "
			    "off by LLEXT_SEALED_TEXT=0 or the load's text_mode",
			    ld->name, strerror(err), llext_sealed_policy());
			return -err;
		}
		/* A seccomp filter or a security module (runtime/sealed.c asks only for
		 * PR_SET_MDWE): seal this load's text and every later one's. */
		llext_sealed_note_refused();
		LOG_DBG("%s: making text executable was refused: sealed text from now on",
		        ld->name);
	}
	err = llext_sealed_map((void *)p->start, p->size, ld->name);
	if (err) {
		return err;
	}
	ld->ie->text_sealed = true;
	if (ld->arch->sync_icache) {
		/* The file's pages are new to these addresses: the instruction cache must see
		 * them, not whatever it held for the pages they replaced. */
		ld->arch->sync_icache((void *)p->start, size);
	}
	LOG_DBG("%s: text sealed in a memory file, %zu bytes", ld->name, (size_t)p->size);
	return 0;
}

int llext_mem_protect(struct llext_load *ld)
{
	struct llext_internal *ie = ld->ie;
	uint64_t page = llext_page_size();

	for (int r = 0; r < LLEXT_MEM_PARTITIONS; r++) {
		struct k_mem_partition *p = &ie->parts[r];
		int ret;

		if (!ld->region[r].size) {
			continue;
		}
		p->start = (uintptr_t)ie->map + ld->region[r].off;
		p->size = llext_align_up(ld->region[r].size, page);
		p->attr = region_prot[r];
		if (r == LLEXT_MEM_TEXT) {
			ret = protect_text(ld, p);
			if (ret) {
				return ret;
			}
		} else if (p->attr != K_MEM_PARTITION_P_RW_U_RW &&
		           llext_mprotect((void *)p->start, p->size, (int)p->attr) != 0) {
			int err = errno;

			LOG_ERR("%s: cannot protect its read-only data pages: %s", ld->name,
			        strerror(err));
			return -err;
		}
	}
	return 0;
}
