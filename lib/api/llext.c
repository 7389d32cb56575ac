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

#include "arch.h"
#include "base/base.h"
#include "load/driver.h"
#include "runtime/ext.h"
#include "runtime/leak.h"
#include "runtime/pages.h"
#include "runtime/relocate.h"
#include "runtime/symbol.h"
#include "runtime/tls.h"
#include "runtime/unwind.h"

static pthread_mutex_t registry = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

static void llext_registry_lock(void)
{
	pthread_mutex_lock(&registry);
}

static void llext_registry_unlock(void)
{
	pthread_mutex_unlock(&registry);
}

/* Load order, and a name hash so lookups cost the same with 10 or 10,000 extensions. */
static struct llext_internal *head, *tail;
static struct llext_internal **by_name;
static size_t nby_name, count;

/*
 * Exit order. last_seq numbers constructions; once exiting is set (exit_hook()) nothing is
 * unmapped any more, and an extension whose last unload comes after it is kept on the kept list,
 * mapped and reachable, for the threads and leak checkers that may still look at it.
 */
static uint64_t last_seq;
static bool exit_hooked, exiting;
static struct llext_internal *kept;

static void exit_hook(void);

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

/*
 * The static part of the C library, bound to each extension.
 *
 * A linked program or shared library takes atexit(), at_quick_exit() and pthread_atfork() from
 * glibc's libc_nonshared.a: small functions that hand glibc the module's own __dso_handle, so
 * that __cxa_finalize() on it, which dlclose() calls, runs its exit handlers and removes its
 * fork handlers. An extension gets the same here, with the start of its mapping as its
 * __dso_handle: what it registers runs at its teardown or unload, never after its memory is
 * gone. The extension is the one holding a handler, or else the one that called.
 */
extern int __cxa_atexit(void (*fn)(void *), void *arg, void *dso);
extern int __cxa_at_quick_exit(void (*fn)(void *), void *dso);
extern int __register_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void),
                             void *dso);

static bool holds(const struct llext_internal *ie, const void *p)
{
	return p && (const uint8_t *)p >= ie->map && (const uint8_t *)p < ie->map + ie->map_size;
}

/* The __dso_handle of the extension holding one of @fns (or @caller), NULL if none does. */
static void *dso_of(const void *const *fns, size_t n, const void *caller)
{
	struct llext_internal *ie, *found = NULL;

	llext_registry_lock();
	for (size_t i = 0; i <= n && !found; i++) {
		const void *p = i < n ? fns[i] : caller;

		for (ie = head; ie && !found; ie = ie->next) {
			found = holds(ie, p) ? ie : NULL;
		}
	}
	if (found) {
		found->dso_handle = true; /* __cxa_finalize() must run for it */
	}
	llext_registry_unlock();
	return found ? found->map : NULL;
}

static int ext_atexit(void (*fn)(void))
{
	const void *fns[] = {(const void *)fn};
	void *dso = dso_of(fns, 1, __builtin_return_address(0));

	return __cxa_atexit((void (*)(void *))fn, NULL, dso);
}

static int ext_at_quick_exit(void (*fn)(void))
{
	const void *fns[] = {(const void *)fn};
	void *dso = dso_of(fns, 1, __builtin_return_address(0));

	return __cxa_at_quick_exit((void (*)(void *))fn, dso);
}

static int ext_pthread_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void))
{
	const void *fns[] = {(const void *)prepare, (const void *)parent, (const void *)child};
	void *dso = dso_of(fns, 3, __builtin_return_address(0));

	return __register_atfork(prepare, parent, child, dso);
}

/*
 * Thread-local storage (tls.c): an extension's variables are in blocks of libllext's, not in the
 * C library's dynamic thread vector, so its __tls_get_addr() is libllext's; and its C++
 * thread_local destructors are kept by libllext, which knows when its code goes away.
 */
