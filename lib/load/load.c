// SPDX-License-Identifier: MIT
/*
 * The driver of a load: it owns everything a load allocates, from the extension object to the
 * per-load tables, runs the stages in order (see load.h) and has the one cleanup path. It
 * also frees extensions, since it is the file that knows what one is made of.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/base.h"
#include "base/mapcache.h"
#include "load/driver.h"
#include "load/load.h"
#include "observe/addr.h"
#include "observe/debug.h"
#include "runtime/ext.h"
#include "runtime/libgcc.h"
#include "runtime/pages.h"
#include "runtime/symbol.h"
#include "runtime/tls.h"
#include "runtime/unwind.h"

typedef int (*stage_fn)(struct llext_load *ld);

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Runs @stages in order, up to the first that fails. */
static int run_stage_list(struct llext_load *ld, const stage_fn *stages, size_t n)
{
	int ret = 0;

	for (size_t i = 0; i < n && !ret; i++) {
		ret = stages[i](ld);
	}
	return ret;
}

/* The per-load tables' memory, kept from one load for the next (base/mapcache.c). */
static struct llext_mapcache table_cache = LLEXT_MAPCACHE_INIT;

__attribute__((destructor)) static void table_cache_fini(void)
{
	llext_mapcache_free(&table_cache);
}

/* The per-load tables, in one zeroed block from table_cache, and the extension's own per-section
 * and per-type ones. */
static int alloc_tables(struct llext_load *ld)
{
	struct llext_internal *ie = ld->ie;
	size_t sect = llext_align_up(ld->elf.shnum * sizeof(*ld->sect), 8);
	size_t sym = llext_align_up(ld->elf.nsyms * sizeof(*ld->sym), 8);
	uint8_t *p;

	/* Both counts are bounded by the object's size, which is in memory. */
	ld->scratch_len = sect + sym + ld->elf.nsyms;
	ld->scratch = p = llext_mapcache_take(&table_cache, ld->scratch_len, 0, NULL);
	ie->sect_addr = llext_calloc(ld->elf.shnum, sizeof(*ie->sect_addr));
	ie->reloc_counts =
	    llext_calloc(ld->arch->nrelocs ? ld->arch->nrelocs : 1, sizeof(*ie->reloc_counts));
	if (!p || !ie->sect_addr || !ie->reloc_counts) {
		LOG_ERR("%s: out of memory", ld->name);
		return -ENOMEM;
	}
	memset(p, 0, ld->scratch_len);
	ld->sect = (struct llext_sect *)p;
	ld->sym = (struct llext_symval *)(p + sect);
	ld->slow = p + sect + sym;
	ie->nsect = ld->elf.shnum;
	return llext_mem_classify(ld);
}

/* .eh_frame, once relocated and protected, checked and handed to the unwinder. */
static int register_eh_frame(struct llext_load *ld)
{
	struct llext_internal *ie = ld->ie;
	size_t idx = ld->elf.eh_frame;
	const struct llext_sect *s = &ld->sect[idx];
	uint64_t text = (uintptr_t)ie->pub.mem[LLEXT_MEM_TEXT];
	int ret;

	if (!idx || s->region == LLEXT_MEM_COUNT) {
		return 0;
	}
	ret = llext_eh_frame_check(ie->map + s->offset, ld->elf.shdr[idx]->sh_size, s->addr, text,
	                           text + ie->pub.mem_size[LLEXT_MEM_TEXT], ld->name);
	if (ret == 0) {
		llext_unwind_register(ie, (void *)(uintptr_t)s->addr);
	}
	return ret;
}

/* Debuggers and profilers learn of the extension last, once nothing can fail any more. */
static int tell_tools(struct llext_load *ld)
{
	llext_debug_copy(ld);
	llext_perf_load(ld);
	return 0;
}

/*
 * An object with exception frames will have them registered with libgcc_s at the end of the
 * load (unwinder.c), which opens it the first time. Opened before resolution instead, it is in
 * the module list this load's host export table is built from, so that the next load does not
 * find the list changed and rebuild the table.
 */
static int open_unwinder(struct llext_load *ld)
{
	if (ld->elf.eh_frame) {
		llext_runtime_libgcc_s();
	}
	return 0;
}

/* Decide where everything goes: nothing is mapped until every symbol and relocation passed. */
static const stage_fn place_stages[] = {
    open_unwinder,     llext_tls_layout, llext_resolve_symbols,
    llext_scan_relocs, llext_mem_layout, llext_mem_place,
};

/* Fill the mapping, link it, and make it what it will stay. */
static const stage_fn link_stages[] = {
    llext_mem_copy,    llext_reloc_apply, llext_tables_build,     llext_tables_keep,
    llext_mem_protect, register_eh_frame, llext_addr_table_build, tell_tools,
};

