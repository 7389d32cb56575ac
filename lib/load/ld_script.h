// SPDX-License-Identifier: MIT
/*
 * GNU ld scripts that stand in for a shared library (libc.so, libm.so on x86_64): the libraries
 * they name, found and read as the system linker does for -lNAME. Uses no per-load structure, so
 * the parser can be tested and fuzzed on bytes alone.
 */
#ifndef LLEXT_LOAD_LD_SCRIPT_H
#define LLEXT_LOAD_LD_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>

/* Largest script read: libc.so is a few hundred bytes; anything much bigger is no stand-in. */
#define LLEXT_LD_SCRIPT_MAX (64 * 1024)

/*
 * Called once per file a script's INPUT() or GROUP() names, in order: a path, a bare file name
 * or "-lNAME", as written; @as_needed if inside AS_NEEDED(). A nonzero return stops the parse
 * and is returned.
 */
typedef int (*llext_ld_script_entry_fn)(void *ctx, const char *entry, bool as_needed);

/*
 * Parses @len bytes of @text (any bytes; need not be NUL-terminated) as a script of INPUT(),
 * GROUP(), AS_NEEDED() and comments; OUTPUT_FORMAT(), OUTPUT_ARCH(), TARGET() and SEARCH_DIR()
 * are skipped. Returns 0, the callback's nonzero return, or -EINVAL for anything else (with
 * *@where set to the offset of the byte that did not fit, for a message).
 */
int llext_ld_script_parse(const char *text, size_t len, llext_ld_script_entry_fn fn, void *ctx,
                          size_t *where);

/*
 * Finds the file @name (no '/') in the directories the system linker searches for -lNAME:
 * each of LD_LIBRARY_PATH, then /lib/<triple>, /usr/lib/<triple>, /lib, /usr/lib. Writes its
 * path to @path (@size bytes). Returns 0, or -ENOENT.
 */
int llext_ld_script_find(const char *name, char *path, size_t size);

/*
 * Reads the file at @path if it is a script: returns its bytes in a new heap block *@text
 * (*@len of them) that the caller frees; -ENOEXEC if it is an ELF file (not a script), -EFBIG
 * if longer than LLEXT_LD_SCRIPT_MAX, or the negative errno of open/read.
 */
int llext_ld_script_read(const char *path, char **text, size_t *len);

#endif
