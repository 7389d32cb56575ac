/* SPDX-License-Identifier: MIT */
/*
 * A load in progress, for the driver (load.c) and the stages it runs, one file each:
 *
 *   join.c      archives: members pulled in, objects joined (archive.c reads
 *               archives; elf.c reads each input and the result)  -> ld->joined
 *   elf.c       read and validate the object                       -> struct llext_elf
 *   tls_link.c  lay out thread-local storage; its GOT entries      -> sect[].tls_off
 *   resolve.c   give every symbol a value or a kind                -> sym[]
 *   scan.c      check every relocation; count GOT entries and stubs;
 *               narrow the placement windows                       -> windows, ngot, nstub
 *   map.c       lay out regions, map them where the windows allow,
 *               copy sections in, protect pages                    -> sect[].addr, ie->map
 *   reloc.c     apply relocations, write the GOT and stubs
 *   tables.c    the export table and the constructor tables
 *   eh_frame.c  check .eh_frame before runtime/unwind.c registers it
 *   addr_table.c, debug_copy.c, perf_files.c
 *               what debuggers, profilers and address lookup get
 *
 * What serves the extension after its load is in runtime/: its pages (pages.c), single
 * relocations (relocate.c), TLS (tls.c), exception frames (unwind.c).
 *
 * Stages never call each other: each reads what earlier ones left in struct llext_load, which
 * the driver owns and hands over. All of them read the object through the accessors below and
 * the arch backends; elf.c calls nothing of the other stages.
 */
#ifndef LLEXT_LOAD_LOAD_H
#define LLEXT_LOAD_LOAD_H

#include <limits.h>
#include <stdint.h>

#include <libelf.h>

#include "arch.h"
#include "runtime/ext.h"

/* a - b, clamped to the int64_t range: placement windows are built from untrusted addends. */
static inline int64_t llext_sat_sub(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_sub_overflow(a, b, &r)) {
		return b < 0 ? INT64_MAX : INT64_MIN;
	}
	return r;
}

/* ---- elf.c: the object, read and validated ---- */

/* The entries of a SHT_RELA section that relocates an allocated section. */
struct llext_rela_tab {
	const Elf64_Rela *r;
	size_t n;
};

struct llext_elf {
	/* The whole object: the loader's memory or ours. Allocated code may be missing from the
	 * loader's (see llext_elf_read_section()). */
	const uint8_t *image;
	size_t size;
	void *copy;               /* non-NULL when image was read into our memory */
	struct llext_loader *ldr; /* where image came from */
	Elf *elf;
	uint16_t machine;
	size_t shnum;
	Elf64_Shdr **shdr;
	const char *shstr;
	size_t shstr_size;
	size_t symtab; /* section index of SHT_SYMTAB */
	const Elf64_Sym *syms;
	size_t nsyms;
	const char *str;
	size_t str_size;
	const Elf32_Word *xndx; /* SHT_SYMTAB_SHNDX entries, or NULL */
	/* Per section: for SHT_RELA sections relocating allocated ones, their entries. */
	struct llext_rela_tab *rela;
	/* Sections of COMDAT groups whose signature an earlier group already had (1 = drop). */
	uint8_t *discarded;
	size_t eh_frame; /* index of the allocated .eh_frame, 0 if none */
	/* LLEXT_NEEDS() names: NUL-terminated strings one after another, or NULL. */
	const char *needs;
	size_t needs_size;
	void **owned; /* aligned copies of misaligned tables */
	size_t nowned;
};

/*
 * Reads the object through @ldr and checks every header, table and index a later stage uses;
 * @what names it in messages. On failure @e holds what was allocated so far: llext_elf_close()
 * frees it in any state.
 */
int llext_elf_open(struct llext_elf *e, struct llext_loader *ldr, const char *what);
void llext_elf_close(struct llext_elf *e);
/*
 * Copies the contents of section @i (validated, not SHT_NOBITS) to @out; @what names the object
 * in messages. A loader may keep ranges out of reach of peek (the file loader does for the code
 * of large files, see loaders/file_cache.c): those are read through it, straight into @out. The
 * only way an allocated executable section's bytes are ever read.
 */
int llext_elf_read_section(const struct llext_elf *e, size_t i, void *out, const char *what);

