// SPDX-License-Identifier: MIT
/*
 * Failure injection, for the tests: when llext_fault_countdown is set to n, the n-th fallible
 * call after that (allocation, mmap, mprotect) fails as if the system had run out of memory.
 * Off (0) by default; the cost is one relaxed atomic load per call.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/base.h"

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

void *llext_mmap_aligned(size_t size, size_t align)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), extra = align > page ? align - page : 0;
	uint8_t *p = llext_mmap(NULL, size + extra, PROT_READ | PROT_WRITE,
	                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *a;

	if (p == MAP_FAILED) {
		return NULL;
	}
	/* Mapped with slack, then the slack on either side of the aligned block given back. */
	a = (uint8_t *)(uintptr_t)llext_align_up((uintptr_t)p, align);
	if (a > p) {
		munmap(p, (size_t)(a - p));
	}
	if (p + extra > a) {
		munmap(a + size, (size_t)(p + extra - a));
	}
	return a;
}

int llext_mprotect(void *addr, size_t len, int prot)
{
	if (llext_fault_now()) {
		errno = ENOMEM;
		return -1;
	}
	return mprotect(addr, len, prot);
}
