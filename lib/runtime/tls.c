// SPDX-License-Identifier: MIT
/*
 * Thread-local storage of extensions, at run time: each extension's module, each thread's block
 * of it, __tls_get_addr() and the slow path of the TLS descriptor resolvers, and C++
 * thread_local destructors.
 *
 * libllext does not register extensions with the C library's dynamic thread vector: the C
 * library has no interface for it. Extensions get our __tls_get_addr() instead (llext.c binds
 * it), and their GOT pairs name our module rather than a module ID:
 *
 * - A module has a key, never reused, and a small index, reused once the module is freed.
 * - Each thread has a table of slots indexed by module index, each slot {key, block}; a slot
 *   whose key is not its module's is stale (its module was freed, the index reused). Only its
 *   thread reads or writes a table, so the fast path (__tls_get_addr(), the resolvers in
 *   runtime/tlsdesc_<arch>.S) takes no lock.
 * - Blocks are allocated on a thread's first access and listed on their module, under one
 *   mutex. Freeing a module frees every thread's block; a thread's exit frees its blocks of the
 *   modules still alive (the mutex and the key decide which of the two frees a block, never
 *   both). A thread that never touched a module has no block of it.
 *
 * C++ thread_local destructors (__cxa_thread_atexit) are kept per thread and run at its exit,
 * through one hook registered with the C library for the thread. A module with destructors
 * pending in other threads cannot be freed when its extension is unloaded: like glibc's
 * dlclose(), the unload then finishes (and the memory goes) when the last of them has run.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/tlsdesc.h"
#include "base/base.h"
#include "runtime/ext.h"
#include "runtime/tls.h"
#include "runtime/tls_host.h"
#include "runtime/tls_static.h"

struct llext_tls_module {
	uint64_t key;   /* LLEXT_TLS_MOD_KEY */
	uint32_t index; /* LLEXT_TLS_MOD_INDEX */
	int64_t tpoff;  /* LLEXT_TLS_MOD_TPOFF, if is_static (below) */
	size_t size, align, hdr;
	struct tls_block *blocks; /* every thread's block, under tls_lock */
	struct llext_internal *ie;
	void *dso;      /* the extension's __dso_handle, once placed, under tls_lock */
	size_t pending; /* thread_local destructors not run yet, under tls_lock */
	void (*finish)(struct llext_internal *ie); /* set when the unload waits for them */
	/* Its global variables, for other extensions to link against (llext_tls_export_add()). */
	struct tls_export *exp;
	size_t nexp;
	/*
	 * A module outside (llext_tls_outside()): the C library's module ID, never 0, and where
	 * its block is in static TLS, the block's offset from the thread pointer. Its index is
	 * OUTSIDE_INDEX, beyond every thread's table, so that the fast paths leave it to
	 * slow_block(); it is on no list but its extension's (ie->tls_out). An extension's own
	 * module placed in static TLS (llext_tls_module_static()) has them too, and a slot in no
	 * thread's table: its blocks are the C library's.
	 */
	size_t modid;
	bool is_static;
	struct llext_tls_asked
	    *asked; /* what asked for static TLS (tls_static.c), closed with it */
	struct llext_tls_module *next_out;
	size_t ninit;
	struct llext_tls_init init[];
};

/* An exported variable: its name (a copy) and offset in the block. */
struct tls_export {
	char *name;
	uint64_t off;
};

#define OUTSIDE_INDEX UINT32_MAX

/* The head of a block; the variables follow, at mod->hdr. */
struct tls_block {
	struct tls_block *prev, *next;
};

struct tls_slot {
	uint64_t key;
	uint8_t *block;
};

struct llext_tls_table {
	size_t n;
	struct tls_slot slot[];
};

struct tls_dtor {
	struct tls_dtor *next;
	void (*fn)(void *);
	void *obj;
	struct llext_tls_module *mod;
};

