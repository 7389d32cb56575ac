/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Symbols exported to and from extensions.
 *
 * @defgroup llext_symbols Linkable loadable extension symbols
 * @{
 */
#ifndef LLEXT_SYMBOL_H
#define LLEXT_SYMBOL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief A constant symbol: an unchangeable name and address.
 *
 * The host's exported symbols are constant symbols; they live in read-only memory of the module
 * that exports them.
 */
struct llext_const_symbol {
	/** Name of the symbol. */
	const char *const name;
	/** Address of the symbol. */
	const void *const addr;
};

/**
 * @brief A symbol: a name and an address that the loader may fill in.
 *
 * Extension exports are symbols, since their address is only known once the extension is placed.
 */
struct llext_symbol {
	/** Name of the symbol. */
	const char *name;
	/** Address of the symbol. */
	void *addr;
};

/** @cond INTERNAL */
struct llext_symindex;
/** @endcond */

/**
 * @brief A table of symbols.
 *
 * Tables built by libllext (an extension's @c exp_tab) carry a hash index, so
 * llext_find_sym() on them costs the same whatever their size. A table built by hand has no
 * index (leave @c index zero) and is searched in order.
 */
struct llext_symtable {
	/** Number of symbols in the table. */
	size_t sym_cnt;
	/** Array of symbols. */
	struct llext_symbol *syms;
	/** Lookup index built by libllext; NULL for tables built by hand. */
	const struct llext_symindex *index;
};

/** @cond INTERNAL */
#define LLEXT_CONCAT_(a, b) a##b
#define LLEXT_CONCAT(a, b) LLEXT_CONCAT_(a, b)
#define LLEXT_STR_(x) #x
#define LLEXT_STR(x) LLEXT_STR_(x)
/** @endcond */

/** @brief Owner name of the ELF notes that list a module's exported symbols. */
#define LLEXT_NOTE_NAME "LLEXT"
/** @brief Note type of one exported symbol: its descriptor is the 64-bit offset from the
 *  descriptor to a struct llext_const_symbol. */
#define LLEXT_NOTE_EXPORT 1

/**
 * @brief Export a host symbol (function or object) to extensions.
 *
 * Use at file scope in the host program or in any shared library of the process, after the
 * symbol's declaration. The macro emits a struct llext_const_symbol and an ELF note that points
 * at it; libllext finds the notes of every loaded module through dl_iterate_phdr(), so no
 * registration call is needed and a library that exports symbols need not link libllext.
 *
 * @param x Symbol to export.
 */
#define EXPORT_SYMBOL(x) LLEXT_EXPORT_SYMBOL_(x, #x, LLEXT_CONCAT(llext_export_, x))

/**
 * @brief Export a host symbol to extensions under another name.
 *
 * As EXPORT_SYMBOL(), but extensions see @p x as @p name (an identifier, not a string, as in
 * Zephyr). Each name can be exported once per module.
 *
 * @param x Symbol to export.
 * @param name Name extensions link against.
 */
#define EXPORT_SYMBOL_NAMED(x, name)                                                               \
	LLEXT_EXPORT_SYMBOL_(x, #name, LLEXT_CONCAT(llext_export_, name))

/**
 * @brief Export a host symbol as part of a group (Zephyr's symbol groups).
 *
 * Zephyr chooses with Kconfig which groups its image exports; libllext exports every group,
 * so this is EXPORT_SYMBOL() and @p group only documents the source.
 *
 * @param group Group name (upper case, unused).
 * @param x Symbol to export.
 */
#define EXPORT_GROUP_SYMBOL(group, x) EXPORT_SYMBOL(x)

/**
 * @brief Export a host symbol under another name, as part of a group.
 *
 * @param group Group name (upper case, unused).
 * @param x Symbol to export.
 * @param name Name extensions link against.
 */
#define EXPORT_GROUP_SYMBOL_NAMED(group, x, name) EXPORT_SYMBOL_NAMED(x, name)

/** @cond INTERNAL */
/*
 * The note holds a link-time constant (a PC-relative offset within the module), so it needs no
 * dynamic relocation and can stay in read-only memory. "R" (SHF_GNU_RETAIN) keeps it under
 * --gc-sections; %note rather than @note because '@' starts a comment on some assemblers. The
 * asm label keeps the entry's name as the note spells it in C++ too, which would mangle it.
 */
#define LLEXT_EXPORT_SYMBOL_(x, name, var)                                                         \
	static const struct llext_const_symbol var __asm__(LLEXT_STR(var)) __attribute__((         \
	    used, aligned(8), section(".data.rel.ro.llext_export"))) = {name, (const void *)&x};   \
	__asm__(".pushsection .note.llext,\"aR\",%note\n\t"                                        \
	        ".balign 4\n\t"                                                                    \
	        ".long 6\n\t"                                                                      \
	        ".long 8\n\t"                                                                      \
	        ".long " LLEXT_STR(LLEXT_NOTE_EXPORT) "\n\t"                                       \
	                                              ".asciz \"" LLEXT_NOTE_NAME "\"\n\t"         \
	                                              ".balign 4\n\t"                              \
	                                              ".quad " LLEXT_STR(var) " - .\n\t"           \
	                                                                      ".popsection")
/** @endcond */

/**
 * @brief Export a symbol from an extension.
 *
 * Use at file scope in extension code. The entry goes to the @c .exported_sym section, which the
 * loader reads into the extension's @c exp_tab. An extension with no such entry exports all its
 * global symbols of default visibility instead.
 *
 * @param x Extension symbol to export.
 */
#define LL_EXTENSION_SYMBOL(x) LLEXT_EXTENSION_SYMBOL_(x, #x, LLEXT_CONCAT(llext_ext_sym_, x))

/**
 * @brief Export a symbol from an extension under another name.
 *
 * As LL_EXTENSION_SYMBOL(), but the extension's table lists @p x as @p name (an identifier).
 *
 * @param x Extension symbol to export.
 * @param name Name under which it is exported.
 */
#define LL_EXTENSION_SYMBOL_NAMED(x, name)                                                         \
	LLEXT_EXTENSION_SYMBOL_(x, #name, LLEXT_CONCAT(llext_ext_sym_, name))

/** @cond INTERNAL */
#define LLEXT_EXTENSION_SYMBOL_(x, name, var)                                                      \
	static const struct llext_const_symbol var                                                 \
	    __attribute__((used, aligned(8), section(".exported_sym"))) = {name, (const void *)&x}
/** @endcond */

/** @brief Name of the section that lists the libraries an extension needs (LLEXT_NEEDS()). */
#define LLEXT_NEEDS_SECTION ".llext.needs"

/**
 * @brief Name a shared library an extension needs, as a shared object's @c DT_NEEDED does.
 *
 * Use at file scope in extension code, any number of times, with a string literal that
 * dlopen() accepts: a soname such as @c "libm.so.6", found as the dynamic linker finds
 * libraries, or a path. The names are recorded in the object's @c .llext.needs section (not
 * loaded; NUL-terminated names one after another, empty ones ignored), and the loader opens
 * them with dlopen(RTLD_NOW | RTLD_LOCAL) before it resolves the extension's symbols. A load
 * fails if one cannot be opened. A library is only needed if the host may lack it: what the
 * host process already has is found without it.
 *
 * A name ending in @c ".a" is a static archive, opened by that path (not with dlopen()): the
 * members that define symbols the extension still lacks are linked into it, as the static
 * linker links them into a program.
 *
 * @param lib Library name, a string literal.
 */
#define LLEXT_NEEDS(lib)                                                                           \
	__asm__(".pushsection " LLEXT_NEEDS_SECTION ",\"\",%progbits\n\t"                          \
	        ".asciz \"" lib "\"\n\t"                                                           \
	        ".popsection")

#ifdef __cplusplus
}
#endif

/** @} */

#endif /* LLEXT_SYMBOL_H */
