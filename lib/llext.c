// SPDX-License-Identifier: MIT
/*
 * The extension lifecycle: the registry of loaded extensions, load and unload with their use
 * counts and references, lookups, calls, constructors and memory domains.
 *
 * One recursive lock guards the registry, the export index and the host table. A load holds it
 * throughout; no extension code runs under it except destructors reached from llext_iterate().
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "llext_priv.h"

static pthread_mutex_t registry = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

void llext_registry_lock(void)
{
	pthread_mutex_lock(&registry);
}

void llext_registry_unlock(void)
{
	pthread_mutex_unlock(&registry);
}

/* Load order, and a name hash so lookups cost the same with 10 or 10,000 extensions. */
static struct llext_internal *head, *tail;
static struct llext_internal **by_name;
static size_t nby_name, count;

/* Names are cut to LLEXT_MAX_NAME_LEN characters, when loading and when looking up alike. */
static void cut_name(char out[LLEXT_MAX_NAME_LEN + 1], const char *name)
{
	size_t n = strnlen(name, LLEXT_MAX_NAME_LEN);

	memcpy(out, name, n);
	out[n] = '\0';
}

static struct llext_internal *find_locked(const char *name)
{
	char cut[LLEXT_MAX_NAME_LEN + 1];
	uint32_t h;

	if (!by_name) {
		return NULL;
	}
	cut_name(cut, name);
	h = llext_hash(cut);
	for (struct llext_internal *ie = by_name[h & (nby_name - 1)]; ie; ie = ie->hnext) {
		if (ie->name_hash == h && strcmp(ie->pub.name, cut) == 0) {
			return ie;
		}
	}
	return NULL;
}

static int register_locked(struct llext_internal *ie)
{
	if (count + 1 > nby_name) {
		size_t n = nby_name ? nby_name * 2 : 64;
		struct llext_internal **nb = llext_calloc(n, sizeof(*nb));

		if (!nb) {
			return -ENOMEM;
		}
		for (struct llext_internal *e = head; e; e = e->next) {
			e->hnext = nb[e->name_hash & (n - 1)];
			nb[e->name_hash & (n - 1)] = e;
		}
		free(by_name);
		by_name = nb;
		nby_name = n;
	}
	ie->name_hash = llext_hash(ie->pub.name);
	ie->hnext = by_name[ie->name_hash & (nby_name - 1)];
	by_name[ie->name_hash & (nby_name - 1)] = ie;
	ie->prev = tail;
	ie->next = NULL;
	if (tail) {
		tail->next = ie;
	} else {
		head = ie;
	}
	tail = ie;
	count++;
	return 0;
}

static void unregister_locked(struct llext_internal *ie)
{
	struct llext_internal **pp = &by_name[ie->name_hash & (nby_name - 1)];

	while (*pp != ie) {
		pp = &(*pp)->hnext;
	}
	*pp = ie->hnext;
	if (ie->prev) {
		ie->prev->next = ie->next;
	} else {
		head = ie->next;
	}
	if (ie->next) {
		ie->next->prev = ie->prev;
	} else {
		tail = ie->prev;
	}
	if (--count == 0) {
		free(by_name);
		by_name = NULL;
		nby_name = 0;
	}
}

void llext_free(struct llext_internal *ie)
{
	if (!ie) {
		return;
	}
	llext_unwind_unregister(ie);
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
	free(ie);
}

LLEXT_EXPORT struct llext *llext_by_name(const char *name)
{
	struct llext_internal *ie;

	if (!name) {
		return NULL;
	}
	llext_registry_lock();
	ie = find_locked(name);
	llext_registry_unlock();
	return ie ? &ie->pub : NULL;
}

LLEXT_EXPORT int llext_iterate(int (*fn)(struct llext *ext, void *arg), void *arg)
{
	int ret = 0;

	if (!fn) {
		return -EINVAL;
	}
	llext_registry_lock();
	/*
	 * Taking next before the call lets fn unload the extension it was given: what that
	 * frees besides is the extension's dependencies, which were loaded, so are listed, earlier.
	 */
	for (struct llext_internal *ie = head, *next; ie; ie = next) {
		next = ie->next;
		ret = fn(&ie->pub, arg);
		if (ret) {
			break;
		}
	}
	llext_registry_unlock();
	return ret;
}