/* Names for messages: never trusting an index or offset that may not have been checked yet. */
static inline const char *llext_elf_sect_name(const struct llext_elf *e, size_t idx)
{
	if (idx >= e->shnum || e->shdr[idx]->sh_name >= e->shstr_size) {
		return "?";
	}
	return e->shstr + e->shdr[idx]->sh_name;
}

/* Section index of a symbol (resolving SHN_XINDEX), or the special SHN_* value. */
static inline size_t llext_elf_sym_shndx(const struct llext_elf *e, size_t idx)
{
	uint16_t shndx = e->syms[idx].st_shndx;

	if (shndx == SHN_XINDEX && e->xndx) {
		return e->xndx[idx];
	}
	return shndx;
}

static inline const char *llext_elf_sym_name(const struct llext_elf *e, size_t idx)
{
	const Elf64_Sym *s;

	if (idx == 0 || idx >= e->nsyms) {
		return "";
	}
	s = &e->syms[idx];
	if (ELF64_ST_TYPE(s->st_info) == STT_SECTION) {
		return llext_elf_sect_name(e, llext_elf_sym_shndx(e, idx));
	}
	return s->st_name < e->str_size ? e->str + s->st_name : "?";
}

/* Where a relocation is: its SHT_RELA section and its entry there (sec 0 for none). */
struct llext_relpos {
	uint32_t sec, idx;
};

/* "R_X86_64_PC32 at .text+0x12 against 'puts'", for messages. */
void llext_elf_describe_rel(const struct llext_elf *e, const struct llext_arch *arch,
                            struct llext_relpos pos, char *buf, size_t len);

/* ---- archive.c: ar archives (static libraries), read ---- */

/* A member: its name (not NUL-terminated) and bytes; a thin archive's are mapped on demand. */
struct llext_ar_member {
	const char *name;
	size_t name_len;
	const uint8_t *data; /* NULL for a thin member not yet mapped */
	size_t size;
	size_t hdr; /* offset of its header in the archive */
	void *map;  /* a thin member's mapping, or NULL */
};

/* An entry of the archive's symbol index: a name and the member defining it. */
struct llext_ar_sym {
	const char *name;
	uint32_t member;
};

struct llext_ar {
	const char *what; /* the archive, in messages */
	const char *path; /* its path when read from a file (thin members are relative to it) */
	const uint8_t *image;
	size_t size;
	bool thin;
	struct llext_ar_member *m;
	size_t nm;
	struct llext_ar_sym *sym; /* the symbol index, or NULL when it has none */
	size_t nsym;
	const uint8_t *index; /* the raw symbol index and its entry width (4 or 8) */
	size_t index_size, index_width;
	const char *names; /* the long-name table */
	size_t names_size;
	void *map; /* the archive's own mapping (llext_ar_open_file()) */
	size_t map_len;
};

/* 1 if the @len bytes at @m start an archive, 2 a thin one, 0 neither. */
int llext_ar_kind(const uint8_t *m, size_t len);
/* Reads the archive of @size bytes at @image (kept, not copied) into @ar, zeroed by the caller;
 * @what names it in messages. On failure llext_ar_close() frees what was allocated. */
int llext_ar_parse(struct llext_ar *ar, const uint8_t *image, size_t size, const char *what);
/* Maps the file @path read-only and reads it (@path is kept, not copied). */
int llext_ar_open_file(struct llext_ar *ar, const char *path);
/* Makes member @i's data available: a thin member's file is mapped. */
int llext_ar_member_data(struct llext_ar *ar, size_t i);
void llext_ar_close(struct llext_ar *ar);

/* ---- prof_rt.c: the coverage runtime an instrumented object needs ---- */

/* The archives to link an extension with: empty strings when it needs none. */
struct llext_prof_rt {
	char gcov[PATH_MAX]; /* GCC's libgcov.a */
	char prof[PATH_MAX]; /* Clang's libclang_rt.profile: __llvm_profile_runtime wanted */
};

/*
 * Fills what @rt does not have yet with the runtime archive of the compiler that built @e, if @e
 * was compiled for coverage (GCC --coverage, Clang -fprofile-instr-generate): a library of
 * @libs or of its LLEXT_NEEDS() named like that runtime, else the one its compiler installed.
 * 0, or -ENOENT (logged, naming the variable to set) when that runtime cannot be found.
 */
