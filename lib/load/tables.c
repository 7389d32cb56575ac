// SPDX-License-Identifier: MIT
/*
 * The tables an extension keeps, built from its relocated memory: the export table (what other
 * extensions and llext_find_sym() see) and the constructor and destructor lists that
 * llext_bringup() and llext_teardown() run.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "base/mapcache.h"
#include "load/load.h"
#include "runtime/ext.h"
#include "runtime/sections.h"
#include "runtime/symbol.h"
#include "runtime/tls.h"

/* ---- exports ---- */

/* Bytes per .exported_sym entry: a name pointer and an address. */
#define EXPORT_ENTRY 16

static int find_loaded_section(const struct llext_load *ld, const char *name)
{
	for (size_t i = 1; i < ld->elf.shnum; i++) {
		if (ld->sect[i].region != LLEXT_MEM_COUNT &&
		    strcmp(llext_elf_sect_name(&ld->elf, i), name) == 0) {
			return (int)i;
		}
	}
	return 0;
}

static bool implicit_export(const struct llext_load *ld, size_t i)
{
	const Elf64_Sym *s = &ld->elf.syms[i];
	unsigned int bind = ELF64_ST_BIND(s->st_info), type = ELF64_ST_TYPE(s->st_info);
	uint8_t kind = ld->sym[i].kind;

	if (bind != STB_GLOBAL && bind != STB_WEAK && bind != STB_GNU_UNIQUE) {
		return false;
	}
	if (ELF64_ST_VISIBILITY(s->st_other) != STV_DEFAULT &&
	    ELF64_ST_VISIBILITY(s->st_other) != STV_PROTECTED) {
		return false;
	}
	if (type == STT_SECTION || type == STT_FILE || type == STT_TLS) {
		return false;
	}
	/* A definition in a section that is not loaded has no address to export. One that stands
	 * back for another module's copy is exported at that copy, which its code uses. */
	return (kind == LLEXT_SYM_DEFINED && !ld->sym[i].unloadable) || kind == LLEXT_SYM_COMMON ||
	       kind == LLEXT_SYM_ABS || ld->sym[i].unified;
}

/* Checks that @p is a NUL-terminated string inside the extension's memory. */
static bool string_in_map(const struct llext_internal *ie, uint64_t p)
{
	uint64_t base = (uintptr_t)ie->map, end = base + ie->map_size;

	return p >= base && p < end && memchr((void *)(uintptr_t)p, 0, end - p) != NULL;
}

