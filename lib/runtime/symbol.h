/* SPDX-License-Identifier: MIT */
/*
 * Symbol services: hashing, symbol-table indexes, the host's exports, the process's global
 * symbols (dlsym() cached) and the index of every loaded extension's exports.
 */
#ifndef LLEXT_RUNTIME_SYMBOL_H
#define LLEXT_RUNTIME_SYMBOL_H

#include <stdbool.h>
#include <stdint.h>

#include <llext/symbol.h>

#include "runtime/ext.h"

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

/*
 * The index of all loaded extensions' exports. Each extension has one entry per export
 * (ie->exp_nodes, whose layout only symbol.c knows): the load allocates them with its export
 * table, fills them in the same pass that indexes the table, and the registry links them in.
 */
struct llext_export_node;

/* @n entries, zeroed, in one allocation that free() releases; their size in bytes goes to
 * @bytes, for the extension's alloc_size. NULL if out of memory. */
struct llext_export_node *llext_exports_alloc(size_t n, size_t *bytes);
/* Entries 0 to tab->sym_cnt - 1 of @nodes describe @owner's exports @tab (@hashes[i] the
 * hash of tab->syms[i].name); the names and addresses are @tab's, not copied. */
void llext_exports_fill(struct llext_export_node *nodes, const struct llext_symtable *tab,
                        const uint32_t *hashes, struct llext_internal *owner);

/* Registry lock held for all three. */
int llext_exports_add(struct llext_internal *ie);
void llext_exports_remove(struct llext_internal *ie);
/* The first loaded extension that exports @name (of hash @hash): its address for the name goes
 * to @addr and the extension to @owner. False if no loaded extension exports it. */
bool llext_exports_lookup(const char *name, uint32_t hash, void **addr,
                          struct llext_internal **owner);

#endif /* LLEXT_RUNTIME_SYMBOL_H */