_Static_assert(offsetof(struct llext_tls_module, key) == LLEXT_TLS_MOD_KEY, "resolver layout");
_Static_assert(offsetof(struct llext_tls_module, index) == LLEXT_TLS_MOD_INDEX, "resolver layout");
_Static_assert(offsetof(struct llext_tls_module, tpoff) == LLEXT_TLS_MOD_TPOFF, "resolver layout");
_Static_assert(offsetof(struct llext_tls_table, n) == LLEXT_TLS_TAB_N, "resolver layout");
_Static_assert(offsetof(struct llext_tls_table, slot) == LLEXT_TLS_TAB_SLOTS, "resolver layout");
_Static_assert(sizeof(struct tls_slot) == 1 << LLEXT_TLS_SLOT_SHIFT, "resolver layout");

/*
 * This thread's table. Initial-exec: the resolvers read it with one load from the thread
 * pointer, and libllext is a small part of the static TLS that the C library reserves.
 */
__attribute__((tls_model("initial-exec"))) __thread struct llext_tls_table *llext_tls_self;

/* Destructors registered by this thread, newest first, and whether its exit hook is set. */
static __thread struct tls_dtor *thread_dtors;
static __thread bool thread_hooked;

static pthread_mutex_t tls_lock = PTHREAD_MUTEX_INITIALIZER;
/* Live modules by index, under tls_lock. */
static struct llext_tls_module **mods;
static size_t nmods;
static uint64_t last_key;

static pthread_key_t exit_key;
static pthread_once_t exit_once = PTHREAD_ONCE_INIT;

/* The resolver (runtime/tlsdesc_<arch>.S), and the C library's registration of thread_local
 * destructors, which runs them at thread exit and at exit() for the main thread. */
extern char llext_tlsdesc_resolve[], llext_tlsdesc_static[];
extern int __cxa_thread_atexit_impl(void (*fn)(void *), void *obj, void *dso);
extern void *__dso_handle;
/* The C library's, for the variables of its modules: takes {module ID, offset}. */
extern void *__tls_get_addr(void *ti);

#if defined(__x86_64__)
#include <cpuid.h>

/*
 * The bytes XSAVE stores for every state component the kernel enabled, for the x86-64
 * resolver's slow path; 0 where XSAVE is not enabled (FXSAVE then). Set before any module
 * exists, so before any resolver runs.
 */
uint32_t llext_tls_xsave_size;

static void probe_cpu(void)
{
	unsigned int a, b, c, d;

	/* CPUID.1:ECX.OSXSAVE[bit 27]; CPUID.(0DH,0):EBX, the size for the enabled XCR0. */
	if (__get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 27)) &&
	    __get_cpuid_count(0xd, 0, &a, &b, &c, &d)) {
		llext_tls_xsave_size = b;
	}
}
#else
static void probe_cpu(void)
{
}
#endif

uint64_t llext_tls_resolver(const struct llext_tls_module *m)
{
	/* A block in static TLS is at one offset in every thread: no lookup, no slow path. */
	if (m->modid && m->is_static) {
		return (uintptr_t)llext_tlsdesc_static;
	}
	return (uintptr_t)llext_tlsdesc_resolve;
}

int llext_tls_module_new(struct llext_internal *ie, size_t size, size_t align, size_t ninit)
{
	static pthread_once_t probed = PTHREAD_ONCE_INIT;
	struct llext_tls_module *m = llext_calloc(1, sizeof(*m) + ninit * sizeof(m->init[0]));
	size_t i;

	if (!m) {
		return -ENOMEM;
	}
	pthread_once(&probed, probe_cpu);
	m->align = align < sizeof(struct tls_block) ? sizeof(struct tls_block) : align;
	m->hdr = llext_align_up(sizeof(struct tls_block), m->align);
	m->size = size ? size : 1;
	m->ninit = ninit;
	m->ie = ie;
	pthread_mutex_lock(&tls_lock);
	for (i = 0; i < nmods && mods[i]; i++) {
	}
	if (i == nmods) {
		struct llext_tls_module **nm = llext_realloc(mods, (nmods + 8) * sizeof(*mods));

		if (!nm) {
			pthread_mutex_unlock(&tls_lock);
			free(m);
			return -ENOMEM;
		}
		memset(nm + nmods, 0, 8 * sizeof(*mods));
		mods = nm;
		nmods += 8;
	}
	m->index = (uint32_t)i;
	m->key = ++last_key;
	mods[i] = m;
	pthread_mutex_unlock(&tls_lock);
	ie->tls = m;
	return 0;
}

