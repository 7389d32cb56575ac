// SPDX-License-Identifier: MIT
/*
 * mmap() and munmap() for test programs that check the loader leaves no mapping behind. Exact
 * whatever else the process maps (sanitizer allocators, valgrind): only calls made through
 * these are counted.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>

#include "maptrack.h"

#define MAX_RANGES 256

static struct {
	uintptr_t lo, hi;
} ranges[MAX_RANGES];
static size_t nranges;
/* Loads run in several threads in some tests. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

size_t maptrack_live_bytes(void)
{
	size_t n = 0;

	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < nranges; i++) {
		n += ranges[i].hi - ranges[i].lo;
	}
	pthread_mutex_unlock(&lock);
	return n;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	static void *(*real)(void *, size_t, int, int, int, off_t);
	void *p;

	if (!real) {
		real = (void *(*)(void *, size_t, int, int, int, off_t))dlsym(RTLD_NEXT, "mmap");
	}
	p = real(addr, len, prot, flags, fd, off);
	pthread_mutex_lock(&lock);
	if (p != MAP_FAILED && nranges < MAX_RANGES) {
		ranges[nranges].lo = (uintptr_t)p;
		ranges[nranges].hi = (uintptr_t)p + len;
		nranges++;
	}
	pthread_mutex_unlock(&lock);
	return p;
}

int munmap(void *addr, size_t len)
{
	static int (*real)(void *, size_t);
	uintptr_t lo = (uintptr_t)addr, hi = lo + len;

	if (!real) {
		real = (int (*)(void *, size_t))dlsym(RTLD_NEXT, "munmap");
	}
	/* Cut [lo, hi) out of every range; a range split in two keeps its tail at the end. */
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < nranges; i++) {
		if (hi <= ranges[i].lo || lo >= ranges[i].hi) {
			continue;
		}
		if (lo > ranges[i].lo && hi < ranges[i].hi && nranges < MAX_RANGES) {
			ranges[nranges].lo = hi;
			ranges[nranges].hi = ranges[i].hi;
			nranges++;
			ranges[i].hi = lo;
		} else if (lo > ranges[i].lo) {
			ranges[i].hi = lo;
		} else if (hi < ranges[i].hi) {
			ranges[i].lo = hi;
		} else {
			ranges[i] = ranges[--nranges];
			i--;
		}
	}
	pthread_mutex_unlock(&lock);
	return real(addr, len);
}