int llext_prof_rt_need(const struct llext_elf *e, const char *what, const char *const *libs,
                       struct llext_prof_rt *rt);

/* ---- join.c: archives pulled in, objects joined (an in-memory `ld -r`) ---- */

/*
 * Opens ld->elf from @ldr: the object itself when it is one and names no archive (nothing is
 * copied or parsed twice), else one relocatable object joined from the object and the archive
 * members it pulls in, or from every member when @ldr holds an archive. The joined image is
 * ld->joined, freed by the driver after llext_elf_close().
 */
struct llext_load;
struct llext_joined;
int llext_join_open(struct llext_load *ld, struct llext_loader *ldr);
void llext_join_free(struct llext_joined *jd);
/* Whether symbol @sym of the joined object @jd (NULL when nothing was joined) is what a coverage
 * runtime imports: resolved past the load's overrides. */
bool llext_join_rt_import(const struct llext_joined *jd, size_t sym);

/* ---- what the stages leave for each other ---- */

/* The addresses an item may have so that the relocations seen so far reach their targets, and
 * the relocations that set each end. */
struct llext_window {
	int64_t lo, hi;
	struct llext_relpos lo_by, hi_by;
};

#define LLEXT_WINDOW_ANY ((struct llext_window){.lo = INT64_MIN, .hi = INT64_MAX})

/* Raises @w's low end to @lo and lowers its high end to @hi where they are tighter, noting the
 * relocations that set them. */
static inline void llext_window_narrow(struct llext_window *w, int64_t lo,
                                       struct llext_relpos lo_by, int64_t hi,
                                       struct llext_relpos hi_by)
{
	if (lo > w->lo) {
		w->lo = lo;
		w->lo_by = lo_by;
	}
	if (hi < w->hi) {
		w->hi = hi;
		w->hi_by = hi_by;
	}
}

/* A section as the load sees it. */
struct llext_sect {
	uint32_t region;            /* enum llext_mem, or LLEXT_MEM_COUNT when not loaded */
	uint64_t offset;            /* from the start of the reservation */
	uint64_t addr;              /* run-time address, once placed */
	uint64_t tls_off;           /* SHF_TLS: its offset in the extension's TLS block */
	struct llext_window window; /* on this section's address */
	/* Of a named group (struct llext_named): the next section of the same name and region,
	 * laid out right after this one, 0 if none; and whether this one follows another. */
	uint32_t next_named;
	bool follows;
};

/* A loaded section whose name is a C identifier: one of those __start_NAME and __stop_NAME
 * span. The layout puts the sections of one name and region one after the other. */
struct llext_named {
	const char *name;
	uint32_t sect, region;
};

/* Symbol kinds after resolution. */
enum llext_symkind {
	LLEXT_SYM_NONE,      /* index 0, or unused */
	LLEXT_SYM_DEFINED,   /* in a section of this extension */
	LLEXT_SYM_COMMON,    /* SHN_COMMON, allocated in bss */
	LLEXT_SYM_ABS,       /* SHN_ABS */
	LLEXT_SYM_EXTERNAL,  /* resolved outside the extension */
	LLEXT_SYM_WEAK_NULL, /* weak undefined and not found: S = 0 */
	LLEXT_SYM_GOTBASE,   /* _GLOBAL_OFFSET_TABLE_ */
	LLEXT_SYM_DSO,       /* __dso_handle: an address unique to the extension */
	LLEXT_SYM_ALIAS,     /* defined in a dropped COMDAT group: the kept definition */
	LLEXT_SYM_TLS,       /* in a SHF_TLS section: addr is its offset in the TLS block */
	LLEXT_SYM_SECT_EDGE, /* __start_NAME, __stop_NAME: addr is an offset in section alias */
	LLEXT_SYM_TLS_OUT,   /* thread-local, defined outside: addr is its offset in the block of
	                      * module tls_out[alias] */
};

