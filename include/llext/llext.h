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
	/** Early setup functions (.preinit_array entries), in run order (heap). */
	LLEXT_MEM_PREINIT,
	/** Setup functions (.init_array and .ctors entries), in run order (heap). */
	LLEXT_MEM_INIT,
	/** Cleanup functions (.fini_array and .dtors entries), in run order (heap). */
	LLEXT_MEM_FINI,

	/** Number of regions. */
	LLEXT_MEM_COUNT,

	/*
	 * Values llext_addr_info() reports besides the regions above. They come after
	 * LLEXT_MEM_COUNT so that it keeps counting the regions of struct llext (and Zephyr's
	 * values stay as they are): stubs lie at the end of text, the GOT at the end of rodata.
	 */
	/** Stubs (x86_64) or veneers (AArch64) that reach far targets; read+execute. */
	LLEXT_MEM_STUBS = LLEXT_MEM_COUNT + 1,
	/** The extension's global offset table; read-only. */
	LLEXT_MEM_GOT,
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
 * @brief Where an extension's code is mapped (struct llext_load_param's @c text_mode).
 */
enum llext_text_mode {
	/** libllext chooses (see struct llext_load_param's @c text_mode). */
	LLEXT_TEXT_AUTO = 0,
	/**
	 * Sealed text: the relocated code is written into a memory file named after the
	 * extension, sealed against every write, growth and shrink, and only then mapped
	 * read+execute in place. Works under PR_SET_MDWE, systemd's MemoryDenyWriteExecute=yes
	 * and SELinux without execmem. arch_elf_relocate_local() patches such code by mapping a
	 * new sealed file over the pages it changes.
	 */
	LLEXT_TEXT_SEALED,
	/**
	 * Anonymous memory, relocated read+write and then made read+execute with mprotect(): what
	 * a process that forbids that refuses.
	 */
	LLEXT_TEXT_ANONYMOUS,
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
	 * Further shared libraries to open for this extension, as if its source named them with
	 * LLEXT_NEEDS(): a NULL-terminated list of names that dlopen() accepts, or NULL. They are
	 * opened after the object's own, kept open until the extension is freed, and searched in
	 * that order after the process's global symbols. A name ending in ".a" is a static
	 * archive, opened by that path: the members that define symbols the extension still lacks
	 * are linked into it, as a static linker does.
	 */
	const char *const *libraries;
	/**
	 * Keep the object's section headers and names, and where each section went, after the
	 * load, for llext_get_section_header() and the functions of <llext/inspect.h>. They are
	 * freed by llext_free_inspection_data() or with the extension.
	 */
	bool keep_section_info;
	/**
	 * A table searched before anything else for this load's undefined symbols, or NULL: to
	 * bind an extension's imports to test doubles for one load (a table built by hand, with
	 * no index, is searched in order).
	 */
	const struct llext_symtable *overrides;
	/**
	 * Do not register the extension with debuggers. By default every extension is announced
	 * through the GDB JIT Compilation Interface, so that gdb and lldb show its functions,
	 * source lines and variables; that keeps a copy of its symbol table, .eh_frame and
	 * debug information on the heap. The environment variable LLEXT_DEBUG_REGISTER=0 turns
	 * registration off for the whole process.
	 */
	bool no_debug_register;
	/**
	 * Read the object afresh for this load. By default the file loader keeps the bytes of the
	 * last file it read and uses them for the next load of the same file, unchanged, without
	 * reading it again (see struct llext_fs_loader); with this set, it reads the whole file
	 * into memory of its own for this load, and keeps nothing. The environment variable
	 * LLEXT_FILE_CACHE=0 does the same for every load of the process. Other loaders ignore
	 * it.
	 */
	bool no_file_cache;
	/**
	 * Where the extension's code lives. LLEXT_TEXT_AUTO (the default) lets libllext choose:
	 * sealed text (LLEXT_TEXT_SEALED) in a process that may not make writable memory
	 * executable, or where the environment says LLEXT_SEALED_TEXT=1; anonymous memory made
	 * read+execute (LLEXT_TEXT_ANONYMOUS) otherwise, or where it says LLEXT_SEALED_TEXT=0.
	 * Either explicit value overrides the environment for this load.
	 */
	enum llext_text_mode text_mode;
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
 * relocatable ELF files (ET_REL) for the host's machine are supported, and static archives of
 * them ("!<arch>" magic): every member of an archive is loaded, as one extension.
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
 * @retval -EEXIST Two objects joined into the extension (it and archive members it pulls in,
 *         or members of one archive) define one symbol
 * @retval -ENOTSUP A thin archive given through a loader (name it by its path instead), or a
 *         BSD archive
 * @retval -ENOENT A library or archive it needs cannot be opened
 * @retval -errno An error from the loader
 */
int llext_load(struct llext_loader *loader, const char *name, struct llext **ext,
               const struct llext_load_param *ldr_parm);

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
 * @brief Run the destructors of several extensions, the newest construction first.
 *
 * Runs what the extensions' code has left to run, in the order exit() runs a linked program's:
 * first the calling thread's pending C++ @c thread_local destructors of all of them, then the
 * handlers their code registered with atexit() or @c __cxa_atexit() (C++ static objects
 * included; these run even for an extension never brought up), then their destructors as
 * llext_teardown() runs them (only where llext_bringup() ran and teardown did not). Within each
 * kind, the extensions go in reverse order of construction: an extension is constructed when
 * llext_bringup() finishes, or when it is loaded if it was never brought up.
 *
 * Nothing is unloaded: a program about to exit may call this, so that every destructor runs
 * while all the extensions' code is there and at a point it chooses, and leave the memory to
 * the end of the process (libllext's exit handler then finds nothing left to run). A destructor
 * may call libllext: one that unloads an extension of @p exts leaves its memory there until
 * this call returns. This is libllext's own, not Zephyr's.
 *
 * @param exts Extensions; NULL entries are skipped
 * @param n Number of entries in @p exts
 * @retval 0 success
 * @retval -EINVAL @p exts is NULL and @p n is not 0
 * @retval -ENOMEM no memory for the list of extensions (nothing ran)
 */
int llext_teardown_many(struct llext *const *exts, size_t n);

/**
 * @brief Unload several extensions together.
 *
 * Releases one use of each extension in @p exts, as llext_unload() does, but runs everything
 * the extensions that this frees have left to run before it unmaps any of them: the extensions
 * whose use count reaches zero, and the dependencies whose last user is among them, are torn
 * down as llext_teardown_many() does, the newest construction first, and only then freed. An
 * extension whose destructor calls into another one loaded after it (a callback registered
 * with it) so finds that code still there. A destructor may call libllext, unloading an
 * extension among them included: its memory stays until the end of this call. Each entry of
 * @p exts is set to NULL. This is libllext's own, not Zephyr's.
 *
 * @param exts Extensions; NULL entries are skipped
 * @param n Number of entries in @p exts
 * @retval 0 success
 * @retval -EINVAL @p exts is NULL and @p n is not 0
 * @retval -ENOMEM no memory for the list of extensions (nothing was unloaded)
 */
int llext_unload_many(struct llext **exts, size_t n);

/** @brief Entry point of an extension, as llext_bootstrap() calls it. */
typedef void (*llext_entry_fn_t)(void *user_data);

/**
 * @brief Bring up, run and tear down an extension.
 *
 * Calls llext_bringup(), then @p entry_fn with @p user_data (if it is not NULL), then
 * llext_teardown(), in the calling thread. Its signature fits a thread's entry point taking
 * three pointers.
 *
 * @param ext Extension to run
 * @param entry_fn Function to call once the extension is set up, or NULL
 * @param user_data Argument for @p entry_fn
 */
void llext_bootstrap(struct llext *ext, llext_entry_fn_t entry_fn, void *user_data);

/**
 * @brief Copy the extension's setup or cleanup functions.
 *
 * The setup functions are the preinit then init entries, the cleanup functions the fini
 * entries, each list in the order llext_bringup() and llext_teardown() run them.
 *
 * @param ext Extension
 * @param is_init true for the setup functions, false for the cleanup ones
 * @param buf Where to copy the function pointers, or NULL to ask for the size only
 * @param size Size of @p buf in bytes
 * @retval >=0 the size of the list in bytes
 * @retval -EINVAL @p ext is NULL
 * @retval -ENOMEM the list does not fit in @p size bytes
 */
ssize_t llext_get_fn_table(struct llext *ext, bool is_init, void *buf, size_t size);

/**
 * @brief Get one of the extension's setup or cleanup functions.
 *
 * @param ext Extension
 * @param is_init true for the setup functions, false for the cleanup ones
 * @param ptr Where to store function @p idx, or NULL to ask for the size of the list
 * @param idx Index in the list, in run order
 * @retval >=0 with @p ptr NULL: the size of the list in bytes (as Zephyr's implementation
 *         answers; divide by sizeof(void *) for the count)
 * @retval 0 with @p ptr set: @p *ptr holds the function
 * @retval -EINVAL @p ext is NULL, or @p idx is past the end of the list
 */
ssize_t llext_get_fn_table_entry(struct llext *ext, bool is_init, void **ptr, size_t idx);

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
 * @brief Get the header of a section of a loaded extension, by name.
 *
 * Needs the extension to have been loaded with @c keep_section_info. The header is the
 * object's, as in the file.
 *
 * @param loader Extension loader (unused: the extension keeps the headers)
 * @param ext Extension
 * @param search_name Section name to search for
 * @param shdr Where to copy the header
 * @retval 0 success
 * @retval -EINVAL a NULL argument
 * @retval -ENOTSUP the extension was loaded without @c keep_section_info, or its section
 *         information was freed
 * @retval -ENOENT no section has that name
 */
int llext_get_section_header(const struct llext_loader *loader, const struct llext *ext,
                             const char *search_name, elf_shdr_t *shdr);

/**
 * @brief Free the section information kept with @c keep_section_info.
 *
 * Optional: unloading frees it too. Does nothing if none is kept.
 *
 * @param ldr Extension loader (unused)
 * @param ext Extension
 * @retval 0 success
 * @retval -EINVAL @p ext is NULL
 */
int llext_free_inspection_data(struct llext_loader *ldr, struct llext *ext);

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

/** @brief What llext_addr_info() knows about an address. */
struct llext_addr_info {
	/** The extension whose memory holds the address. */
	struct llext *ext;
	/**
	 * Where in it: LLEXT_MEM_TEXT, LLEXT_MEM_RODATA, LLEXT_MEM_DATA or LLEXT_MEM_BSS;
	 * LLEXT_MEM_STUBS or LLEXT_MEM_GOT inside text or rodata; LLEXT_MEM_COUNT for the
	 * padding between regions.
	 */
	enum llext_mem region;
	/**
	 * The symbol of the same region (a function or an object, local ones included) with the
	 * highest address at or below the address, or NULL if there is none. It may end before the
	 * address: compare with @c sym_size. Valid while the extension stays loaded.
	 */
	const char *sym_name;
	/** That symbol's address, or NULL. */
	const void *sym_addr;
	/** That symbol's size in bytes (0 if the object file gave none). */
	size_t sym_size;
	/** The symbol's ELF type: STT_FUNC or STT_OBJECT; STT_NOTYPE when there is none. */
	unsigned char sym_type;
	/**
	 * The lowest symbol address above the address in the same extension, or NULL: starting
	 * from the region's start and following it visits every symbol.
	 */
	const void *next_sym_addr;
};

/**
 * @brief Find the extension, region and symbol of an address.
 *
 * For crash handlers, profilers and debugging aids: it allocates nothing and never waits, so it
 * may be called from any thread and from a signal handler (it is async-signal-safe). The symbols
 * are the object's function and object symbols, sorted when the extension was loaded; a lookup
 * costs O(log n).
 *
 * @param addr Any address
 * @param info Filled in on success
 * @retval 0 @p addr lies in a loaded extension's memory
 * @retval -ENOENT @p addr lies in no loaded extension
 * @retval -EBUSY an extension is being added to or removed from the table of extensions at this
 *         moment (by another thread, or by the thread this signal handler interrupted); try
 *         again, or report the address without a name
 * @retval -EINVAL @p info is NULL
 */
int llext_addr_info(const void *addr, struct llext_addr_info *info);

#ifdef __cplusplus
}
#endif

/** @} */

#endif /* LLEXT_LLEXT_H */
