// SPDX-License-Identifier: MIT
/*
 * Which unwinders an extension's .eh_frame is registered with.
 *
 * The frames must be known to the unwinder that will walk them, and a process can have two:
 *
 *   - the one its global symbols name (dlsym(RTLD_DEFAULT)): libgcc_s when a C++ runtime is
 *     linked or loaded globally, or whatever unwinder the program exports;
 *   - libgcc_s as glibc opens it for backtrace() and pthread_cancel(): privately, so that
 *     dlsym(RTLD_DEFAULT) does not see it, in a plain C program that links neither libstdc++
 *     nor libgcc_s.
 *
 * llext_runtime_libgcc_s() (dlopen("libgcc_s.so.1", RTLD_LOCAL)) hands back glibc's private copy
 * when it has one (the same link map: one soname, one namespace), and loads the one glibc will find
 * otherwise, so frames registered there are the ones backtrace() sees. When both are one library
 * they are one unwinder and the frames are registered once.
 *
 * Each slot, once filled, keeps its functions: deregistering must call the unwinder an
 * extension was registered with, and libgcc's aborts on frames it never saw.
 *
 * A plain C program has no global unwinder, and a lookup that fails costs a formatted message
 * and two heap blocks inside the C library: a few percent of loading a small extension. After
 * a miss the lookup is tried again only once the process has loaded more modules. A module
 * already loaded that turns global later (dlopen() with RTLD_GLOBAL of a library opened
 * privately) is not seen until then; in practice that is libgcc_s itself, whose unwinder
 * already has the frames.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>

#include "base/base.h"
#include "runtime/libgcc.h"
#include "runtime/symbol.h"
#include "runtime/unwind.h"

typedef void (*frame_fn)(void *);

struct unwinder {
	_Atomic(frame_fn) reg, dereg;
	unsigned long long missed_at; /* modules loaded at the last miss; ~0 before any */
};

enum { GLOBAL, LIBGCC, NUNWINDERS };

static struct unwinder unwinders[NUNWINDERS] = {
    [GLOBAL].missed_at = ~0ULL, [LIBGCC].missed_at = ~0ULL};
static pthread_mutex_t fill_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t libgcc_once = PTHREAD_ONCE_INIT;

/* Fills @u from @handle unless it is filled already, or missed with no module loaded since;
 * both functions or neither. */
static void fill(struct unwinder *u, void *handle)
{
	unsigned long long c[2];
	frame_fn reg, dereg;

	pthread_mutex_lock(&fill_lock);
	if (!atomic_load(&u->reg)) {
		llext_module_counters(c);
		if (c[0] == ~0ULL || c[0] != u->missed_at) {
			reg = (frame_fn)(uintptr_t)llext_dlsym(handle, "__register_frame");
			dereg = reg ? (frame_fn)(uintptr_t)llext_dlsym(handle, "__deregister_frame")
			            : NULL;
			if (reg && dereg) {
				atomic_store(&u->dereg, dereg);
				atomic_store(&u->reg, reg);
			} else {
				u->missed_at = c[0];
			}
		}
	}
	pthread_mutex_unlock(&fill_lock);
}

static void open_libgcc(void)
{
	/* libgcc.c never closes it: frames stay registered in it until their extensions go. */
	void *h = llext_runtime_libgcc_s();

	if (!h) {
		LOG_DBG("no libgcc_s.so.1: backtrace() will not see extension frames");
		return;
	}
	fill(&unwinders[LIBGCC], h);
}

uint32_t llext_unwinders_add(void *eh_frame)
{
	frame_fn global, gcc;
	uint32_t mask = 0;

	/* Looked up until found: a host may load a C++ runtime after starting. */
	fill(&unwinders[GLOBAL], RTLD_DEFAULT);
	pthread_once(&libgcc_once, open_libgcc);
	global = atomic_load(&unwinders[GLOBAL].reg);
	gcc = atomic_load(&unwinders[LIBGCC].reg);
	if (global) {
		global(eh_frame);
		mask |= 1u << GLOBAL;
	}
	if (gcc && gcc != global) {
		gcc(eh_frame);
		mask |= 1u << LIBGCC;
	}
	return mask;
}

void llext_unwinders_remove(void *eh_frame, uint32_t mask)
{
	for (int i = 0; i < NUNWINDERS; i++) {
		if (mask & (1u << i)) {
			atomic_load (&unwinders[i].dereg)(eh_frame);
		}
	}
}