static const struct llext_symbol libc_static_syms[] = {
    {"at_quick_exit", (void *)ext_at_quick_exit},
    {"atexit", (void *)ext_atexit},
    {"pthread_atfork", (void *)ext_pthread_atfork},
    {"__tls_get_addr", (void *)llext_tls_get_addr},
    {"__cxa_thread_atexit", (void *)llext_tls_thread_atexit},
    {"__cxa_thread_atexit_impl", (void *)llext_tls_thread_atexit},
};
static const struct llext_symtable libc_static = {
    .sym_cnt = ARRAY_SIZE(libc_static_syms),
    .syms = (struct llext_symbol *)libc_static_syms,
};

static int load_locked(struct llext_loader *loader, const char *name, struct llext **ext,
                       const struct llext_load_param *param)
{
	char cut[LLEXT_MAX_NAME_LEN + 1];
	struct llext_internal *ie;
	int ret;

	ie = find_locked(name);
	if (ie) {
		*ext = &ie->pub;
		return (int)ie->pub.use_count++;
	}
	cut_name(cut, name);
	ret = llext_load_build(loader, cut, param, &libc_static, &ie);
	if (ret) {
		return ret;
	}
	ret = llext_exports_add(ie);
	if (ret == 0) {
		ret = register_locked(ie);
		if (ret) {
			llext_exports_remove(ie);
		}
	}
	if (ret) {
		LOG_ERR("%s: out of memory registering the extension", cut);
		llext_free(ie);
		return ret;
	}
	/* It links against these: they stay loaded until it is unloaded. */
	for (size_t i = 0; i < ie->ndeps; i++) {
		ie->deps[i]->pub.use_count++;
	}
	ie->seq = ++last_seq;
	llext_leak_roots(ie, true);
	/*
	 * At the first load, after main() started: exit() runs handlers newest first, so this
	 * runs after every handler an extension registers (all come later) and before the dynamic
	 * linker's, registered before main(), finalizes the libraries the extensions use.
	 */
	if (!exit_hooked) {
		exit_hooked = atexit(exit_hook) == 0;
		if (!exit_hooked) {
			LOG_ERR("%s: cannot register the exit handler: extensions still loaded at "
			        "exit() will not run their destructors",
			        ie->pub.name);
		}
	}
	*ext = &ie->pub;
	LOG_INF("%s: loaded at %p, %zu bytes, %zu exports, %zu relocations", ie->pub.name,
	        (void *)ie->map, ie->map_size, ie->pub.exp_tab.sym_cnt, ie->stats.relocs);
	return 0;
}

LLEXT_EXPORT int llext_load(struct llext_loader *loader, const char *name, struct llext **ext,
                            const struct llext_load_param *ldr_parm)
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

