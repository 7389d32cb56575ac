// SPDX-License-Identifier: MIT
/*
 * What C++ extensions need from the process's runtime: their exception frames registered with
 * the unwinder, so that exceptions can pass through their code, and the destructors they
 * registered with __cxa_atexit() run when they go away rather than at exit(). The frames are
 * checked before, while loading (load/eh_frame.c).
 *
 * The runtime functions come from the process (libgcc_s, libc) when present; unwinder.c finds
 * the unwinders, libgcc_s included when glibc opened it privately for backtrace().
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdatomic.h>

#include "base/base.h"
#include "runtime/ext.h"
#include "runtime/symbol.h"
#include "runtime/unwind.h"

typedef void (*frame_fn)(void *);

/* Looked up until found, since a host may load libgcc_s (with libstdc++) after starting. */
static frame_fn lookup(_Atomic(frame_fn) *cache, const char *name)
{
	frame_fn fn = atomic_load(cache);

	if (!fn) {
		fn = (frame_fn)(uintptr_t)llext_dlsym(RTLD_DEFAULT, name);
		atomic_store(cache, fn);
	}
	return fn;
}

static _Atomic(frame_fn) cxa_finalize;

void llext_unwind_register(struct llext_internal *ie, void *eh_frame)
{
	/* With every unwinder that may walk its frames (unwinder.c). */
	ie->unwinders = llext_unwinders_add(eh_frame);
	if (!ie->unwinders) {
		LOG_DBG("%s: no unwinder in the process: exception frames not registered",
		        ie->pub.name);
		return;
	}
	ie->eh_frame = eh_frame;
}

void llext_unwind_unregister(struct llext_internal *ie)
{
	if (ie->eh_frame) {
		llext_unwinders_remove(ie->eh_frame, ie->unwinders);
		ie->eh_frame = NULL;
	}
}

void llext_unwind_finalize(struct llext_internal *ie)
{
	frame_fn fin;

	if (!ie->dso_handle) {
		return;
	}
	/* The extension's __dso_handle is the start of its mapping (see load/reloc.c). */
	fin = lookup(&cxa_finalize, "__cxa_finalize");
	if (fin) {
		fin(ie->map);
	}
}