struct llext_symval {
	union {
		/* What the backends' apply_run() reads: the three fields below. */
		struct llext_reloc_sym rs;
		struct {
			/* S once placed; for COMMON, its offset in the reservation until then */
			uint64_t addr;
			/* once placed: the addresses of its GOT entry and stub, 0 if none */
			uint64_t G, L;
		};
	};
	uint32_t got;   /* GOT entry index + 1, 0 if none */
	uint32_t stub;  /* stub index + 1, 0 if none */
	uint32_t alias; /* the index of the kept definition (ALIAS), of the section (SECT_EDGE) */
	/* TLS: GOT index + 1 of its descriptor {resolver, module, offset}, whose last two
	 * entries are its general dynamic pair; 0 if none */
	uint32_t tls_got;
	uint8_t kind;
	uint8_t unloadable; /* defined in a section that is not loaded */
	/* a vague definition of data (resolve.c): exported even beside an explicit table */
	uint8_t vague;
	/* LLEXT_SYM_EXTERNAL for a vague definition of the extension's whose copy in the host or
	 * another extension is used instead (resolve.c); exported at that copy's address */
	uint8_t unified;
};

struct llext_region {
	uint64_t off, size, align;
};

/* Everything a load needs until it finishes; the extension keeps what outlives it. */
struct llext_load {
	struct llext_internal *ie;
	const char *name;
	const struct llext_load_param *param;
	const struct llext_symtable *bound; /* see llext_load_build() */
	const struct llext_arch *arch;
	const char *file; /* the object's path, if the file loader read it; else NULL */
	struct llext_elf elf;
	struct llext_sect *sect;
	struct llext_symval *sym;
	/* Per symbol: its value is fixed before placement (outside the extension, or absolute), or
	 * it cannot be used, and the scan looks closely at every relocation against it. Apart from
	 * sym so that the scan's fast path reads one byte per symbol. */
	uint8_t *slow;
	/* The joined object and the loader ld->elf reads it through (join.c), or NULL. */
	struct llext_joined *joined;
	/* The loaded sections named as C identifiers, by name, region, then index; NULL if none
	 * (map.c; freed by the driver). */
	struct llext_named *named;
	size_t nnamed;
	/* The block holding sect, sym and slow (load.c). */
	void *scratch;
	size_t scratch_len;

	struct llext_region region[LLEXT_MEM_PARTITIONS];
	size_t ngot, nstub;
	size_t nvague; /* symbols marked vague */
	bool need_got;
	uint32_t tls_ld_got; /* GOT index + 1 of the local dynamic pair {module, 0}, 0 if none */
	/* The modules of the thread-local variables defined outside (LLEXT_SYM_TLS_OUT): the
	 * extensions' or those standing for the C library's (runtime/tls.c); freed by the driver */
	struct llext_tls_module **tls_out;
	size_t ntls_out;
	char why[512];              /* a refusal's reason, when it names something */
	char tls_static_why[200]; /* why the TLS block got no static TLS, if it asked */
	uint64_t got_off, stub_off; /* offsets in the reservation */
	uint64_t map_align;
	bool huge; /* backed by transparent huge pages */
	/* The reservation's unused, zeroed, read+write tail (huge pages round it up), or NULL: its
	 * offset and size, and its address once placed. llext_mem_lasting() hands it out. */
	uint64_t spare_off, spare_size;
	uint8_t *spare;
	/* On the reservation's base, from absolute relocations against the extension itself. */
	struct llext_window abs;
	/* In front of the backend's table: the scan looks every relocation's type up, twice when
	 * it takes the slow path. */
	struct llext_reloc_cache type_cache;
};

/* The descriptor of relocation type @type, or NULL if the backend does not know it. */
static inline const struct llext_reloc_desc *llext_load_desc(struct llext_load *ld, uint32_t type)
{
	return llext_reloc_cache_get(&ld->type_cache, ld->arch, type);
}

/* ---- tls_link.c: thread-local storage, while loading ---- */

/* Stage: the offset of every SHF_TLS section in the TLS block, and the extension's module. */
int llext_tls_layout(struct llext_load *ld);
/* True if symbol value @v is thread-local (an alias of a thread-local one included). */
bool llext_tls_sym(const struct llext_load *ld, const struct llext_symval *v);
/* S for a thread-local relocation: for local-exec against the block in static TLS, the
 * variable's offset from the thread pointer. */
uint64_t llext_tls_tp_value(const struct llext_load *ld, const struct llext_reloc_desc *d,
                            const struct llext_symval *v, uint64_t S);