static int run_stages(struct llext_load *ld, struct llext_loader *ldr)
{
	struct llext_internal *ie = ld->ie;
	uint64_t t0, t1, t2;
	int ret;

	t0 = now_ns();
	ret = llext_join_open(ld, ldr);
	if (!ret) {
		ret = alloc_tables(ld);
	}
	t1 = now_ns();
	if (!ret) {
		ret = run_stage_list(ld, place_stages, ARRAY_SIZE(place_stages));
	}
	t2 = now_ns();
	if (!ret) {
		ret = run_stage_list(ld, link_stages, ARRAY_SIZE(link_stages));
	}
	if (ret) {
		return ret;
	}
	ie->stats.parse_ns = t1 - t0;
	ie->stats.place_ns = t2 - t1;
	ie->stats.link_ns = now_ns() - t2;
	ldr->prog_data_size = ie->pub.mem_size[LLEXT_MEM_DATA];
	return 0;
}

int llext_load_build(struct llext_loader *ldr, const char *name,
                     const struct llext_load_param *param, const struct llext_symtable *bound,
                     struct llext_internal **out)
{
	struct llext_load ld = {.param = param, .bound = bound, .arch = llext_arch_host()};
	int ret;

	*out = NULL;
	ld.ie = llext_calloc(1, sizeof(*ld.ie));
	if (!ld.ie) {
		LOG_ERR("%s: out of memory", name);
		return -ENOMEM;
	}
	snprintf(ld.ie->pub.name, sizeof(ld.ie->pub.name), "%s", name);
	ld.ie->pub.use_count = 1;
	ld.ie->pub.alloc_size = sizeof(*ld.ie);
	ld.ie->arch = ld.arch;
	ld.name = ld.ie->pub.name;

	/* A loader reports its own failures: it knows what it could not open. Its prepare sees
	 * no_file_cache and allow_noexec only through base/ (loadopt.c); allow_noexec holds for
	 * the whole load, for the archives it opens. */
	llext_load_no_file_cache = param->no_file_cache;
	llext_load_refuse_noexec = !param->allow_noexec;
	llext_load_file = NULL;
	ret = ldr->prepare ? ldr->prepare(ldr) : 0;
	llext_load_no_file_cache = false;
	ld.file = llext_load_file; /* valid until finalize */
	llext_load_file = NULL;
	if (ret) {
		LOG_DBG("%s: the loader cannot start: %s", ld.name, strerror(-ret));
	} else {
		ret = run_stages(&ld, ldr);
		/* The object may be the loader's memory: done with it before the loader is. */
		llext_elf_close(&ld.elf);
		llext_join_free(ld.joined);
		if (ldr->finalize) {
			ldr->finalize(ldr);
		}
	}
	llext_load_refuse_noexec = false;
	llext_mapcache_give(&table_cache, ld.scratch, ld.scratch_len, 0, 0);
	free(ld.named);
	free(ld.tls_out);
	if (ret) {
		llext_free(ld.ie);
		return ret;
	}
	*out = ld.ie;
	return 0;
}

void llext_free(struct llext_internal *ie)
{
	if (!ie) {
		return;
	}
	/* First: nothing may find its memory by address once that starts going. */
	llext_addr_remove(ie);
	llext_unwind_unregister(ie);
	llext_tls_module_free(ie); /* before the mapping: its images are there */
	llext_debug_unregister(ie);
	llext_mem_free(ie);
	llext_symindex_free(&ie->pub.exp_tab);
	free(ie->pub.exp_tab.syms);
	free(ie->exp_nodes);
	free(ie->exp_names);
	free(ie->deps);
	free(ie->ctors);
	free(ie->dtors);
	free(ie->sect_addr);
	free(ie->reloc_counts);
	free(ie->sections);
	for (size_t i = 0; i < ie->nlibs; i++) {
		dlclose(ie->libs[i]);
	}
	free(ie->libs);
	free(ie);
}

LLEXT_EXPORT ssize_t llext_find_section(struct llext_loader *loader, const char *search_name)
{
	struct llext_elf e;
	ssize_t ret = -ENOENT;
	int err;

	if (!loader || !search_name) {
		return -EINVAL;
	}
	if (loader->prepare) {
		err = loader->prepare(loader);
		if (err) {
			return err;
		}
	}
	err = llext_elf_open(&e, loader, "llext_find_section");
	if (err) {
		ret = err;
	} else {
		for (size_t i = 1; i < e.shnum; i++) {
			if (strcmp(llext_elf_sect_name(&e, i), search_name) == 0) {
				ret = (ssize_t)e.shdr[i]->sh_offset;
				break;
			}
		}
	}
	llext_elf_close(&e);
	if (loader->finalize) {
		loader->finalize(loader);
	}
	return ret;
}
