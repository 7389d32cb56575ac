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

#endif /* LLEXT_RUNTIME_SYMBOL_H */