struct llext_tls_init *llext_tls_module_place(struct llext_internal *ie)
{
	pthread_mutex_lock(&tls_lock);
	ie->tls->dso = ie->map;
	pthread_mutex_unlock(&tls_lock);
	return ie->tls->init;
}

static void free_block(struct llext_tls_module *m, struct tls_block *b)
{
	if (b->prev) {
		b->prev->next = b->next;
	} else {
		m->blocks = b->next;
	}
	if (b->next) {
		b->next->prev = b->prev;
	}
	free(b);
}

void llext_tls_module_free(struct llext_internal *ie)
{
	struct llext_tls_module *m = ie->tls;

	while (ie->tls_out) {
		struct llext_tls_module *o = ie->tls_out;

		ie->tls_out = o->next_out;
		llext_tls_static_close(o->asked);
		free(o);
	}
	if (!m) {
		return;
	}
	pthread_mutex_lock(&tls_lock);
	mods[m->index] = NULL;
	while (m->blocks) {
		free_block(m, m->blocks);
	}
	pthread_mutex_unlock(&tls_lock);
	/* The C library takes its static TLS back only if the block was the last one taken. */
	llext_tls_static_close(m->asked);
	for (size_t i = 0; i < m->nexp; i++) {
		free(m->exp[i].name);
	}
	free(m->exp);
	free(m);
	ie->tls = NULL;
}

int llext_tls_export_add(struct llext_internal *ie, const char *name, uint64_t off)
{
	struct llext_tls_module *m = ie->tls;
	struct tls_export *e;
	char *copy = strdup(name);

	if (!copy) {
		return -ENOMEM;
	}
	pthread_mutex_lock(&tls_lock);
	e = llext_realloc(m->exp, (m->nexp + 1) * sizeof(*e));
	if (e) {
		m->exp = e;
		m->exp[m->nexp++] = (struct tls_export){copy, off};
	}
	pthread_mutex_unlock(&tls_lock);
	if (!e) {
		free(copy);
		return -ENOMEM;
	}
	return 0;
}

struct llext_internal *llext_tls_export_find(const char *name, struct llext_tls_module **mod,
                                             uint64_t *off)
{
	struct llext_tls_module *best = NULL;

	/* Linear, as a load looks up only the thread-local variables it uses; the extension
	 * loaded first (the smallest key) wins, as for the other exports. */
	pthread_mutex_lock(&tls_lock);
	for (size_t i = 0; i < nmods; i++) {
		struct llext_tls_module *m = mods[i];

		for (size_t k = 0; m && k < m->nexp && (!best || m->key < best->key); k++) {
			if (strcmp(m->exp[k].name, name) == 0) {
				best = m;
				*off = m->exp[k].off;
			}
		}
	}
	pthread_mutex_unlock(&tls_lock);
	*mod = best;
	return best ? best->ie : NULL;
}

int llext_tls_outside(struct llext_internal *ie, const void *addr, struct llext_tls_asked *asked,
                      struct llext_tls_module **mod, uint64_t *off)
{
	struct llext_tls_where w;
	struct llext_tls_module *m;
	int ret = llext_tls_host_where(addr, &w);

	if (ret) {
		llext_tls_static_close(asked);
		return ret;
	}
	for (m = ie->tls_out; m && m->modid != w.modid; m = m->next_out) {
	}
	if (m) {
		/* The module was asked for already, or is in static TLS by itself. */
		llext_tls_static_close(asked);
	} else {
		m = llext_calloc(1, sizeof(*m));
		if (!m) {
			llext_tls_static_close(asked);
			return -ENOMEM;
		}
		m->asked = asked;
		m->index = OUTSIDE_INDEX;
		m->modid = w.modid;
		m->is_static = w.is_static;
		m->tpoff = w.tpoff;
		m->ie = ie;
		m->next_out = ie->tls_out;
		ie->tls_out = m;
	}
	*mod = m;
	*off = w.off;
	return 0;
}

void llext_tls_module_static(struct llext_internal *ie, struct llext_tls_asked *asked,
                             int64_t tpoff, size_t modid)
{
	struct llext_tls_module *m = ie->tls;

	/* Before any code of the extension runs: nothing reads these yet. */
	m->asked = asked;
	m->tpoff = tpoff;
	m->modid = modid;
	m->is_static = true;
}