/* The end of the last unload: destructors, the references it holds, its memory. */
static void finish_unload(struct llext_internal *ie)
{
	/* Its destructors may still use what it links to. */
	if (ie->dtors_due) {
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
	llext_registry_lock();
	if (exiting) {
		/* The process is ending: its memory stays, as a linked library's would. */
		ie->next = kept;
		kept = ie;
		llext_registry_unlock();
		LOG_INF("%s: unloaded; it stays mapped until the process ends", ie->pub.name);
		return;
	}
	llext_registry_unlock();
	LOG_INF("%s: unloaded", ie->pub.name);
	llext_leak_roots(ie, false);
	llext_free(ie);
}

LLEXT_EXPORT int llext_unload(struct llext **ext)
{
	struct llext_internal *ie;

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
	ie->dtors_due = ie->brought_up && !ie->torn_down;
	ie->torn_down = true;
	*ext = NULL;
	llext_registry_unlock();

	/*
	 * Nothing can find it any more. C++ thread_local objects go before static ones, as at a
	 * thread's exit: this thread's now; if other threads still have some, the rest of the
	 * unload waits for the last of them (as dlclose() does), which finishes it.
	 */
	if (llext_tls_unload(ie, finish_unload)) {
		LOG_INF("%s: unloaded; it stays mapped until the threads holding its thread_local "
		        "objects have destroyed them",
		        ie->pub.name);
		return 0;
	}
	finish_unload(ie);
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
	if (run) {
		/* Constructed when its constructors are done: one they bring up ends first. */
		llext_registry_lock();
		ie->seq = ++last_seq;
		llext_registry_unlock();
	}
	return 0;
}

/* Its destructors, if it was brought up and not torn down yet. */
static void teardown_one(struct llext_internal *ie)
{
	bool run;

	llext_registry_lock();
	run = ie->brought_up && !ie->torn_down;
	/* A teardown before any bringup is a no-op, not a promise never to run destructors. */
	ie->torn_down = ie->torn_down || ie->brought_up;
	llext_registry_unlock();
	if (run) {
		run_dtors(ie);
	}
}

LLEXT_EXPORT int llext_teardown(struct llext *ext)
{
	if (!ext) {
		return -EINVAL;
	}
	teardown_one(to_internal(ext));
	return 0;
}

LLEXT_EXPORT void llext_bootstrap(struct llext *ext, llext_entry_fn_t entry_fn, void *user_data)
{
	if (llext_bringup(ext) != 0) {
		return;
	}
	if (entry_fn) {
		entry_fn(user_data);
	}
	llext_teardown(ext);
}

/* ---- Several extensions together, and process exit ---- */

static int by_seq_desc(const void *a, const void *b)
{
	uint64_t x = (*(struct llext_internal *const *)a)->seq;
	uint64_t y = (*(struct llext_internal *const *)b)->seq;

	return x < y ? 1 : x > y ? -1 : 0;
}

/*
 * Everything @set's code has left to run, in the order exit() runs a linked program's: this
 * thread's thread_local destructors, then the exit handlers (atexit(), C++ static objects) and
 * last the destructors, each kind the newest construction first. That holds for the handlers
 * of extensions never brought up too, which their code may have registered all the same. No
 * lock is held: any of them may call libllext.
 */
static void teardown_set(struct llext_internal **set, size_t n)
{
	llext_registry_lock(); /* a bringup in another thread may be writing a seq */
	qsort(set, n, sizeof(*set), by_seq_desc);
	llext_registry_unlock();
	for (size_t i = 0; i < n; i++) {
		llext_tls_run_own(set[i]);
	}
	for (size_t i = 0; i < n; i++) {
		llext_unwind_finalize(set[i]);
	}
	for (size_t i = 0; i < n; i++) {
		teardown_one(set[i]);
		LOG_INF("%s: torn down", set[i]->pub.name);
	}
}

LLEXT_EXPORT int llext_teardown_many(struct llext *const *exts, size_t n)
{
	struct llext_internal **set;
	size_t nset = 0;

	if (!exts && n) {
		return -EINVAL;
	}
	set = llext_calloc(n ? n : 1, sizeof(*set));
	if (!set) {
		LOG_ERR("llext_teardown_many: out of memory for a list of %zu extensions", n);
		return -ENOMEM;
	}
	/* Pinned, as llext_unload_many() pins its set: a destructor may unload one of them. */
	llext_registry_lock();
	for (size_t i = 0; i < n; i++) {
		if (exts[i]) {
			set[nset] = to_internal(exts[i]);
			set[nset++]->pub.use_count++;
		}
	}
	llext_registry_unlock();
	teardown_set(set, nset);
	for (size_t k = 0; k < nset; k++) {
		struct llext *pin = &set[k]->pub;

		llext_unload(&pin);
	}
	free(set);
	return 0;
}

/* One use of @ie is going: at its last, it and one use of each of its dependencies go. */
static void drop_use_locked(struct llext_internal *ie, struct llext_internal **set, size_t *n)
{
	if (++ie->going == ie->pub.use_count) {
		set[(*n)++] = ie;
	}
}

/*
 * The extensions that unloading @exts frees, each pinned by one more use so that a destructor
 * unloading one of them cannot free it while the others' destructors run.
 */
static struct llext_internal **going_locked(struct llext *const *exts, size_t n, size_t *nset)
{
	struct llext_internal **set = llext_calloc(count ? count : 1, sizeof(*set));

	*nset = 0;
	if (!set) {
		LOG_ERR("llext_unload_many: out of memory for a list of %zu extensions", count);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		if (exts[i]) {
			drop_use_locked(to_internal(exts[i]), set, nset);
		}
	}
	/* The set grows as it is walked: a dependency whose last user goes goes too. */
	for (size_t k = 0; k < *nset; k++) {
		for (size_t d = 0; d < set[k]->ndeps; d++) {
			drop_use_locked(set[k]->deps[d], set, nset);
		}
	}
	for (struct llext_internal *ie = head; ie; ie = ie->next) {
		ie->going = 0;
	}
	for (size_t k = 0; k < *nset; k++) {
		set[k]->pub.use_count++;
	}
	return set;
}

LLEXT_EXPORT int llext_unload_many(struct llext **exts, size_t n)
{
	struct llext_internal **set;
	size_t nset;

	if (!exts && n) {
		return -EINVAL;
	}
	llext_registry_lock();
	set = going_locked(exts, n, &nset);
	llext_registry_unlock();
	if (!set) {
		return -ENOMEM;
	}
	teardown_set(set, nset);
	/* Nothing of theirs is left to run: now the memory may go, in any order. */
	for (size_t i = 0; i < n; i++) {
		if (exts[i]) {
			llext_unload(&exts[i]);
			exts[i] = NULL; /* its use is gone, even while the pin below keeps it */
		}
	}
	for (size_t k = 0; k < nset; k++) {
		struct llext *pin = &set[k]->pub;

		llext_unload(&pin);
	}
	free(set);
	return 0;
}

/* The loaded extensions the exit hook has not taken, now taken; NULL with *n > 0 if no memory. */
static struct llext_internal **untaken_locked(size_t *n)
{
	struct llext_internal **set;

	*n = 0;
	for (struct llext_internal *ie = head; ie; ie = ie->next) {
		*n += !ie->exit_taken;
	}
	set = *n ? llext_calloc(*n, sizeof(*set)) : NULL;
	if (!set) {
		return NULL;
	}
	*n = 0;
	for (struct llext_internal *ie = head; ie; ie = ie->next) {
		if (!ie->exit_taken) {
			ie->exit_taken = true;
			set[(*n)++] = ie;
		}
	}
	return set;
}

/* Without memory for a list: the newest construction not taken, now taken. */
static struct llext_internal *newest_untaken_locked(void)
{
	struct llext_internal *best = NULL;

	for (struct llext_internal *ie = head; ie; ie = ie->next) {
		if (!ie->exit_taken && (!best || ie->seq > best->seq)) {
			best = ie;
		}
	}
	if (best) {
		best->exit_taken = true;
	}
	return best;
}

/*
 * At exit(): what the extensions still loaded have left to run, as llext_unload_many() would
 * run it, and nothing unmapped (see exiting). The C library has already run this thread's
 * thread_local destructors and every handler registered after this one, which includes all the
 * extensions registered.
 */
static void exit_hook(void)
{
	struct llext_internal **set, *one;
	size_t n;

	llext_registry_lock();
	exiting = true;
	llext_registry_unlock();
	/* A destructor may load another extension: the next pass takes it. */
	for (;;) {
		llext_registry_lock();
		set = untaken_locked(&n);
		one = set || !n ? NULL : newest_untaken_locked();
		llext_registry_unlock();
		if (set) {
			teardown_set(set, n);
			free(set);
		} else if (one) {
			teardown_set(&one, 1);
		} else {
			break;
		}
	}
}

/* The setup (preinit then init) or cleanup list, in run order, and its size in bytes. */
static void *const *fn_list(const struct llext_internal *ie, bool is_init, size_t *bytes)
{
	*bytes = is_init ? ie->nctors * sizeof(*ie->ctors) : ie->ndtors * sizeof(*ie->dtors);
	return is_init ? (void *const *)ie->ctors : (void *const *)ie->dtors;
}

LLEXT_EXPORT ssize_t llext_get_fn_table(struct llext *ext, bool is_init, void *buf, size_t size)
{
	void *const *list;
	size_t bytes;

	if (!ext) {
		return -EINVAL;
	}
	list = fn_list(to_internal(ext), is_init, &bytes);
	if (buf && size < bytes) {
		return -ENOMEM;
	}
	if (buf && bytes) {
		memcpy(buf, list, bytes);
	}
	return (ssize_t)bytes;
}

LLEXT_EXPORT ssize_t llext_get_fn_table_entry(struct llext *ext, bool is_init, void **ptr,
                                              size_t idx)
{
	void *const *list;
	size_t bytes;

	if (!ext) {
		return -EINVAL;
	}
	list = fn_list(to_internal(ext), is_init, &bytes);
	if (!ptr) {
		return (ssize_t)bytes;
	}
	if (idx >= bytes / sizeof(*list)) {
		return -EINVAL;
	}
	*ptr = list[idx];
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

/* ---- Zephyr 3.5's per-relocation entry points (arch_elf_relocate*()) ---- */

LLEXT_EXPORT int arch_elf_relocate(elf_rela_t *rel, uintptr_t loc, uintptr_t sym_base_addr,
                                   const char *sym_name, uintptr_t load_bias)
{
	(void)load_bias;
	if (!rel || !loc) {
		return -EINVAL;
	}
	return llext_reloc_one(rel, loc, sym_base_addr, sym_name);
}

LLEXT_EXPORT void arch_elf_relocate_local(struct llext_loader *loader, struct llext *ext,
                                          const elf_rela_t *rel, const elf_sym_t *sym,
                                          size_t got_offset)
{
	const struct llext_reloc_desc *desc;
	struct llext_internal *ie;
	uint64_t S;

	(void)loader;
	if (!ext || !rel || !sym) {
		LOG_ERR("arch_elf_relocate_local: NULL argument");
		return;
	}
	ie = to_internal(ext);
	if (sym->st_shndx == SHN_ABS) {
		S = sym->st_value;
	} else if (sym->st_shndx > 0 && sym->st_shndx < ie->nsect && ie->sect_addr[sym->st_shndx]) {
		S = ie->sect_addr[sym->st_shndx] + sym->st_value;
	} else {
		LOG_ERR("%s: arch_elf_relocate_local: symbol section %u is not loaded", ext->name,
		        sym->st_shndx);
		return;
	}
	desc = llext_arch_reloc(ie->arch, (uint32_t)ELF64_R_TYPE(rel->r_info));
	if (!ext->mem[LLEXT_MEM_TEXT] || !desc ||
	    got_offset + desc->size > ext->mem_size[LLEXT_MEM_TEXT]) {
		LOG_ERR("%s: arch_elf_relocate_local: offset %zu is outside the text", ext->name,
		        got_offset);
		return;
	}
	/*
	 * Text is read+execute by now: the pages holding the place become read+write (never both)
	 * while it is patched, so the extension's code must not be running meanwhile. The lock
	 * keeps two patches from interleaving their protection changes.
	 */
	uintptr_t loc = (uintptr_t)ext->mem[LLEXT_MEM_TEXT] + got_offset;

	llext_registry_lock();
	if (llext_mem_set_writable(ie, LLEXT_MEM_TEXT, loc, desc->size, true) == 0) {
		llext_reloc_one(rel, loc, S, NULL);
		llext_mem_set_writable(ie, LLEXT_MEM_TEXT, loc, desc->size, false);
	}
	llext_registry_unlock();
}