static int load_locked(struct llext_loader *loader, const char *name, struct llext **ext,
                       const struct llext_load_param *param)
{
	struct llext_load ld = {.param = param};
	struct llext_internal *ie, *existing;
	int ret;

	existing = find_locked(name);
	if (existing) {
		*ext = &existing->pub;
		return (int)existing->pub.use_count++;
	}

	ie = llext_calloc(1, sizeof(*ie));
	if (!ie) {
		LOG_ERR("%s: out of memory", name);
		return -ENOMEM;
	}
	cut_name(ie->pub.name, name);
	ie->pub.use_count = 1;
	ie->pub.alloc_size = sizeof(*ie);
	ld.ie = ie;
	ld.name = ie->pub.name;

	if (loader->prepare) {
		/* A loader reports its own failures: it knows what it could not open. */
		ret = loader->prepare(loader);
		if (ret) {
			LOG_DBG("%s: the loader cannot start: %s", ld.name, strerror(-ret));
			free(ie);
			return ret;
		}
	}
	ret = llext_do_load(&ld, loader);
	if (ret == 0) {
		ret = llext_exports_add(ie);
		if (ret == 0) {
			ret = register_locked(ie);
			if (ret) {
				llext_exports_remove(ie);
			}
		}
		if (ret) {
			LOG_ERR("%s: out of memory registering the extension", ld.name);
		}
	}
	llext_elf_close(&ld.elf);
	free(ld.sect);
	free(ld.sym);
	if (loader->finalize) {
		loader->finalize(loader);
	}
	if (ret) {
		llext_free(ie);
		return ret;
	}

	/* It links against these: they stay loaded until it is unloaded. */
	for (size_t i = 0; i < ie->ndeps; i++) {
		ie->deps[i]->pub.use_count++;
	}
	*ext = &ie->pub;
	LOG_INF("%s: loaded at %p, %zu bytes, %zu exports, %zu relocations", ie->pub.name,
	        (void *)ie->map, ie->map_size, ie->pub.exp_tab.sym_cnt, ie->stats.relocs);
	return 0;
}

LLEXT_EXPORT int llext_load(struct llext_loader *loader, const char *name, struct llext **ext,
                            struct llext_load_param *ldr_parm)
{
	static const struct llext_load_param defaults = LLEXT_LOAD_PARAM_DEFAULT;
	int ret;

	if (!ext) {
		return -EINVAL;
	}
	*ext = NULL;
	if (!loader || !loader->read || !loader->seek || !name || !*name) {
		LOG_ERR("llext_load: loader, its read and seek, and a name are required");
		return -EINVAL;
	}
	llext_registry_lock();
	ret = load_locked(loader, name, ext, ldr_parm ? ldr_parm : &defaults);
	llext_registry_unlock();
	return ret;
}

static void run_dtors(struct llext_internal *ie)
{
	for (size_t i = 0; i < ie->ndtors; i++) {
		ie->dtors[i]();
	}
	/* C++ static destructors, which constructors registered with __cxa_atexit(). */
	llext_unwind_finalize(ie);
}

LLEXT_EXPORT int llext_unload(struct llext **ext)
{
	struct llext_internal *ie;
	bool teardown;

	if (!ext || !*ext) {
		return -EINVAL;
	}
	ie = to_internal(*ext);
	llext_registry_lock();
	if (ie->pub.use_count > 1) {
		int left = (int)--ie->pub.use_count;

		llext_registry_unlock();
		return left;
	}
	ie->pub.use_count = 0;
	unregister_locked(ie);
	llext_exports_remove(ie);
	teardown = ie->brought_up && !ie->torn_down;
	ie->torn_down = true;
	*ext = NULL;
	llext_registry_unlock();

	/* Nothing can find it any more; its destructors may still use what it links to. */
	if (teardown) {
		run_dtors(ie);
	}
	/*
	 * Whatever its code registered with __cxa_atexit() since (a function-local static object
	 * is registered when its function first runs, brought up or not) must run now: at exit()
	 * the code would be gone.
	 */
	llext_unwind_finalize(ie);
	for (size_t i = 0; i < ie->ndeps; i++) {
		struct llext *dep = &ie->deps[i]->pub;

		llext_unload(&dep);
	}
	LOG_INF("%s: unloaded", ie->pub.name);
	llext_free(ie);
	return 0;
}

