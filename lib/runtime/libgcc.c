// SPDX-License-Identifier: MIT
/*
 * The compiler's runtime, for extensions, as a linked program gets it. A compiler driver links
 * every program and library with libgcc: the static archive (libgcc.a) for what only exists
 * there, and libgcc_s.so.1 for the rest (128-bit division, quad-precision floating point, ...).
 * An extension, never linked, gets the same: the static-only part is linked into libllext and
 * listed here, and libgcc_s.so.1 is opened the first time an extension needs something from it,
 * so that these symbols resolve whether or not the host links libgcc_s.
 */
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <string.h>

#include "base/base.h"
#include "runtime/libgcc.h"
#include "runtime/symbol.h"

#if defined(__aarch64__)
/*
 * AArch64 outline atomics (-moutline-atomics, GCC's default on AArch64): one function per
 * operation, size and memory order, choosing LSE or LL/SC at run time. libgcc has them only in
 * libgcc.a. Referencing them here links them into libllext.
 */
#define ORDERS(X, op, n)                                                                           \
	X(op, n, relax) X(op, n, acq) X(op, n, rel) X(op, n, acq_rel) X(op, n, sync)
#define SIZES(X, op) ORDERS(X, op, 1) ORDERS(X, op, 2) ORDERS(X, op, 4) ORDERS(X, op, 8)
#define OUTLINE_ATOMICS(X)                                                                         \
	SIZES(X, cas)                                                                              \
	ORDERS(X, cas, 16)                                                                         \
	SIZES(X, swp) SIZES(X, ldadd) SIZES(X, ldclr) SIZES(X, ldeor) SIZES(X, ldset)

#define DECLARE(op, n, order) extern void __aarch64_##op##n##_##order(void);
OUTLINE_ATOMICS(DECLARE)
/* What __builtin___clear_cache() calls. */
extern void __aarch64_sync_cache_range(void);

#define ENTRY(op, n, order)                                                                        \
	{"__aarch64_" #op #n "_" #order, (const void *)__aarch64_##op##n##_##order},
static const struct llext_const_symbol static_syms[] = {
    OUTLINE_ATOMICS(ENTRY){"__aarch64_sync_cache_range", (const void *)__aarch64_sync_cache_range},
};
#else
/* On x86_64, what libgcc.a alone has (decimal floating point, split stacks) is not what
 * ordinary C and C++ code calls: libgcc_s.so.1 covers it. */
static const struct llext_const_symbol static_syms[1];
#endif

static pthread_once_t libgcc_s_once = PTHREAD_ONCE_INIT;
static void *libgcc_s;
static void *libgcc_s_base;

static void open_libgcc_s(void)
{
	struct link_map *lm;

	/*
	 * Kept for the process's lifetime, as glibc keeps the copy it opens for itself; which is
	 * the copy this returns when glibc has one (one soname, one namespace).
	 */
	libgcc_s = dlopen("libgcc_s.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!libgcc_s) {
		LOG_DBG("libgcc_s.so.1: %s", dlerror());
	} else if (dlinfo(libgcc_s, RTLD_DI_LINKMAP, &lm) == 0) {
		libgcc_s_base = (void *)lm->l_addr;
	}
}

void *llext_runtime_libgcc_s(void)
{
	pthread_once(&libgcc_s_once, open_libgcc_s);
	return libgcc_s;
}

/* @name from libgcc_s itself: dlsym() on its handle also searches its dependencies (libc). */
static void *from_libgcc_s(const char *name)
{
	void *p;
	Dl_info info;

	p = llext_runtime_libgcc_s() ? llext_dlsym(libgcc_s, name) : NULL;
	if (!p || !dladdr(p, &info) || info.dli_fbase != libgcc_s_base) {
		return NULL;
	}
	return p;
}

bool llext_runtime_lookup(const char *name, void **addr)
{
	for (size_t i = 0; i < ARRAY_SIZE(static_syms); i++) {
		if (static_syms[i].name && strcmp(static_syms[i].name, name) == 0) {
			*addr = (void *)static_syms[i].addr;
			return true;
		}
	}
	/* Only libgcc's own names: anything else would make libgcc_s a fallback for typos. */
	if (strncmp(name, "__", 2) != 0) {
		return false;
	}
	*addr = from_libgcc_s(name);
	return *addr != NULL;
}
