/* SPDX-License-Identifier: MIT */
/*
 * The extension object as libllext holds it, and what serves it after its load: symbol tables
 * and the export index, exception frames, memory protection, and the entry points with which the
 * API (llext.c) asks for an extension to be built and freed. Grouped by owning file.
 *
 * Ownership: load.c builds an extension. Until llext_load_build() returns 0 the half-built
 * extension is load.c's, and its one cleanup path frees it; afterwards it is the caller's
 * (llext.c, which registers it), and llext_free() frees it.
 */
#ifndef LLEXT_EXT_PRIV_H
#define LLEXT_EXT_PRIV_H

#include <stdint.h>

#include <llext/llext.h>

#include "llext_priv.h"

struct llext_arch;
struct llext_export_node;
struct llext_tls_module;

/* What the keep_section_info load parameter keeps: tables.c fills it, inspect.c reads it. */
struct llext_sections {
	size_t n;
	Elf64_Shdr *shdr;  /* the object's headers, as in the file */
	uint64_t *offset;  /* each section's offset in its region */
	uint32_t *region;  /* each section's region, LLEXT_MEM_COUNT if it was not loaded */
	const char *names; /* the section name table */
	size_t names_size;
	Elf64_Shdr region_hdr[LLEXT_MEM_COUNT]; /* each region described as one section */
};

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

	/* Linking results (resolve.c, scan.c, tables.c). */
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
	uint64_t mark; /* scratch for dependency de-duplication, under the registry lock */
	void **libs;   /* dlopen() handles of the libraries it needs (resolve.c) */
	size_t nlibs;
	void *eh_frame;                /* registered with the unwinder, or NULL */
	uint32_t unwinders;            /* bit i: eh_frame registered with unwinder i (unwinder.c) */
	struct llext_addr_table *addr; /* symbols by address, for llext_addr_info() (addr.c) */
	bool dso_handle;               /* uses __dso_handle: run __cxa_finalize() on teardown */
	struct llext_sections *sections; /* with keep_section_info, until freed */
	struct llext_debug *debug;       /* registered with debuggers (debug.c), or NULL */
	struct llext_tls_module *tls;    /* its thread-local storage, or NULL (tls.c) */

	bool brought_up, torn_down;
	bool dtors_due; /* unloaded after a bringup: its destructors must still run */
};

static inline struct llext_internal *to_internal(const struct llext *ext)
{
	return (struct llext_internal *)ext;
}

/* ---- load.c: building an extension, and freeing it ---- */

/*
 * Builds the extension @name (already cut to LLEXT_MAX_NAME_LEN) from @ldr: on success, a
 * linked, protected, unregistered extension with a use count of 1 in @out; on failure nothing
 * is left behind. Called with the registry lock held: resolution reads the export index.
 * Names in @bound resolve to it before anything else, as a module's statically linked copy of
 * a function would.
 */
int llext_load_build(struct llext_loader *ldr, const char *name,
                     const struct llext_load_param *param, const struct llext_symtable *bound,
                     struct llext_internal **out);
/* Frees everything a (possibly half-built) extension owns, and the extension. */
void llext_free(struct llext_internal *ie);

/* ---- symbol.c: hashing, the host's exports and the extensions' exports ---- */

/* The hash of a name, for every symbol index and lookup in the process. */
uint32_t llext_hash(const char *name);
/* The same, of a name whose length (@len bytes, its NUL not counted) is known. */
uint32_t llext_hash_n(const char *name, size_t len);

/* Builds tab->index for tab->syms; on failure the table stays usable without one. */
int llext_symindex_build(struct llext_symtable *tab);
/* The same, with the names' hashes already known (@hashes[i] for tab->syms[i]). */
int llext_symindex_build_hashed(struct llext_symtable *tab, const uint32_t *hashes);
void llext_symindex_free(struct llext_symtable *tab);
const struct llext_symbol *llext_symtable_lookup(const struct llext_symtable *tab, const char *name,
                                                 uint32_t hash);

/* dlsym() that leaves no message of its own failure for the application's next dlerror(): a
 * load looks up names the process may not have. */
void *llext_dlsym(void *handle, const char *name);

/* How many modules the process has loaded and unloaded so far (dlpi_adds, dlpi_subs), or ~0
 * for both where the C library does not tell. */
void llext_module_counters(unsigned long long c[2]);

/* The host's EXPORT_SYMBOL() entries; call refresh (registry lock held) before lookups. */
int llext_host_refresh(void);
const void *llext_host_lookup(const char *name, uint32_t hash);
/* dlsym(RTLD_DEFAULT, name), cached: answers from the global scope for good, others until
 * llext_host_refresh() sees modules change (see symbol.c). */
bool llext_process_lookup(const char *name, uint32_t hash, void **addr);
/* Whether an answer for @name is cached (for tests). */
bool llext_process_cached(const char *name);

/* A name in the index of all loaded extensions' exports, and the extensions that export it. */
struct llext_export_name {
	struct llext_export_name *next; /* hash chain */
	uint32_t hash;
	const char *name; /* an exporter's copy */
	struct llext_export_node *head, *tail;
};

/* One extension's export of one name, in that index. */
struct llext_export_node {
	struct llext_export_node *prev, *next; /* exporters of the same name, in load order */
	uint32_t hash;
	bool linked; /* listed in the index */
	const char *name;
	void *addr;
	struct llext_internal *owner;
	/* Room for the name's entry, used when this node is the name's first exporter: adding an
	 * extension allocates nothing. When it leaves before the others, the entry moves into the
	 * next exporter's room. */
	struct llext_export_name room;
};