LLEXT_EXPORT const void *llext_find_sym(const struct llext_symtable *sym_table,
                                        const char *sym_name)
{
	const struct llext_symbol *s;
	const void *p = NULL;

	if (!sym_name) {
		return NULL;
	}
	if (!sym_table) {
		llext_registry_lock();
		if (llext_host_refresh() == 0) {
			p = llext_host_lookup(sym_name, llext_hash(sym_name));
		}
		llext_registry_unlock();
		return p;
	}
	s = llext_symtable_lookup(sym_table, sym_name, llext_hash(sym_name));
	return s ? s->addr : NULL;
}

LLEXT_EXPORT int llext_call_fn(struct llext *ext, const char *sym_name)
{
	void (*fn)(void);

	if (!ext || !sym_name) {
		return -EINVAL;
	}
	fn = (void (*)(void))(uintptr_t)llext_find_sym(&ext->exp_tab, sym_name);
	if (!fn) {
		LOG_ERR("%s: no exported function '%s'", ext->name, sym_name);
		return -EINVAL;
	}
	fn();
	return 0;
}

LLEXT_EXPORT int llext_bringup(struct llext *ext)
{
	struct llext_internal *ie;
	bool run;

	if (!ext) {
		return -EINVAL;
	}
	ie = to_internal(ext);
	llext_registry_lock();
	run = !ie->brought_up;
	ie->brought_up = true;
	llext_registry_unlock();
	for (size_t i = 0; run && i < ie->nctors; i++) {
		ie->ctors[i]();
	}
	return 0;
}

LLEXT_EXPORT int llext_teardown(struct llext *ext)
{
	struct llext_internal *ie;
	bool run;

	if (!ext) {
		return -EINVAL;
	}
	ie = to_internal(ext);
	llext_registry_lock();
	run = ie->brought_up && !ie->torn_down;
	/* A teardown before any bringup is a no-op, not a promise never to run destructors. */
	ie->torn_down = ie->torn_down || ie->brought_up;
	llext_registry_unlock();
	if (run) {
		run_dtors(ie);
	}
	return 0;
}

LLEXT_EXPORT int llext_add_domain(struct llext *ext, struct k_mem_domain *domain)
{
	struct llext_internal *ie;
	size_t need = 0;

	if (!ext || !domain) {
		return -EINVAL;
	}
	ie = to_internal(ext);
	for (int r = 0; r < LLEXT_MEM_PARTITIONS; r++) {
		need += ie->parts[r].size != 0;
	}
	if (domain->num_partitions + need > LLEXT_MAX_DOMAIN_PARTITIONS) {
		return -ENOSPC;
	}
	for (int r = 0; r < LLEXT_MEM_PARTITIONS; r++) {
		if (ie->parts[r].size) {
			domain->partitions[domain->num_partitions++] = &ie->parts[r];
		}
	}
	return 0;
}

LLEXT_EXPORT int llext_get_stats(const struct llext *ext, struct llext_stats *stats)
{
	if (!ext || !stats) {
		return -EINVAL;
	}
	*stats = to_internal(ext)->stats;
	return 0;
}

LLEXT_EXPORT size_t llext_reloc_counts(const struct llext *ext, struct llext_reloc_count *out,
                                       size_t max)
{
	const struct llext_internal *ie;
	size_t n = 0;

	if (!ext) {
		return 0;
	}
	ie = to_internal(ext);
	for (size_t i = 0; i < ie->arch->nrelocs; i++) {
		if (!ie->reloc_counts[i]) {
			continue;
		}
		if (n < max && out) {
			out[n].type = ie->arch->relocs[i].type;
			out[n].name = ie->arch->relocs[i].name;
			out[n].count = ie->reloc_counts[i];
		}
		n++;
	}
	return n;
}