/* Whether the object has initial-exec code against symbol @symi (a variable outside). */
bool llext_tls_wants_static(struct llext_load *ld, size_t symi);
/* Why the relocation @r (descriptor @d) cannot be applied as far as TLS goes, or NULL. */
const char *llext_tls_refuse(struct llext_load *ld, const struct llext_reloc_desc *d,
                             const Elf64_Rela *r);
/* Counts the GOT entries a relocation of type @d against @v needs (LLEXT_RF_TLS_GD, _LD, _DESC). */
void llext_tls_count(struct llext_load *ld, const struct llext_reloc_desc *d,
                     struct llext_symval *v);
/* Once placed and symbols set: the images of the module and the TLS GOT entries. */
void llext_tls_write_got(struct llext_load *ld);
/* The GOT item a TLS relocation of type @d against @v uses (its G), 0 if none. */
uint64_t llext_tls_got_item(const struct llext_load *ld, const struct llext_reloc_desc *d,
                            const struct llext_symval *v);

/* ---- resolve.c ---- */

int llext_resolve_symbols(struct llext_load *ld);

/* ---- scan.c ---- */

int llext_scan_relocs(struct llext_load *ld);

/* ---- map.c: layout, mapping, copy, protection ---- */

/* Every section's region, and the named groups (ld->named); 0 or -ENOMEM. */
int llext_mem_classify(struct llext_load *ld);
/*
 * The loaded sections named @name, which __start_@name and __stop_@name span: the first and the
 * last of them in the layout. -EINVAL if @name is not a C identifier (no linker defines such
 * symbols), -ENOENT if no loaded section has that name, -EXDEV if they are in more than one
 * region and so are not one range.
 */
int llext_mem_named(const struct llext_load *ld, const char *name, uint32_t *first, uint32_t *last);
int llext_mem_layout(struct llext_load *ld);
int llext_mem_place(struct llext_load *ld);
int llext_mem_copy(struct llext_load *ld);
int llext_mem_protect(struct llext_load *ld);
/*
 * @size zeroed bytes for what lives as long as the extension and belongs to libllext (its
 * symbols by address, the debuggers' copy): in the reservation's spare tail when there is room
 * (resident already: no fault and no memory of its own; it goes with the mapping, never freed
 * on its own), else on the heap. *@in_map says which; NULL when out of memory.
 */
void *llext_mem_lasting(struct llext_load *ld, size_t size, bool *in_map);

/* ---- reloc.c ---- */

int llext_reloc_apply(struct llext_load *ld);

/* ---- eh_frame.c ---- */

/* Checks .eh_frame (@size bytes at @eh, run-time address @addr, relocated) the way the unwinder
 * will read it: every record well formed, every FDE inside [@text, @text_end]. @name names the
 * extension in messages. */
int llext_eh_frame_check(const uint8_t *eh, size_t size, uint64_t addr, uint64_t text,
                         uint64_t text_end, const char *name);

/* ---- tables.c ---- */

int llext_tables_build(struct llext_load *ld);
/* With the keep_section_info load parameter: ie->sections. */
int llext_tables_keep(struct llext_load *ld);

/* ---- addr_table.c ---- */

/* Stage: builds the extension's symbols by address from the load's and hands them to
 * observe/addr.c, which publishes the extension to llext_addr_info(). */
int llext_addr_table_build(struct llext_load *ld);

/* ---- debug_copy.c: the object debuggers read ---- */

/* Applies the relocations of debug section @target (.rela.debug_line, say) to @out, a copy of
 * its bytes, as in the debuggers' copy: S + A (S + A - P), loaded sections at their run-time
 * address and the others at 0. Every entry is checked; a bad one is logged as an error. */
int llext_debug_relocate(const struct llext_load *ld, size_t target, uint8_t *out);
/* At the end of a load: builds the debuggers' copy (relocated, every section placed) and
 * registers it with observe/debug.c, unless turned off. A failure is logged and leaves the
 * extension loaded, unregistered. */
void llext_debug_copy(struct llext_load *ld);

/* ---- perf_files.c: perf's map and jitdump files, when the environment asks for them ---- */

/* Describes the extension's functions to perf (LLEXT_PERF_MAP, LLEXT_PERF_JITDUMP). */
void llext_perf_load(struct llext_load *ld);

#endif /* LLEXT_LOAD_LOAD_H */
