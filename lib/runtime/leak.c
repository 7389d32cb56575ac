// SPDX-License-Identifier: MIT
/*
 * LeakSanitizer scans the data of the modules the dynamic linker loaded, and the heap, but not
 * anonymous mappings: a buffer an extension holds only through a global would be reported as
 * leaked at exit, where a dlopen()ed library's stays reachable. Its interface (from
 * <sanitizer/lsan_interface.h>) takes extra regions to scan; it is looked up in the process,
 * so that libllext needs no sanitizer to build and costs nothing without one.
 */
#include <dlfcn.h>
#include <stdint.h>

#include "runtime/ext.h"
#include "runtime/leak.h"
#include "runtime/symbol.h"

typedef void (*root_fn)(const void *begin, size_t size);

void llext_leak_roots(const struct llext_internal *ie, bool add)
{
	static const int writable[] = {LLEXT_MEM_DATA, LLEXT_MEM_BSS};
	root_fn fn;

	fn = (root_fn)(uintptr_t)llext_dlsym(RTLD_DEFAULT, add ? "__lsan_register_root_region"
	                                                       : "__lsan_unregister_root_region");
	if (!fn) {
		return;
	}
	/* The same begin and size both ways: LeakSanitizer unregisters only an exact match. */
	for (size_t i = 0; i < ARRAY_SIZE(writable); i++) {
		const struct k_mem_partition *p = &ie->parts[writable[i]];

		if (p->size) {
			fn((const void *)p->start, p->size);
		}
	}
}
