/* SPDX-License-Identifier: MIT */
/*
 * Thread-local storage of extensions, at run time.
 */
#ifndef LLEXT_RUNTIME_TLS_H
#define LLEXT_RUNTIME_TLS_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/ext.h"

struct llext_tls_asked;

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
/* Makes the variable @name at @off of the extension's block findable by other extensions. */
int llext_tls_export_add(struct llext_internal *ie, const char *name, uint64_t off);
/* The loaded extension exporting the thread-local variable @name, with its module and the
 * variable's offset; NULL if none does. Under the registry lock. */
struct llext_internal *llext_tls_export_find(const char *name, struct llext_tls_module **mod,
                                             uint64_t *off);
/*
 * @addr is the calling thread's copy of a variable of a module the C library loaded: sets *@mod
 * to a module of the extension's that stands for that module (created on first use, freed with
 * ie->tls) and *@off to the variable's offset in its block. -ENOENT if no module holds @addr.
 * @asked, if not NULL, is the handle of llext_tls_static_ask() for it, which the call owns.
 */
int llext_tls_outside(struct llext_internal *ie, const void *addr, struct llext_tls_asked *asked,
                      struct llext_tls_module **mod, uint64_t *off);
/* The extension's own module is in static TLS, at @tpoff from the thread pointer, in the block
 * of the C library's module @modid of the library @asked (llext_tls_static_block()), closed
 * when the module is freed. */
void llext_tls_module_static(struct llext_internal *ie, struct llext_tls_asked *asked,
                             int64_t tpoff, size_t modid);
/* True if @m is a module (outside, or the extension's own) whose block is in static TLS, at
 * *@tpoff from the thread pointer in every thread. */
bool llext_tls_static_offset(const struct llext_tls_module *m, int64_t *tpoff);
/* The address of the host's TLS descriptor resolver (runtime/tlsdesc_<arch>.S). */
uint64_t llext_tls_resolver(void);

/* Runs the calling thread's pending thread_local destructors of the extension, newest first. */
void llext_tls_run_own(struct llext_internal *ie);

/*
 * At the last unload: runs the calling thread's pending thread_local destructors of the
 * extension, then returns false if no other thread has any, or true after arranging for
 * @finish(ie) to be called by the thread that runs the last of them.
 */
bool llext_tls_unload(struct llext_internal *ie, void (*finish)(struct llext_internal *ie));

/* What extensions call in place of the C library's (bound to them by llext.c). */
void *llext_tls_get_addr(void *ti);
int llext_tls_thread_atexit(void (*fn)(void *), void *obj, void *dso);

#endif /* LLEXT_RUNTIME_TLS_H */