bool llext_tls_static_offset(const struct llext_tls_module *m, int64_t *tpoff)
{
	*tpoff = m->tpoff;
	return m->modid && m->is_static;
}

/* A thread's exit: frees its blocks of the modules still alive; a freed module freed the rest. */
static void thread_exit(void *arg)
{
	struct llext_tls_table *t = arg;

	pthread_mutex_lock(&tls_lock);
	for (size_t i = 0; i < t->n; i++) {
		struct llext_tls_module *m = i < nmods ? mods[i] : NULL;

		if (t->slot[i].block && m && m->key == t->slot[i].key) {
			free_block(m, (struct tls_block *)(t->slot[i].block - m->hdr));
		}
	}
	pthread_mutex_unlock(&tls_lock);
	free(t);
	llext_tls_self = NULL;
}

static void make_exit_key(void)
{
	if (pthread_key_create(&exit_key, thread_exit) != 0) {
		LOG_ERR("cannot create the key that frees thread-local storage at thread exit");
		abort();
	}
}

/* This thread's table, with a slot for @index. */
static struct llext_tls_table *table_for(uint32_t index)
{
	struct llext_tls_table *t = llext_tls_self, *nt;
	size_t n = t ? t->n : 0, want = (size_t)index + 1;

	if (index < n) {
		return t;
	}
	want = want < 8 ? 8 : want + want / 2;
	nt = llext_realloc(t, sizeof(*t) + want * sizeof(t->slot[0]));
	if (!nt) {
		return NULL;
	}
	memset(&nt->slot[n], 0, (want - n) * sizeof(nt->slot[0]));
	nt->n = want;
	pthread_once(&exit_once, make_exit_key);
	if (pthread_setspecific(exit_key, nt) != 0) {
		free(nt);
		return NULL;
	}
	llext_tls_self = nt;
	return nt;
}

/* A new block of @m for this thread: zeroed, with the .tdata images copied in. */
static uint8_t *new_block(struct llext_tls_module *m)
{
	struct tls_block *b = NULL;
	uint8_t *data;

	if (posix_memalign((void **)&b, m->align, m->hdr + m->size) != 0) {
		return NULL;
	}
	data = (uint8_t *)b + m->hdr;
	memset(data, 0, m->size);
	for (size_t i = 0; i < m->ninit; i++) {
		memcpy(data + m->init[i].off, m->init[i].src, m->init[i].size);
	}
	b->prev = NULL;
	b->next = m->blocks;
	if (m->blocks) {
		m->blocks->prev = b;
	}
	m->blocks = b;
	return data;
}

/*
 * This thread's block of a module outside: in static TLS at a fixed offset from the thread
 * pointer; otherwise the C library's, which allocates it on this thread's first access (a
 * thread started before the load included).
 */
static uint8_t *outside_block(const struct llext_tls_module *m)
{
	struct {
		uint64_t modid, off;
	} ti = {m->modid, 0};

	if (m->is_static) {
		return (uint8_t *)__builtin_thread_pointer() + m->tpoff;
	}
	return __tls_get_addr(&ti);
}

/*
 * The first access of this thread to @m (or the first since its index was reused): make the
 * block. There is no way to report a failure to the code that asked, which is why the C library
 * aborts here too.
 */
static uint8_t *slow_block(struct llext_tls_module *m)
{
	struct llext_tls_table *t;
	uint8_t *data = NULL;
	bool alive;

	if (m->modid) {
		return outside_block(m);
	}
	t = table_for(m->index);
	pthread_mutex_lock(&tls_lock);
	alive = m->index < nmods && mods[m->index] == m;
	if (alive && t) {
		data = new_block(m);
	}
	pthread_mutex_unlock(&tls_lock);
	if (!alive) {
		LOG_ERR("thread-local storage of an extension that was unloaded was accessed");
		abort();
	}
	if (!data) {
		LOG_ERR("out of memory for the thread-local storage of %s", m->ie->pub.name);
		abort();
	}
	t->slot[m->index] = (struct tls_slot){m->key, data};
	return data;
}

