// SPDX-License-Identifier: MIT
/*
 * What C++ extensions need from the process's runtime: their exception frames registered with
 * the unwinder, so that exceptions can pass through their code, and the destructors they
 * registered with __cxa_atexit() run when they go away rather than at exit().
 *
 * The runtime functions come from the process (libgcc_s, libc) when present: a process without
 * libgcc_s cannot throw exceptions anyway, and its extensions do not need registering.
 */
#include <dlfcn.h>
#include <stdatomic.h>

#include "llext_priv.h"

typedef void (*frame_fn)(void *);

/* Looked up until found, since a host may load libgcc_s (with libstdc++) after starting. */
static frame_fn lookup(_Atomic(frame_fn) *cache, const char *name)
{
	frame_fn fn = atomic_load(cache);

	if (!fn) {
		fn = (frame_fn)(uintptr_t)dlsym(RTLD_DEFAULT, name);
		atomic_store(cache, fn);
	}
	return fn;
}

static _Atomic(frame_fn) register_frame, deregister_frame, cxa_finalize;

void llext_unwind_register(struct llext_internal *ie, void *eh_frame)
{
	frame_fn reg = lookup(&register_frame, "__register_frame");
	frame_fn dereg = lookup(&deregister_frame, "__deregister_frame");

	if (!reg || !dereg) {
		LOG_DBG("%s: no unwinder in the process: exception frames not registered",
		        ie->pub.name);
		return;
	}
	reg(eh_frame);
	ie->eh_frame = eh_frame;
}

void llext_unwind_unregister(struct llext_internal *ie)
{
	if (ie->eh_frame) {
		atomic_load (&deregister_frame)(ie->eh_frame);
		ie->eh_frame = NULL;
	}
}

void llext_unwind_finalize(struct llext_internal *ie)
{
	frame_fn fin;

	if (!ie->dso_handle) {
		return;
	}
	/* The extension's __dso_handle is the start of its mapping (see link.c). */
	fin = lookup(&cxa_finalize, "__cxa_finalize");
	if (fin) {
		fin(ie->map);
	}
}
