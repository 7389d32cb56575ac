/* SPDX-License-Identifier: MIT */
/*
 * libllext internals, grouped by the file that owns them.
 *
 * A load goes through the stages in this order, one file each:
 *   load.c    read and validate the ELF object (llext_do_load() drives the stages)
 *   link.c    resolve symbols, count GOT entries and stubs, find placement constraints
 *   mem.c     lay regions out, map them, copy sections, protect pages
 *   link.c    apply relocations, build exports and constructor tables
 *   llext.c   register the extension
 *
 * Cleanup policy: stage functions do not free what they built when they fail. The owner of the
 * load (llext_do_load()) frees the half-built extension once, with llext_free().
 */
#ifndef LLEXT_PRIV_H
#define LLEXT_PRIV_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <libelf.h>

#include <llext/llext.h>
#include <llext/log.h>

#include "../arch/arch.h"

/* Marks a definition as part of the public ABI (everything else is hidden). */
#define LLEXT_EXPORT __attribute__((visibility("default")))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* a - b, clamped to the int64_t range: placement windows are built from untrusted addends. */
static inline int64_t llext_sat_sub(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_sub_overflow(a, b, &r)) {
		return b < 0 ? INT64_MAX : INT64_MIN;
	}
	return r;
}

/* ---- fault.c: every fallible call goes through these, so tests can make each one fail ---- */

extern _Atomic long llext_fault_countdown;
bool llext_fault_now(void);
void *llext_malloc(size_t n);
void *llext_calloc(size_t n, size_t size);
void *llext_realloc(void *p, size_t n);
void *llext_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int llext_mprotect(void *addr, size_t len, int prot);

/* ---- log.c ---- */