/* An explicit export table (EXPORT_SYMBOL() in the extension): whole entries, names inside. */
static int check_explicit(const struct llext_load *ld, int sec)
{
	const Elf64_Shdr *sh = ld->elf.shdr[sec];
	const uint8_t *p = ld->ie->map + ld->sect[sec].offset;

	if (sh->sh_size % EXPORT_ENTRY) {
		LOG_ERR("%s: .exported_sym is %llu bytes, not a whole number of entries", ld->name,
		        (unsigned long long)sh->sh_size);
		return -EINVAL;
	}
	for (size_t i = 0; i < sh->sh_size / EXPORT_ENTRY; i++) {
		uint64_t name = llext_get_le(p + EXPORT_ENTRY * i, 8);

		if (!string_in_map(ld->ie, name)) {
			LOG_ERR(
			    "%s: .exported_sym entry %zu: name pointer 0x%llx is not a string of "
			    "the extension",
			    ld->name, i, (unsigned long long)name);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Candidate @k for export: entry k of .exported_sym (section @explicit) if the object has one,
 * else symbol k if it is a global definition. False if it is not exported.
 */
static bool export_of(const struct llext_load *ld, int explicit, size_t k, const char **name,
                      uint64_t *addr)
{
	if (explicit) {
		const uint8_t *p = ld->ie->map + ld->sect[explicit].offset + EXPORT_ENTRY * k;

		*name = (const char *)(uintptr_t)llext_get_le(p, 8);
		*addr = llext_get_le(p + 8, 8);
		return true;
	}
	if (k == 0 || !implicit_export(ld, k)) {
		return false;
	}
	*name = ld->elf.str + ld->elf.syms[k].st_name;
	*addr = ld->sym[k].addr;
	return true;
}

/*
 * The export table's hash index from the names' hashes (@hashes[i] for syms[i]), its nodes in the
 * index of all exports, and its region.
 */
static int index_exports(struct llext_load *ld, const uint32_t *hashes, size_t names,
                         size_t node_bytes)
{
	struct llext_internal *ie = ld->ie;
	struct llext_symtable *tab = &ie->pub.exp_tab;

	llext_exports_fill(ie->exp_nodes, tab, hashes, ie);
	if (llext_symindex_build_hashed(tab, hashes)) {
		return -ENOMEM;
	}
	ie->pub.mem[LLEXT_MEM_EXPORT] = tab->syms;
	ie->pub.mem_size[LLEXT_MEM_EXPORT] = tab->sym_cnt * sizeof(*tab->syms);
	ie->pub.mem_on_heap[LLEXT_MEM_EXPORT] = true;
	ie->pub.alloc_size += tab->sym_cnt * sizeof(*tab->syms) + node_bytes + names;
	return 0;
}

/* One exported symbol, between choosing and copying: where it is, and how long its name is. */
struct export_cand {
	uint64_t addr;
	const char *name;
	size_t len; /* its name's, NUL not counted */
};

/* Where the candidates wait, kept from one load for the next (base/mapcache.c). */
static struct llext_mapcache cand_scratch = LLEXT_MAPCACHE_INIT;

__attribute__((destructor)) static void cand_scratch_fini(void)
{
	llext_mapcache_free(&cand_scratch);
}

/*
 * Copies the @n exports at @c, with their names (@names bytes together), into the table; their
 * names' hashes go to @hashes.
 */
static int fill_exports(struct llext_load *ld, const struct export_cand *c, uint32_t *hashes,
                        size_t n, size_t names)
{
	struct llext_internal *ie = ld->ie;
	struct llext_symtable *tab = &ie->pub.exp_tab;
	size_t node_bytes;
	char *np;

	tab->syms = llext_calloc(n, sizeof(*tab->syms));
	ie->exp_nodes = llext_exports_alloc(n, &node_bytes);
	ie->exp_names = np = llext_malloc(names);
	if (!tab->syms || !ie->exp_nodes || !np) {
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		memcpy(np, c[i].name, c[i].len + 1);
		tab->syms[i].name = np;
		tab->syms[i].addr = (void *)(uintptr_t)c[i].addr;
		hashes[i] = llext_hash_n(np, c[i].len);
		np += c[i].len + 1;
	}
	tab->sym_cnt = n;
	return index_exports(ld, hashes, names, node_bytes);
}

/*
 * With an explicit table, the vague definitions of data (the statics, vtables and typeinfo a
 * C++ header defines in every module, see resolve.c) are exported too, after its entries: the
 * extensions loaded later find them there and use the same objects. Adds them to @c at *@n.
 */
static void add_vague(const struct llext_load *ld, struct export_cand *c, size_t *n, size_t *names)
{
	for (size_t i = 1; i < ld->elf.nsyms; i++) {
		if (ld->sym[i].vague) {
			const char *name = ld->elf.str + ld->elf.syms[i].st_name;
			size_t l = strlen(name);

			c[(*n)++] =
			    (struct export_cand){.addr = ld->sym[i].addr, .name = name, .len = l};
			*names += l + 1;
		}
	}
}

static int build_exports(struct llext_load *ld)
{
	int explicit = find_loaded_section(ld, ".exported_sym");
	size_t nk = explicit ? ld->elf.shdr[explicit]->sh_size / EXPORT_ENTRY : ld->elf.nsyms;
	size_t ncand = nk + (explicit ? ld->nvague : 0);
	/* The candidates, then room for their hashes. */
	size_t len = ncand * (sizeof(struct export_cand) + sizeof(uint32_t)), n = 0, names = 0;
	struct export_cand *c;
	const char *name;
	uint64_t addr;
	int ret;

	ret = explicit ? check_explicit(ld, explicit) : 0;
	if (ret || !ncand) {
		return ret;
	}
	/* Chosen in one pass over the symbols, then copied: one array for the symbols, one for
	 * their names, each name hashed as it is copied. */
	c = llext_mapcache_take(&cand_scratch, len, 0, NULL);
	if (!c) {
		return -ENOMEM;
	}
	for (size_t k = 0; k < nk; k++) {
		if (export_of(ld, explicit, k, &name, &addr)) {
			size_t l = strlen(name);

			c[n++] = (struct export_cand){.addr = addr, .name = name, .len = l};
			names += l + 1;
		}
	}
	if (explicit && ld->nvague) {
		add_vague(ld, c, &n, &names);
	}
	ret = n ? fill_exports(ld, c, (uint32_t *)(void *)(c + ncand), n, names) : 0;
	llext_mapcache_give(&cand_scratch, c, len, 0, 0);
	return ret;
}

/* ---- constructors and destructors ---- */

enum fn_kind { FN_PREINIT, FN_INIT, FN_FINI };

struct fn_sect {
	size_t sect;
	uint32_t prio; /* 0..65535 from the name, 65536 for none */
	enum fn_kind kind;
	bool legacy; /* .ctors / .dtors: entries run last to first */
};

/* The priority in a name like ".init_array.00101" (@nlen bytes), or 65536 when there is none. */
static uint32_t name_priority(const char *name, size_t nlen, const char *prefix, bool legacy)
{
	size_t len = strlen(prefix);
	unsigned long v = 0;
	const char *p;

	if (nlen < len + 2 || strncmp(name, prefix, len) != 0 || name[len] != '.') {
		return 65536;
	}
	for (p = name + len + 1; p < name + nlen; p++) {
		if (*p < '0' || *p > '9' || v > 65535) {
			return 65536;
		}
		v = v * 10 + (unsigned long)(*p - '0');
	}
	if (v > 65535) {
		return 65536;
	}
	/* .ctors.N holds priority 65535 - N, as the linker's SORT_BY_INIT_PRIORITY reads it. */
	return legacy ? 65535 - (uint32_t)v : (uint32_t)v;
}

static bool fn_sect_of(const struct llext_load *ld, size_t i, struct fn_sect *f)
{
	const Elf64_Shdr *sh = ld->elf.shdr[i];
	const char *name = llext_elf_sect_name(&ld->elf, i);
	size_t nlen = strlen(name);
	static const struct {
		const char *prefix;
		enum fn_kind kind;
		bool legacy;
	} kinds[] = {
	    {".preinit_array", FN_PREINIT, false},
	    {".init_array", FN_INIT, false},
	    {".fini_array", FN_FINI, false},
	    {".ctors", FN_INIT, true},
	    {".dtors", FN_FINI, true},
	};

	if (ld->sect[i].region == LLEXT_MEM_COUNT || sh->sh_type == SHT_NOBITS) {
		return false;
	}
	/*
	 * Zephyr's Z_GENERIC_SECTION(".init_array") stringizes the quotes with the name: GCC's
	 * assembler drops them, Clang's integrated one keeps them in the section's name.
	 */
	if (nlen >= 2 && name[0] == '"' && name[nlen - 1] == '"') {
		name++;
		nlen -= 2;
	}
	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
		size_t len = strlen(kinds[k].prefix);
		bool typed =
		    (kinds[k].kind == FN_PREINIT && sh->sh_type == SHT_PREINIT_ARRAY) ||
		    (!kinds[k].legacy && kinds[k].kind == FN_INIT &&
		     sh->sh_type == SHT_INIT_ARRAY) ||
		    (!kinds[k].legacy && kinds[k].kind == FN_FINI && sh->sh_type == SHT_FINI_ARRAY);

		if (nlen >= len && strncmp(name, kinds[k].prefix, len) == 0 &&
		    (nlen == len || name[len] == '.')) {
			f->sect = i;
			f->kind = kinds[k].kind;
			f->legacy = kinds[k].legacy;
			f->prio = name_priority(name, nlen, kinds[k].prefix, kinds[k].legacy);
			return true;
		}
		if (typed) {
			/* An array section with an unusual name: run it without a priority. */
			f->sect = i;
			f->kind = kinds[k].kind;
			f->legacy = false;
			f->prio = 65536;
			return true;
		}
	}
	return false;
}

static int cmp_fn_sect(const void *a, const void *b)
{
	const struct fn_sect *x = a, *y = b;

	if (x->kind != y->kind) {
		return x->kind < y->kind ? -1 : 1;
	}
	if (x->prio != y->prio) {
		return x->prio < y->prio ? -1 : 1;
	}
	return x->sect < y->sect ? -1 : x->sect > y->sect;
}

/* The lists as regions, as Zephyr shows its copies of the arrays: preinit entries come first. */
static void show_fn_regions(struct llext_internal *ie)
{
	size_t pre = ie->pub.mem_size[LLEXT_MEM_PREINIT];
	struct {
		enum llext_mem r;
		void *start;
		size_t size;
	} lists[] = {
	    {LLEXT_MEM_PREINIT, ie->ctors, pre},
	    {LLEXT_MEM_INIT, (uint8_t *)ie->ctors + pre, ie->nctors * sizeof(*ie->ctors) - pre},
	    {LLEXT_MEM_FINI, ie->dtors, ie->ndtors * sizeof(*ie->dtors)},
	};

	for (size_t i = 0; i < ARRAY_SIZE(lists); i++) {
		ie->pub.mem[lists[i].r] = lists[i].size ? lists[i].start : NULL;
		ie->pub.mem_size[lists[i].r] = lists[i].size;
		ie->pub.mem_on_heap[lists[i].r] = lists[i].size != 0;
	}
}

/* Appends the entries of array section @f to the constructor or destructor list. */
static int add_fns(struct llext_load *ld, const struct fn_sect *f)
{
	struct llext_internal *ie = ld->ie;
	uint64_t text = (uintptr_t)ie->pub.mem[LLEXT_MEM_TEXT];
	uint64_t text_end = text + ie->pub.mem_size[LLEXT_MEM_TEXT];
	const uint8_t *p = ie->map + ld->sect[f->sect].offset;
	size_t n = ld->elf.shdr[f->sect]->sh_size / 8;

	for (size_t j = 0; j < n; j++) {
		/* A linker puts .ctors entries into .init_array last to first. */
		size_t at = f->legacy ? n - 1 - j : j;
		uint64_t fn = llext_get_le(p + 8 * at, 8);

		if (fn == 0 || fn == UINT64_MAX) {
			continue; /* .ctors list terminators */
		}
		if (fn < text || fn >= text_end) {
			LOG_ERR("%s: %s entry %zu (0x%llx) is not in the extension's code",
			        ld->name, llext_elf_sect_name(&ld->elf, f->sect), at,
			        (unsigned long long)fn);
			return -ENOEXEC;
		}
		if (f->kind == FN_FINI) {
			ie->dtors[ie->ndtors++] = (void (*)(void))(uintptr_t)fn;
		} else {
			ie->ctors[ie->nctors++] = (void (*)(void))(uintptr_t)fn;
			ie->pub.mem_size[LLEXT_MEM_PREINIT] += f->kind == FN_PREINIT ? 8 : 0;
		}
	}
	return 0;
}

/* The array sections in @fs, in static link order; their entries counted in @nctors/@ndtors. */
static int find_fn_sects(const struct llext_load *ld, struct fn_sect *fs, size_t *nfs,
                         size_t *nctors, size_t *ndtors)
{
	const struct llext_elf *e = &ld->elf;

	for (size_t i = 1; i < e->shnum; i++) {
		if (!fn_sect_of(ld, i, &fs[*nfs])) {
			continue;
		}
		if (e->shdr[i]->sh_size % 8) {
			LOG_ERR("%s: %s is %llu bytes, not a whole number of pointers", ld->name,
			        llext_elf_sect_name(e, i), (unsigned long long)e->shdr[i]->sh_size);
			return -EINVAL;
		}
		*(fs[*nfs].kind == FN_FINI ? ndtors : nctors) += e->shdr[i]->sh_size / 8;
		(*nfs)++;
	}
	/* Static link order: preinit, then init by priority, then fini by priority. */
	qsort(fs, *nfs, sizeof(*fs), cmp_fn_sect);
	return 0;
}

static int build_fn_tables(struct llext_load *ld)
{
	struct llext_internal *ie = ld->ie;
	size_t nfs = 0, nctors = 0, ndtors = 0;
	struct fn_sect *fs;
	int ret;

	fs = llext_calloc(ld->elf.shnum, sizeof(*fs));
	if (!fs) {
		return -ENOMEM;
	}
	ret = find_fn_sects(ld, fs, &nfs, &nctors, &ndtors);
	if (!ret) {
		ie->ctors = llext_calloc(nctors + 1, sizeof(*ie->ctors));
		ie->dtors = llext_calloc(ndtors + 1, sizeof(*ie->dtors));
		ret = ie->ctors && ie->dtors ? 0 : -ENOMEM;
	}
	if (!ret) {
		ie->pub.alloc_size += (nctors + ndtors + 2) * sizeof(void *);
	}
	for (size_t k = 0; k < nfs && !ret; k++) {
		ret = add_fns(ld, &fs[k]);
	}
	free(fs);
	/* The fini array runs from its end to its start. */
	for (size_t i = 0; i < ie->ndtors / 2 && !ret; i++) {
		void (*t)(void) = ie->dtors[i];

		ie->dtors[i] = ie->dtors[ie->ndtors - 1 - i];
		ie->dtors[ie->ndtors - 1 - i] = t;
	}
	if (!ret) {
		show_fn_regions(ie);
	}
	return ret;
}

/*
 * The extension's global thread-local variables, for other extensions, as a dynamic linker
 * would find them: they have no address (one per thread), so they are kept apart from the
 * export table, with the extension's TLS module (runtime/tls.c).
 */
static int export_tls(struct llext_load *ld)
{
	for (size_t i = 1; ld->ie->tls && i < ld->elf.nsyms; i++) {
		const Elf64_Sym *s = &ld->elf.syms[i];
		unsigned int bind = ELF64_ST_BIND(s->st_info),
			     vis = ELF64_ST_VISIBILITY(s->st_other);
		const char *name = llext_elf_sym_name(&ld->elf, i);
		int ret;

		if (ld->sym[i].kind != LLEXT_SYM_TLS || ELF64_ST_TYPE(s->st_info) != STT_TLS ||
		    (bind != STB_GLOBAL && bind != STB_WEAK && bind != STB_GNU_UNIQUE) ||
		    (vis != STV_DEFAULT && vis != STV_PROTECTED) || !*name) {
			continue;
		}
		ret = llext_tls_export_add(ld->ie, name, ld->sym[i].addr);
		if (ret) {
			return ret;
		}
	}
	return 0;
}

int llext_tables_build(struct llext_load *ld)
{
	int ret = build_exports(ld);

	if (!ret) {
		ret = export_tls(ld);
	}
	if (ret) {
		if (ret == -ENOMEM) {
			LOG_ERR("%s: out of memory building the export table", ld->name);
		}
		return ret;
	}
	ret = build_fn_tables(ld);
	if (ret == -ENOMEM) {
		LOG_ERR("%s: out of memory building the constructor tables", ld->name);
	}
	return ret;
}

/* ---- section information (keep_section_info) ---- */

/*
 * The file range the sections in region @r span, as Zephyr's region headers give it: from the
 * first byte of the first section to the last byte of the last one. The tables (symbols, their
 * names, section names) are one section each. A NOBITS section has no bytes in the file: it only
 * gives the region its offset when the region has nothing else (the bss), and its size is then
 * the region's size in memory (region_header()). False when no section is in @r.
 */
static bool region_span(const struct llext_load *ld, enum llext_mem r, uint64_t *off,
                        uint64_t *size)
{
	const struct llext_elf *e = &ld->elf;
	uint64_t lo = UINT64_MAX, hi = 0, nobits_lo = UINT64_MAX;
	size_t one = 0;

	if (r == LLEXT_MEM_SYMTAB) {
		one = e->symtab;
	} else if (r == LLEXT_MEM_STRTAB && e->symtab) {
		one = e->shdr[e->symtab]->sh_link;
	} else if (r == LLEXT_MEM_SHSTRTAB && (!e->elf || elf_getshdrstrndx(e->elf, &one) != 0)) {
		return false;
	}
	if (one >= e->shnum) {
		return false;
	}
	for (size_t i = 1; i < e->shnum; i++) {
		const Elf64_Shdr *h = e->shdr[i];

		if (one ? i != one : ld->sect[i].region != (uint32_t)r) {
			continue;
		}
		if (h->sh_type == SHT_NOBITS) {
			nobits_lo = h->sh_offset < nobits_lo ? h->sh_offset : nobits_lo;
			continue;
		}
		/* elf.c checked that every section with bytes lies within the file. */
		lo = h->sh_offset < lo ? h->sh_offset : lo;
		hi = h->sh_offset + h->sh_size > hi ? h->sh_offset + h->sh_size : hi;
	}
	if (lo > hi && nobits_lo != UINT64_MAX) {
		lo = hi = nobits_lo;
	}
	if (lo > hi) {
		return false;
	}
	*off = lo;
	*size = hi - lo;
	return true;
}

/*
 * One region as a section header: what it holds, its run-time address and alignment, and the
 * file range its sections span (sh_offset, sh_size). Its size in memory, which adds stubs, the
 * GOT and padding, is the extension's mem_size[].
 */
static void region_header(const struct llext_load *ld, enum llext_mem r, Elf64_Shdr *h)
{
	static const uint64_t flags[LLEXT_MEM_PARTITIONS] = {
	    [LLEXT_MEM_TEXT] = SHF_ALLOC | SHF_EXECINSTR,
	    [LLEXT_MEM_DATA] = SHF_ALLOC | SHF_WRITE,
	    [LLEXT_MEM_RODATA] = SHF_ALLOC,
	    [LLEXT_MEM_BSS] = SHF_ALLOC | SHF_WRITE,
	};
	uint64_t off, size;

	memset(h, 0, sizeof(*h));
	h->sh_type = r == LLEXT_MEM_BSS ? SHT_NOBITS : SHT_PROGBITS;
	h->sh_addr = (uintptr_t)ld->ie->pub.mem[r];
	if (region_span(ld, r, &off, &size)) {
		h->sh_offset = off;
		h->sh_size = r == LLEXT_MEM_BSS ? ld->ie->pub.mem_size[r] : size;
	} else {
		h->sh_size = ld->ie->pub.mem_size[r]; /* a table built on the heap */
	}
	if (r < LLEXT_MEM_PARTITIONS) {
		h->sh_flags = flags[r];
		h->sh_addralign = ld->region[r].align;
	} else {
		h->sh_addralign = 8; /* tables of pointers, on the heap */
	}
}

int llext_tables_keep(struct llext_load *ld)
{
	const struct llext_elf *e = &ld->elf;
	size_t n = e->shnum;
	struct llext_sections *k;

	if (!ld->param->keep_section_info) {
		return 0;
	}
	k = llext_sections_alloc(n, e->shstr, e->shstr_size);
	if (!k) {
		LOG_ERR("%s: out of memory keeping the section information", ld->name);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t r = ld->sect[i].region;

		k->shdr[i] = *e->shdr[i];
		k->region[i] = r;
		k->offset[i] =
		    r < LLEXT_MEM_PARTITIONS ? ld->sect[i].offset - ld->region[r].off : 0;
	}
	for (int r = 0; r < LLEXT_MEM_COUNT; r++) {
		region_header(ld, (enum llext_mem)r, &k->region_hdr[r]);
	}
	ld->ie->sections = k;
	ld->ie->pub.alloc_size += llext_sections_size(k);
	return 0;
}
