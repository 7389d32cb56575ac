// SPDX-License-Identifier: MIT
/*
 * Failure injection, for the tests: when llext_fault_countdown is set to n, the n-th fallible
 * call after that (allocation, mmap, mprotect) fails as if the system had run out of memory.
 * Off (0) by default; the cost is one relaxed atomic load per call.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "llext_priv.h"

_Atomic long llext_fault_countdown;

bool llext_fault_now(void)
{
	if (atomic_load_explicit(&llext_fault_countdown, memory_order_relaxed) <= 0) {
		return false;
	}
	return atomic_fetch_sub(&llext_fault_countdown, 1) == 1;
}

void *llext_malloc(size_t n)
{
	return llext_fault_now() ? NULL : malloc(n);
}

void *llext_calloc(size_t n, size_t size)
{
	return llext_fault_now() ? NULL : calloc(n, size);
}

void *llext_realloc(void *p, size_t n)
{
	return llext_fault_now() ? NULL : realloc(p, n);
}

void *llext_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if (llext_fault_now()) {
		errno = ENOMEM;
		return MAP_FAILED;
	}
	return mmap(addr, len, prot, flags, fd, off);
}

int llext_mprotect(void *addr, size_t len, int prot)
{
	if (llext_fault_now()) {
		errno = ENOMEM;
		return -1;
	}
	return mprotect(addr, len, prot);
}