void llext_log(enum llext_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
bool llext_log_enabled(enum llext_log_level level);

#define LOG_ERR(...) llext_log(LLEXT_LOG_ERR, __VA_ARGS__)
#define LOG_WRN(...) llext_log(LLEXT_LOG_WRN, __VA_ARGS__)
#define LOG_INF(...) llext_log(LLEXT_LOG_INF, __VA_ARGS__)
#define LOG_DBG(...)                                                                               \
	do {                                                                                       \
		if (llext_log_enabled(LLEXT_LOG_DBG)) {                                            \
			llext_log(LLEXT_LOG_DBG, __VA_ARGS__);                                     \
		}                                                                                  \
	} while (0)

/* ---- llext.c: the registry and the extension object ---- */

/* An extension as libllext holds it; the public part comes first. */
struct llext_internal {
	struct llext pub;

	/* Registry: load-order list and name hash chain (llext.c). */
	struct llext_internal *prev, *next, *hnext;
	uint32_t name_hash;

	/* Memory (mem.c): one reservation holding all regions. */
	uint8_t *map;
	size_t map_size;
	struct k_mem_partition parts[LLEXT_MEM_PARTITIONS];

	/* Linking results (link.c). */
	const struct llext_arch *arch;
	struct llext_internal **deps;
	size_t ndeps;
	void (**ctors)(void); /* preinit then init entries, in run order */
	size_t nctors;
	void (**dtors)(void); /* fini entries, in run order */
	size_t ndtors;
	struct llext_export_node *exp_nodes; /* this extension's entries in the export index */
	char *exp_names;
	uint64_t *sect_addr; /* load address of each section, 0 if not loaded */
	size_t nsect;
	size_t *reloc_counts; /* per entry of arch->relocs */
	struct llext_stats stats;
	uint64_t mark;   /* scratch for dependency de-duplication, under the registry lock */
	void *eh_frame;  /* registered with the unwinder, or NULL */
	bool dso_handle; /* uses __dso_handle: run __cxa_finalize() on teardown */

	bool brought_up, torn_down;

	/* Registered with debuggers (debug.c), or NULL. */
	struct llext_debug *debug;
};

static inline struct llext_internal *to_internal(const struct llext *ext)
{
	return (struct llext_internal *)ext;
}

void llext_registry_lock(void);
void llext_registry_unlock(void);
/* Frees everything a (possibly half-built) extension owns, and the extension. */
void llext_free(struct llext_internal *ie);

/* ---- symbol.c: hashing, the host's exports and the extensions' exports ---- */

uint32_t llext_hash(const char *name);

/* Builds tab->index for tab->syms; on failure the table stays usable without one. */
int llext_symindex_build(struct llext_symtable *tab);
/* The same, with the names' hashes already known (@hashes[i] for tab->syms[i]). */
int llext_symindex_build_hashed(struct llext_symtable *tab, const uint32_t *hashes);
void llext_symindex_free(struct llext_symtable *tab);
const struct llext_symbol *llext_symtable_lookup(const struct llext_symtable *tab, const char *name,
                                                 uint32_t hash);

/* The host's EXPORT_SYMBOL() entries; call refresh (registry lock held) before lookups. */
int llext_host_refresh(void);
const void *llext_host_lookup(const char *name, uint32_t hash);
/* dlsym(RTLD_DEFAULT, name), cached until llext_host_refresh() sees modules change. */
bool llext_process_lookup(const char *name, uint32_t hash, void **addr);

/* One extension's export of one name, in the index of all loaded extensions' exports. */
struct llext_export_node {
	struct llext_export_node *prev, *next; /* exporters of the same name, in load order */
	struct llext_export_name *entry;       /* the name this node is listed under */
	uint32_t hash;
	const char *name;
	void *addr;
	struct llext_internal *owner;
};

/* A name in that index, and the extensions that export it. */
struct llext_export_name {
	struct llext_export_name *next; /* hash chain */
	uint32_t hash;
	const char *name; /* the first exporter's copy */
	struct llext_export_node *head, *tail;
};

/* Registry lock held for all three. */
int llext_exports_add(struct llext_internal *ie);
void llext_exports_remove(struct llext_internal *ie);
const struct llext_export_node *llext_exports_lookup(const char *name, uint32_t hash);

/* ---- load.c: the ELF object ---- */

struct llext_elf {
	struct llext_loader *ldr;
	const uint8_t *image; /* the whole object: the loader's memory or ours */
	size_t size;
	void *copy; /* non-NULL when image was read into our memory */
	Elf *elf;
	uint16_t machine;
	size_t shnum;
	Elf64_Shdr **shdr;
	const char *shstr;
	size_t shstr_size;
	size_t symtab; /* section index of SHT_SYMTAB, 0 if none */
	const Elf64_Sym *syms;
	size_t nsyms;
	const char *str;
	size_t str_size;
	const Elf32_Word *xndx; /* SHT_SYMTAB_SHNDX entries, or NULL */
	/* Sections of COMDAT groups whose signature an earlier group already had (1 = drop). */
	uint8_t *discarded;
	size_t eh_frame; /* index of the allocated .eh_frame, 0 if none */
	void **owned;    /* aligned copies of misaligned tables */
	size_t nowned;
};

int llext_elf_open(struct llext_elf *e, struct llext_loader *ldr, const char *what);
void llext_elf_close(struct llext_elf *e);
const char *llext_elf_sect_name(const struct llext_elf *e, size_t idx);
/* A section's contents as libelf reads them, aligned to @align (copied if needed). */
const void *llext_elf_data(struct llext_elf *e, size_t idx, Elf_Type type, size_t align);
const char *llext_elf_sym_name(const struct llext_elf *e, size_t idx);
/* Section index of a symbol (resolving SHN_XINDEX), or the special SHN_* value. */
size_t llext_elf_sym_shndx(const struct llext_elf *e, size_t idx);

/* A section as the load sees it. */
struct llext_sect {
	uint32_t region; /* enum llext_mem, or LLEXT_MEM_COUNT when not loaded */
	uint64_t offset; /* from the start of the reservation */
	uint64_t addr;   /* run-time address, once placed */
	/* Placement window on this section's address, and the relocations that set its ends. */
	int64_t lo, hi;
	size_t lo_rel, hi_rel; /* index of the RELA section << 32 | entry, for messages */
	/* For a SHT_RELA section that relocates a loaded section: its entries. */
	const Elf64_Rela *rela;
	size_t nrela;
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
};

struct llext_symval {
	uint64_t addr;
	uint32_t got;  /* GOT entry index + 1, 0 if none */
	uint32_t stub; /* stub index + 1, 0 if none */
	uint8_t kind;
	uint8_t unloadable; /* defined in a section that is not loaded */
};

struct llext_region {
	uint64_t off, size, align;
};

/* Everything a load needs until it finishes; the extension keeps what outlives it. */
struct llext_load {
	struct llext_internal *ie;
	const char *name;
	const struct llext_load_param *param;
	const struct llext_arch *arch;
	struct llext_elf elf;
	struct llext_sect *sect;
	struct llext_symval *sym;

	struct llext_region region[LLEXT_MEM_PARTITIONS];
	size_t ngot, nstub;
	bool need_got;
	uint64_t got_off, stub_off; /* offsets in the reservation */
	uint64_t map_align;
	bool huge;                                     /* backed by transparent huge pages */
	const struct llext_reloc_desc *desc_cache[64]; /* see desc_of() in link.c */
	/* Window for the whole reservation set by absolute relocations against its own symbols. */
	int64_t abs_lo, abs_hi;
	size_t abs_lo_rel, abs_hi_rel;
};

int llext_do_load(struct llext_load *ld, struct llext_loader *ldr);

/* ---- link.c ---- */

int llext_link_resolve(struct llext_load *ld);
int llext_link_scan(struct llext_load *ld);
int llext_link_relocate(struct llext_load *ld);
int llext_link_finish(struct llext_load *ld);
/* The name of the relocation for messages ("R_X86_64_PC32" or "type 123"). */
const char *llext_reloc_name(const struct llext_arch *arch, uint32_t type, char buf[24]);

/* ---- unwind.c: exception frames and C++ static destructors ---- */

/* Checks .eh_frame (loaded at @addr, relocated) the way the unwinder will read it. */
int llext_unwind_check(const uint8_t *eh, size_t size, uint64_t addr, uint64_t text,
                       uint64_t text_end, const char *name);
void llext_unwind_register(struct llext_internal *ie, void *eh_frame);
void llext_unwind_unregister(struct llext_internal *ie);
/* Runs what the extension registered with __cxa_atexit() (C++ static destructors). */
void llext_unwind_finalize(struct llext_internal *ie);

/* ---- debug.c: the GDB JIT interface, and the object debuggers read ---- */

/* Layout fixed by the GDB manual ("JIT Compilation Interface"); gdb and lldb read these. */
struct jit_code_entry {
	struct jit_code_entry *next, *prev;
	const char *symfile_addr;
	uint64_t symfile_size;
};

struct jit_descriptor {
	uint32_t version; /* 1 */
	uint32_t action_flag;
	struct jit_code_entry *relevant_entry, *first_entry;
};

extern struct jit_descriptor __jit_debug_descriptor;
void __jit_debug_register_code(void);

/* One extension's registration: its list entry and the ELF object the entry points at. */
struct llext_debug;

/* Builds the debuggers' copy of a loaded object (relocated, every section placed). */
int llext_debug_build(const struct llext_load *ld, struct llext_debug **out);
/* At the end of a load: builds the copy and registers it, unless turned off. A failure is
 * logged and leaves the extension loaded, unregistered. */
void llext_debug_register(struct llext_load *ld);
/* Before the extension's memory goes; does nothing if it was not registered. */
void llext_debug_unregister(struct llext_internal *ie);
/* Heap bytes the registration keeps (0 if not registered). */
size_t llext_debug_size(const struct llext_internal *ie);

/* ---- mem.c ---- */

void llext_mem_classify(struct llext_load *ld);
int llext_mem_layout(struct llext_load *ld);
int llext_mem_place(struct llext_load *ld);
int llext_mem_copy(struct llext_load *ld);
int llext_mem_protect(struct llext_load *ld);
/* Switch the pages of a region holding [addr, addr + len) between read+write and the region's
 * protection. */
int llext_mem_set_writable(struct llext_internal *ie, enum llext_mem region, uintptr_t addr,
                           size_t len, bool writable);
void llext_mem_free(struct llext_internal *ie);

#endif /* LLEXT_PRIV_H */
