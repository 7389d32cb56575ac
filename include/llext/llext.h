/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Linkable loadable extensions: load, link, call and unload relocatable ELF objects.
 *
 * The API is Zephyr's llext API, implemented for Linux processes. An extension is a relocatable
 * ELF object (a @c .o file) for the host's architecture. libllext places it in fresh memory,
 * links it against the host's exported symbols, other extensions and (unless told otherwise) the
 * process's global symbols, applies its relocations and protects its memory: text read+execute,
 * read-only data read-only, data and bss read+write. No page is ever writable and executable.
 *
 * @defgroup llext Linkable loadable extensions
 * @{
 */
#ifndef LLEXT_LLEXT_H
#define LLEXT_LLEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <llext/elf.h>
#include <llext/loader.h>
#include <llext/mem_domain.h>
#include <llext/symbol.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Maximum length of an extension name, without its terminating NUL. */
#define LLEXT_MAX_NAME_LEN 15

/** @brief List of ELF regions that are stored or referenced in the llext. */
enum llext_mem {
	/** Executable code, mapped read+execute. */
	LLEXT_MEM_TEXT,
	/** Initialised writable data, mapped read+write. */
	LLEXT_MEM_DATA,
	/** Read-only data, mapped read-only. */
	LLEXT_MEM_RODATA,
	/** Zero-initialised data, mapped read+write. */
	LLEXT_MEM_BSS,
	/** The export table's symbol array (heap). */
	LLEXT_MEM_EXPORT,
	/** Symbol table; only during a load. */
	LLEXT_MEM_SYMTAB,
	/** String table; only during a load. */
	LLEXT_MEM_STRTAB,
	/** Section name string table; only during a load. */
	LLEXT_MEM_SHSTRTAB,

	/** Number of regions. */
	LLEXT_MEM_COUNT,
};

/** @brief Number of regions that are memory partitions (text, data, rodata, bss). */
#define LLEXT_MEM_PARTITIONS (LLEXT_MEM_BSS + 1)

/** @brief A loaded extension. */
struct llext {
	/** Name of the llext. */
	char name[LLEXT_MAX_NAME_LEN + 1];
	/** Lookup table of llext memory regions. */
	void *mem[LLEXT_MEM_COUNT];
	/**
	 * Is the memory of this region allocated by libllext (rather than pointing into the
	 * loader's storage)? Always true for a region in use: regions are mapped pages.
	 */
	bool mem_on_heap[LLEXT_MEM_COUNT];
	/** Size of each stored region, in bytes, including stubs and GOT. */
	size_t mem_size[LLEXT_MEM_COUNT];
	/** Total llext allocation size: mapped pages plus heap tables. */
	size_t alloc_size;
	/** Exported symbols from the llext, may be linked against by other llext. */
	struct llext_symtable exp_tab;
	/** Extension use counter, prevents unloading while in use. */
	unsigned int use_count;
};

/**
 * @brief llext loader parameters.
 *
 * These are parameters, not saved in the permanent llext context, needed only for the loader.
 * Start from LLEXT_LOAD_PARAM_DEFAULT and change what you need.
 */
struct llext_load_param {
	/**
	 * Should local relocation be performed. Accepted for source compatibility with Zephyr;
	 * a relocatable object cannot run unrelocated, so libllext always relocates it.
	 */
	bool relocate_local;
	/**
	 * Resolve undefined symbols only against EXPORT_SYMBOL() tables and other extensions'
	 * exports, as Zephyr does. By default the process's global symbols (what
	 * dlsym(RTLD_DEFAULT) sees) are searched last.
	 */
	bool exports_only;
	/**
	 * Do not register the extension with debuggers. By default every extension is announced
	 * through the GDB JIT Compilation Interface, so that gdb and lldb show its functions,
	 * source lines and variables; that keeps a copy of its symbol table, .eh_frame and
	 * debug information on the heap. The environment variable LLEXT_DEBUG_REGISTER=0 turns
	 * registration off for the whole process.
	 */
	bool no_debug_register;
};

/** @brief Default loader parameters. */
#define LLEXT_LOAD_PARAM_DEFAULT                                                                   \
	{                                                                                          \
		.relocate_local = true,                                                            \
	}

/**
 * @brief Find an llext by name.
 *
 * Takes no reference: the pointer stays valid only while something holds one (the caller's own
 * load of the extension, for instance). Another thread's last llext_unload() frees it.
 *
 * @param name String name of the llext
 * @retval NULL if no llext is found
 * @retval llext if llext found
 */
struct llext *llext_by_name(const char *name);

/**
 * @brief Iterate over all registered llext instances.
 *
 * Calls @p fn for each registered extension, in load order, until it returns non-zero. The
 * registry is locked meanwhile; @p fn may call any libllext function, and may unload the
 * extension it was given, but no other.
 *
 * @param fn callback function
 * @param arg a private argument to be provided to the callback function
 * @retval 0 if no extensions are registered
 * @retval value returned by the most recent callback invocation
 * @retval -EINVAL @p fn is NULL
 */
int llext_iterate(int (*fn)(struct llext *ext, void *arg), void *arg);

/**
 * @brief Load and link an extension.
 *
 * Loads relevant ELF data into memory and provides a structure to work with it. Only
 * relocatable ELF files (ET_REL) for the host's machine are supported.
 *
 * If an extension called @p name is already loaded, @p loader is ignored, its use count is
 * incremented, @p ext is set to it, and the previous use count is returned.
 *
 * @param loader An extension loader that provides input data and context
 * @param name A string identifier for the extension (at most LLEXT_MAX_NAME_LEN characters)
 * @param ext This will hold the pointer to the llext struct
 * @param ldr_parm Loader parameters, or NULL for LLEXT_LOAD_PARAM_DEFAULT
 * @retval 0 Success
 * @retval >0 extension use count before this call: it was already loaded
 * @retval -ENOMEM Not enough memory
 * @retval -EINVAL Invalid ELF stream, or invalid arguments
 * @retval -ENOEXEC Unsupported object: wrong machine, bad or out-of-range relocation, TLS,
 *         writable+executable section, executable stack, or no place within reach of its
 *         symbols
 * @retval -ENODATA An undefined symbol could not be resolved
 * @retval -errno An error from the loader
 */
int llext_load(struct llext_loader *loader, const char *name, struct llext **ext,
               struct llext_load_param *ldr_parm);

/**
 * @brief Unload an extension.
 *
 * Decrements the use count. At zero, runs llext_teardown() if llext_bringup() ran and teardown
 * did not, removes the extension from the registry, frees its memory, drops the references it
 * held on the extensions it linked against, and sets @p *ext to NULL.
 *
 * @param ext Extension to unload
 * @retval 0 the extension was freed
 * @retval >0 remaining use count
 * @retval -EINVAL @p ext or @p *ext is NULL
 */
int llext_unload(struct llext **ext);

/**
 * @brief Find the address for an arbitrary symbol name.
 *
 * @param sym_table Symbol table to lookup symbol in, if NULL uses the host's table: every
 *        EXPORT_SYMBOL() of the program and of its loaded shared libraries
 * @param sym_name Symbol name to find
 * @retval NULL if no symbol found
 * @retval addr Address of symbol in memory if found
 */
const void *llext_find_sym(const struct llext_symtable *sym_table, const char *sym_name);

/**
 * @brief Call a function by name.
 *
 * Expects a symbol representing a void fn(void) style function exists and may be called.
 *
 * @param ext Extension to call function in
 * @param sym_name Function name (exported symbol) in the extension
 * @retval 0 success
 * @retval -EINVAL invalid symbol name: not exported by @p ext
 */
int llext_call_fn(struct llext *ext, const char *sym_name);

/**
 * @brief Run the extension's constructors.
 *
 * Runs @c .preinit_array, then @c .init_array and @c .ctors entries in the order a static
 * link would run them (by priority, then in section order). Runs them once: later calls
 * return 0 and do nothing.
 *
 * @param ext Extension
 * @retval 0 success
 * @retval -EINVAL @p ext is NULL
 */
int llext_bringup(struct llext *ext);

/**
 * @brief Run the extension's destructors.
 *
 * Runs @c .fini_array and @c .dtors entries in the reverse of a static link's array order.
 * Does nothing unless llext_bringup() ran and teardown did not.
 *
 * @param ext Extension
 * @retval 0 success
 * @retval -EINVAL @p ext is NULL
 */
int llext_teardown(struct llext *ext);

/**
 * @brief Add the known memory partitions of the extension to a memory domain.
 *
 * Adds one partition per non-empty region (text, data, rodata, bss), page-aligned, with the
 * protection the region is mapped with. The partitions belong to the extension and stay valid
 * until it is freed.
 *
 * @param ext Extension to add to a domain
 * @param domain Memory domain to add partitions to
 * @retval 0 success
 * @retval -EINVAL a NULL argument
 * @retval -ENOSPC the domain has no room left
 */
int llext_add_domain(struct llext *ext, struct k_mem_domain *domain);

/**
 * @brief Find an ELF section.
 *
 * @param loader Extension loader data and context
 * @param search_name Section name to search for
 * @retval offset Section's offset in the file
 * @retval -ENOENT no section has that name
 * @retval -EINVAL invalid ELF stream
 * @retval -errno an error from the loader
 */
ssize_t llext_find_section(struct llext_loader *loader, const char *search_name);

/**
 * @brief Apply one relocation of the host's architecture.
 *
 * P is @p loc, S is @p sym_base_addr and A is the relocation's addend. Relocation types that
 * need a GOT or a stub succeed only when their target is within direct reach.
 *
 * @param rel Relocation data provided by elf
 * @param loc Address of operation to rewrite with relocation
 * @param sym_base_addr Symbol address
 * @param sym_name Symbol name, for messages
 * @param load_bias .text load address (unused: ELF64 relocations carry their own addend)
 * @retval 0 success
 * @retval -ENOEXEC invalid relocation: unknown type, or value out of range
 * @retval -EINVAL @p rel or @p loc is NULL
 */
int arch_elf_relocate(elf_rela_t *rel, uintptr_t loc, uintptr_t sym_base_addr, const char *sym_name,
                      uintptr_t load_bias);

/**
 * @brief Apply one relocation against a symbol defined in @p ext.
 *
 * S is the address where @p sym (an entry of the extension's symbol table) was loaded, P is
 * the start of the extension's text plus @p got_offset. Failures are logged. The pages holding
 * P are made read+write (not executable) while they are patched, so no thread may be running
 * the extension's code during the call.
 *
 * @param loader Extension loader data and context (unused)
 * @param ext Extension the symbol belongs to
 * @param rel Relocation data provided by elf
 * @param sym Corresponding symbol table entry
 * @param got_offset Offset of the place within the extension's text
 */
void arch_elf_relocate_local(struct llext_loader *loader, struct llext *ext, const elf_rela_t *rel,
                             const elf_sym_t *sym, size_t got_offset);

/** @brief Figures about one loaded extension. */
struct llext_stats {
	/** Nanoseconds spent reading and validating the ELF object. */
	uint64_t parse_ns;
	/** Nanoseconds spent resolving symbols, laying out and mapping memory. */
	uint64_t place_ns;
	/** Nanoseconds spent copying sections, relocating and protecting memory. */
	uint64_t link_ns;
	/** Relocations applied. */
	size_t relocs;
	/** GOT entries built. */
	size_t got_entries;
	/** Stubs (x86_64) or veneers (AArch64) built. */
	size_t stubs;
};

/**
 * @brief Get figures about a loaded extension.
 * @param ext Extension
 * @param stats Filled in on success
 * @retval 0 success
 * @retval -EINVAL a NULL argument
 */
int llext_get_stats(const struct llext *ext, struct llext_stats *stats);

/** @brief How many relocations of one type an extension had. */
struct llext_reloc_count {
	/** ELF relocation type. */
	unsigned int type;
	/** Its psABI name, such as "R_X86_64_PC32". */
	const char *name;
	/** Number applied. */
	size_t count;
};

/**
 * @brief Count an extension's relocations by type.
 *
 * Fills at most @p max entries of @p out, in ascending type order.
 *
 * @param ext Extension
 * @param out Array to fill (may be NULL when @p max is 0)
 * @param max Capacity of @p out
 * @return Number of distinct relocation types the extension had, which may exceed @p max
 */
size_t llext_reloc_counts(const struct llext *ext, struct llext_reloc_count *out, size_t max);

#ifdef __cplusplus
}
#endif

/** @} */

#endif /* LLEXT_LLEXT_H */