/* The address of @m's block in this thread. */
static inline uint8_t *block_of(struct llext_tls_module *m)
{
	struct llext_tls_table *t = llext_tls_self;

	if (__builtin_expect(t && m->index < t->n && t->slot[m->index].key == m->key, 1)) {
		return t->slot[m->index].block;
	}
	return slow_block(m);
}

/*
 * __tls_get_addr() for extensions: @ti is a GOT pair {module, offset} (x86-64's tls_index,
 * AArch64's GTLSIDX). On x86-64 the stack is realigned: the call sits in a fixed instruction
 * sequence that some compilers emitted without aligning the stack first.
 */
#if defined(__x86_64__)
__attribute__((force_align_arg_pointer))
#endif
void *
llext_tls_get_addr(void *ti)
{
	const uint64_t *pair = ti;

	return block_of((struct llext_tls_module *)(uintptr_t)pair[0]) + pair[1];
}

/* The resolvers' slow path, with every register saved: the variable's address. */
void *llext_tls_desc_slow(const uint64_t *desc);

void *llext_tls_desc_slow(const uint64_t *desc)
{
	return llext_tls_get_addr((void *)(desc + LLEXT_TLS_DESC_MOD / 8));
}

/* ---- C++ thread_local destructors ---- */

/* One destructor of @m has run: the last one of an unloaded extension finishes its unload. */
static void dtor_done(struct llext_tls_module *m)
{
	void (*finish)(struct llext_internal * ie) = NULL;

	pthread_mutex_lock(&tls_lock);
	if (--m->pending == 0) {
		finish = m->finish;
	}
	pthread_mutex_unlock(&tls_lock);
	if (finish) {
		finish(m->ie);
	}
}

/* At this thread's exit (or exit() for the main thread): its destructors, newest first. */
static void run_thread_dtors(void *arg)
{
	struct tls_dtor *d;

	(void)arg;
	while ((d = thread_dtors) != NULL) {
		thread_dtors = d->next;
		d->fn(d->obj);
		dtor_done(d->mod);
		free(d);
	}
	thread_hooked = false;
}

int llext_tls_thread_atexit(void (*fn)(void *), void *obj, void *dso)
{
	struct llext_tls_module *m = NULL;
	struct tls_dtor *d = malloc(sizeof(*d));

	pthread_mutex_lock(&tls_lock);
	for (size_t i = 0; i < nmods && !m && d; i++) {
		m = mods[i] && mods[i]->dso == dso ? mods[i] : NULL;
	}
	if (m) {
		m->pending++;
	}
	pthread_mutex_unlock(&tls_lock);
	if (!m) {
		LOG_ERR("__cxa_thread_atexit: %s",
		        d ? "not called by an extension with thread-local "
		            "storage; the destructor will not run"
		          : "out of memory");
		free(d);
		return -1;
	}
	if (!thread_hooked) {
		/* libllext's own handle: the C library keeps libllext loaded until it has run. */
		if (__cxa_thread_atexit_impl(run_thread_dtors, NULL, &__dso_handle) != 0) {
			free(d);
			dtor_done(m);
			return -1;
		}
		thread_hooked = true;
	}
	*d = (struct tls_dtor){thread_dtors, fn, obj, m};
	thread_dtors = d;
	return 0;
}

void llext_tls_run_own(struct llext_internal *ie)
{
	struct llext_tls_module *m = ie->tls;
	struct tls_dtor **pp = &thread_dtors, *d;

	if (!m) {
		return;
	}
	while ((d = *pp) != NULL) {
		if (d->mod != m) {
			pp = &d->next;
			continue;
		}
		*pp = d->next;
		d->fn(d->obj);
		dtor_done(m);
		free(d);
		/* A destructor may have registered or run others: start again from the newest. */
		pp = &thread_dtors;
	}
}

bool llext_tls_unload(struct llext_internal *ie, void (*finish)(struct llext_internal *ie))
{
	struct llext_tls_module *m = ie->tls;
	bool wait;

	if (!m) {
		return false;
	}
	/* This thread's: run now, newest first, while the code is there. */
	llext_tls_run_own(ie);
	pthread_mutex_lock(&tls_lock);
	wait = m->pending > 0;
	if (wait) {
		m->finish = finish;
	}
	pthread_mutex_unlock(&tls_lock);
	return wait;
}
