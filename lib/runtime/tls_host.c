// SPDX-License-Identifier: MIT
/*
 * Thread-local variables of the modules the C library loaded (the program, its libraries, those
 * opened with dlopen()): which module holds a variable, at which offset of its block, and
 * whether that block is in static TLS, where its offset from the thread pointer is the same in
 * every thread (what initial-exec code needs).
 *
 * The module is found from the variable's address in the calling thread (dlsym() gives it, and
 * allocates the block in this thread if needed): dl_iterate_phdr() reports each module's ID and
 * this thread's block. The static TLS area is where glibc puts the blocks of the modules loaded
 * at start and of those it gave static TLS when dlopen()ed; its size comes from glibc's
 * _dl_get_tls_static_info(), and its place from the TLS variant:
 *
 *   x86-64 (variant II)   [tp - (size - TCB), tp)   the TCB is glibc's struct pthread, at tp
 *   AArch64 (variant I)   [tp + 16, tp + size)      after the 16-byte TCB
 *
 * A block inside that range of this thread is in static TLS: a dynamically allocated block is
 * other memory. Where glibc does not tell its sizes, no block is taken to be static, so
 * initial-exec code is refused rather than guessed at.
 */
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <stdint.h>

#include "runtime/symbol.h"
#include "runtime/tls_host.h"

struct where_arg {
	uintptr_t addr;
	struct llext_tls_where *w;
	uintptr_t data, size;
	bool found;
};

static int find_block(struct dl_phdr_info *info, size_t size, void *p)
{
	struct where_arg *a = p;
	uintptr_t data = (uintptr_t)info->dlpi_tls_data;

	if (size < offsetof(struct dl_phdr_info, dlpi_tls_data) + sizeof(void *) ||
	    !info->dlpi_tls_modid || !data) {
		return 0;
	}
	for (size_t i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_TLS && a->addr >= data && a->addr - data < ph->p_memsz) {
			a->w->modid = info->dlpi_tls_modid;
			a->w->off = a->addr - data;
			a->data = data;
			a->size = ph->p_memsz;
			a->found = true;
			return 1;
		}
	}
	return 0;
}

/* The calling thread's static TLS area, [*@lo, *@hi); false if glibc does not say. */
static bool static_area(uintptr_t *lo, uintptr_t *hi)
{
	void (*info)(size_t * size, size_t * align);
	uintptr_t tp = (uintptr_t)__builtin_thread_pointer();
	size_t size = 0, align = 0;

	*(void **)&info = llext_dlsym(RTLD_DEFAULT, "_dl_get_tls_static_info");
	if (!info) {
		return false;
	}
	info(&size, &align);
#if defined(__x86_64__)
	const uint32_t *tcb = llext_dlsym(RTLD_DEFAULT, "_thread_db_sizeof_pthread");

	if (!tcb || *tcb > size) {
		return false;
	}
	*lo = tp - (size - *tcb);
	*hi = tp;
#elif defined(__aarch64__)
	if (size < 16) {
		return false;
	}
	*lo = tp + 16;
	*hi = tp + size;
#else
	return false;
#endif
	return true;
}

int llext_tls_host_where(const void *addr, struct llext_tls_where *w)
{
	struct where_arg a = {.addr = (uintptr_t)addr, .w = w};
	uintptr_t lo, hi;

	*w = (struct llext_tls_where){0};
	dl_iterate_phdr(find_block, &a);
	if (!a.found) {
		return -ENOENT;
	}
	if (static_area(&lo, &hi) && a.data >= lo && a.data <= hi && hi - a.data >= a.size) {
		w->is_static = true;
		w->tpoff = (int64_t)(a.data - (uintptr_t)__builtin_thread_pointer());
	}
	return 0;
}
