/* SPDX-License-Identifier: MIT */
/*
 * The extension object as libllext holds it (struct llext_internal). load/ builds it, api/
 * registers it, and every service that serves it after its load reads the fields its own module
 * owns; the field comments name the owner.
 *
 * Ownership: the load driver builds an extension. Until llext_load_build() returns 0 the
 * half-built extension is the driver's, and its one cleanup path frees it; afterwards it is the
 * registry's, and llext_free() frees it.
 */
#ifndef LLEXT_RUNTIME_EXT_H
#define LLEXT_RUNTIME_EXT_H

#include <stdint.h>

#include <llext/llext.h>

#include "base/base.h"

struct llext_arch;
struct llext_export_node;
struct llext_sections;
struct llext_tls_module;

/* An extension as libllext holds it; the public part comes first. */
struct llext_internal {
	struct llext pub;

	/* Registry: load-order list and name hash chain (llext.c). */
	struct llext_internal *prev, *next, *hnext;
	uint32_t name_hash;

	/* Memory: one reservation holding all regions (load/map.c maps it, runtime/pages.c
	 * unmaps it). */
	uint8_t *map;
	size_t map_size;
	struct k_mem_partition parts[LLEXT_MEM_PARTITIONS];
	bool text_sealed; /* text is a sealed memory file mapped read+execute (sealed.c) */

	/* Linking results (resolve.c, scan.c, tables.c). */
	const struct llext_arch *arch;
	struct llext_internal **deps;
	size_t ndeps;
	void (**ctors)(void); /* preinit then init entries, in run order */
	size_t nctors;
	void (**dtors)(void); /* fini entries, in run order */
	size_t ndtors;
	struct llext_export_node *exp_nodes; /* its entries in the export index (symbol.c) */
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
	struct llext_sections *sections; /* with keep_section_info, until freed (sections.h) */
	struct llext_debug *debug;       /* registered with debuggers (debug.c), or NULL */
	struct llext_tls_module *tls;    /* its thread-local storage, or NULL (tls.c) */
	/* the modules outside whose variables it uses, freed with tls (tls.c) */
	struct llext_tls_module *tls_out;

	bool brought_up, torn_down;
	bool dtors_due; /* unloaded after a bringup: its destructors must still run */

	/* Exit order (llext.c): its place in construction order (the end of its bringup, or its
	 * load if it was never brought up), scratch for llext_unload_many(), and whether the exit
	 * hook has taken it. */
	uint64_t seq;
	size_t going;
	bool exit_taken;
};

static inline struct llext_internal *to_internal(const struct llext *ext)
{
	return (struct llext_internal *)ext;
}

#endif /* LLEXT_RUNTIME_EXT_H */