/* Registry lock held for all three. */
int llext_exports_add(struct llext_internal *ie);
void llext_exports_remove(struct llext_internal *ie);
const struct llext_export_node *llext_exports_lookup(const char *name, uint32_t hash);

/* ---- runtime.c: the compiler's runtime (libgcc) ---- */

/* The address of libgcc's @name, from the part linked into libllext or from libgcc_s.so.1. */
bool llext_runtime_lookup(const char *name, void **addr);
/* libgcc_s.so.1, opened once without adding it to the global namespace, or NULL. */
void *llext_runtime_libgcc_s(void);

/* ---- unwind.c: exception frames and C++ static destructors ---- */

/* Checks .eh_frame (loaded at @addr, relocated) the way the unwinder will read it. */
int llext_unwind_check(const uint8_t *eh, size_t size, uint64_t addr, uint64_t text,
                       uint64_t text_end, const char *name);
void llext_unwind_register(struct llext_internal *ie, void *eh_frame);
void llext_unwind_unregister(struct llext_internal *ie);
/* Runs what the extension registered with __cxa_atexit() (C++ static destructors). */
void llext_unwind_finalize(struct llext_internal *ie);

/* ---- unwinder.c: the unwinders that .eh_frame is registered with ---- */

/* Registers @eh_frame with every unwinder that may unwind the extension; returns which (a mask
 * for llext_unwinders_remove()), 0 if there is none in the process. */
uint32_t llext_unwinders_add(void *eh_frame);
void llext_unwinders_remove(void *eh_frame, uint32_t mask);

/* ---- addr.c: addresses to extensions and symbols, for llext_addr_info() and profilers ---- */

/* A function or object of an extension. */
struct llext_addr_sym {
	uint64_t addr, size; /* size cut to its section's end */
	uint32_t name;       /* offset in llext_addr_table.names */
	uint8_t type;        /* STT_FUNC or STT_OBJECT (untyped code counts as STT_FUNC) */
	uint8_t region;      /* enum llext_mem */
	uint8_t rank;        /* of several symbols at one address, the highest names it */
};

struct llext_addr_table {
	struct llext_addr_sym *syms; /* by address, then rank */
	size_t nsyms;
	char *names; /* a copy of the object's string table, in the same block as syms */
	bool in_map; /* that block is in the extension's spare memory, not on the heap */
	uint64_t stubs, stubs_end, got, got_end; /* [start, end) of each, or 0, 0 */
};

/* Withdraws the extension from llext_addr_info() (before its memory goes) and frees ie->addr;
 * does nothing for an extension that was never added. */
void llext_addr_remove(struct llext_internal *ie);

/* ---- debug.c: the GDB JIT interface ---- */

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

/* Before the extension's memory goes; does nothing if it was not registered. */
void llext_debug_unregister(struct llext_internal *ie);
/* Heap bytes the registration keeps (0 if not registered). */
size_t llext_debug_size(const struct llext_internal *ie);

/* ---- mem.c: the pages of a built extension ---- */

/* Switch the pages of a region holding [addr, addr + len) between read+write and the region's
 * protection. */
int llext_mem_set_writable(struct llext_internal *ie, enum llext_mem region, uintptr_t addr,
                           size_t len, bool writable);
void llext_mem_free(struct llext_internal *ie);

/* ---- tls.c: thread-local storage, at run time ---- */

/* One .tdata section: copied to @off of every new block (the rest of the block is zero). */
struct llext_tls_init {
	uint64_t off;
	const void *src;
	size_t size;
};

/*
 * Creates the extension's TLS module, whose blocks are @size bytes aligned to @align, with room
 * for @ninit images (filled in once the extension is placed), and sets ie->tls.
 */
int llext_tls_module_new(struct llext_internal *ie, size_t size, size_t align, size_t ninit);
/* Once the extension is placed: records its __dso_handle; returns the image table to fill in. */
struct llext_tls_init *llext_tls_module_place(struct llext_internal *ie);
/* Frees ie->tls and every thread's block of it; the extension's code must not run again. */
void llext_tls_module_free(struct llext_internal *ie);
/* The address of the host's TLS descriptor resolver (arch/<name>/tlsdesc.S). */
uint64_t llext_tls_resolver(void);

/*
 * At the last unload: runs the calling thread's pending thread_local destructors of the
 * extension, then returns false if no other thread has any, or true after arranging for
 * @finish(ie) to be called by the thread that runs the last of them.
 */
bool llext_tls_unload(struct llext_internal *ie, void (*finish)(struct llext_internal *ie));

/* What extensions call in place of the C library's (bound to them by llext.c). */
void *llext_tls_get_addr(void *ti);
int llext_tls_thread_atexit(void (*fn)(void *), void *obj, void *dso);

/* ---- reloc.c: one relocation outside a load, for the seed's arch_elf_relocate*() ---- */

/* Applies @rel at @loc (its own run-time address) with S = @S; logs and returns -ENOEXEC if the
 * type is unknown, not allowed, or its value does not fit. */
int llext_reloc_one(const elf_rela_t *rel, uintptr_t loc, uint64_t S, const char *sym_name);

#endif /* LLEXT_EXT_PRIV_H */
